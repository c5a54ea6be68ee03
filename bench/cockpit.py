"""The cockpit's JSON (驾驶舱, issue 10) at 100,000 enterprises and 1,000,000 hazards: time per request and per
panel, and SQL queries per request at the small and the large size (the issue: "constant in queries whatever
the data size").

Reuses the hazard ledger benchmark's data (``bench/hazard_ledger.py``: the enterprise benchmark's 100,000
enterprises, 1,000,000 generated hazards, the daily totals rebuilt to match) and adds, once, this year's
inspection plans (one per enterprise, 1–4 inspections due) and finished inspections (one to three for two
enterprises in three, dated this year up to today), written in SQL and marked so a later run recognises them.
Then, for ``bench_staff`` (the whole district) and ``bench_mashan`` (马山镇's township officer): ``GET
/cockpit/data/`` through Django's test client (DEBUG off), and each registered panel's ``data(user)`` on its
own, each timed; the queries of one request counted here and, in a child process, on the small database
(100 enterprises, 1,000 hazards). Writes bench/results/cockpit-<timestamp>.json.

    .venv/bin/python bench/cockpit.py                                  # postgres://…/shouye_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/mine .venv/bin/python bench/cockpit.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    STAFF_USERNAME,
    TOWNSHIP_USERNAME,
    database_urls,
    display_url,
    ensure_postgres_database,
    is_postgres,
)
from bench.hazard_ledger import ensure_totals, generate_hazards, setup_django, time_callable  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

#: The issue's target for a page's data: a request of an ordinary user does at most about a second of work
#: (ARCHITECTURE.md §10); the cockpit's JSON is one such request.
JSON_P95_MAX_MS = 1000.0
#: Queries per request, the same at both sizes, and at most this many.
QUERIES_MAX = 25
#: The generated inspections carry this note, so the generator recognises its own rows.
MARKER = "基准测试·驾驶舱"
URL = "/cockpit/data/"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--small-hazards", type=int, default=1_000)
    parser.add_argument("--small-enterprises", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=20, help="timed requests per user")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests before timing")
    parser.add_argument("--count-queries-worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def generate_plans_and_inspections(log) -> dict:
    """This year's plans and finished inspections, once (INSERT … SELECT over the enterprises)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from shouye.accounts.models import User
    from shouye.inspections.models import Inspection, InspectionPlan

    today = timezone.localdate()
    plans = InspectionPlan.objects.filter(year=today.year)
    if not plans.exists():
        log("  generating this year's plans (one per enterprise) …")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"""
INSERT INTO {InspectionPlan._meta.db_table} (year, inspections_due, created_at, updated_at, enterprise_id,
                                             industry_id, township_id)
SELECT %s, 1 + id %% 4, now(), now(), id, industry_id, township_id FROM enterprises_enterprise""", [today.year])
    inspections = Inspection.objects.filter(notes=MARKER)
    if not inspections.exists():
        log("  generating finished inspections (one to three for two enterprises in three) …")
        staff = User.objects.get(username=STAFF_USERNAME).pk
        elapsed = (today - today.replace(month=1, day=1)).days + 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"""
INSERT INTO {Inspection._meta.db_table} (kind, inspected_at, place, subject, checklist_name, notes, state,
    finished_at, created_at, updated_at, created_by_id, enterprise_id, finished_by_id, industry_id, township_id)
SELECT 'routine', at, '', '', '', %(marker)s, 'finished', at + interval '2 hours', at, at, %(staff)s, e.id,
       %(staff)s, e.industry_id, e.township_id
FROM enterprises_enterprise e
CROSS JOIN generate_series(1, 1 + e.id %% 3) AS n
CROSS JOIN LATERAL (SELECT date_trunc('year', now()) + make_interval(days => ((e.id * 7 + n * 131) %% %(elapsed)s)::int)
                    + interval '9 hours' AS at) AS t
WHERE e.id %% 3 <> 0""", {"marker": MARKER, "staff": staff, "elapsed": elapsed})
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Inspection._meta.db_table}")
            cursor.execute(f"VACUUM ANALYZE {InspectionPlan._meta.db_table}")
    return {"plans": plans.count(), "inspections": inspections.count()}


