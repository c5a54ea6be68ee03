"""Special-operation permits at province scale (issue 12, "Benchmarks"): 2,000 enterprises, 2,000,000 permits over
a year, 6,000 of them in progress now; then the bureau's live board as JSON (``/api/v1/permits/board/``) for the
district and for one township, its queries counted; an enterprise's permit list; and, beside them, the board page,
the statistics page of the current month, the map layer, the cockpit panels and the ledger panel; and the
enterprise's writes: a hot-work permit created and approved through the API.

    .venv/bin/python bench/permits.py        # PostgreSQL, database h_pboard_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/permits.py

The enterprises come from the enterprise benchmark's generator (bench/dataset.py); the permits are written with
COPY (a benchmark measures reads; the services are tested elsewhere), so a database that holds them already is
reused. The enterprise's permit list (about 1,000 permits) is measured as its own user sees it: the real page
(``permits:list``) and the API list (``/api/v1/permits/``), and, beside them, the scoped query both run (the newest
first, 20 a page, with the count).

The writes (``--permits`` hot-work permits, after ``--warmup`` untimed ones) go through the API as the enterprise's
user does on the phone, each act one request answered by the real services: create → identify the risks → a gas
test that passes (LEL 5 %, 0.1 % by volume, 20.9 % oxygen, sampled 5 minutes before) → confirm the measures →
brief → the signatures of the work leader, the unit and the safety department → the approving signature at the
level the rules require. The clock is moved (time-machine, ticking) to a working Tuesday morning in Shanghai, so
the rules keep the hot work at grade 2 (daytime, no holiday, no special period) and every check passes; wall time
and CPU time come from ``perf_counter`` and ``thread_time``, which it leaves alone. Each act and the whole sequence
are timed per permit; one more permit counts each act's queries; the permits written are deleted at the end.

Writes bench/results/permits-<time>.json with the timings, the query counts and the plans of the board's
statements."""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import display_url, ensure_postgres_database  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_pboard_bench"
#: Targets of issue 12.
BOARD_P95_MAX_MS = 200.0
LIST_P95_MAX_MS = 100.0
WRITE_P95_MAX_MS = 150.0
#: A working Tuesday, 09:00 in Shanghai (the permit tests' clock): daytime, no holiday, no special period.
WORKING_MORNING = datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
#: A 1×1 PNG as the signature's image.
SIGNATURE_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                 "60e6kgAAAABJRU5ErkJggg==")
SEED = 12
ENTERPRISE_USERNAME = "bench_permit_enterprise"
LIST_PAGE = 20
KINDS = ("hot_work", "confined_space", "line_blinding", "work_at_height", "lifting", "temporary_power",
         "excavation", "road_closure")
GRADES = {"hot_work": ("special", "1", "2", "2"), "work_at_height": ("I", "II", "III", "IV"), "lifting": ("1", "2", "3")}
CLOSED = ("archived", "archived", "archived", "archived", "completed", "cancelled", "expired", "revoked")
STORED_PROBLEMS = ("approver_below_level", "certificate_expired", "video_missing", "grade_too_low")
COLUMNS = ("enterprise_id", "township_id", "industry_id", "number", "kind", "source", "state", "grade",
           "situation_grade", "grade_raised_by", "grade_basis", "applicant_unit", "work_unit", "content", "location",
           "details", "risk_identification", "related_numbers", "applied_at", "planned_start", "planned_end",
           "required_approver_level", "briefed_by", "briefed_to", "approved_at", "started_at", "completed_at",
           "closed_at", "close_reason", "last_gas_test_at", "video_required", "video_url", "problems",
           "problem_count", "created_by_id", "created_at")


def log(message: str) -> None:
    print(message, flush=True)


def _stamp(moment) -> str:
    return moment.isoformat() if moment is not None else "\\N"


