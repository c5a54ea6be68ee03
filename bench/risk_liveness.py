"""The dual-prevention liveness table at district size (issue 11, "Benchmarks"): 10,000 enterprises, 50 risk
points each (500,000), a year of daily task totals (3,650,000 rows), hazards over the last 30 days, registers and
100-point scores, and the nightly job's liveness summaries of today (decision 0013; timed). Times, for the
bureau (the whole district) and a township officer: the page's first page and the API's, every variant that
computes the whole scope (a sort by each figure, "inactive only", a township's and an industry's table, the
Excel export) and the export's query alone (the selector over the whole scope, which the cockpit and the map
layer read too), also as it runs between midnight and the nightly job (every enterprise summed from the daily
totals); counts each request's SQL queries. Target: p95 < 300 ms for each of the district's variants.

    .venv/bin/python bench/risk_liveness.py                  # PostgreSQL, database shouye_rl_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/risk_liveness.py

The enterprises come from the enterprise benchmark's generator (bench/dataset.py); the dual-prevention rows are
generated in PostgreSQL with ``generate_series`` (one INSERT … SELECT per table), once: a table that holds rows
is reused. Writes bench/results/risk_liveness-<time>.json. PostgreSQL only."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import display_url, ensure_postgres_database, is_postgres  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shouye_rl_bench"
P95_MAX_MS = 300.0
POINTS_PER_ENTERPRISE = 50
DAYS = 365
#: Hazards per enterprise over the last 30 days (a third self-reported, a third by inspections, a third alarms).
HAZARDS_PER_ENTERPRISE = 3
MARKER = "基准测试"

#: The sort keys of the table that are figures (the page sorts by them over the whole district).
FIGURE_SORTS = ("due", "completion", "missed", "days_since", "self_reported", "found_by_supervisors", "points")


def urls(township_code: str, industry_code: str) -> dict[str, str]:
    """The table's variants: the first page by name and through the API, then every variant that computes the
    whole scope (a sort by each figure, "inactive only", a township's and an industry's table sorted by a
    figure, and the Excel export of everything)."""
    cases = {"page": "/risks/liveness/", "api": "/api/v1/risk-liveness/",
             "page_inactive_only": "/risks/liveness/?inactive=true"}
    cases.update({f"page_sorted_by_{key}": f"/risks/liveness/?sort=-{key}" for key in FIGURE_SORTS})
    cases["api_sorted_by_completion"] = "/api/v1/risk-liveness/?sort=completion"
    cases["page_township"] = f"/risks/liveness/?township={township_code}&sort=-missed"
    cases["page_industry"] = f"/risks/liveness/?industry={industry_code}&sort=-missed"
    cases["export"] = "/risks/liveness/export/"
    return cases


def log(message: str) -> None:
    print(message, flush=True)


def generate(count: int) -> dict:
    """The dual-prevention rows for every enterprise, in one INSERT … SELECT per table (skipped when there)."""
    from django.db import connection, transaction

    created = {}
    statements = {
        # 50 points an enterprise (500,000): 2 % major, 8 % high, 30 % moderate, 60 % low; one in 40 out of use,
        # and every point of one enterprise in 25 out of use (it has none in use: inactive).
        "risk_points": f"""
            INSERT INTO risks_riskpoint (code, name, kind, location, department, responsible_person, control_focus,
                control_unit, grade, control_level, forced_major, forced_major_reasons, is_active, created_at,
                updated_at, enterprise_id, industry_id, township_id)
            SELECT 'FX-' || n, '{MARKER}风险点' || n, 'facility', '', '生产部', '张三', '', '',
                CASE WHEN (e.id + n) % 50 = 0 THEN 'major' WHEN (e.id + n) % 50 < 5 THEN 'high'
                     WHEN (e.id + n) % 50 < 20 THEN 'moderate' ELSE 'low' END, '', false, '[]'::jsonb,
                n % 40 <> 0 AND e.id % 25 <> 0, now(), now(), e.id, e.industry_id, e.township_id
            FROM enterprises_enterprise e CROSS JOIN generate_series(1, {POINTS_PER_ENTERPRISE}) n""",
        # A year of days: 4 due a day; done 4 for most, fewer for one in ten enterprises, none for one in 50.
        "task_daily_totals": f"""
            INSERT INTO risks_taskdailytotal (day, due, done, missed, last_done_at, enterprise_id, industry_id,
                township_id)
            SELECT d::date, 4, x.done, 4 - x.done,
                CASE WHEN x.done > 0 THEN d + interval '10 hours' END, e.id, e.industry_id, e.township_id
            FROM enterprises_enterprise e
            CROSS JOIN generate_series(current_date - {DAYS}, current_date - 1, interval '1 day') d
            CROSS JOIN LATERAL (SELECT CASE WHEN e.id % 50 = 0 THEN 0 WHEN e.id % 10 = 0 THEN 2 ELSE 4 END
                                AS done) x""",
        "hazards": f"""
            INSERT INTO hazards_hazard (location, description, category, level, source, legal_basis, found_at,
                found_by_name, state, measures, responsible_person, rectification_note, reinspection_result,
                extension_count, investigation_type, created_at, updated_at, enterprise_id, industry_id, township_id)
            SELECT '{MARKER}', '基准隐患', 'things', 'ordinary',
                (ARRAY['self_inspection', 'inspection', 'alarm'])[1 + (e.id + n) % 3], '',
                now() - ((e.id + n) % 30 || ' days')::interval - interval '1 day', '', 'reported', '', '', '', '',
                0, '', now(), now(), e.id, e.industry_id, e.township_id
            FROM enterprises_enterprise e CROSS JOIN generate_series(1, {HAZARDS_PER_ENTERPRISE}) n""",
        # Nine in ten published.
        "registers": """
            INSERT INTO risks_riskregister (state, version, published_at, changed_since_publication, enterprise_id,
                industry_id, township_id)
            SELECT CASE WHEN e.id % 10 = 3 THEN 'draft' ELSE 'published' END,
                   CASE WHEN e.id % 10 = 3 THEN 0 ELSE 1 END,
                   CASE WHEN e.id % 10 = 3 THEN NULL ELSE now() - interval '90 days' END, false, e.id,
                   e.industry_id, e.township_id
            FROM enterprises_enterprise e""",
        # One in five scored.
        "scores": """
            INSERT INTO risks_enterpriseriskscore (score, direct_red_reasons, colour, basis, assessed_on, assessor,
                current, recorded_at, enterprise_id, industry_id, township_id, recorded_by_id)
            SELECT 50 + e.id % 50, '[]'::jsonb,
                   CASE WHEN 50 + e.id % 50 >= 90 THEN 'blue' WHEN 50 + e.id % 50 >= 75 THEN 'yellow'
                        WHEN 50 + e.id % 50 >= 60 THEN 'orange' ELSE 'red' END,
                   '应急〔2018〕19号', current_date - 30, '', true, now(), e.id, e.industry_id, e.township_id,
                   (SELECT id FROM accounts_user WHERE username = 'bench_staff')
            FROM enterprises_enterprise e WHERE e.id % 5 = 0""",
    }
    tables = {"risk_points": "risks_riskpoint", "task_daily_totals": "risks_taskdailytotal",
              "hazards": "hazards_hazard", "registers": "risks_riskregister", "scores": "risks_enterpriseriskscore"}
    for name, sql in statements.items():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {tables[name]})")
            if cursor.fetchone()[0]:
                log(f"  {name}: already there, reused")
                continue
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
            created[name] = cursor.rowcount
        log(f"  {name}: {created[name]:,} rows in {time.perf_counter() - started:.1f} s")
    if created:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return created


def refresh() -> dict:
    """The nightly job (Celery beat "risk-liveness-daily"): the daily totals above were written past the task
    services, so every enterprise's liveness summary of today is written from them, as the job does after
    midnight; timed, and run twice (the second run shows it idempotent: nothing corrected)."""
    from django.db import connection

    from shouye.risks.liveness_summary import refresh_summaries

    started = time.perf_counter()
    first = refresh_summaries()
    seconds = round(time.perf_counter() - started, 2)
    second = refresh_summaries()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE risks_enterpriseliveness")
    log(f"  liveness summaries: {first['summaries']:,} in {seconds} s (again: {second['corrected']} corrected)")
    return {"summaries": first["summaries"], "seconds": seconds, "corrected_on_second_run": second["corrected"]}


def time_selector(username: str, iterations: int, warmup: int, today=None) -> dict:
    """The full export's query: the selector over the user's whole scope (every enterprise, no page). With
    ``today`` a day after the summaries' (as between midnight and the nightly job), every enterprise is summed
    from the daily totals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.measure import summary
    from shouye.accounts.models import User
    from shouye.risks.selectors.liveness import liveness_rows

    user = User.objects.get(username=username)
    for _ in range(warmup):
        rows = liveness_rows(user, today=today)
    samples = []
    for _ in range(iterations):
        user = User.objects.get(username=username)  # memberships read afresh, as in a request
        started = time.perf_counter()
        rows = liveness_rows(user, today=today)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        liveness_rows(User.objects.get(username=username), today=today)
    return {**summary(samples), "rows": len(rows), "inactive": sum(1 for row in rows if row.inactive),
            "queries": len(captured.captured_queries)}


