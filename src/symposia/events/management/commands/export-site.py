"""`symposia export-site SLUG DIR`: an event's pages and files as a Jekyll site folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from symposia.events.exporting import SiteExportError, export_site
from symposia.events.models import Event


class Command(BaseCommand):
    help = (
        "Write an event's pages as Markdown with YAML front matter, its files and a "
        "_config.yml into DIR; `symposia import-site DIR` reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="event slug")
        parser.add_argument("directory", type=Path, help="folder to write (created if missing)")

    def handle(self, *args, slug, directory, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"No event with the slug {slug!r}.")
        try:
            report = export_site(event, directory)
        except (SiteExportError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {report.pages} page(s) and {report.assets} file(s) of /{event.slug}/ "
                f"to {directory}."
            )
        )
