"""`make bench`, part four: a mixed load against the production set-up (issue 9, "Measure and report").

The server is set up as the README's production example sets it up — gunicorn (4 workers), PostgreSQL,
the Redis cache, DEBUG off, collected static files — by ``scripts/prodsite.py``, the production smoke test's
set-up, in a database of its own with the demo district (300 enterprises). Then 20 clients, each signed in
as a different user through the sign-in form, send requests for ``--duration`` seconds (300 by default),
one after another without pause, each picking its next request at random from what its role does:

- enterprise users (10, each of its own enterprise): home, their ledger page, the hazard ledger, hazards
  through the API; report a hazard of their self-inspection (API), submit a rectification with an
  after-photo (multipart API), read their notifications and mark them read;
- township officers (8, each of its own township): home, the enterprise list of their township and its
  second page, an enterprise's ledger page, the hazard ledger, enterprises and hazards through the API,
  the statistics; order rectification of a reported hazard and re-inspect a submitted one (API);
  notifications;
- bureau staff and a leader: home, lists with a township filter, ledger pages, the API lists and
  statistics; staff also report hazards.

The writes feed each other (reported → rectifying → submitted → closed), starting from 5 reported hazards
per enterprise of the enterprise users. Each client acts only on its own enterprise's or township's
hazards, so no act races another: any answer other than 2xx/3xx is an error.

Reports requests per second, p50/p95/p99 (ms) overall and per kind of request, the errors (with samples),
and the resident memory of gunicorn's master and workers before the load and at its end; writes
bench/results/mixed_load-<timestamp>.json. Exits 1 when any request failed. See bench/README.md.

    .venv/bin/python bench/mixed_load.py                         # 300 s, database shouye_bench_mixed
    .venv/bin/python bench/mixed_load.py --duration 60 --database h_mixed
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import percentile  # noqa: E402
from scripts.prodsite import Client, Site, SiteFailure  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
DEMO_PASSWORD = "Shouye@2026"
#: Reported hazards written per enterprise user's enterprise before the load, so that writes start at once.
SEEDED_HAZARDS = 5
#: The users: the demo's staff, leader, two township officers and enterprise user, and more of the same
#: roles made by --prepare (one officer per township, one user per enterprise).
ENTERPRISE_USERS = 10
TOWNSHIP_OFFICERS = 8


# ------------------------------------------------------------------------------------------------ users
def prepare() -> None:
    """In a child process with the site's environment: the users of the load, and the seeded hazards.
    Prints them as JSON: [{"username", "role", "township", "enterprise"}]."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    from shouye.accounts.choices import Role
    from shouye.accounts.models import Membership, User
    from shouye.enterprises.models import Enterprise
    from shouye.hazards import services as hazards
    from shouye.hazards.choices import HazardSource
    from shouye.regions.models import Region

    users = [{"username": "staff", "role": "staff"}, {"username": "leader", "role": "leader"}]
    townships = list(Region.objects.filter(parent__code="370113").order_by("code"))
    officers = {"370113107": "mashan", "370113008": "xiaoli"}
    for township in townships:
        if township.code not in officers and len(officers) < TOWNSHIP_OFFICERS:
            officers[township.code] = f"bench_officer_{township.code}"
    enterprise_users = {Membership.objects.get(user__username="qiye").enterprise_id: "qiye"}
    for enterprise in Enterprise.objects.order_by("pk"):
        if len(enterprise_users) == ENTERPRISE_USERS:
            break
        enterprise_users.setdefault(enterprise.pk, f"bench_qiye_{enterprise.pk}")
    with transaction.atomic():
        for code, username in officers.items():
            user = _user(User, username)
            if not user.memberships.exists():
                Membership.objects.create(user=user, role=Role.TOWNSHIP_OFFICER, region=Region.objects.get(code=code))
            users.append({"username": username, "role": "township_officer", "township": code})
        for enterprise_id, username in enterprise_users.items():
            user = _user(User, username)
            if not user.memberships.exists():
                Membership.objects.create(user=user, role=Role.ENTERPRISE_USER, enterprise_id=enterprise_id)
            enterprise = Enterprise.objects.get(pk=enterprise_id)
            for number in range(SEEDED_HAZARDS):
                hazards.report_hazard(actor=user, enterprise=enterprise, source=HazardSource.SELF_INSPECTION,
                                      description=f"基准测试预置隐患 {number + 1}：灭火器压力不足")
            users.append({"username": username, "role": "enterprise_user", "enterprise": enterprise_id,
                          "township": enterprise.township.code})
    print(json.dumps(users))


def _user(User, username: str):
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": username})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


# ----------------------------------------------------------------------------------------------- the load
@dataclass
class Sample:
    kind: str
    status: int
    ms: float