def explain(username: str) -> list[str]:
    """EXPLAIN ANALYZE of each statement of the selector for ``username``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shouye.accounts.models import User
    from shouye.risks.selectors.liveness import liveness_rows

    user = User.objects.get(username=username)
    user.active_memberships()
    with CaptureQueriesContext(connection) as captured:
        liveness_rows(user)
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="enterprises")
    parser.add_argument("--iterations", type=int, default=30, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests before each case")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not is_postgres(url):
        log("PostgreSQL only: set BENCH_DATABASE_URL to a postgres:// URL.")
        return 2
    load_at_start = load_average()
    ensure_postgres_database(url)
    from bench.hazard_ledger import setup_django

    setup_django(url)
    from bench import dataset
    from bench.measure import clients, count_queries, time_request

    log(f"{args.count:,} enterprises at {display_url(url)}")
    prepared = dataset.prepare(args.count, log)
    created = generate(args.count)
    summaries = refresh()
    from datetime import timedelta

    from django.utils import timezone

    from shouye.enterprises.models import Industry
    from shouye.risks.models import RiskPoint, TaskDailyTotal

    cases = urls(dataset.TOWNSHIP_CODE, Industry.objects.order_by("code").values_list("code", flat=True)[0])
    body = {"settings": vars(args), "prepared": prepared, "created": created, "summaries": summaries,
            "rows": {"risk_points": RiskPoint.objects.count(), "task_daily_totals": TaskDailyTotal.objects.count()},
            "cases": {}}
    targets = []
    for user, client in clients().items():
        for name, path in cases.items():
            counted = count_queries(client, path)
            timing = time_request(client, path, args.iterations, args.warmup)
            body["cases"][f"{user} {name}"] = {"url": path, "queries": counted["queries"], "timing": timing}
            log(f"  {user:8} {name:35} p50 {timing['p50_ms']:8.1f} ms  p95 {timing['p95_ms']:8.1f} ms  "
                f"(CPU p50 {timing['cpu_p50_ms']:6.1f}, p95 {timing['cpu_p95_ms']:6.1f})  {counted['queries']} queries")
            if user == "staff":
                targets.append({"name": f"staff {name}: p95 < {P95_MAX_MS:.0f} ms for the district "
                                        f"({args.count:,} enterprises)",
                                "value": timing["p95_ms"], "pass": timing["p95_ms"] < P95_MAX_MS})
        username = dataset.STAFF_USERNAME if user == "staff" else dataset.TOWNSHIP_USERNAME
        for name, today in (("export_query", None),
                            ("export_query_before_the_nightly_job", timezone.localdate() + timedelta(days=1))):
            selector = time_selector(username, args.iterations, args.warmup, today=today)
            body["cases"][f"{user} {name}"] = selector
            log(f"  {user:8} {name:35} p50 {selector['p50_ms']:8.1f} ms  "
                f"p95 {selector['p95_ms']:8.1f} ms  {selector['queries']} queries  {selector['rows']:,} rows")
    p95 = body["cases"]["staff export_query"]["p95_ms"]
    targets.append({"name": f"staff export_query: p95 < {P95_MAX_MS:.0f} ms for the district "
                            f"({args.count:,} enterprises)", "value": p95, "pass": p95 < P95_MAX_MS})
    body["plans"] = explain(dataset.STAFF_USERNAME)
    report = write_report("risk_liveness", load_at_start=load_at_start, targets=targets, body=body)
    for target in targets:
        log(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['value']}")
    log(f"written: {', '.join(report['files'])}")
    return 0 if report["all_targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
