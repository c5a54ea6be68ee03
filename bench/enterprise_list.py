"""`make bench`: the enterprise list at 100,000 enterprises (issue 2, "Tests and benchmark").

Generates the enterprises (once; later runs reuse them), then times the filtered, paginated list through the
API and through the page, and the same query as hand-written SQL, for a bureau staff user and a township
officer; counts the SQL queries per request at 100 and at 100,000 enterprises; checks the targets and writes
bench/results/enterprise_list-<timestamp>.json and bench/results/latest.json. See bench/README.md.

Each database size runs in a child process of its own, because Django reads DATABASE_URL once at start."""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    database_urls,
    display_url,
    ensure_postgres_database,
    is_postgres,
)
from bench.report import load_average, write_report  # noqa: E402

#: The issue's targets on PostgreSQL (issue 2, "Targets for that benchmark").
API_RATIO_MAX = 1.5
API_P95_MAX_MS = 50.0
PAGE_P95_MAX_MS = 150.0
QUERIES_MAX = 10


def log(message: str) -> None:
    print(message, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="enterprises in the large database")
    parser.add_argument("--small-count", type=int, default=100, help="enterprises in the small database")
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests before each case")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also print a cProfile of N requests of the filtered list (large database)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------------- worker


def worker(args) -> None:
    """Set Django up on one database, prepare the data, measure, and write the JSON to ``--out``.

    Production settings for the request path: DEBUG off (no query log, no template debug information);
    static file URLs from the plain storage, since the manifest storage needs collectstatic and costs one
    dictionary lookup per URL."""
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DEBUG"] = "false"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s of pages absent at 100
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={**settings.STORAGES,
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    ).enable()

    from bench import dataset, measure

    log(f"[{args.count:,} enterprises] {display_url(args.database_url)}")
    prepared = dataset.prepare(args.count, log)
    log(f"  measuring: {args.iterations} requests per case after {args.warmup} to warm up")
    result = {
        "database": _database_info(connection),
        **prepared,
        **measure.measure(args.iterations, args.warmup, log),
    }
    if args.profile:
        result["profile"] = measure.profile(args.profile)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))


def _database_info(connection) -> dict:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version}


# ---------------------------------------------------------------------------------------------- parent


def run_size(url: str, count: int, args) -> dict:
    if is_postgres(url) and ensure_postgres_database(url):
        log(f"created database {display_url(url)}")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, __file__, "--worker", "--database-url", url, "--count", str(count),
               "--iterations", str(args.iterations), "--warmup", str(args.warmup), "--out", str(out),
               "--profile", str(args.profile if count == args.count else 0)]
    try:
        subprocess.run(command, check=True, cwd=ROOT)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def evaluate(big: dict, small: dict, big_count: int, small_count: int) -> list[dict]:
    """Pass or fail for each target (issue 2), per user and list. ``headline`` marks the list the issue
    names (filtered and paginated); the unfiltered first page is held to the same targets for context."""
    from bench.measure import HEADLINE, TIMED, USERS

    def target(name, case, value, limit, passed, list_key, **extra):
        return {"target": name, "case": case, "value": value, "limit": limit, "pass": passed,
                "headline": list_key == HEADLINE, **extra}

    targets = []
    cases = big["cases"]
    for user in USERS:
        for list_key in TIMED:
            api, page, raw = (cases[f"{kind}.{user}.{list_key}"] for kind in ("api", "page", "raw_sql"))
            if "skipped" in api:
                continue
            case = f"{user}.{list_key}"
            ratio = round(api["p95_ms"] / raw["p95_ms"], 2)
            targets += [
                target(f"API p95 ≤ {API_RATIO_MAX}× raw SQL p95", case, ratio, API_RATIO_MAX,
                       ratio <= API_RATIO_MAX, list_key, api_p95_ms=api["p95_ms"], raw_sql_p95_ms=raw["p95_ms"]),
                target(f"API p95 < {API_P95_MAX_MS:g} ms", case, api["p95_ms"], API_P95_MAX_MS,
                       api["p95_ms"] < API_P95_MAX_MS, list_key),
                target(f"page p95 < {PAGE_P95_MAX_MS:g} ms", case, page["p95_ms"], PAGE_P95_MAX_MS,
                       page["p95_ms"] < PAGE_P95_MAX_MS, list_key),
            ]
    for endpoint in ("api", "page"):
        for user in USERS:
            for list_key in dict.fromkeys(key.split(".", 2)[2] for key in big["queries"]):
                key = f"{endpoint}.{user}.{list_key}"
                at_big, at_small = big["queries"][key], small["queries"].get(key)
                name = f"queries per request equal at {small_count:,} and {big_count:,}, ≤ {QUERIES_MAX}"
                if at_small is None or at_small["url"] != at_big["url"]:
                    targets.append(target(name, key, {big_count: at_big["queries"]}, QUERIES_MAX,
                                          at_big["queries"] <= QUERIES_MAX, list_key,
                                          note=f"not the same list at {small_count:,}: only the limit is checked"))
                    continue
                value = {big_count: at_big["queries"], small_count: at_small["queries"]}
                if at_big["status"] == at_small["status"] == 200:
                    passed = at_big["queries"] == at_small["queries"] and at_big["queries"] <= QUERIES_MAX
                    targets.append(target(name, key, value, QUERIES_MAX, passed, list_key))
                else:
                    targets.append(target(
                        name, key, value, QUERIES_MAX, at_big["queries"] <= QUERIES_MAX, list_key,
                        note=f"answers {at_small['status']} at {small_count:,} enterprises (no such page): "
                             f"only the limit is checked"))
    return targets


