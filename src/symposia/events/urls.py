from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.page, name="page"),
    path("<slug:page>/", views.page, name="page"),
    path("<path:path>", views.asset, name="asset"),
]
