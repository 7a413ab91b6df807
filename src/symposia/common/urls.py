"""Mounted at /<event>/mail/ (see symposia.urls)."""

from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox, name="list"),
    path("retry-failed/", views.retry_all, name="retry_all"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
