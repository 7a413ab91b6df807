"""`symposia serve`: the production server (gunicorn) on 127.0.0.1:$PORT, with the worker.

Unless `--no-worker` is given (or tasks run inline, TASKS_IMMEDIATE=true), a `symposia worker`
process is started beside gunicorn and stopped with it, so mail and background builds run
without a second terminal.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def _tasks_run_inline() -> bool:
    return settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


class Command(BaseCommand):
    help = "Serve Symposia with gunicorn (static files through WhiteNoise) and its worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker (run `symposia worker` yourself)",
        )

    def handle(self, *args, host, port, workers, no_worker, **options):
        from gunicorn.app.base import BaseApplication

        from symposia.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")

            def load(self):
                return application

        worker = None
        if not no_worker and not _tasks_run_inline():
            worker = subprocess.Popen([sys.executable, "-m", "symposia", "worker"])  # noqa: S603
        self.stdout.write(f"Symposia at http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            Server().run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
