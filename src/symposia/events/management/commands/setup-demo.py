"""`symposia setup-demo`: migrate, collect static files and load the demo event (idempotent)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from symposia.common.demo import prepare_showcase
from symposia.events.importing import import_site


def find_demo_site() -> Path | None:
    """examples/mathml2020 next to the source tree or in the current directory."""
    candidates = [
        Path.cwd() / "examples" / "mathml2020",
        Path(__file__).resolve().parents[5] / "examples" / "mathml2020",
    ]
    return next((path for path in candidates if path.is_dir()), None)


class Command(BaseCommand):
    help = "Prepare the database and load the MathML 2020 demo event."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        site = find_demo_site()
        if site is None:
            self.stderr.write("examples/mathml2020 not found: no demo event loaded.")
            return
        report = import_site(site, slug="mathml2020")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        prepare_showcase(report.event, log=lambda msg: self.stdout.write(msg))
        self.stdout.write(self.style.SUCCESS("Demo event ready at /mathml2020/"))