@dataclass
class Recorder:
    """Every request's kind, status and time; the failed ones with what they answered."""

    samples: list[Sample] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, path: str, response) -> None:
        ok = 200 <= response.status < 400
        with self.lock:
            self.samples.append(Sample(kind, response.status, response.seconds * 1000))
            if not ok:
                self.failures.append({"kind": kind, "path": path, "status": response.status,
                                      "body": response.text[:300]})


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 200)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class Actor:
    """One client: a user, its signed-in browser, and the requests its role makes."""

    def __init__(self, user: dict, port: int, recorder: Recorder, rng: random.Random, enterprise_ids: list[int],
                 photo: bytes):
        self.user, self.recorder, self.rng, self.photo = user, recorder, rng, photo
        self.enterprise_ids = enterprise_ids
        self.client = Client(port)
        self.client.sign_in(user["username"], DEMO_PASSWORD)
        role = user["role"]
        self.actions = {
            "enterprise_user": [(3, self.home), (3, self.own_ledger_page), (3, self.hazard_ledger),
                                (3, self.api_hazards), (2, self.notifications), (2, self.report_hazard),
                                (2, self.submit_rectification)],
            "township_officer": [(2, self.home), (3, self.enterprise_list), (1, self.enterprise_list_page2),
                                 (3, self.enterprise_page), (3, self.hazard_ledger), (2, self.api_enterprises),
                                 (2, self.api_hazards), (1, self.api_stats), (2, self.assign), (2, self.verify),
                                 (1, self.notifications)],
            "staff": [(3, self.home), (3, self.enterprise_list), (3, self.enterprise_page), (3, self.hazard_ledger),
                      (2, self.api_enterprises), (2, self.api_stats), (1, self.report_hazard)],
            "leader": [(3, self.home), (3, self.enterprise_list), (3, self.enterprise_page), (3, self.hazard_ledger),
                       (2, self.api_enterprises), (2, self.api_stats)],
        }[role]

    def run_until(self, deadline: float) -> None:
        weights = [weight for weight, _ in self.actions]
        actions = [action for _, action in self.actions]
        while time.monotonic() < deadline:
            self.rng.choices(actions, weights)[0]()

    # --- requests
    def _get(self, kind: str, path: str):
        response = self.client.get(path)
        self.recorder.add(kind, path, response)
        return response

    def _post(self, kind: str, path: str, send):
        response = send()
        self.recorder.add(kind, path, response)
        return response

    def _township(self) -> str:
        return self.user.get("township") or self.rng.choice(
            ["370113001", "370113002", "370113003", "370113004", "370113005",
             "370113006", "370113007", "370113008", "370113107", "370113108"])

    def home(self):
        self._get("page:home", "/")

    def own_ledger_page(self):
        self._get("page:enterprise", f"/enterprises/{self.user['enterprise']}/")

    def enterprise_list(self):
        self._get("page:enterprise_list", f"/enterprises/?township={self._township()}")

    def enterprise_list_page2(self):
        self._get("page:enterprise_list", f"/enterprises/?township={self._township()}&page=2")

    def enterprise_page(self):
        response = self._get("api:enterprises", f"/api/v1/enterprises/?township={self._township()}")
        if response.status == 200 and response.json()["results"]:
            enterprise = self.rng.choice(response.json()["results"])["id"]
            self._get("page:enterprise", f"/enterprises/{enterprise}/")

    def hazard_ledger(self):
        self._get("page:hazard_ledger", self.rng.choice(["/hazards/", "/hazards/?state=rectifying",
                                                         "/hazards/?state=reported"]))

    def api_enterprises(self):
        self._get("api:enterprises", f"/api/v1/enterprises/?township={self._township()}&page_size=20")

    def api_hazards(self, state: str = ""):
        query = f"?state={state}" if state else ""
        if self.user.get("enterprise"):
            query += ("&" if query else "?") + f"enterprise={self.user['enterprise']}"
        elif self.user.get("township"):
            query += ("&" if query else "?") + f"township={self.user['township']}"
        return self._get("api:hazards", f"/api/v1/hazards/{query}")

    def api_stats(self):
        self._get("api:hazard_stats", "/api/v1/hazards/stats/")

    def notifications(self):
        self._get("page:notifications", "/notifications/")
        self._post("write:notifications_read", "/notifications/read/",
                   lambda: self.client.post_form("/notifications/read/",
                                                 {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}))

    def report_hazard(self):
        enterprise = self.user.get("enterprise") or self.rng.choice(self.enterprise_ids)
        source = "self_inspection" if self.user["role"] == "enterprise_user" else "inspection"
        self._post("write:report_hazard", "/api/v1/hazards/", lambda: self.client.post_json("/api/v1/hazards/", {
            "enterprise": enterprise, "description": "基准测试：配电箱前堆放杂物", "source": source}))

    def _first(self, state: str) -> int | None:
        response = self.api_hazards(state)
        if response.status == 200 and response.json()["results"]:
            return response.json()["results"][0]["id"]
        return None

    def assign(self):
        hazard = self._first("reported")
        if hazard is not None:
            path = f"/api/v1/hazards/{hazard}/assign/"
            self._post("write:assign", path, lambda: self.client.post_json(path, {
                "deadline": (date.today() + timedelta(days=15)).isoformat(), "responsible_person": "王五",
                "measures": "清理杂物，设置警示标识"}))

    def submit_rectification(self):
        hazard = self._first("rectifying")
        if hazard is not None:
            path = f"/api/v1/hazards/{hazard}/submit/"
            self._post("write:submit", path, lambda: self.client.post_multipart(
                path, {"note": "已清理并设置警示标识"}, {"photos": ("after.jpg", "image/jpeg", self.photo)}))

    def verify(self):
        hazard = self._first("submitted")
        if hazard is not None:
            path = f"/api/v1/hazards/{hazard}/verify/"
            self._post("write:verify", path, lambda: self.client.post_json(path, {"note": "复查合格"}))


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": round(percentile(values, 50), 1), "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1), "mean_ms": round(sum(values) / len(values), 1),
            "max_ms": round(max(values), 1)}


