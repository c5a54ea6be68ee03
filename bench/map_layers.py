"""The one map's JSON (一张图, issue 10) at the bench sizes: the page, the township outlines and each layer's
GeoJSON, timed and with their SQL queries counted, for the bureau (the whole district) and a township officer,
at 100 and at 100,000 enterprises (with hazards). The queries of each request must be the same at both sizes.

    .venv/bin/python bench/map_layers.py                        # PostgreSQL, databases shouye_map_bench(_small)
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/shouye_mp_bench .venv/bin/python bench/map_layers.py

The data comes from the enterprise benchmark's generator (bench/dataset.py) and the hazard ledger's
(bench/hazard_ledger.py, PostgreSQL only); a database that holds them already is reused. Each size runs in a
child process of its own, because Django reads DATABASE_URL once. Writes bench/results/map_layers-<time>.json."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import database_urls, display_url, ensure_postgres_database, is_postgres  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shouye_map_bench"
#: The issue's target: each endpoint constant in queries whatever the data size; and a layer answered fast
#: enough for the page's first meaningful paint within a second (ARCHITECTURE.md §9).
LAYER_P50_MAX_MS = 1000.0

URLS = {
    "page": "/map/",
    "townships": "/map/townships/",
    "enterprises": "/map/layers/enterprises/",
    "enterprises_mashan": "/map/layers/enterprises/?township=370113107",
    "hazards": "/map/layers/hazards/",
    "inspections": "/map/layers/inspections/",
}


def log(message: str) -> None:
    print(message, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="enterprises in the large database")
    parser.add_argument("--hazards", type=int, default=200_000, help="hazards in the large database")
    parser.add_argument("--small-count", type=int, default=100, help="enterprises in the small database")
    parser.add_argument("--iterations", type=int, default=10, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests before each case")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker-count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-hazards", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def worker(args) -> None:
    """Prepare one database, then time every URL for both users and count its queries."""
    from bench.hazard_ledger import generate_hazards, setup_django

    setup_django(args.database_url)
    from bench import dataset
    from bench.measure import clients, count_queries, time_request

    prepared = dataset.prepare(args.worker_count, log)
    if is_postgres(args.database_url):
        generate_hazards(args.worker_hazards, log)
    from shouye.hazards.models import Hazard

    result = {"prepared": prepared, "hazards": Hazard.objects.count(), "cases": {}}
    for user, client in clients().items():
        for name, url in URLS.items():
            counted = count_queries(client, url)
            response = client.get(url)
            body = response.content
            case = {"url": url, "status": counted["status"], "queries": counted["queries"], "bytes": len(body)}
            if response["Content-Type"].startswith("application/json"):
                data = json.loads(body)
                case["features"] = len(data.get("features", []))
                case["truncated"] = data.get("truncated", False)
            case["timing"] = time_request(client, url, args.iterations, args.warmup)
            result["cases"][f"{user} {name}"] = case
            log(f"  {user:8} {name:20} {case['timing']['p50_ms']:9.1f} ms p50  {case['queries']} queries  "
                f"{case.get('features', '-')} features  {len(body):,} bytes")
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))


def run_size(url: str, count: int, hazards: int, args) -> dict:
    if is_postgres(url):
        ensure_postgres_database(url)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    log(f"{count:,} enterprises at {display_url(url)}")
    subprocess.run([sys.executable, __file__, "--worker", "--database-url", url, "--worker-count", str(count),
                    "--worker-hazards", str(hazards), "--iterations", str(args.iterations),
                    "--warmup", str(args.warmup), "--out", path], check=True)
    data = json.loads(Path(path).read_text())
    os.unlink(path)
    return data


def evaluate(big: dict, small: dict, count: int, small_count: int) -> list[dict]:
    targets = []
    for case, measured in big["cases"].items():
        targets.append({"name": f"{case}: queries the same at {small_count:,} and {count:,} enterprises",
                        "value": [small["cases"][case]["queries"], measured["queries"]],
                        "pass": small["cases"][case]["queries"] == measured["queries"]})
        targets.append({"name": f"{case}: p50 at {count:,} enterprises ≤ {LAYER_P50_MAX_MS:.0f} ms",
                        "value": measured["timing"]["p50_ms"],
                        "pass": measured["timing"]["p50_ms"] <= LAYER_P50_MAX_MS})
    return targets


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return
    load_at_start = load_average()
    base = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    urls = database_urls(base, args.count, args.small_count)
    small = run_size(urls[args.small_count], args.small_count, args.small_count * 2, args)
    big = run_size(urls[args.count], args.count, args.hazards, args)
    targets = evaluate(big, small, args.count, args.small_count)
    report = write_report("map_layers", load_at_start=load_at_start, targets=targets, body={
        "settings": {"count": args.count, "hazards": args.hazards, "small_count": args.small_count,
                     "iterations": args.iterations, "database": display_url(urls[args.count])},
        "small": small, "large": big})
    for target in targets:
        log(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['value']}")
    log(f"Report: {', '.join(report['files'])}")


if __name__ == "__main__":
    main()
