"""The video intake under load (issue 13: at least 1,000 alarms/s with p99 ≤ 100 ms under gunicorn, exact
duplicate collapse).

Set-up, in a PostgreSQL database of its own (``BENCH_DATABASE_URL``, default ``b_video``): the migrations, the
demo district's regions, ``--enterprises`` gas stations and one signing vendor (generic JSON) whose cameras
are spread over them — as many cameras as it takes for every event to be a scene of its own (camera ×
scenario), so every distinct event must become one alarm. Then gunicorn (by default uvicorn's worker serving
``config.asgi``, one per core, as the README deploys the intake; ``--server wsgi``: gthread workers × 8 threads
serving ``config.wsgi``; DEBUG off, persistent database connections) serves the
application, ``--processors`` inbox processors (``shouye intake``) make the accepted events alarms as they
arrive, and a load generator in another process sends the events:

- every event is signed beforehand (HMAC-SHA256 over timestamp and body, as a vendor does) and posted
  **twice** — the replay ``--replay-lag`` seconds after the original — so the server sees ``--rate`` posts a
  second, half of them replays;
- posts are paced open-loop at ``--rate`` over ``--connections`` keep-alive connections (an asyncio protocol,
  raw HTTP/1.1); latency is from the time a post was due to its answer (a post that waited for a free connection
  counts its wait; the target is judged on this), and also from its send.

Then, once the inbox is empty (every accepted event processed), counted in the database: alarms = distinct
events, video events = distinct events, every alarm audited once, and no answer other than 202 (the first of
an event's posts) / 200 (the other, a duplicate). Writes bench/results/video_intake-<time>.json with the
achieved rate, p50/p95/p99 latency of the posts, the drain latency (an event's receipt to its alarm's commit)
p50/p99 and the time the inbox took to empty after the last post, the answers, the counts, and the CPU of the
server, the processors and PostgreSQL. See bench/README.md.

    .venv/bin/python bench/video_intake.py                      # 1,000 posts/s for 60 s
    .venv/bin/python bench/video_intake.py --rate 2000 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import multiprocessing
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import display_url, ensure_postgres_database  # noqa: E402
from bench.measure import percentile  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/b_video"
VENDOR_CODE = "bench-video"
SECRET = "bench-video-secret-0123456789"
TYPES = ("smoking", "phone", "fire", "smoke")
TARGET_RATE = 1000
TARGET_P99_MS = 100.0
GUNICORN_CONF = Path(__file__).with_name("video_intake_gunicorn.py")
#: The pause between opening one keep-alive connection and the next.
CONNECT_EVERY_S = 0.005


def log(message: str) -> None:
    print(message, flush=True)


def prepare(url: str, cameras: int, enterprises: int) -> dict:
    """The database as the run needs it, fresh alarms each time (the alarms of a previous run would be
    repeats of the same scenes)."""
    from bench.hazard_ledger import setup_django

    setup_django(url)
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from shouye.core.identifiers import credit_code
    from shouye.enterprises import demo, reference_data
    from shouye.enterprises.models import Enterprise, Industry
    from shouye.monitoring.models import AlarmVendor, Camera, Scenario, VendorTypeMapping
    from shouye.regions.models import Region
    from tests.factories import EnterpriseFactory

    call_command("migrate", verbosity=0, interactive=False)
    reference_data.load(apps)
    demo.load_regions()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_videoinbox, monitoring_videoevent, monitoring_alarmphoto, monitoring_alarm, "
                       "audit_auditevent RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM audit_audithead")
    stations = list(Enterprise.objects.filter(name__startswith="基准测试·视频加油站").order_by("pk"))
    township, industry = Region.objects.get(code="370113107"), Industry.objects.get(code="hazardous_chemicals")
    for number in range(len(stations), enterprises):
        # The credit code from the station's number: the factory's own counter restarts with each run, and a
        # rerun with more stations would reuse the codes of the first run's.
        stations.append(EnterpriseFactory(name=f"基准测试·视频加油站{number + 1:03d}", township=township,
                                          industry=industry, credit_code=credit_code(900_000 + number)))
    vendor, _ = AlarmVendor.objects.update_or_create(code=VENDOR_CODE, defaults={
        "name": "基准测试视频平台", "key_id": "bench-video-key", "secret": SECRET, "replay_window_seconds": 600,
        "severity_map": {"5": "red", "4": "orange", "3": "yellow", "2": "blue", "1": "blue"}, "is_active": True})
    for code, scenario in zip(TYPES, ("smoking", "phone_use", "open_flame", "smoke"), strict=True):
        VendorTypeMapping.objects.update_or_create(vendor=vendor, vendor_code=code,
                                                   defaults={"scenario": Scenario.objects.get(code=scenario)})
    have = Camera.objects.filter(vendor=vendor).count()
    rows = []
    for number in range(have, cameras):
        station = stations[number % len(stations)]
        rows.append(Camera(vendor=vendor, vendor_device_id=f"cam-{number:06d}", name=f"摄像头{number:06d}",
                           enterprise=station, township_id=station.township_id, industry_id=station.industry_id))
    Camera.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        # Not the tables just emptied: analysed empty, they would be planned as empty for the whole run by the
        # processor's long-lived connection (its foreign-key checks on the alarms cost 0.82 ms each by the end of
        # a 60-s run, 0.13 ms alone), where a district's tables are never empty.
        cursor.execute("ANALYZE monitoring_camera, monitoring_alarmvendor, monitoring_vendortypemapping, "
                       "monitoring_scenario, enterprises_enterprise")
    return {"cameras": Camera.objects.filter(vendor=vendor).count(), "enterprises": len(stations)}


def signed_requests(events: int, cameras: int, host: str) -> list[bytes]:
    """Every event's HTTP request, signed now: event n is type n mod 4 on camera n // 4, so no two events are
    the same scene."""
    from shouye.monitoring.intake.auth import signature

    if events > cameras * len(TYPES):
        raise SystemExit(f"{events} events need at least {events // len(TYPES) + 1} cameras (--cameras)")
    now = datetime.now(UTC)
    timestamp = str(int(time.time()))
    requests = []
    for number in range(events):
        body = json.dumps({"event_id": f"bench-{number:08d}", "device_id": f"cam-{number // len(TYPES):06d}",
                           "type": TYPES[number % len(TYPES)], "severity": str(1 + number % 5),
                           "occurred_at": now.isoformat(), "description": "基准测试告警"}).encode()
        head = (f"POST /api/v1/alarms/intake/{VENDOR_CODE}/ HTTP/1.1\r\nHost: {host}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"X-Shouye-Key: bench-video-key\r\nX-Shouye-Timestamp: {timestamp}\r\n"
                f"X-Shouye-Signature: {signature(SECRET, timestamp, body)}\r\n\r\n")
        requests.append(head.encode() + body)
    return requests


# ---------------------------------------------------------------------------------------------- load


class _Answers(asyncio.Protocol):
    """One keep-alive connection's answers, read as they come: the status and whether the server closes — the
    generator's own cost per post kept small (asyncio's streams cost it a future per read and a Python loop over
    the header lines), since it shares the two cores with the server it measures."""

    def __init__(self):
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        found = _CONTENT_LENGTH.search(head)
        size = end + 4 + (int(found.group(1)) if found else 0)
        if len(self.buffer) < size:
            return
        del self.buffer[:size]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((head[9:12].decode(), b"\r\nconnection: close" in head))

    def connection_lost(self, exc):
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("closed"))


_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length: *(\d+)")


async def _load(port: int, requests: list[bytes], rate: float, lag: float, connections: int,
                deadline: float) -> dict:
    """Post each request at its time (original at n / (rate / 2), its replay ``lag`` seconds later) over
    ``connections`` keep-alive connections, stopping ``deadline`` seconds after the start when the server
    cannot keep up; returns latencies — from the send, and from the time the post was due (open loop: a post
    that waited for a free connection counts its wait) — answers and the events posted."""
    loop = asyncio.get_running_loop()
    per_second = rate / 2
    schedule = sorted([(n / per_second, n, "original") for n in range(len(requests))]
                      + [(n / per_second + lag, n, "replay") for n in range(len(requests))])
    queue: asyncio.Queue = asyncio.Queue()
    for item in schedule:
        queue.put_nowait(item)
    latencies: list[float] = []
    from_due: list[float] = []
    answers: dict[str, int] = {}
    posted: set[int] = set()
    late = 0
    start = time.perf_counter() + 0.5 + connections * CONNECT_EVERY_S

    async def connect():
        _transport, protocol = await loop.create_connection(_Answers, "127.0.0.1", port)
        return protocol

    async def worker(index: int):
        nonlocal late
        # One connection at a time, as vendors' platforms (or nginx) open them: a burst of connections is
        # accepted by whichever worker wakes first, all of them, and keep-alive would hold the whole load there.
        await asyncio.sleep(index * CONNECT_EVERY_S)
        connection = await connect()
        while True:
            try:
                at, number, kind = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            if time.perf_counter() - start > deadline:
                break
            wait = start + at - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            elif wait < -0.05:
                late += 1
            close = False
            for _attempt in range(3):
                sent = time.perf_counter()
                try:
                    connection.waiter = loop.create_future()
                    connection.transport.write(requests[number])
                    status, close = await connection.waiter
                    break
                except ConnectionError:
                    connection.transport.close()
                    connection = await connect()
            else:
                status = "conn"
            answered = time.perf_counter()
            latencies.append(answered - sent)
            from_due.append(answered - (start + at))
            posted.add(number)
            key = f"{kind} {status}"
            answers[key] = answers.get(key, 0) + 1
            if close:
                connection.transport.close()
                connection = await connect()
        connection.transport.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker(index) for index in range(connections)))
    elapsed = time.perf_counter() - max(began, start)
    return {"latencies": latencies, "from_due": from_due, "answers": answers, "elapsed": elapsed, "late": late,
            "events": len(posted), "unsent": queue.qsize()}


def _load_process(port, requests, rate, lag, connections, deadline, out):
    started = os.times()
    result = asyncio.run(_load(port, requests, rate, lag, connections, deadline))
    ended = os.times()
    result["cpu_seconds"] = round((ended.user - started.user) + (ended.system - started.system), 1)
    out.put(result)


# ---------------------------------------------------------------------------------------------- server


def _cpu_of(pids: list[int]) -> float:
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (FileNotFoundError, IndexError):
            continue
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _environment(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "ERROR", "DB_CONN_MAX_AGE": "600", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_BROKER_URL": os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"),
            "PYTHONPATH": str(ROOT)}


def start_processors(url: str, count: int, nice: int = 0) -> list[subprocess.Popen]:
    """``count`` inbox processors (``shouye intake``, at ``nice``), as ``shouye up`` runs one, once each is
    looking at the inbox (its query is in ``pg_stat_activity``): a processor still starting would count its
    start-up in the first events' drain latency."""
    from django.db import connection

    processors = [subprocess.Popen(["nice", "-n", str(nice), sys.executable, str(ROOT / "manage.py"), "intake"],
                                   cwd=ROOT, env=_environment(url), start_new_session=True) for _ in range(count)]
    for _ in range(600):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND query LIKE %s", ["%monitoring_videoinbox%SKIP LOCKED%"])
            if cursor.fetchone()[0] >= count:
                return processors
        time.sleep(0.1)
    for process in processors:
        process.kill()
    raise SystemExit("the inbox processors did not start")


