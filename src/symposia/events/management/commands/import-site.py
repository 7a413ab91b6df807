"""`symposia import-site PATH [--event SLUG]`: a Markdown file or a Jekyll site into an event."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from symposia.events.importing import SiteImportError, import_site


class Command(BaseCommand):
    help = "Import a Markdown file or a Jekyll site folder into a new or existing event."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--event", dest="slug", default=None, help="event slug")

    def handle(self, *args, path, slug, **options):
        try:
            report = import_site(path, slug=slug)
        except SiteImportError as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.pages} page(s) and {report.assets} asset(s) into "
                f"/{report.event.slug}/."
            )
        )
