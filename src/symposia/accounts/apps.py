from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(**kwargs) -> None:
    """After `migrate`, create the database cache table that the rate limits count in.

    `createcachetable` is idempotent and does nothing for caches that are not database caches.
    """
    from django.core.management import call_command

    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


class AccountsConfig(AppConfig):
    name = "symposia.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)
