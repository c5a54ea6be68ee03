"""Timings of the enterprise list: through the API and the page with Django's test client in-process, and
the same query as hand-written SQL. Runs after Django is set up, against the default database."""

from __future__ import annotations

import cProfile
import io
import math
import pstats
import statistics
import time
from urllib.parse import parse_qs

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .dataset import STAFF_USERNAME, TOWNSHIP_CODE, TOWNSHIP_USERNAME

API = "/api/v1/enterprises/"
PAGE = "/enterprises/"
#: The floor: what any signed-in API request costs here (session, user, memberships, DRF, one small
#: serializer) — the part of the list's time that no query plan can remove.
FLOOR = "/api/v1/me/"
USERS = {"staff": STAFF_USERNAME, "township": TOWNSHIP_USERNAME}

#: The two lists timed: the issue's filtered, paginated list, and the unfiltered first page.
TIMED = {
    "filtered_page2": f"township={TOWNSHIP_CODE}&industry=hazardous_chemicals&page=2",
    "first_page": "",
}
HEADLINE = "filtered_page2"
#: Lists whose SQL queries are counted at both sizes (the timed two, and their neighbours, because the
#: filtered second page does not exist among 100 enterprises); ``counted_lists`` adds every filter at once.
COUNTED = {
    **TIMED,
    "filtered_page1": f"township={TOWNSHIP_CODE}&industry=hazardous_chemicals",
    "page2": "page=2",
}
PAGE_SIZE = 20
#: Statements Django logs (and CaptureQueriesContext counts) that carry no data: the session's save runs
#: in a transaction of its own.
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(samples: list[float], sql: list[float] | None = None, cpu: list[float] | None = None) -> dict:
    result = {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 50), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "min_ms": round(min(samples), 3),
        "max_ms": round(max(samples), 3),
    }
    if sql is not None:
        result["sql_p50_ms"] = round(percentile(sql, 50), 3)
        result["python_p50_ms"] = round(percentile([t - s for t, s in zip(samples, sql, strict=True)], 50), 3)
    if cpu is not None:
        result["cpu_p50_ms"] = round(percentile(cpu, 50), 3)
        result["cpu_p95_ms"] = round(percentile(cpu, 95), 3)
    return result


def clients() -> dict[str, Client]:
    from shouye.accounts.models import User

    signed_in = {}
    for key, username in USERS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        signed_in[key] = client
    return signed_in


def _url(base: str, query: str) -> str:
    return f"{base}?{query}" if query else base


def _timed_get(client: Client, url: str) -> tuple[float, float, float, int]:
    return timed_request(lambda: client.get(url))


def timed_request(send) -> tuple[float, float, float, int]:
    """Wall time of one request (``send()`` makes it and answers the response), the part of it spent
    executing SQL, and the CPU time of this thread (which, unlike wall time, hardly grows when other
    processes compete for the CPU), in ms; and the response's status."""
    spent = [0.0]

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - start

    with connection.execute_wrapper(timer):
        cpu = time.thread_time()
        start = time.perf_counter()
        response = send()
        elapsed = time.perf_counter() - start
        cpu = time.thread_time() - cpu
    return elapsed * 1000, spent[0] * 1000, cpu * 1000, response.status_code


def time_request(client: Client, url: str, iterations: int, warmup: int) -> dict:
    for _ in range(warmup):
        status = client.get(url).status_code
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}")
    totals, sqls, cpus = [], [], []
    for _ in range(iterations):
        total, sql, cpu, _status = _timed_get(client, url)
        totals.append(total)
        sqls.append(sql)
        cpus.append(cpu)
    return summary(totals, sqls, cpus)


def count_queries(client: Client, url: str) -> dict:
    client.get(url)  # the same warm state as the timed requests
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sql = [q["sql"] for q in captured.captured_queries]
    control = sum(1 for statement in sql if statement.split(" ", 1)[0] in TRANSACTION_CONTROL)
    return {"status": response.status_code, "queries": len(sql), "transaction_control": control, "sql": sql}


