"""The `symposia` command: Django's management commands with Symposia's settings.

Examples: `symposia migrate`, `symposia import-site examples/mathml2020 --event mathml2020`,
`symposia serve`, `symposia worker`, `symposia demo mathml2020 --submissions 200`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command; `argv` defaults to `sys.argv`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symposia.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "symposia"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
