"""Issue 11's risk-list benchmark: one enterprise with 500 risk points (about 1,000 hazard sources, 3 measures
each), the p95 of its risk list page and of the Excel export of its 风险分级管控清单, as the enterprise's safety
officer; targets < 300 ms and < 2 s on PostgreSQL. The queries of both are counted (constant: tested in
tests/risks/test_register_pages.py). Writes bench/results/risk_list-<timestamp>.json.

    python bench/risk_list.py [--database-url postgres://…/shouye_bench_risks] [--points 500]

The data is generated through the import's bulk writer (shouye.risks.imports.write_points) with assessments
computed by the services' ``compute``, in a database of its own (created when missing, reused after)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import display_url, ensure_postgres_database, is_postgres  # noqa: E402
from bench.hazard_ledger import setup_django  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shouye_bench_risks"
PAGE_P95_MAX_MS = 300.0
EXPORT_P95_MAX_MS = 2000.0
USERNAME = "bench_risk_officer"
ENTERPRISE_NAME = "基准测试·风险清单化工有限公司"


def log(message: str) -> None:
    print(message, flush=True)


def prepare(points: int) -> tuple:
    from django.apps import apps
    from django.core.management import call_command
    from django.db import transaction

    from shouye.accounts.choices import Role
    from shouye.accounts.models import Membership, User
    from shouye.enterprises import demo, reference_data
    from shouye.enterprises.models import Enterprise, Industry
    from shouye.regions.models import Region
    from shouye.risks.imports import PointRows, write_points
    from shouye.risks.models import RiskPoint
    from shouye.risks.services.register import compute
    from shouye.risks.services.settings import effective_tables
    from tests.factories import EnterpriseFactory

    call_command("migrate", verbosity=0, interactive=False)
    reference_data.load(apps)
    demo.load_regions()
    enterprise = Enterprise.objects.filter(name=ENTERPRISE_NAME).first() or EnterpriseFactory(
        name=ENTERPRISE_NAME, township=Region.objects.get(code="370113107"),
        industry=Industry.objects.get(code="hazardous_chemicals"))
    user, _created = User.objects.get_or_create(username=USERNAME, defaults={"display_name": "基准测试·安全员"})
    Membership.objects.get_or_create(user=user, role=Role.ENTERPRISE_USER, enterprise=enterprise)
    have = RiskPoint.objects.filter(enterprise=enterprise).count()
    if have < points:
        tables = effective_tables(enterprise.pk)
        inputs = [("lec", {"l": "6", "e": "6", "c": "7"}), ("lec", {"l": "3", "e": "6", "c": "7"}),
                  ("matrix", {"l": "2", "s": "2"}), ("mes", {"m": "3", "e": "6", "s": "4"})]
        rows = {}
        for number in range(have + 1, points + 1):
            row = PointRows(row=number, values={"name": f"风险点{number}", "kind": "facility", "location": "厂区",
                                                "department": "生产部", "responsible_person": "张三",
                                                "control_focus": "泄漏、火灾", "control_unit": "生产部"})
            for index in range(2):
                method, values = inputs[(number + index) % len(inputs)]
                row.sources.append({"identification_method": "scl", "step_or_item": f"项目{index + 1}",
                                    "name": f"危险源{number}-{index + 1}", "factor_category": "things",
                                    "consequence": "火灾", "method": method, "outcome": compute(method, values, tables),
                                    "measures": [("1", f"联锁报警{number}-{index}"), ("3", f"持证上岗{number}-{index}"),
                                                 ("4", f"应急器材{number}-{index}")]})
            rows[f"B-{number:04d}"] = row
        with transaction.atomic():
            write_points(actor=user, enterprise=enterprise, points=rows, tables=tables)
        log(f"generated {len(rows)} risk points")
    return enterprise, user


def timed(client, url: str, iterations: int, warmup: int) -> dict:
    from bench.measure import summary

    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    samples, cpu = [], []
    for _ in range(iterations):
        start, thread = time.perf_counter(), time.thread_time()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - thread) * 1000)
        assert response.status_code == 200
    # The CPU time of this thread hardly grows when other processes compete for the machine's cores.
    return summary(samples, cpu=cpu)


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--export-iterations", type=int, default=10)
    args = parser.parse_args(argv)
    load_at_start = load_average()
    if is_postgres(args.database_url):
        ensure_postgres_database(args.database_url)
    setup_django(args.database_url)
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from shouye.risks.models import ControlMeasure, HazardSource

    enterprise, user = prepare(args.points)
    client = Client()
    client.force_login(user)
    page = reverse("risks:enterprise", args=[enterprise.pk])
    export = reverse("risks:control-list-export", args=[enterprise.pk])
    page_times = timed(client, page, args.iterations, 5)
    export_times = timed(client, export, args.export_iterations, 1)
    sizes = {"risk_points": enterprise.risk_points.count(),
             "hazard_sources": HazardSource.objects.filter(risk_point__enterprise=enterprise).count(),
             "measures": ControlMeasure.objects.filter(hazard_source__risk_point__enterprise=enterprise).aggregate(
                 n=Count("id"))["n"]}
    targets = [
        {"name": "risk list page p95 (ms)", "value": page_times["p95_ms"], "max": PAGE_P95_MAX_MS,
         "pass": page_times["p95_ms"] < PAGE_P95_MAX_MS},
        {"name": "control list export p95 (ms)", "value": export_times["p95_ms"], "max": EXPORT_P95_MAX_MS,
         "pass": export_times["p95_ms"] < EXPORT_P95_MAX_MS},
    ]
    report = write_report("risk_list", load_at_start=load_at_start, targets=targets, body={
        "database": display_url(args.database_url), "sizes": sizes,
        "page": {**page_times, "queries": queries(client, page)},
        "export": {**export_times, "queries": queries(client, export)}})
    for target in targets:
        log(f"{target['name']}: {target['value']} (max {target['max']}) {'ok' if target['pass'] else 'MISSED'}")
    return 0 if report["all_targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
