"""`make bench`, part two: the hazard ledger at 1,000,000 hazards over 100,000 enterprises (issue 3, "Tests and
benchmark").

Generates the hazards once in the enterprise benchmark's database (later runs reuse them), then times the
filtered ledger through the API and the page, the statistics through the API and the selector, each beside
the same query as hand-written SQL, for a bureau staff user and a township officer; counts the SQL queries
per request for lists of very different sizes; times a 100,000-row Excel export in a child process and reads
its peak memory; checks the targets and writes bench/results/hazard_ledger-<timestamp>.json. See
bench/README.md."""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import secrets
import subprocess
import sys
import time
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    TOWNSHIP_CODE,
    display_url,
    ensure_postgres_database,
    is_postgres,
)

RESULTS_DIR = ROOT / "bench" / "results"

#: The issue's targets on PostgreSQL (issue 3, "Tests and benchmark").
LEDGER_RATIO_MAX = 1.5
LEDGER_P95_MAX_MS = 50.0
STATS_P95_MAX_MS = 200.0
EXPORT_SECONDS_MAX = 10.0
EXPORT_PEAK_MB_MAX = 300.0

#: Hazards per enterprise: 1,000,000 over 100,000 enterprises.
PER_ENTERPRISE = 10
#: Rows inserted per statement (one transaction each, so progress shows and an interrupted run resumes).
INSERT_BATCH = 200_000
#: Every generated hazard carries this location, so the generator recognises its own rows.
MARKER = "基准测试"
#: The period the generated hazards are found in, ending today.
SPAN_DAYS = 730

LEDGER_QUERY = f"township={TOWNSHIP_CODE}&state=rectifying&page=2"
API = "/api/v1/hazards/"
PAGE = "/hazards/"
STATS = "/api/v1/hazards/stats/"
#: The export's filter: one township of ten, all states, about 100,000 of the 1,000,000 hazards.
EXPORT_FILTERS = {"township": TOWNSHIP_CODE}


