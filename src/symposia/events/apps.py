from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "symposia.events"
    label = "events"