def _rows(enterprises, per_enterprise: int, live_per_enterprise: int, creator: int, now, rng):
    """The permits of each enterprise as COPY text lines: ``live_per_enterprise`` in progress now (a few with
    stale gas tests, ending soon or with stored problems), the rest spread over the past year and closed."""
    year = 365 * 24 * 3600
    for pk, township, industry in enterprises:
        for index in range(per_enterprise):
            kind = KINDS[rng.randrange(len(KINDS))]
            grades = GRADES.get(kind)
            grade = grades[rng.randrange(len(grades))] if grades else ""
            live = index < live_per_enterprise
            if live:
                applied = now - timedelta(hours=rng.uniform(2, 30))
                start = applied + timedelta(hours=1)
                end = now + timedelta(minutes=rng.randint(10, 60 * 60))
                state = "suspended" if rng.random() < 0.05 else "in_progress"
                started, completed, closed = start, None, None
                gas = now - timedelta(minutes=rng.randint(5, 200)) if kind in ("hot_work", "confined_space") else None
            else:
                applied = now - timedelta(seconds=rng.uniform(3 * 3600, year))
                start = applied + timedelta(hours=1)
                end = start + timedelta(hours=rng.choice((4, 8, 24, 72)))
                state = CLOSED[rng.randrange(len(CLOSED))]
                started = start if state != "cancelled" else None
                completed = end if state in ("archived", "completed") else None
                closed = end if state != "completed" else None
                gas = start - timedelta(minutes=10) if kind in ("hot_work", "confined_space") else None
            approved = applied + timedelta(minutes=rng.randint(20, 240)) if state != "cancelled" else None
            problems = [STORED_PROBLEMS[rng.randrange(len(STORED_PROBLEMS))]] if rng.random() < 0.03 else []
            special = kind == "hot_work" and grade == "special"
            video = "https://video.example/v" if special and rng.random() < 0.9 else ""
            yield "\t".join((
                str(pk), str(township), str(industry), f"P{pk}-{index:05d}", kind, "shouye", state, grade, grade,
                "[]", "", "生产车间", "检修班", "检修作业", "1#装置区", "{}", "", "[]", _stamp(applied), _stamp(start),
                _stamp(end), "", "", "[]", _stamp(approved), _stamp(started), _stamp(completed), _stamp(closed), "",
                _stamp(gas), "t" if special else "f", video, json.dumps(problems), str(len(problems)), str(creator),
                _stamp(applied),
            )) + "\n"


def generate(count: int, per_enterprise: int, live: int) -> int:
    """``per_enterprise`` permits for each of the first ``count`` enterprises, ``live`` of them in progress."""
    from django.db import connection, transaction
    from django.utils import timezone

    from shouye.accounts.models import User
    from shouye.enterprises.models import Enterprise
    from shouye.permits.models import SpecialOperationPermit

    if SpecialOperationPermit.objects.exists():
        log(f"  {SpecialOperationPermit.objects.count():,} permits already there: reused")
        return 0
    rng = random.Random(SEED)
    creator = User.objects.get(username="bench_staff").pk
    now = timezone.now()
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "township_id", "industry_id")[:count])
    table = SpecialOperationPermit._meta.db_table
    started = time.perf_counter()
    done = 0
    for first in range(0, len(enterprises), 100):
        chunk = enterprises[first:first + 100]
        buffer = io.StringIO("".join(_rows(chunk, per_enterprise, live, creator, now, rng)))
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                while data := buffer.read(1 << 20):
                    copy.write(data)
        done += len(chunk) * per_enterprise
        log(f"    {done:,} permits ({done / (time.perf_counter() - started):,.0f}/s)")
    return done


def _enterprise_user():
    from shouye.accounts.choices import Role
    from shouye.accounts.models import Membership, User
    from shouye.enterprises.models import Enterprise

    enterprise = Enterprise.objects.order_by("pk").first()
    user, _ = User.objects.get_or_create(username=ENTERPRISE_USERNAME)
    Membership.objects.get_or_create(user=user, role=Role.ENTERPRISE_USER, enterprise=enterprise)
    return user, enterprise


