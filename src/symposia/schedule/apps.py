from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "symposia.schedule"
    label = "schedule"
