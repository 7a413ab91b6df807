from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events.css", views.events_css, name="events_css"),
]
