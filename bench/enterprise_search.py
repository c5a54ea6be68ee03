"""The new-inspection form's enterprise search at 100,000 enterprises (issue 10, "works with 100,000
enterprises").

Uses the enterprise-list benchmark's data (bench/dataset.py: the same generator, users and databases), then
times ``GET /inspections/new/enterprises/?q=…`` for a bureau staff user and a 马山镇 township officer with a
word many names share, one enterprise's full name, a credit-code prefix, an address fragment and a text
nothing matches; counts the SQL queries of each at 100 and at 100,000 enterprises; and times the form page
itself. Writes bench/results/enterprise_search-latest.json.

    .venv/bin/python bench/enterprise_search.py                       # PostgreSQL shouye_bench(_small)
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/mydb .venv/bin/python bench/enterprise_search.py
"""

from __future__ import annotations

import argparse
import json
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

from bench.dataset import DEFAULT_DATABASE_URL, database_urls, ensure_postgres_database, is_postgres  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def log(message: str) -> None:
    print(message, flush=True)


def worker(url: str, count: int, iterations: int, out: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={**settings.STORAGES,
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    ).enable()
    from bench import dataset, measure
    from shouye.enterprises.models import Enterprise

    prepared = dataset.prepare(count, log)
    clients = measure.clients()
    sample = Enterprise.objects.filter(township__code=dataset.TOWNSHIP_CODE).order_by("id")[count // 20]
    texts = {"common word": "有限公司", "one name": sample.name, "credit code prefix": sample.credit_code[:10],
             "address fragment": sample.address[-6:], "no match": "无此企业名称"}
    result = {"enterprises": Enterprise.objects.count(), "prepared": prepared, "search": {}, "form_page": {}}
    for user, client in clients.items():
        for label, text in texts.items():
            url = f"/inspections/new/enterprises/?q={text}"
            queries = measure.count_queries(client, url)   # warm, as the timed requests are
            assert queries["status"] == 200, (url, queries["status"])
            matches = len(client.get(url).json()["results"])
            timing = measure.time_request(client, url, iterations, warmup=5)
            result["search"][f"{user} / {label}"] = {
                "q": text, "matches": matches, "queries": queries["queries"],
                "p50_ms": timing["p50_ms"], "p95_ms": timing["p95_ms"]}
            log(f"  {user:9} {label:19} {result['search'][f'{user} / {label}']}")
        queries = measure.count_queries(client, "/inspections/new/")
        timing = measure.time_request(client, "/inspections/new/", max(iterations // 4, 10), warmup=2)
        result["form_page"][user] = {"queries": queries["queries"], "p50_ms": timing["p50_ms"],
                                     "p95_ms": timing["p95_ms"]}
        log(f"  {user:9} form page           {result['form_page'][user]}")
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--small-count", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.count, args.iterations, Path(args.out))
        return
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    report = {}
    for size, url in sorted(database_urls(base, args.count, args.small_count).items()):
        if is_postgres(url):
            ensure_postgres_database(url)
        log(f"[{size:,} enterprises]")
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        try:
            subprocess.run([sys.executable, __file__, "--worker", url, "--count", str(size), "--iterations",
                            str(args.iterations), "--out", str(out)], check=True, cwd=ROOT)
            report[size] = json.loads(out.read_text())
        finally:
            out.unlink(missing_ok=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "enterprise_search-latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
