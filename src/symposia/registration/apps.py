from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "symposia.registration"
    label = "registration"
