from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "symposia.publishing"
    label = "publishing"