class RawList:
    """The list as one would write it by hand: the COUNT and the page SELECT (with each row's tag codes
    aggregated in a subquery), from the same inputs the request gets — codes, not ids — and, for a
    township officer, the same scope condition."""

    def __init__(self, query: str, scope_region_ids: list[int] | None):
        from shouye.enterprises.models import Enterprise, Industry, SupervisionGrade, Tag
        from shouye.regions.models import Region

        params = {key: values[0] for key, values in parse_qs(query).items()}
        page = int(params.get("page", 1))
        table = Enterprise._meta.db_table
        where, self.params = [], []
        if scope_region_ids is not None:
            where.append(f"e.township_id IN ({', '.join(['%s'] * len(scope_region_ids))})")
            self.params += scope_region_ids
        if "township" in params:
            where.append(f"e.township_id = (SELECT id FROM {Region._meta.db_table} WHERE code = %s)")
            self.params.append(params["township"])
        if "industry" in params:
            where.append(f"e.industry_id = (SELECT id FROM {Industry._meta.db_table} WHERE code = %s)")
            self.params.append(params["industry"])
        condition = f" WHERE {' AND '.join(where)}" if where else ""
        aggregate = ("string_agg(tg.code, ',' ORDER BY tg.id)" if connection.vendor == "postgresql"
                     else "group_concat(tg.code, ',')")
        through = Enterprise.tags.through._meta.db_table
        self.count_sql = f"SELECT COUNT(*) FROM {table} e{condition}"
        self.page_sql = (
            "SELECT e.id, e.name, e.credit_code, t.code, t.name, i.code, i.name, g.code, e.status, e.scale,"
            " e.employees, e.longitude, e.latitude,"
            f" (SELECT {aggregate} FROM {through} et JOIN {Tag._meta.db_table} tg ON tg.id = et.tag_id"
            " WHERE et.enterprise_id = e.id) AS tags"
            f" FROM {table} e"
            f" JOIN {Region._meta.db_table} t ON t.id = e.township_id"
            f" JOIN {Industry._meta.db_table} i ON i.id = e.industry_id"
            f" JOIN {SupervisionGrade._meta.db_table} g ON g.id = e.supervision_grade_id"
            f"{condition} ORDER BY e.id DESC LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}"
        )

    def run(self) -> tuple[int, list[tuple]]:
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql, self.params)
            total = cursor.fetchone()[0]
            cursor.execute(self.page_sql, self.params)
            rows = cursor.fetchall()
        return total, rows

    def time(self, iterations: int, warmup: int) -> dict:
        for _ in range(warmup):
            self.run()
        samples, cpus = [], []
        for _ in range(iterations):
            cpu = time.thread_time()
            start = time.perf_counter()
            self.run()
            samples.append((time.perf_counter() - start) * 1000)
            cpus.append((time.thread_time() - cpu) * 1000)
        return summary(samples, cpu=cpus)

    def explain(self) -> dict:
        """The plans of both statements (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite)."""
        prefix = "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
        plans = {}
        with connection.cursor() as cursor:
            for name, sql in (("count", self.count_sql), ("page", self.page_sql)):
                cursor.execute(f"{prefix} {sql}", self.params)
                plans[name] = [" ".join(str(part) for part in row) for row in cursor.fetchall()]
        return plans


def scope_region_ids(username: str) -> list[int] | None:
    from shouye.accounts.models import User
    from shouye.regions.scoping import scope_for

    scope = scope_for(User.objects.get(username=username))
    return None if scope.everything else sorted(scope.region_ids)


def check_equivalent(client: Client, query: str, raw: RawList) -> None:
    """The hand-written SQL answers exactly what the API answers: same total, same rows, same tags."""
    data = client.get(_url(API, query)).json()
    total, rows = raw.run()
    api_rows = [(r["id"], sorted(r["tags"])) for r in data["results"]]
    raw_rows = [(row[0], sorted(row[-1].split(",")) if row[-1] else []) for row in rows]
    if data["count"] != total or api_rows != raw_rows:
        raise RuntimeError(f"raw SQL and API disagree for ?{query}: {data['count']} vs {total} rows")