def load(site: Site, users: list[dict], *, duration: float, seed: int) -> dict:
    recorder = Recorder()
    staff = site.client()
    staff.sign_in("staff", DEMO_PASSWORD)
    enterprise_ids = [row["id"] for row in staff.get("/api/v1/enterprises/?page_size=100").json()["results"]]
    photo = jpeg()
    print(f"Signing in {len(users)} users …")
    actors = [Actor(user, site.port, recorder, random.Random(seed + number), enterprise_ids, photo)
              for number, user in enumerate(users)]
    rss_start = site.rss_kib()
    print(f"Load: {len(actors)} clients for {duration:.0f} s …")
    started = time.monotonic()
    deadline = started + duration
    threads = [threading.Thread(target=actor.run_until, args=(deadline,), daemon=True) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    rss_end = site.rss_kib()
    by_kind = defaultdict(list)
    for sample in recorder.samples:
        by_kind[sample.kind].append(sample)
    kinds = {}
    for kind, samples in sorted(by_kind.items()):
        kinds[kind] = {**summary([s.ms for s in samples]),
                       "errors": sum(1 for s in samples if not 200 <= s.status < 400)}
    return {
        "elapsed_s": round(elapsed, 1),
        "requests": len(recorder.samples),
        "requests_per_s": round(len(recorder.samples) / elapsed, 1),
        "overall": summary([s.ms for s in recorder.samples]),
        "errors": len(recorder.failures),
        "error_samples": recorder.failures[:20],
        "by_kind": kinds,
        "reads": sum(len(v) for k, v in by_kind.items() if not k.startswith("write:")),
        "writes": sum(len(v) for k, v in by_kind.items() if k.startswith("write:")),
        "rss_kib": {"start": rss_start, "end": rss_end, "growth_total": rss_end["total"] - rss_start["total"]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300, help="seconds of load (default 300)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (the README's 4)")
    parser.add_argument("--database", default="shouye_bench_mixed", help="PostgreSQL database (created, dropped)")
    parser.add_argument("--redis-db", type=int, default=12, help="first of the two Redis databases it flushes")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare()
        return 0

    print(f"Mixed load: the README's production set-up on {ROOT}")
    with Site(args.database, redis_db=args.redis_db, workers=args.workers, demo_count=300) as site:
        prepared = subprocess.run([sys.executable, __file__, "--prepare"], cwd=ROOT, env=site.env,
                                  capture_output=True, text=True)
        if prepared.returncode != 0:
            raise SiteFailure(f"preparing the users failed:\n{prepared.stderr[-3000:]}")
        users = json.loads(prepared.stdout.strip().splitlines()[-1])
        result = load(site, users, duration=args.duration, seed=args.seed)
        setup = dict(site.timings)
        server_log_errors = len(re.findall(r"^(?:Internal Server Error|Traceback)", site.server_log(10_000), re.M))

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    report = {
        "benchmark": "mixed_load",
        "started": stamp,
        "duration_s": args.duration,
        "clients": len(users),
        "users": users,
        "server": {"gunicorn_workers": args.workers, "database": "PostgreSQL", "cache": "Redis",
                   "debug": False, "demo_enterprises": 300},
        **result,
        "server_log_errors": server_log_errors,
        "setup_s": setup,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_end": [round(x, 2) for x in os.getloadavg()]},
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"mixed_load-{stamp}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_report(report, path)
    return 0 if report["errors"] == 0 else 1


def print_report(report: dict, path: Path) -> None:
    overall = report["overall"]
    print(f"\n{report['requests']} requests in {report['elapsed_s']} s: {report['requests_per_s']} per second "
          f"({report['reads']} reads, {report['writes']} writes), {report['clients']} clients")
    print(f"overall p50 {overall['p50_ms']} ms, p95 {overall['p95_ms']} ms, p99 {overall['p99_ms']} ms; "
          f"errors {report['errors']}")
    print(f"\n{'kind':<26}{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}")
    for kind, row in report["by_kind"].items():
        print(f"{kind:<26}{row['n']:>7}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}{row['errors']:>8}")
    rss = report["rss_kib"]
    print(f"\ngunicorn RSS (master + {len(rss['end']['workers'])} workers): {rss['start']['total'] / 1024:.0f} MiB "
          f"before the load, {rss['end']['total'] / 1024:.0f} MiB at its end ({rss['growth_total'] / 1024:+.0f} MiB)")
    for sample in report["error_samples"][:5]:
        print(f"error: {sample['kind']} {sample['path']} → {sample['status']}: {sample['body'][:120]!r}")
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