def log(message: str) -> None:
    print(message, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hazards", type=int, default=1_000_000, help="hazards to generate")
    parser.add_argument("--enterprises", type=int, default=100_000, help="enterprises (the enterprise benchmark's)")
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per ledger case")
    parser.add_argument("--stats-iterations", type=int, default=50,
                        help="timed requests per statistics case (each aggregates about half a million rows)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests before each ledger case")
    parser.add_argument("--stats-warmup", type=int, default=5, help="untimed requests before each statistics case")
    parser.add_argument("--export-worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup_django(url: str) -> None:
    """Production settings for the request path, as in the enterprise benchmark (bench/enterprise_list.py):
    DEBUG off, plain static storage."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.conf import settings
    from django.test.utils import override_settings

    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={**settings.STORAGES,
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    ).enable()


# ---------------------------------------------------------------------------------------------- data


def generate_hazards(target: int, log) -> int:
    """INSERT … SELECT generate_series joined to the enterprises: hazard n belongs to enterprise n mod N,
    with township and industry stamped from it. Values come from integer hashes of n, so two runs write
    the same rows. The spread:

    - found over the last two years; level major 2 %; source inspection 55 %, self-inspection 25 %, expert
      10 %, tip-off 7 %, alarm 3 %;
    - state by age: of hazards found more than 60 days ago 92 % closed, the rest spread over reported,
      rectifying and submitted; of recent ones 30 % closed, 20 % reported, 35 % rectifying, 15 % submitted;
    - a deadline 7–60 days after discovery once assigned (none while reported, none for 10 % of closed
      hazards: closed on the spot); funds 0–50,000 yuan; submitted before the deadline in 85 % of cases;
      closed (and re-inspected) 1–5 days after submission."""
    from django.db import connection, transaction

    from shouye.accounts.models import User
    from shouye.enterprises.models import Enterprise
    from shouye.hazards.models import Hazard

    foreign = Hazard.objects.exclude(location=MARKER).count()
    if foreign:
        raise RuntimeError(f"The database holds {foreign} hazards the generator did not write; point "
                           "BENCH_DATABASE_URL at a database of its own.")
    existing = Hazard.objects.count()
    if existing >= target:
        log(f"  {existing:,} hazards already there: reused")
        return 0
    enterprises = Enterprise.objects.count()
    staff_id = User.objects.get(username="bench_staff").pk
    log(f"  generating {target - existing:,} hazards (from #{existing + 1:,}) over {enterprises:,} enterprises …")
    started = time.perf_counter()
    table = Hazard._meta.db_table
    enterprise_table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS bench_ent AS SELECT (row_number() OVER (ORDER BY id)"
                       f" - 1)::int AS rn, id, township_id, industry_id FROM {enterprise_table}")
        cursor.execute("CREATE INDEX IF NOT EXISTS bench_ent_rn ON bench_ent (rn)")
        cursor.execute("ANALYZE bench_ent")
    for first in range(existing + 1, target + 1, INSERT_BATCH):
        last = min(first + INSERT_BATCH - 1, target)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_insert_sql(table), {"first": first, "last": last, "n": enterprises,
                                                "span": SPAN_DAYS, "staff": staff_id, "marker": MARKER})
        rate = (last - existing) / (time.perf_counter() - started)
        log(f"    {last:,}/{target:,} ({rate:,.0f} hazards/s)")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_ent")
        cursor.execute(f"VACUUM ANALYZE {table}")
    return target - existing


def _insert_sql(table: str) -> str:
    # r1…r6: independent pseudo-random integers in 0..9999 from the row number (multiplicative hashes).
    return f"""
WITH g AS (
  SELECT n,
         ((n * 2654435761 %% 10007) %% 10000)::int AS r1, ((n * 40503 + 17) %% 9973)::int AS r2,
         ((n * 69069 + 3) %% 9967)::int AS r3, ((n * 1103515245 + 12345) %% 10009)::int AS r4,
         ((n * 22695477 + 1) %% 9949)::int AS r5, ((n * 134775813 + 7) %% 9931)::int AS r6
  FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
), h AS (
  SELECT g.*, e.id AS enterprise_id, e.township_id, e.industry_id,
         now() - make_interval(secs => (g.r1 * 10000 + g.r2) / 100000000.0 * %(span)s * 86400) AS found_at
  FROM g JOIN bench_ent e ON e.rn = (g.n %% %(n)s)
), s AS (
  SELECT h.*,
         CASE WHEN h.found_at < now() - interval '60 days' THEN
                CASE WHEN h.r3 < 9200 THEN 'closed' WHEN h.r3 < 9500 THEN 'reported'
                     WHEN h.r3 < 9850 THEN 'rectifying' ELSE 'submitted' END
              ELSE CASE WHEN h.r3 < 3000 THEN 'closed' WHEN h.r3 < 5000 THEN 'reported'
                        WHEN h.r3 < 8500 THEN 'rectifying' ELSE 'submitted' END END AS state,
         (h.found_at::date + 7 + h.r4 %% 54) AS due
  FROM h
), t AS (
  SELECT s.*,
         CASE WHEN s.state = 'reported' OR (s.state = 'closed' AND s.r5 < 1000) THEN NULL ELSE s.due END AS deadline,
         CASE WHEN s.state IN ('submitted', 'closed') AND NOT (s.state = 'closed' AND s.r5 < 1000) THEN
                CASE WHEN s.r6 < 8500 THEN s.due::timestamptz - make_interval(days => 1 + s.r6 %% 6)
                     ELSE s.due::timestamptz + make_interval(days => 1 + s.r6 %% 20) END END AS submitted_at
  FROM s
)
INSERT INTO {table} (
  enterprise_id, township_id, industry_id, location, description, category, level, source, legal_basis,
  found_at, found_by_name, state, measures, responsible_person, deadline, funds, rectification_note,
  submitted_at, reinspected_at, reinspected_by_id, reinspection_result, closed_at, extension_count,
  overdue_since, created_at, updated_at)
SELECT
  enterprise_id, township_id, industry_id, %(marker)s,
  (ARRAY['消防通道堵塞', '灭火器过期未更换', '电气线路私拉乱接', '安全出口指示灯损坏', '危化品储存超量',
         '特种作业人员无证上岗', '安全培训记录缺失', '应急预案未演练'])[1 + r2 %% 8] || '（第' || n || '号）',
  (ARRAY['things', 'behaviour', 'management', 'environment'])[1 + r3 %% 4],
  CASE WHEN r4 < 200 THEN 'major' ELSE 'ordinary' END,
  CASE WHEN r5 < 5500 THEN 'inspection' WHEN r5 < 8000 THEN 'self_inspection'
       WHEN r5 < 9000 THEN 'expert_inspection' WHEN r5 < 9700 THEN 'tip_off' ELSE 'alarm' END,
  '《安全生产法》第四十一条', found_at, '基准测试检查员', state,
  CASE WHEN state = 'reported' THEN '' ELSE '立即整改，落实专人负责' END,
  CASE WHEN state = 'reported' THEN '' ELSE '责任人' || (r6 %% 500) END,
  deadline,
  CASE WHEN state = 'reported' THEN NULL ELSE round((r1 * 5)::numeric, 2) END,
  CASE WHEN submitted_at IS NULL THEN '' ELSE '已按要求整改完毕' END,
  submitted_at,
  CASE WHEN state = 'closed' THEN coalesce(submitted_at, found_at) + make_interval(days => 1 + r4 %% 5) END,
  CASE WHEN state = 'closed' THEN %(staff)s::bigint END,
  CASE WHEN state = 'closed' THEN '复查合格' ELSE '' END,
  CASE WHEN state = 'closed' THEN coalesce(submitted_at, found_at) + make_interval(days => 1 + r4 %% 5) END,
  0,
  CASE WHEN state IN ('reported', 'rectifying') AND deadline < current_date THEN deadline + 1 END,
  found_at, found_at
FROM t
ORDER BY found_at
"""


def hazard_counts() -> dict:
    from django.db.models import Count

    from shouye.hazards.models import Hazard

    return {
        "hazards": Hazard.objects.count(),
        "by_state": dict(Hazard.objects.order_by().values_list("state").annotate(Count("id"))),
        "by_level": dict(Hazard.objects.order_by().values_list("level").annotate(Count("id"))),
    }


# ---------------------------------------------------------------------------------------------- raw SQL


def _tables():
    from shouye.enterprises.models import Enterprise, Industry
    from shouye.hazards.models import Hazard
    from shouye.regions.models import Region

    return (Hazard._meta.db_table, Enterprise._meta.db_table, Region._meta.db_table, Industry._meta.db_table)


def _scope(region_ids: list[int] | None) -> tuple[list[str], list]:
    if region_ids is None:
        return [], []
    return [f"h.township_id IN ({', '.join(['%s'] * len(region_ids))})"], list(region_ids)


class RawLedger:
    """The ledger as one would write it by hand: the COUNT and the page SELECT of the columns a row shows,
    joined to enterprise, township and industry, newest found first; for the page also the counts by state
    and overdue that it shows above the table."""

    def __init__(self, filters: dict, page: int, region_ids: list[int] | None, today: date, page_size: int = 20):
        hazard, enterprise, region, industry = _tables()
        where, self.params = _scope(region_ids)
        if "township" in filters:
            where.append(f"h.township_id = (SELECT id FROM {region} WHERE code = %s)")
            self.params.append(filters["township"])
        if "state" in filters:
            where.append("h.state = %s")
            self.params.append(filters["state"])
        condition = f" WHERE {' AND '.join(where)}" if where else ""
        self.count_sql = f"SELECT COUNT(*) FROM {hazard} h{condition}"
        self.page_sql = (
            "SELECT h.id, h.enterprise_id, e.name, e.credit_code, t.code, t.name, i.code, i.name, h.location,"
            " h.description, h.category, h.level, h.source, h.state, h.found_at, h.measures,"
            " h.responsible_person, h.deadline, h.funds, h.extension_count, h.reinspected_at, h.closed_at,"
            " h.overdue_since"
            f" FROM {hazard} h JOIN {enterprise} e ON e.id = h.enterprise_id"
            f" JOIN {region} t ON t.id = h.township_id JOIN {industry} i ON i.id = h.industry_id"
            f"{condition} ORDER BY h.found_at DESC, h.id DESC LIMIT {page_size} OFFSET {(page - 1) * page_size}")
        self.counts_sql = (
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE h.state IN ('reported', 'rectifying') AND h.deadline < %s),"
            " COUNT(*) FILTER (WHERE h.state = 'reported'), COUNT(*) FILTER (WHERE h.state = 'rectifying'),"
            " COUNT(*) FILTER (WHERE h.state = 'submitted'), COUNT(*) FILTER (WHERE h.state = 'closed')"
            f" FROM {hazard} h{condition}")
        self.counts_params = [today, *self.params]

    def run(self, with_counts: bool = False):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(self.count_sql, self.params)
            total = cursor.fetchone()[0]
            cursor.execute(self.page_sql, self.params)
            rows = cursor.fetchall()
            if with_counts:
                cursor.execute(self.counts_sql, self.counts_params)
                cursor.fetchall()
        return total, rows

    def statements(self) -> list[tuple[str, str, list]]:
        return [("count", self.count_sql, self.params), ("page", self.page_sql, self.params),
                ("page_counts", self.counts_sql, self.counts_params)]


class RawStats:
    """hazard_stats by hand: the total and the three groupings, each one aggregate with FILTER clauses over
    the hazards found in the period or overdue now, in the actor's scope (definitions in
    shouye.hazards.selectors._measures)."""

    def __init__(self, region_ids: list[int] | None, date_from: date, date_to: date, today: date):
        from shouye.hazards.filters import day_start

        hazard, _enterprise, region, industry = _tables()
        scope, scope_params = _scope(region_ids)
        start, end = day_start(date_from), day_start(date_to + timedelta(days=1))
        found = "(h.found_at >= %s AND h.found_at < %s)"
        overdue = "(h.state IN ('reported', 'rectifying') AND h.deadline < %s)"
        on_time = (f"({found} AND h.state = 'closed' AND (h.deadline IS NULL OR"
                   " (COALESCE(h.submitted_at, h.closed_at) AT TIME ZONE 'Asia/Shanghai')::date <= h.deadline))")
        counts = (f"COUNT(*) FILTER (WHERE {found}), COUNT(*) FILTER (WHERE {found} AND h.state = 'closed'),"
                  f" COUNT(*) FILTER (WHERE {on_time}), COUNT(*) FILTER (WHERE {overdue})")
        count_params = [start, end, start, end, start, end, today]
        where = " AND ".join([f"({found} OR {overdue})", *scope])
        where_params = [start, end, today, *scope_params]
        self.queries = {
            "total": (f"SELECT {counts} FROM {hazard} h WHERE {where}", count_params + where_params),
            "by_township": (f"SELECT t.code, t.name, {counts} FROM {hazard} h JOIN {region} t ON t.id = h.township_id"
                            f" WHERE {where} GROUP BY t.code, t.name ORDER BY t.code", count_params + where_params),
            "by_industry": (f"SELECT i.code, i.name, {counts} FROM {hazard} h JOIN {industry} i"
                            f" ON i.id = h.industry_id WHERE {where} GROUP BY i.code, i.name ORDER BY i.code",
                            count_params + where_params),
            "by_level": (f"SELECT h.level, {counts} FROM {hazard} h WHERE {where} GROUP BY h.level ORDER BY h.level",
                         count_params + where_params),
        }

    def run(self) -> dict:
        from django.db import connection

        out = {}
        with connection.cursor() as cursor:
            for name, (sql, params) in self.queries.items():
                cursor.execute(sql, params)
                out[name] = cursor.fetchall()
        return out

    def statements(self) -> list[tuple[str, str, list]]:
        return [(name, sql, params) for name, (sql, params) in self.queries.items()]


def time_callable(call, iterations: int, warmup: int) -> dict:
    from bench.measure import summary

    for _ in range(warmup):
        call()
    samples, cpus = [], []
    for _ in range(iterations):
        cpu = time.thread_time()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    return summary(samples, cpu=cpus)


def explain(statements) -> dict:
    from django.db import connection

    plans = {}
    with connection.cursor() as cursor:
        for name, sql, params in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plans[name] = [row[0] for row in cursor.fetchall()]
    return plans


def explain_captured(statements: list[str]) -> dict:
    from django.db import connection

    plans = {}
    with connection.cursor() as cursor:
        for number, sql in enumerate(statements, 1):
            if sql.startswith("SELECT") and '"hazards_hazard"' in sql:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plans[f"{number}. {sql[:70]}…"] = [row[0] for row in cursor.fetchall()]
    return plans


# ---------------------------------------------------------------------------------------------- measuring


def check_ledger(client, raw: RawLedger) -> None:
    """The hand-written SQL answers exactly what the API answers: same total, same rows in the same order."""
    data = client.get(f"{API}?{LEDGER_QUERY}").json()
    total, rows = raw.run()
    if data["count"] != total or [r["id"] for r in data["results"]] != [row[0] for row in rows]:
        raise RuntimeError(f"raw SQL and API disagree on the ledger: {data['count']} vs {total} rows")


def check_stats(selector_result: dict, raw: RawStats) -> None:
    answer = raw.run()
    total = answer["total"][0]
    mine = tuple(selector_result[key] for key in ("found", "closed", "on_time", "overdue_now"))
    levels = {row[0]: row[1:] for row in answer["by_level"]}
    theirs = {row["level"]: (row["found"], row["closed"], row["on_time"], row["overdue_now"])
              for row in selector_result["by_level"]}
    if total != mine or levels != theirs:
        raise RuntimeError(f"raw SQL and hazard_stats disagree: {total} vs {mine}")


def measure(args) -> dict:
    from django.test import Client
    from django.utils import timezone

    from bench.measure import USERS, count_queries, scope_region_ids, time_request
    from shouye.accounts.models import User
    from shouye.hazards import selectors
    from shouye.hazards.models import Hazard

    today = timezone.localdate()
    date_from, date_to = today.replace(month=1, day=1), today
    cases, queries, raw_sql, plans, orm_plans = {}, {}, {}, {}, {}
    one_enterprise = Hazard.objects.filter(township__code=TOWNSHIP_CODE).order_by("id").values_list(
        "enterprise_id", flat=True).first()
    counted = {
        "filtered_page2": LEDGER_QUERY,
        "filtered_page1": f"township={TOWNSHIP_CODE}&state=rectifying",
        "one_enterprise": f"enterprise={one_enterprise}",
        "unfiltered": "",
    }
    for user_key, username in USERS.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        region_ids = scope_region_ids(username)
        raw = RawLedger({"township": TOWNSHIP_CODE, "state": "rectifying"}, 2, region_ids, today)
        check_ledger(client, raw)
        for endpoint, base in (("api", API), ("page", PAGE)):
            name = f"{endpoint}.{user_key}.ledger"
            url = f"{base}?{LEDGER_QUERY}"
            cases[name] = {"url": url, **time_request(client, url, args.iterations, args.warmup)}
            log(f"    {name:<30} p50 {cases[name]['p50_ms']:8.2f} ms  p95 {cases[name]['p95_ms']:8.2f} ms")
        for name, call in ((f"raw_sql.{user_key}.ledger", raw.run),
                           (f"raw_sql.{user_key}.ledger_page", lambda raw=raw: raw.run(with_counts=True))):
            cases[name] = time_callable(call, args.iterations, args.warmup)
            log(f"    {name:<30} p50 {cases[name]['p50_ms']:8.2f} ms  p95 {cases[name]['p95_ms']:8.2f} ms")
        raw_sql[f"{user_key}.ledger"] = [{"name": n, "sql": s, "params": p} for n, s, p in raw.statements()]
        plans[f"{user_key}.ledger"] = explain(raw.statements())

        raw_stats = RawStats(region_ids, date_from, date_to, today)
        check_stats(selectors.hazard_stats(user, date_from=date_from, date_to=date_to, today=today), raw_stats)
        name = f"api.{user_key}.stats"
        cases[name] = {"url": STATS, **time_request(client, STATS, args.stats_iterations, args.stats_warmup)}
        log(f"    {name:<30} p50 {cases[name]['p50_ms']:8.2f} ms  p95 {cases[name]['p95_ms']:8.2f} ms")
        for name, call in (
            (f"selector.{user_key}.stats",
             lambda user=user: selectors.hazard_stats(user, date_from=date_from, date_to=date_to, today=today)),
            (f"raw_sql.{user_key}.stats", raw_stats.run),
        ):
            cases[name] = time_callable(call, args.stats_iterations, args.stats_warmup)
            log(f"    {name:<30} p50 {cases[name]['p50_ms']:8.2f} ms  p95 {cases[name]['p95_ms']:8.2f} ms")
        raw_sql[f"{user_key}.stats"] = [{"name": n, "sql": s, "params": p} for n, s, p in raw_stats.statements()]
        plans[f"{user_key}.stats"] = explain(raw_stats.statements())

        for list_key, query in counted.items():
            for endpoint, base in (("api", API), ("page", PAGE)):
                url = f"{base}?{query}" if query else base
                queries[f"{endpoint}.{user_key}.{list_key}"] = {"url": url, **count_queries(client, url)}
        for stats_key, url in (("stats", STATS), ("stats_one_enterprise", f"{STATS}?enterprise={one_enterprise}")):
            queries[f"api.{user_key}.{stats_key}"] = {"url": url, **count_queries(client, url)}
        orm_plans[f"{user_key}.ledger"] = explain_captured(queries[f"api.{user_key}.filtered_page2"]["sql"])
        orm_plans[f"{user_key}.stats"] = explain_captured(queries[f"api.{user_key}.stats"]["sql"])
    return {"cases": cases, "queries": queries, "raw_sql": raw_sql, "raw_sql_plans": plans,
            "orm_plans": orm_plans, "period": {"date_from": date_from, "date_to": date_to}}


def measure_export_raw() -> dict:
    """The export's rows by hand: the same columns, joins, filter and order, fetched through a server-side
    cursor in chunks of 2,000 as the export reads them."""
    from django.db import connection, transaction

    from bench.measure import scope_region_ids

    hazard, enterprise, region, industry = _tables()
    where, params = _scope(scope_region_ids("bench_staff"))
    where.append(f"h.township_id = (SELECT id FROM {region} WHERE code = %s)")
    params.append(EXPORT_FILTERS["township"])
    sql = ("SELECT e.name, e.credit_code, t.name, i.name, h.description, h.level, h.source, h.found_at,"
           " h.measures, h.responsible_person, h.deadline, h.funds, h.state, h.reinspected_at, u.display_name,"
           f" u.username FROM {hazard} h JOIN {enterprise} e ON e.id = h.enterprise_id"
           f" JOIN {region} t ON t.id = h.township_id JOIN {industry} i ON i.id = h.industry_id"
           " LEFT JOIN accounts_user u ON u.id = h.reinspected_by_id"
           f" WHERE {' AND '.join(where)} ORDER BY h.found_at DESC, h.id DESC")
    rows = 0
    start = time.perf_counter()
    with transaction.atomic(), connection.connection.cursor(name="bench_export") as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            rows += len(chunk)
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": round(seconds, 3), "sql": sql, "params": params}


def export_worker() -> None:
    """In a child process of its own, so its peak RSS is the export's: one 100,000-row export as bench_staff
    (township filter), printing a JSON line with the time, the rows and the peak RSS before and after."""
    from django.utils import translation

    from shouye.accounts.models import User
    from shouye.hazards import exports, selectors

    actor = User.objects.get(username="bench_staff")
    queryset = exports.sort_ledger(selectors.ledger_rows(actor, EXPORT_FILTERS), "")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with translation.override("zh-hans"):
        start = time.perf_counter()
        cpu = time.process_time()
        output, name = exports.export_ledger(actor=actor, queryset=queryset, filters=EXPORT_FILTERS)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
    with output:
        size = output.seek(0, os.SEEK_END)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": queryset.count(), "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                      "file_bytes": size, "file_name": name, "rss_before_mb": round(before, 1),
                      "peak_rss_mb": round(peak, 1), "peak_growth_mb": round(peak - before, 1)}))


# ---------------------------------------------------------------------------------------------- targets


def evaluate(result: dict) -> list[dict]:
    from bench.measure import USERS

    cases, targets = result["cases"], []

    def target(name, case, value, limit, passed, **extra):
        targets.append({"target": name, "case": case, "value": value, "limit": limit, "pass": passed, **extra})

    for user in USERS:
        api, raw = cases[f"api.{user}.ledger"], cases[f"raw_sql.{user}.ledger"]
        ratio = round(api["p95_ms"] / raw["p95_ms"], 2)
        target(f"ledger API p95 ≤ {LEDGER_RATIO_MAX}× raw SQL p95", f"{user}.ledger", ratio, LEDGER_RATIO_MAX,
               ratio <= LEDGER_RATIO_MAX, api_p95_ms=api["p95_ms"], raw_sql_p95_ms=raw["p95_ms"])
        target(f"ledger API p95 < {LEDGER_P95_MAX_MS:g} ms", f"{user}.ledger", api["p95_ms"], LEDGER_P95_MAX_MS,
               api["p95_ms"] < LEDGER_P95_MAX_MS)
        page, raw_page = cases[f"page.{user}.ledger"], cases[f"raw_sql.{user}.ledger_page"]
        ratio = round(page["p95_ms"] / raw_page["p95_ms"], 2)
        target(f"ledger page p95 ≤ {LEDGER_RATIO_MAX}× raw SQL p95 (count, page, counts by state)",
               f"{user}.ledger", ratio, LEDGER_RATIO_MAX, ratio <= LEDGER_RATIO_MAX, page_p95_ms=page["p95_ms"],
               raw_sql_p95_ms=raw_page["p95_ms"])
        target(f"ledger page p95 < {LEDGER_P95_MAX_MS:g} ms", f"{user}.ledger", page["p95_ms"], LEDGER_P95_MAX_MS,
               page["p95_ms"] < LEDGER_P95_MAX_MS)
        for kind in ("api", "selector"):
            stats = cases[f"{kind}.{user}.stats"]
            target(f"statistics ({kind}) p95 < {STATS_P95_MAX_MS:g} ms", f"{user}.stats", stats["p95_ms"],
                   STATS_P95_MAX_MS, stats["p95_ms"] < STATS_P95_MAX_MS,
                   raw_sql_p95_ms=cases[f"raw_sql.{user}.stats"]["p95_ms"])
        for endpoint in ("api", "page"):
            counts = {key: result["queries"][f"{endpoint}.{user}.{key}"]["queries"]
                      for key in ("filtered_page2", "filtered_page1", "one_enterprise", "unfiltered")}
            target(f"{endpoint} ledger: queries per request the same for every list", f"{user}.{endpoint}",
                   counts, "equal", len(set(counts.values())) == 1)
        counts = {key: result["queries"][f"api.{user}.{key}"]["queries"] for key in ("stats", "stats_one_enterprise")}
        target("statistics: queries per request the same for the district and one enterprise", f"{user}.stats",
               counts, "equal", len(set(counts.values())) == 1)
    export = result["export"]
    target(f"export of ~100,000 rows < {EXPORT_SECONDS_MAX:g} s", "staff.export", export["seconds"],
           EXPORT_SECONDS_MAX, export["seconds"] < EXPORT_SECONDS_MAX, rows=export["rows"],
           raw_sql_seconds=result["export_raw_sql"]["seconds"])
    target(f"export peak memory < {EXPORT_PEAK_MB_MAX:g} MB (peak RSS of the process)", "staff.export",
           export["peak_rss_mb"], EXPORT_PEAK_MB_MAX, export["peak_rss_mb"] < EXPORT_PEAK_MB_MAX,
           growth_during_export_mb=export["peak_growth_mb"])
    return targets


# ---------------------------------------------------------------------------------------------- main


def _database_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return {"vendor": connection.vendor, "version": cursor.fetchone()[0]}


def main(argv=None) -> None:
    args = parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if args.export_worker:
        setup_django(url)
        export_worker()
        return
    if not is_postgres(url):
        log("Not PostgreSQL: the hazard ledger benchmark runs on PostgreSQL only (its data is generated in SQL).")
        return
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    if ensure_postgres_database(url):
        log(f"created database {display_url(url)}")
    setup_django(url)
    from bench import dataset

    log(f"[{args.hazards:,} hazards over {args.enterprises:,} enterprises] {display_url(url)}")
    prepared = dataset.prepare(args.enterprises, log)
    started = time.perf_counter()
    created = generate_hazards(args.hazards, log)
    prepared.update(hazards_created=created, hazards_seconds=round(time.perf_counter() - started, 1),
                    hazard_rows=hazard_counts())
    log(f"  measuring: {args.iterations} requests per ledger case, {args.stats_iterations} per statistics case, "
        f"after {args.warmup} to warm up")
    result = {"database": _database_info(), **prepared, **measure(args)}
    log("  exporting ~100,000 rows in a child process …")
    child = subprocess.run([sys.executable, __file__, "--export-worker"], cwd=ROOT, check=True,
                           capture_output=True, text=True, env={**os.environ, "BENCH_DATABASE_URL": url})
    result["export"] = json.loads(child.stdout.strip().splitlines()[-1])
    result["export_raw_sql"] = measure_export_raw()
    log(f"    export: {result['export']['rows']:,} rows in {result['export']['seconds']} s, peak RSS "
        f"{result['export']['peak_rss_mb']} MB; raw SQL {result['export_raw_sql']['seconds']} s")

    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"hazard_ledger-{stamp}.json"
    report = {
        "benchmark": "hazard_ledger",
        "timestamp": datetime.now().astimezone().isoformat(timespec="seconds"),
        "database_url": display_url(url),
        "iterations": args.iterations, "stats_iterations": args.stats_iterations, "warmup": args.warmup,
        "stats_warmup": args.stats_warmup,
        "environment": {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
                        "settings": {"DEBUG": False}, "load_average_at_start": load_at_start,
                        "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "targets": evaluate(result),
        **result,
        "file": str(path.relative_to(ROOT)),
    }
    report["all_targets_met"] = all(t["pass"] for t in report["targets"])
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    print_summary(report)


def print_summary(report: dict) -> None:
    rows = report["hazard_rows"]
    log(f"\nHazard ledger · {report['database']['vendor']} {report['database']['version']} · "
        f"{rows['hazards']:,} hazards, {report['rows']['enterprises']:,} enterprises")
    log(f"{'case':<32}{'p50 ms':>9}{'p95 ms':>9}{'SQL p50':>9}{'CPU p50':>9}")
    for name, case in report["cases"].items():
        log(f"{name:<32}{case['p50_ms']:>9.2f}{case['p95_ms']:>9.2f}{case.get('sql_p50_ms', '')!s:>9}"
            f"{case['cpu_p50_ms']:>9.2f}")
    log("\nSQL queries per request:")
    for name, counted in report["queries"].items():
        log(f"  {name:<36} {counted['queries']:>3}  {counted['url']}")
    log("\nTargets:")
    for target in report["targets"]:
        log(f"  {'PASS' if target['pass'] else 'FAIL'}  {target['target']:<70} {target['case']:<16} "
            f"{target['value']}")
    passed = sum(t["pass"] for t in report["targets"])
    log(f"\n{passed}/{len(report['targets'])} targets met. Results: {report['file']}")
    log("\nORM queries of GET /api/v1/hazards/?" + LEDGER_QUERY + " (township officer):")
    for number, sql in enumerate(report["queries"]["api.township.filtered_page2"]["sql"], 1):
        log(f"  {number:>2}. {sql}")
    log("\nRaw SQL, ledger (township officer):")
    for statement in report["raw_sql"]["township.ledger"]:
        log(f"  [{statement['name']}] {statement['sql']}  params {statement['params']}")
    log("\nRaw SQL, statistics (township officer):")
    for statement in report["raw_sql"]["township.stats"]:
        log(f"  [{statement['name']}] {statement['sql']}")
    log(f"\nRaw SQL, export: {report['export_raw_sql']['sql']}  params {report['export_raw_sql']['params']}")


if __name__ == "__main__":
    main()
