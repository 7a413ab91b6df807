"""`symposia serve`: the production server (gunicorn) on 127.0.0.1:$PORT."""

import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Symposia with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))

    def handle(self, *args, host, port, workers, **options):
        from gunicorn.app.base import BaseApplication

        from symposia.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")

            def load(self):
                return application

        self.stdout.write(f"Symposia at http://{host}:{port}/ (Ctrl+C to stop)")
        Server().run()
