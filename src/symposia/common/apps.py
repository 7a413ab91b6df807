from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "symposia.common"
    label = "common"