def _time_call(call, iterations: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.measure import summary

    for _ in range(warmup):
        call()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        call()
    return {**summary(samples), "queries": len(captured.captured_queries)}


def enterprise_list(user, enterprise):
    """The enterprise's permit list as its page and the API list read it: the count and the newest 20."""
    from shouye.permits.models import SpecialOperationPermit

    permits = SpecialOperationPermit.objects.visible_to(user).filter(enterprise=enterprise)
    return permits.count(), list(permits.order_by("-applied_at", "-id").select_related("township")[:LIST_PAGE])


def _post(client, url: str, data: dict, samples: dict, act: str, counts: dict | None) -> dict:
    """POST ``data`` as JSON; record the wall, SQL and CPU time under ``act`` (or, with ``counts``, the number of
    queries instead); answer the JSON body. A refusal stops the benchmark with the answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.measure import timed_request

    answered = {}

    def send():
        answered["response"] = client.post(url, data, format="json")
        return answered["response"]

    if counts is None:
        wall, sql, cpu, status = timed_request(send)
        samples.setdefault(act, []).append((wall, sql, cpu))
    else:
        with CaptureQueriesContext(connection) as captured:
            status = send().status_code
        counts[act] = len(captured.captured_queries)
    if status not in (200, 201):
        raise RuntimeError(f"POST {url} answered {status}: {answered['response'].content.decode()[:1000]}")
    return answered["response"].json()


def issue_hot_work(client, enterprise, samples: dict, counts: dict | None = None) -> int:
    """One hot-work permit from its creation to its approval, one API request per act; answers its id."""
    from django.utils import timezone

    from shouye.permits import chains, standard
    from shouye.permits.choices import PermitKind

    now = timezone.now()
    people = [{"role": "work_leader", "name": "负责人乙"}, {"role": "watchperson", "name": "监护人丙"},
              {"role": "operator", "name": "动火人甲", "certificate_number": "T123456",
               "certificate_issued_on": (now - timedelta(days=365)).date().isoformat()}]
    permit = _post(client, "/api/v1/permits/", {
        "enterprise": enterprise.pk, "kind": PermitKind.HOT_WORK, "applicant_unit": "一车间", "work_unit": "检修班",
        "content": "更换管线法兰", "location": "罐区东侧管线", "planned_start": now.isoformat(),
        "planned_end": (now + timedelta(hours=2)).isoformat(), "details": {"method": "电焊"}, "people": people},
        samples, "create", counts)
    url = f"/api/v1/permits/{permit['id']}/"
    _post(client, f"{url}identify/", {"risk_identification": "可燃气体泄漏、灼烫"}, samples, "identify", counts)
    _post(client, f"{url}gas-tests/", {
        "sampled_at": (timezone.now() - timedelta(minutes=5)).isoformat(), "sample_point": "法兰处",
        "representative_gas": "甲烷", "lel_percent": "5", "result_percent": "0.1", "oxygen_percent": "20.9",
        "analyst": "分析员丁"}, samples, "gas_test", counts)
    measures = [{"number": number, "involved": True, "confirmed_by": "确认人戊"}
                for number in range(1, len(standard.MEASURES[PermitKind.HOT_WORK]) + 1)]
    _post(client, f"{url}confirm-measures/", {"measures": measures, "other_measures": "现场配备两具灭火器",
                                              "other_author": "编制人己"}, samples, "confirm_measures", counts)
    _post(client, f"{url}brief/", {"briefed_by": "负责人乙", "briefed_to": ["动火人甲", "监护人丙"]},
          samples, "brief", counts)
    for step in chains.chain(PermitKind.HOT_WORK):
        signature = {"step": step.key, "name": "签字人", "image": SIGNATURE_PNG}
        if step.approves:
            _post(client, f"{url}signatures/", {**signature, "level": permit["required_approver_level"],
                                                "latitude": "36.5", "longitude": "116.8", "accuracy_m": 12},
                  samples, "approve", counts)
            return permit["id"]
        _post(client, f"{url}signatures/", signature, samples, f"sign_{step.key}", counts)
    raise RuntimeError("The hot-work chain has no approving step.")


def hot_work_writes(owner, enterprise, permits: int, warmup: int) -> dict:
    """``permits`` hot-work permits issued and approved (after ``warmup`` untimed ones), on a working morning:
    each act's timings, the whole sequence's (the sum of its acts, per permit) and each act's query count."""
    import time_machine
    from rest_framework.test import APIClient

    from bench.measure import summary
    from shouye.permits.models import SpecialOperationPermit

    issued = []
    with time_machine.travel(WORKING_MORNING, tick=True):
        client = APIClient()
        client.force_login(owner)
        ignored: dict = {}
        for _ in range(warmup):
            issued.append(issue_hot_work(client, enterprise, ignored))
        samples: dict = {}
        for _ in range(permits):
            issued.append(issue_hot_work(client, enterprise, samples))
        counts: dict = {}
        issued.append(issue_hot_work(client, enterprise, {}, counts))
        state = SpecialOperationPermit.objects.get(pk=issued[-1]).state
    SpecialOperationPermit.objects.filter(pk__in=issued).delete()
    per_permit = list(zip(*samples.values(), strict=True))
    whole = [tuple(sum(values) for values in zip(*acts, strict=True)) for acts in per_permit]
    cases = {act: {**summary(*(list(column) for column in zip(*rows, strict=True))), "queries": counts[act]}
             for act, rows in samples.items()}
    cases["create_to_approval"] = {**summary(*(list(column) for column in zip(*whole, strict=True))),
                                   "queries": sum(counts.values()), "requests": len(counts)}
    return {"cases": cases, "final_state": state, "clock": WORKING_MORNING.isoformat(), "via": "API"}


def explain_board(user) -> dict:
    """The plans of the board's statements for ``user`` (EXPLAIN ANALYZE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shouye.permits.board import board_data

    with CaptureQueriesContext(connection) as captured:
        board_data(user)
    plans = {}
    with connection.cursor() as cursor:
        for number, query in enumerate(captured.captured_queries, 1):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            plans[f"{number}. {query['sql'][:80]}…"] = [row[0] for row in cursor.fetchall()]
    return plans


def measure(iterations: int, warmup: int, permits: int) -> dict:
    from django.test import Client

    from bench.measure import count_queries, time_request
    from shouye.accounts.models import User
    from shouye.core.registry import MapFilters, cockpit_panels, map_layers
    from shouye.permits.panels import enterprise_summary

    staff, township = User.objects.get(username="bench_staff"), User.objects.get(username="bench_mashan")
    owner, enterprise = _enterprise_user()
    cases = {}
    for who, user in (("staff", staff), ("township", township)):
        client = Client()
        client.force_login(user)
        for name, url in (("board_api", "/api/v1/permits/board/"), ("board_page", "/permits/board/"),
                          ("statistics_page", "/permits/statistics/")):
            key = f"{name}.{who}"
            measured = count_queries(client, url)
            cases[key] = {"url": url, **time_request(client, url, iterations, warmup),
                          "queries": measured["queries"], "status": measured["status"]}
            log(f"  {key}: p95 {cases[key]['p95_ms']} ms, {cases[key]['queries']} queries")
        for name, call in (
                ("map_layer", lambda user=user: map_layers.layers["permits"].points(user, MapFilters(), 5000)),
                ("cockpit_in_progress", lambda user=user: cockpit_panels.panels["permits-in-progress"].data(user)),
                ("cockpit_problems", lambda user=user: cockpit_panels.panels["permits-problems"].data(user))):
            key = f"{name}.{who}"
            cases[key] = _time_call(call, iterations, warmup)
            log(f"  {key}: p95 {cases[key]['p95_ms']} ms, {cases[key]['queries']} queries")
    client = Client()
    client.force_login(owner)
    for name, url in (("enterprise_list_page", "/permits/"), ("enterprise_list_api", "/api/v1/permits/")):
        measured = count_queries(client, url)
        cases[name] = {"url": url, **time_request(client, url, iterations, warmup), "queries": measured["queries"],
                       "status": measured["status"], "sql": measured["sql"]}
        log(f"  {name}: p95 {cases[name]['p95_ms']} ms, {cases[name]['queries']} queries")
    cases["enterprise_list"] = _time_call(lambda: enterprise_list(owner, enterprise), iterations, warmup)
    log(f"  enterprise_list (the query): p95 {cases['enterprise_list']['p95_ms']} ms")
    cases["ledger_panel"] = _time_call(lambda: enterprise_summary(staff, enterprise), iterations, warmup)
    log(f"  ledger_panel: p95 {cases['ledger_panel']['p95_ms']} ms")
    writes = hot_work_writes(owner, enterprise, permits, warmup)
    for name, case in writes["cases"].items():
        log(f"  hot_work.{name}: p95 {case['p95_ms']} ms (CPU p95 {case['cpu_p95_ms']} ms), {case['queries']} queries")
    return {"cases": cases, "hot_work": writes,
            "board_plans": {"staff": explain_board(staff), "township": explain_board(township)}}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--per-enterprise", type=int, default=1_000, help="permits per enterprise over the year")
    parser.add_argument("--live", type=int, default=3, help="permits in progress now per enterprise")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--permits", type=int, default=30, help="hot-work permits issued and approved, timed")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    load_at_start = load_average()
    ensure_postgres_database(url)
    from bench.hazard_ledger import setup_django

    setup_django(url)
    from bench import dataset
    from shouye.permits.choices import LIVE_STATES
    from shouye.permits.models import SpecialOperationPermit

    log(f"Preparing {display_url(url)} …")
    prepared = dataset.prepare(args.enterprises, log)
    started = time.perf_counter()
    made = generate(args.enterprises, args.per_enterprise, args.live)
    if made:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        prepared["permits_seconds"] = round(time.perf_counter() - started, 1)
    permits = SpecialOperationPermit.objects.count()
    live = SpecialOperationPermit.objects.filter(state__in=LIVE_STATES).count()
    log(f"  {permits:,} permits, {live:,} under way")
    measured = measure(args.iterations, args.warmup, args.permits)
    cases, writes = measured["cases"], measured["hot_work"]["cases"]
    targets = [
        {"name": "board JSON p95, district (ms)", "value": cases["board_api.staff"]["p95_ms"],
         "max": BOARD_P95_MAX_MS, "pass": cases["board_api.staff"]["p95_ms"] <= BOARD_P95_MAX_MS},
        {"name": "board JSON p95, one township (ms)", "value": cases["board_api.township"]["p95_ms"],
         "max": BOARD_P95_MAX_MS, "pass": cases["board_api.township"]["p95_ms"] <= BOARD_P95_MAX_MS},
        *({"name": f"an enterprise's permit list p95, {label} (ms)", "value": cases[key]["p95_ms"],
           "max": LIST_P95_MAX_MS, "pass": cases[key]["p95_ms"] <= LIST_P95_MAX_MS}
          for key, label in (("enterprise_list_page", "page"), ("enterprise_list_api", "API"),
                             ("enterprise_list", "its query alone"))),
        *({"name": f"hot-work permit p95, {label} (ms)", "value": writes[key]["p95_ms"], "max": WRITE_P95_MAX_MS,
           "pass": writes[key]["p95_ms"] <= WRITE_P95_MAX_MS}
          for key, label in (("create_to_approval", "created and approved, every act"), ("create", "create alone"),
                             ("approve", "approve alone"))),
    ]
    log(f"  load average now {load_average()} (at start {load_at_start})")
    report = write_report("permits", load_at_start=load_at_start, targets=targets, body={
        "settings": vars(args) | {"database": display_url(url)}, "prepared": prepared, "permits": permits,
        "under_way": live, **measured})
    for target in targets:
        log(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['value']}")
    log(f"Report: {', '.join(report['files'])}")


if __name__ == "__main__":
    main()