def _client(username: str):
    from django.test import Client

    from shouye.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def count_requests() -> dict:
    """The queries of one request of the JSON, per user, after one untimed request (the session warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for username in (STAFF_USERNAME, TOWNSHIP_USERNAME):
        client = _client(username)
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200, response.status_code
        counts[username] = len(captured)
    return counts


def measure(args) -> dict:
    from bench.measure import summary
    from shouye.accounts.models import User
    from shouye.core.registry import cockpit_panels

    result = {}
    for username in (STAFF_USERNAME, TOWNSHIP_USERNAME):
        client = _client(username)
        request = time_callable(lambda client=client: client.get(URL), args.iterations, args.warmup)
        user = User.objects.get(username=username)
        panels = {}
        for panel in cockpit_panels.for_user(user):
            samples = []
            for _ in range(max(3, args.iterations // 4)):
                fresh = User.objects.get(pk=user.pk)  # no permissions or scope cached between runs
                start = time.perf_counter()
                panel.data(fresh)
                samples.append((time.perf_counter() - start) * 1000)
            panels[panel.key] = summary(samples)
        body = client.get(URL).json()
        result[username] = {"request": request, "panels": panels,
                            "kpis": {kpi["key"]: kpi["value"] for kpi in body["kpis"]}}
        log(f"    {username}: p50 {request['p50_ms']} ms, p95 {request['p95_ms']} ms; slowest panel "
            + max(((key, value["p50_ms"]) for key, value in panels.items()), key=lambda item: item[1])[0])
    return result


def count_queries_worker(args) -> None:
    from bench import dataset

    prepared = dataset.prepare(args.small_enterprises, log)
    generate_hazards(args.small_hazards, log)
    ensure_totals(log)
    made = generate_plans_and_inspections(log)
    print(json.dumps({**prepared, **made, "queries": count_requests()}, ensure_ascii=False, default=str))


def run_small(url: str, args) -> dict:
    if ensure_postgres_database(url):
        log(f"created database {display_url(url)}")
    command = [sys.executable, __file__, "--count-queries-worker", "--small-hazards", str(args.small_hazards),
               "--small-enterprises", str(args.small_enterprises)]
    child = subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
                           env={**os.environ, "BENCH_DATABASE_URL": url, "DATABASE_URL": url})
    return {"database_url": display_url(url), **json.loads(child.stdout.strip().splitlines()[-1])}


def evaluate(result: dict) -> list[dict]:
    targets = []
    for username in (STAFF_USERNAME, TOWNSHIP_USERNAME):
        p95 = result["measured"][username]["request"]["p95_ms"]
        targets.append({"name": f"{URL} p95 ({username})", "value": p95, "max": JSON_P95_MAX_MS,
                        "pass": p95 <= JSON_P95_MAX_MS})
        small, large = result["small"]["queries"][username], result["queries"][username]
        targets.append({"name": f"queries per request ({username}): small = large ≤ {QUERIES_MAX}",
                        "value": {"small": small, "large": large}, "pass": small == large <= QUERIES_MAX})
    return targets


def main(argv=None) -> None:
    args = parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if args.count_queries_worker:
        setup_django(url)
        count_queries_worker(args)
        return
    if not is_postgres(url):
        log("Not PostgreSQL: the cockpit benchmark reuses the hazard ledger's data, generated in SQL.")
        return
    load_at_start = load_average()
    if ensure_postgres_database(url):
        log(f"created database {display_url(url)}")
    small_url = database_urls(url, args.hazards, args.small_hazards)[args.small_hazards]
    small = run_small(small_url, args)
    setup_django(url)
    from bench import dataset

    log(f"[{args.enterprises:,} enterprises, {args.hazards:,} hazards] {display_url(url)}")
    prepared = dataset.prepare(args.enterprises, log)
    generate_hazards(args.hazards, log)
    prepared.update(ensure_totals(log))
    prepared.update(generate_plans_and_inspections(log))
    log(f"  measuring {args.iterations} requests per user after {args.warmup} untimed")
    result = {**prepared, "queries": count_requests(), "measured": measure(args), "small": small}
    report = write_report("cockpit", load_at_start=load_at_start, targets=evaluate(result), body={
        "database_url": display_url(url), "iterations": args.iterations, "warmup": args.warmup, **result})
    for target in report["targets"]:
        log(f"  {'PASS' if target['pass'] else 'FAIL'} {target['name']}: {target['value']}")
    log(f"  written to {', '.join(report['files'])}")


if __name__ == "__main__":
    main()
