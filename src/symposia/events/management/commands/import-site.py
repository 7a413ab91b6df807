"""`symposia import-site PATH [--event SLUG]`: a Markdown file or a Jekyll site into an event."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from symposia.events.importing import SiteImportError, import_site


class Command(BaseCommand):
    help = (
        "Import a Markdown file or a Jekyll site folder into a new or existing event. "
        "Importing again updates the pages and files in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a .md/.markdown/.html file or a folder")
        parser.add_argument(
            "--event",
            dest="slug",
            default=None,
            help="event slug (default: from _config.yml baseurl or title, or the folder name)",
        )

    def handle(self, *args, path, slug, **options):
        try:
            report = import_site(path, slug=slug)
        except SiteImportError as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        verb = "Created" if report.event_created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} /{report.event.slug}/: {report.pages} page(s) and {report.assets} "
                f"file(s); {len(report.written)} written, {len(report.unchanged)} unchanged, "
                f"{len(report.warnings)} warning(s)."
            )
        )
