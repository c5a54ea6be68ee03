"""An incident's page and timeline with 2,000 entries (issue 14, "Benchmarks": under 200 ms).

    .venv/bin/python bench/incident_page.py        # PostgreSQL, database h_incident_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/incident_page.py

A large accident is taken through the service by the bureau's benchmark user at an enterprise of the benchmark
district (bench/dataset.py), and its timeline filled to ``--entries`` entries (calls, decisions, reports, notes)
with one bulk insert (a benchmark measures reads; the services are tested in tests/incidents). Then, as the
bureau's user: the incident's page (``incidents:detail``, the clocks, the acts' forms and the newest 50 entries),
the page of its oldest entries (``?before=``), the API detail and the API timeline; each timed ``--iterations``
times after ``--warmup`` and its queries counted. The incident is reused when it is there.

Writes bench/results/incident_page-<time>.json with the timings and the query counts."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import display_url, ensure_postgres_database  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_incident_bench"
#: Target of issue 14.
PAGE_P95_MAX_MS = 200.0
TITLE = "基准测试·储罐区爆炸"
KINDS = ("call", "decision", "report", "casualty", "task", "note")


def log(message: str) -> None:
    print(message, flush=True)


def incident_with_entries(entries: int):
    """The benchmark's incident with ``entries`` timeline entries (made once)."""
    from django.utils import timezone

    from shouye.accounts.models import User
    from shouye.enterprises.models import Enterprise
    from shouye.incidents import services
    from shouye.incidents.models import Incident, TimelineEntry

    staff = User.objects.get(username="bench_staff")
    incident = Incident.objects.filter(title=TITLE).first()
    if incident is None:
        now = timezone.now()
        incident = services.report_incident(
            actor=staff, enterprise=Enterprise.objects.order_by("pk").first(), title=TITLE, kind="accident",
            occurred_at=now - timedelta(hours=2), place="1#罐区", source="duty_phone", deaths=3,
            contact_name="张三", contact_phone="13800138000")
    missing = entries - TimelineEntry.objects.filter(incident=incident).count()
    if missing > 0:
        start = incident.received_at
        TimelineEntry.objects.bulk_create([
            TimelineEntry(incident=incident, kind=KINDS[n % len(KINDS)], at=start + timedelta(seconds=3 * n),
                          text=f"第{n}条：现场情况更新，已调派救援力量，伤员送医", author=staff,
                          report_kind="follow_up" if KINDS[n % len(KINDS)] == "report" else "",
                          recipient="区政府" if KINDS[n % len(KINDS)] == "report" else "")
            for n in range(missing)], batch_size=1000)
    return incident


def measure(incident, iterations: int, warmup: int) -> dict:
    from django.test import Client
    from django.urls import reverse

    from bench.measure import count_queries, time_request
    from shouye.accounts.models import User
    from shouye.incidents.models import TimelineEntry

    client = Client()
    client.force_login(User.objects.get(username="bench_staff"))
    oldest = TimelineEntry.objects.filter(incident=incident).order_by("at", "id").values_list("pk", flat=True)[60]
    urls = {
        "page": reverse("incidents:detail", kwargs={"pk": incident.pk}),
        "page_older": reverse("incidents:detail", kwargs={"pk": incident.pk}) + f"?before={oldest}",
        "api_detail": reverse("incident-detail", kwargs={"pk": incident.pk}),
        "api_timeline": reverse("incident-timeline", kwargs={"pk": incident.pk}),
    }
    cases = {}
    for name, url in urls.items():
        counted = count_queries(client, url)
        cases[name] = {"url": url, **time_request(client, url, iterations, warmup), "queries": counted["queries"],
                       "status": counted["status"]}
        log(f"  {name}: p95 {cases[name]['p95_ms']} ms, {counted['queries']} queries")
    return cases


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=200)
    parser.add_argument("--entries", type=int, default=2_000)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    load_at_start = load_average()
    ensure_postgres_database(url)
    from bench.hazard_ledger import setup_django

    setup_django(url)
    from bench import dataset
    from shouye.incidents.models import TimelineEntry

    log(f"Preparing {display_url(url)} …")
    prepared = dataset.prepare(args.enterprises, log)
    incident = incident_with_entries(args.entries)
    entries = TimelineEntry.objects.filter(incident=incident).count()
    log(f"  incident {incident.pk} with {entries:,} timeline entries")
    cases = measure(incident, args.iterations, args.warmup)
    targets = [{"name": f"incident {label} p95, {entries:,} entries (ms)", "value": cases[key]["p95_ms"],
                "max": PAGE_P95_MAX_MS, "pass": cases[key]["p95_ms"] <= PAGE_P95_MAX_MS}
               for key, label in (("page", "page"), ("page_older", "page of older entries"),
                                  ("api_detail", "API detail"), ("api_timeline", "API timeline"))]
    report = write_report("incident_page", load_at_start=load_at_start, targets=targets, body={
        "settings": vars(args) | {"database": display_url(url)}, "prepared": prepared, "entries": entries,
        "cases": cases})
    for target in targets:
        log(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['value']}")
    log(f"Report: {', '.join(report['files'])}")


if __name__ == "__main__":
    main()
