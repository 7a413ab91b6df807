from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "symposia.accounts"
    label = "accounts"
