"""Benchmark of the static export: `python benchmarks/static_export.py --contributions N`.

Fills a temporary SQLite database with the seed event, N accepted contributions (the demo
filler: authors, a three-day timetable, poster sessions with boards) and exports the public
site, then checks every relative link of the export. Prints one JSON line:
{"contributions": N, "seconds": export time (wall clock), "cpu_seconds": the same in CPU time
 of the process, "load": the machine's load average, "files": ..., "pages": ...,
 "broken_links": ..., "megabytes": ..., "fill_seconds": ..., "check_seconds": ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", help="write the export to this folder and keep it")

    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="symposia-bench-export-"))
    os.environ["SYMPOSIA_DATA_DIR"] = str(workdir / "data")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("HTTPS", "false")
    os.environ["TASKS_IMMEDIATE"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symposia.settings")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from symposia.cfp import demo as cfp_demo
    from symposia.events.importing import import_site
    from symposia.publishing.static_export import export_static, find_broken_links
    from symposia.schedule import demo as schedule_demo

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        event = import_site(ROOT / "examples" / "mathml2020", slug="mathml2020").event
        if event.timezone == "UTC":
            event.timezone = "Europe/London"
            event.save(update_fields=["timezone"])
        rng = random.Random(args.seed)
        quiet = lambda message: None  # noqa: E731
        cfp_demo.fill(event, rng=rng, options={"submissions": args.contributions}, log=quiet)
        schedule_demo.fill(event, rng=rng, options={}, log=quiet)
    fill_seconds = time.perf_counter() - started

    outdir = Path(args.keep) if args.keep else workdir / "site"
    cpu = time.process_time()
    report = export_static(event, outdir, base_url="/mathml2020/", clean=True, log=quiet)
    cpu = time.process_time() - cpu
    started = time.perf_counter()
    broken = find_broken_links(outdir)
    check_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "contributions": args.contributions,
                "seconds": round(report.seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "load": round(os.getloadavg()[0], 1),
                "files": report.files,
                "pages": report.pages,
                "broken_links": len(broken),
                "megabytes": round(report.bytes / 1e6, 1),
                "fill_seconds": round(fill_seconds, 1),
                "check_seconds": round(check_seconds, 2),
            }
        )
    )
    for file, link in broken[:20]:
        print(f"broken: {file} -> {link}", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