def measure(iterations: int, warmup: int, log) -> dict:
    signed_in = clients()
    cases, queries, raw_sql, plans = {}, {}, {}, {}
    for user_key, client in signed_in.items():
        region_ids = scope_region_ids(USERS[user_key])
        for list_key, query in TIMED.items():
            status = client.get(_url(API, query)).status_code
            if status != 200:
                for kind in ("api", "page", "raw_sql"):
                    cases[f"{kind}.{user_key}.{list_key}"] = {"skipped": f"GET ?{query} answers {status}"}
                log(f"    {user_key}.{list_key}: not timed, the list answers {status} at this size")
                continue
            raw = RawList(query, region_ids)
            check_equivalent(client, query, raw)
            for endpoint, base in (("api", API), ("page", PAGE)):
                name = f"{endpoint}.{user_key}.{list_key}"
                cases[name] = {"url": _url(base, query), **time_request(client, _url(base, query),
                                                                        iterations, warmup)}
                log(f"    {name:<32} p50 {cases[name]['p50_ms']:7.2f} ms  p95 {cases[name]['p95_ms']:7.2f} ms")
            name = f"raw_sql.{user_key}.{list_key}"
            cases[name] = raw.time(iterations, warmup)
            log(f"    {name:<32} p50 {cases[name]['p50_ms']:7.2f} ms  p95 {cases[name]['p95_ms']:7.2f} ms")
            raw_sql[f"{user_key}.{list_key}"] = {"count": raw.count_sql, "page": raw.page_sql,
                                                 "params": raw.params}
            plans[f"{user_key}.{list_key}"] = raw.explain()
        name = f"api.{user_key}.floor"
        cases[name] = {"url": FLOOR, **time_request(client, FLOOR, iterations, warmup)}
        log(f"    {name:<32} p50 {cases[name]['p50_ms']:7.2f} ms  p95 {cases[name]['p95_ms']:7.2f} ms")
        for list_key, query in counted_lists().items():
            for endpoint, base in (("api", API), ("page", PAGE)):
                queries[f"{endpoint}.{user_key}.{list_key}"] = {
                    "url": _url(base, query), **count_queries(client, _url(base, query))}
    orm_plans = {key: explain_orm(queries[f"api.{key}"]["sql"]) for key in plans}
    return {"cases": cases, "queries": queries, "raw_sql": raw_sql, "raw_sql_plans": plans,
            "orm_plans": orm_plans}


def counted_lists() -> dict[str, str]:
    """COUNTED, plus every filter at once (township, industry, grade and tag), taken from the first
    enterprise of 马山镇 with a tag. The generator is seeded, so that enterprise is the same among 100 and
    among 100,000, and the list is not empty at either size."""
    from shouye.enterprises.models import Enterprise

    first = (Enterprise.objects.filter(township__code=TOWNSHIP_CODE, tags__isnull=False)
             .select_related("industry", "supervision_grade").order_by("credit_code").first())
    if first is None:
        return dict(COUNTED)
    tag = first.tags.order_by("id").first()
    return {**COUNTED, "all_filters": f"township={TOWNSHIP_CODE}&industry={first.industry.code}"
                                      f"&grade={first.supervision_grade.code}&tag={tag.code}"}


def explain_orm(statements: list[str]) -> dict[str, list[str]]:
    """Plans of the ORM's statements on the enterprise table, as captured (parameters inlined)."""
    prefix = "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    table = '"enterprises_enterprise'
    plans = {}
    with connection.cursor() as cursor:
        for number, sql in enumerate(statements, 1):
            if sql.startswith("SELECT") and table in sql:
                cursor.execute(f"{prefix} {sql}")
                plans[f"{number}. {sql[:60]}…"] = [" ".join(str(part) for part in row) for row in cursor.fetchall()]
    return plans


def profile(iterations: int, top: int = 30) -> dict[str, str]:
    """cProfile of the filtered list through the API and the page, by cumulative time."""
    signed_in = clients()
    reports = {}
    for user_key, client in signed_in.items():
        for endpoint, base in (("api", API), ("page", PAGE)):
            url = _url(base, TIMED["filtered_page2"])
            client.get(url)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(iterations):
                client.get(url)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
            reports[f"{endpoint}.{user_key}.filtered_page2"] = out.getvalue()
    return reports
