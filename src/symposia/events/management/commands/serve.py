"""`symposia serve`: the production server (gunicorn) on 127.0.0.1:$PORT.

With `--with-worker` it also starts `symposia worker` as a child process and stops it when
gunicorn exits, so a single command (`make run`) serves the site and sends its mail.
"""

import os
import subprocess
import sys

from django.core.management.base import BaseCommand


def start_worker() -> subprocess.Popen:
    """Start `symposia worker` with this process's environment; the caller stops it."""
    return subprocess.Popen([sys.executable, "-m", "symposia", "worker"])


def stop_worker(worker: subprocess.Popen, timeout: float = 10) -> None:
    """Ask the worker to finish its task and stop (SIGTERM); kill it after `timeout` seconds."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "Serve Symposia with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run `symposia worker` (mail, PDFs) and stop it with the server.",
        )

    def handle(self, *args, host, port, workers, with_worker, **options):
        from gunicorn.app.base import BaseApplication

        from symposia.wsgi import application

        worker = start_worker() if with_worker else None

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")
                if worker is not None:
                    self.cfg.set("on_exit", lambda _arbiter: stop_worker(worker))

            def load(self):
                return application

        self.stdout.write(f"Symposia at http://{host}:{port}/ (Ctrl+C to stop)")
        if worker is not None:
            self.stdout.write("The background worker sends mail; see the outbox at /<event>/mail/.")
        try:
            Server().run()
        finally:
            if worker is not None:
                stop_worker(worker)