def wait_for_the_drain(seconds: float) -> float | None:
    """Seconds until no accepted event waits in the inbox (None: still some after ``seconds``)."""
    from django.db import connection

    from shouye.monitoring.models import VideoInbox

    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        connection.close()
        if not VideoInbox.objects.filter(processed_at__isnull=True).exists():
            return time.perf_counter() - began
        time.sleep(0.1)
    return None


def drain_latency() -> dict:
    """An event's receipt (its inbox row committed) to its alarm's batch marking it processed, in ms."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ms), max(ms) FROM "
                       "(SELECT extract(epoch FROM processed_at - received_at) * 1000 AS ms "
                       " FROM monitoring_videoinbox WHERE processed_at IS NOT NULL) AS t")
        (p50, p95, p99), worst = cursor.fetchone()
    return {"p50": round(float(p50), 1), "p95": round(float(p95), 1), "p99": round(float(p99), 1),
            "max": round(float(worst), 1)}


#: How gunicorn serves the intake: ASGI with uvicorn's worker (the README's intake server), or WSGI.
SERVERS = {"asgi": ("config.asgi:application", "uvicorn_worker.UvicornWorker"),
           "wsgi": ("config.wsgi:application", "gthread")}


def start_gunicorn(url: str, port: int, workers: int, threads: int, server: str,
                   worker_class: str | None = None) -> subprocess.Popen:
    env = _environment(url)
    application, default_class = SERVERS[server]
    command = [sys.executable, "-m", "gunicorn", application, "-c", str(GUNICORN_CONF),
               "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", worker_class or default_class,
               "--threads", str(threads), "--keep-alive", "30", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    import urllib.error
    import urllib.request

    for _ in range(100):
        time.sleep(0.3)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/alarms/intake/{VENDOR_CODE}/", data=b"{}")
        except urllib.error.HTTPError:
            return server
        except OSError:
            continue
    server.kill()
    raise SystemExit("gunicorn did not start")


def count(url: str, events: int) -> dict:
    from django.db import connection
    from django.db.models import Count

    from shouye.audit.models import AuditEvent
    from shouye.monitoring.models import Alarm, VideoEvent

    connection.close()
    return {"alarms": Alarm.objects.count(), "video_events": VideoEvent.objects.count(),
            "alarm_raise_audit_events": AuditEvent.objects.filter(verb="alarm.raise").count(),
            "alarms_with_more_than_one_event": Alarm.objects.filter(events__isnull=False)
            .values("pk").annotate(n=Count("events"))
            .filter(n__gt=1).count(),
            "expected": events}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="posts per second, replays included")
    parser.add_argument("--duration", type=float, default=60, help="seconds of originals")
    parser.add_argument("--replay-lag", type=float, default=0.5, help="seconds between an event and its replay")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="gunicorn workers (default: cores)")
    parser.add_argument("--server", choices=SERVERS, default="asgi",
                        help="asgi: config.asgi under uvicorn's worker, as the README serves the intake; wsgi: "
                             "config.wsgi under gthread workers, as it serves the rest of the platform")
    parser.add_argument("--worker-class", help="another gunicorn worker class for the server's application")
    parser.add_argument("--threads", type=int, default=8, help="threads a gthread worker (README's deployment)")
    parser.add_argument("--processors", type=int, default=1, help="inbox processors (shouye intake)")
    parser.add_argument("--processor-nice", type=int, default=0,
                        help="the processors' niceness (10: they yield the cores to the intake's answers)")
    parser.add_argument("--drain-timeout", type=float, default=300,
                        help="seconds to wait for the inbox to empty after the last post")
    parser.add_argument("--enterprises", type=int, default=50)
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args(argv)

    events = int(args.rate / 2 * args.duration)
    cameras = events // len(TYPES) + 1
    load_at_start = load_average()
    ensure_postgres_database(args.database)
    log(f"preparing {display_url(args.database)}: {cameras} cameras …")
    prepared = prepare(args.database, cameras, args.enterprises)
    requests = signed_requests(events, prepared["cameras"], f"127.0.0.1:{args.port}")
    processors = start_processors(args.database, args.processors, args.processor_nice)
    server = start_gunicorn(args.database, args.port, args.workers, args.threads, args.server, args.worker_class)
    try:
        server_pids = [server.pid, *_children(server.pid)]
        processor_pids = [p.pid for p in processors]
        postgres_pids = _postgres_pids()
        cpu_before = (_cpu_of(server_pids), _cpu_of(postgres_pids), _cpu_of(processor_pids))
        worker_before = [_cpu_of([pid]) for pid in server_pids[1:]]
        log(f"posting {events} events twice at {args.rate:.0f} posts/s over {args.connections} connections …")
        out = multiprocessing.get_context("fork").Queue()
        loader = multiprocessing.get_context("fork").Process(
            target=_load_process, args=(args.port, requests, args.rate, args.replay_lag, args.connections,
                                        args.duration * 3 + args.replay_lag, out))
        loader.start()
        result = out.get()
        loader.join()
        load_at_the_last_post = load_average()
        server_cpu = _cpu_of(server_pids) - cpu_before[0]
        worker_cpu = [round(_cpu_of([pid]) - before, 1) for pid, before in zip(server_pids[1:], worker_before,
                                                                                strict=True)]
        drained_after = wait_for_the_drain(args.drain_timeout)
        postgres_cpu = _cpu_of(postgres_pids) - cpu_before[1]
        processor_cpu = _cpu_of(processor_pids) - cpu_before[2]
    finally:
        for process in (server, *processors):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, *processors):
            process.wait(timeout=30)
    counts = count(args.database, result["events"])
    drain = drain_latency()
    latencies = sorted(result["latencies"])
    posts = len(latencies)
    achieved = posts / result["elapsed"]
    p = {f"p{q}": round(percentile(latencies, q) * 1000, 1) for q in (50, 95, 99)}
    due = sorted(result["from_due"])
    p_due = {f"p{q}": round(percentile(due, q) * 1000, 1) for q in (50, 95, 99)}
    server_errors = sum(n for key, n in result["answers"].items() if not key.endswith((" 200", " 202")))
    # Whichever of an event's two posts the server took first accepted it (202), the other found it (200).
    created = sum(n for key, n in result["answers"].items() if key.endswith(" 202"))
    found = sum(n for key, n in result["answers"].items() if key.endswith(" 200"))
    expected_answers = {"202": counts["expected"], "200": posts - counts["expected"]}
    targets = [
        {"name": "posts per second", "target": f">= {args.rate:.0f} (asked) and >= {TARGET_RATE}",
         "measured": round(achieved), "pass": achieved >= min(args.rate, TARGET_RATE) * 0.98},
        {"name": "distinct alarms per second", "target": f">= {TARGET_RATE}", "measured": round(achieved / 2),
         "pass": achieved / 2 >= TARGET_RATE * 0.98},
        {"name": "p99 latency (ms), from the time each post was due", "target": f"<= {TARGET_P99_MS}",
         "measured": p_due["p99"], "pass": p_due["p99"] <= TARGET_P99_MS},
        {"name": "the inbox emptied after the last post (s)", "target": f"<= {args.drain_timeout:.0f}",
         "measured": None if drained_after is None else round(drained_after, 1), "pass": drained_after is not None},
        {"name": "alarms = video events = distinct events posted, every alarm audited once",
         "target": counts["expected"],
         "measured": [counts["alarms"], counts["video_events"], counts["alarm_raise_audit_events"]],
         "pass": counts["alarms"] == counts["video_events"] == counts["alarm_raise_audit_events"]
         == counts["expected"]},
        {"name": "answers: one 202 per event, 200 for its replay, nothing else", "target": expected_answers,
         "measured": {"202": created, "200": found, "other": server_errors},
         "pass": created == expected_answers["202"] and found == expected_answers["200"] and server_errors == 0},
        {"name": "every post sent within the run", "target": 2 * events, "measured": posts,
         "pass": posts == 2 * events},
    ]
    body = {
        "database": display_url(args.database),
        "settings": {"rate": args.rate, "duration_s": args.duration, "events": events, "posts": 2 * events,
                     "replay_lag_s": args.replay_lag, "connections": args.connections,
                     "gunicorn": {"application": SERVERS[args.server][0], "workers": args.workers,
                                  "worker_class": args.worker_class or SERVERS[args.server][1],
                                  "threads": args.threads},
                     "inbox_processors": args.processors, "processor_nice": args.processor_nice,
                     "announce_task": "shouye.monitoring.tasks.announce_alarms"
                     if importlib.util.find_spec("shouye.monitoring.tasks") else "stand-in (not on this tree)",
                     **prepared},
        "measured": {"elapsed_s": round(result["elapsed"], 1), "posts_per_s": round(achieved),
                     "distinct_alarms_per_s": round(achieved / 2), "latency_ms": p, "latency_from_due_ms": p_due,
                     "drain_latency_ms": drain, "inbox_empty_s_after_the_last_post": drained_after,
                     "load_average_at_the_last_post": load_at_the_last_post,
                     "posts_sent_late": result["late"], "posts_not_sent_by_the_deadline": result["unsent"],
                     "answers": result["answers"], "counts": counts,
                     "cpu_ms_per_post": {"gunicorn": round(server_cpu / max(posts, 1) * 1000, 2),
                                         "processors": round(processor_cpu / max(posts, 1) * 1000, 2),
                                         "postgres": round(postgres_cpu / max(posts, 1) * 1000, 2),
                                         "load_generator": round(result["cpu_seconds"] / max(posts, 1) * 1000, 2)},
                     "cpu_seconds": {"gunicorn": round(server_cpu, 1), "gunicorn_each_worker": worker_cpu,
                                     "processors": round(processor_cpu, 1),
                                     "postgres": round(postgres_cpu, 1), "load_generator": result["cpu_seconds"]}},
    }
    report = write_report("video_intake", load_at_start=load_at_start, targets=targets, body=body)
    log(json.dumps({k: report[k] for k in ("targets", "measured")}, ensure_ascii=False, indent=1))
    sys.exit(0 if report["all_targets_met"] else 1)


if __name__ == "__main__":
    main()
