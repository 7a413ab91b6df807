"""`symposia worker`: run background tasks (mail, PDFs) and keep the mail outbox moving.

It is django-tasks-db's `db_worker` (same options) plus the outbox sweep: at start, and then every
`--sweep-interval` seconds in a background thread, every message that is due (queued, failed
and past its back-off, or held by a sender that died) gets an attempt. So mail queued while no
worker ran, or whose task was lost, is still sent. With `--batch` the sweep runs once.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from symposia.common.mail import send_due

logger = logging.getLogger("symposia.worker")


def _sweep_in_thread() -> int:
    close_old_connections()
    try:
        return send_due()
    finally:
        # The sweeper thread's connections are its own: close them rather than keep one idle.
        connections.close_all()


class OutboxSweeper(threading.Thread):
    """Calls `send_due` every `interval` seconds until `stop` is set; never dies of an error."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="outbox-sweeper", daemon=True)
        self.interval = interval
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            try:
                sent = _sweep_in_thread()
            except Exception:  # a locked or unreachable database: try again next time
                logger.exception("Outbox sweep failed")
            else:
                if sent:
                    logger.info("Sent %d due message(s) from the outbox", sent)


class Command(DbWorkerCommand):
    help = "Run background tasks (django-tasks database backend) and send due outbox mail."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-interval",
            default=60.0,
            type=valid_interval,
            help="Seconds between sweeps of the mail outbox for due messages (default: 60)",
        )

    def handle(self, *args, sweep_interval: float, **options) -> None:
        sent = send_due()
        if sent:
            self.stdout.write(f"Sent {sent} due message(s) from the outbox.")
        sweeper = None
        if not options.get("batch") and sweep_interval > 0:
            sweeper = OutboxSweeper(sweep_interval)
            sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            if sweeper is not None:
                sweeper.stop.set()