def print_summary(report: dict) -> None:
    big = report["sizes"][str(report["count"])]
    log("")
    log(f"Enterprise list · {report['database']['vendor']} {report['database']['version']} · "
        f"{big['rows']['enterprises']:,} enterprises, {big['rows']['people']:,} people, "
        f"{big['rows']['licences']:,} licences, {big['rows']['tag_links']:,} tag links")
    log(f"{'case':<34}{'p50 ms':>9}{'p95 ms':>9}{'SQL p50':>9}{'CPU p50':>9}{'queries':>9}")
    for name, case in big["cases"].items():
        if "skipped" in case:
            log(f"{name:<34}  {case['skipped']}")
            continue
        queries = big["queries"].get(name, {}).get("queries", "")
        sql = case.get("sql_p50_ms", "")
        log(f"{name:<34}{case['p50_ms']:>9.2f}{case['p95_ms']:>9.2f}{sql!s:>9}{case['cpu_p50_ms']:>9.2f}"
            f"{queries!s:>9}")
    for headline in (True, False):
        log("\nTargets, " + ("the issue's filtered, paginated list:" if headline else
                             "the same targets for the other lists:"))
        for target in (t for t in report["targets"] if t["headline"] == headline):
            mark = "PASS" if target["pass"] else "FAIL"
            note = f"  ({target['note']})" if "note" in target else ""
            log(f"  {mark}  {target['target']:<52} {target['case']:<30} {target['value']}{note}")
    passed = sum(t["pass"] for t in report["targets"])
    log(f"\n{passed}/{len(report['targets'])} targets met. Results: {report['files'][0]}")


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return
    load_at_start = load_average()
    base_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not is_postgres(base_url):
        log("Not PostgreSQL: running on SQLite under bench/data/ (the targets are set for PostgreSQL).")
    urls = database_urls(base_url, args.count, args.small_count)
    sizes = {count: run_size(urls[count], count, args) for count in (args.small_count, args.count)}
    big, small = sizes[args.count], sizes[args.small_count]
    report = write_report("enterprise_list", load_at_start=load_at_start, also=("latest.json",),
                          targets=evaluate(big, small, args.count, args.small_count), body={
        "database": big["database"],
        "database_urls": {str(count): display_url(url) for count, url in urls.items()},
        "count": args.count, "small_count": args.small_count, "iterations": args.iterations, "warmup": args.warmup,
        "sizes": {str(count): result for count, result in sizes.items()}})
    print_summary(report)
    for name, text in big.get("profile", {}).items():
        log(f"\n--- profile {name} ---\n{text}")
    _print_sql(big)


def _print_sql(big: dict) -> None:
    """The ORM's queries for the filtered list and the hand-written equivalent, side by side."""
    orm = big["queries"]["api.township.filtered_page2"]["sql"]
    raw = big["raw_sql"]["township.filtered_page2"]
    log("\nORM queries of GET /api/v1/enterprises/?township=370113107&industry=hazardous_chemicals&page=2 "
        "(township officer):")
    for number, sql in enumerate(orm, 1):
        log(f"  {number:>2}. {sql}")
    log(f"\nRaw SQL (params {raw['params']}):\n  {raw['count']}\n  {raw['page']}")


if __name__ == "__main__":
    main()
