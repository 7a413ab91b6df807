"""`symposia demo SLUG`: fill an event with realistic synthetic data at any size."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from symposia.common.demo import fill_event
from symposia.events.models import Event


class Command(BaseCommand):
    help = "Fill an event (created if missing) with seeded synthetic data."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--title", default="")
        parser.add_argument("--submissions", type=int, default=40)
        parser.add_argument("--reviewers", type=int, default=12)
        parser.add_argument("--registrations", type=int, default=60)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        with transaction.atomic():
            event, created = Event.objects.get_or_create(
                slug=options["slug"],
                defaults={"title": options["title"] or options["slug"].replace("-", " ").title()},
            )
            fill_event(event, rng=rng, options=options, log=lambda msg: self.stdout.write(msg))
        self.stdout.write(self.style.SUCCESS(f"Demo data in event {event.slug!r}."))
