"""`symposia export-static SLUG OUTDIR [--base-url /path/]`: the public site as plain files."""

from django.core.management.base import BaseCommand, CommandError

from symposia.events.models import Event
from symposia.publishing.static_export import ExportError, export_static


class Command(BaseCommand):
    help = (
        "Write the public site of an event (pages, programme, speakers, contributions, book "
        "of abstracts, .ics and schedule.json) as static files with relative links."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the event, e.g. mathml2020")
        parser.add_argument("outdir", help="folder to write (created if missing)")
        parser.add_argument(
            "--base-url",
            default="/",
            help="where the files will be served, a URL or a path such as /mathml2020/; "
            "used for the absolute links in calendars and schedule.json (default: /)",
        )
        parser.add_argument(
            "--live-url",
            default="",
            help="the running site (e.g. https://conf.example.org); links to pages that are "
            "not exported (log in, call for contributions) point there instead of nowhere",
        )
        parser.add_argument(
            "--clean", action="store_true", help="empty OUTDIR before writing into it"
        )

    def handle(self, *args, slug, outdir, base_url, live_url, clean, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"No event {slug!r}.")
        try:
            report = export_static(
                event,
                outdir,
                base_url=base_url,
                live_url=live_url,
                clean=clean,
                log=lambda message: self.stdout.write(message),
            )
        except ExportError as error:
            raise CommandError(str(error)) from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if report.skipped_links:
            left_out = ", ".join(sorted(report.skipped_links)[:8])
            self.stdout.write(f"Links to pages that are not exported were removed: {left_out}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.files} files ({report.pages} pages, {report.bytes / 1e6:.1f} MB) "
                f"written to {report.outdir} in {report.seconds:.1f} s."
            )
        )
