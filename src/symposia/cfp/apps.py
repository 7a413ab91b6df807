from django.apps import AppConfig


class CfpConfig(AppConfig):
    name = "symposia.cfp"
    label = "cfp"
