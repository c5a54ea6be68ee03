"""The sensor stream at province scale (issue 13, "Benchmarks"): readings published to Mosquitto as the gateways
send them, written by ``shouye ingest`` into PostgreSQL with every reading's thresholds evaluated, and counted
exactly afterwards.

    .venv/bin/python bench/monitoring_ingest.py                                   # everything, 5 minutes sustained
    .venv/bin/python bench/monitoring_ingest.py --only sustained --seconds 60 --rate 20000
    .venv/bin/python bench/monitoring_ingest.py --only faults --fault-seconds 40   # options: --help

Set-up. The harness runs its own broker and, by default, its own PostgreSQL cluster, because the faults restart
both mid-stream and the machine's are shared with other work: ``mosquitto`` on 127.0.0.1:18883 with a config
file it writes under bench/data/monitoring/ (persistence on, queues and in-flight windows raised so that a
restart or a slow writer loses nothing), and a cluster under bench/data/monitoring/pg on 127.0.0.1:15432 with
the README's settings for the ingest's PostgreSQL (``INGEST_PG_SETTINGS``: 2 GB shared buffers, lz4 WAL
compression, checkpoints every 15 minutes; fsync and synchronous commit on, autovacuum on) or initdb's
(``--pg-settings initdb``: 128 MB shared buffers, 1 GB of WAL between checkpoints, autovacuum off).
``--postgres machine`` uses ``BENCH_DATABASE_URL`` on the machine's cluster instead and restarts it with
``pg_ctlcluster`` for the fault (only where nothing else uses it).

Data (``--points`` on ``--gateways``, default 50,000 on 5,000, spread over 2,000 generated enterprises): six
kinds of point in turn with their setpoints — pressure 0–2.5 MPa (H 1.6, HH 2.0), temperature 0–200 °C (H 120,
HH 150), level 0–100 % (LL 10, L 20, H 80, HH 90), combustible gas 0–100 % LEL (H 20, HH 50: GB/T 50493-2019
5.5.2, first level ≤ 25 % LEL, second ≤ 50 % LEL), hydrogen sulphide 0–100 mg/m³ (H 10 = its OEL, HH 20 =
200 % OEL, 5.5.2) and oxygen 0–25 % vol (L 19.5, H 23.5), no delay, no dead band, stuck detection off. Written
once with bulk inserts and reused.

Publisher (``--publishers`` processes): each gateway publishes one compact binary message (wire format
``SY\\x01\\x00`` + 20-byte records) with one reading of each of its points every ``points / rate`` seconds,
the gateways staggered evenly, QoS 1, with a fixed client id and a persistent session so that a broker restart
loses nothing it had accepted; at most ``PUBLISHER_QUEUE`` messages wait in a publisher for the broker, and a
message refused beyond that is counted apart (``not_queued_messages``), not as published. A reading's time is the moment it is published (milliseconds, strictly
increasing per point), so every (point, time) is unique. ``--excursions`` readings a second (default 5) go
above their point's high setpoint, each on a point not used before in the run, then the point reads normal
again: each must raise exactly one alarm (condition ``h``) whose ``raised_at`` is that reading's time. Every
worker writes what it published: per point the number of readings and the sum of their times, and each
excursion.

Runs, each from empty readings and alarms with a fresh ingest process:
- sustained (``--seconds``, default 300, at ``--rate``, default 50,000 readings/s): readings/s published and
  committed, backlog when publishing stopped and how long it took to drain, CPU % and RSS of each process, and
  the alarms' latency as below over the whole run;
- latency (``--latency-seconds``, default 60, same rate): a listener on ``LISTEN shouye_alarms`` notes when each
  alarm id arrives; latency = arrival − the excursion reading's time; p50/p99/max, and commit − reading;
- in both, a ``CHECKPOINT`` forced halfway (``--checkpoint-at``), so that the latency covers the burst of
  full-page images that follows a checkpoint (the first change to each of the key index's hot pages);
- faults (``--fault-seconds`` each, default 60, same rate): ``kill -9`` of the ingest at a third of the run
  (restarted 3 s later), a Mosquitto restart, a PostgreSQL restart;
- storage: bytes per reading of the sustained run's partitions, and the 30-day footprint of a district (5,000
  points every 10 s) and a province (50,000 points every second) projected from it.

After each run: the readings per point (count and sum of times) against what was published — lost, extra and
mismatched, exactly — the alarms against the excursions (missing, duplicated, unexpected), and the ingest's own
counters from its status file. Writes bench/results/monitoring_ingest-<time>.json."""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dataset import display_url, ensure_postgres_database  # noqa: E402
from bench.report import load_average, write_report  # noqa: E402

WORK = ROOT / "bench" / "data" / "monitoring"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
OWN_PG_PORT = 15432
OWN_DATABASE_URL = f"postgres://postgres@127.0.0.1:{OWN_PG_PORT}/bench_monitoring"
MQTT_PORT = 18883
TOPIC = "shouye/v1/+/readings"
INGEST_CLIENT_ID = "bench-ingest"
#: Targets of issue 13.
RATE_TARGET = 50_000
LATENCY_P99_MAX_MS = 250.0
SEED = 13
#: The README's PostgreSQL settings for the box the ingest writes to ("Monitoring": PostgreSQL for the
#: ingest), given to the bench's own cluster at every start (``--pg-settings ingest``; ``initdb`` leaves the
#: machine cluster's 128 MB shared buffers and 1 GB of WAL between checkpoints, ``--pg-settings initdb``).
INGEST_PG_SETTINGS = {"shared_buffers": "2GB", "wal_compression": "lz4", "max_wal_size": "16GB",
                      "checkpoint_timeout": "15min", "checkpoint_completion_target": "0.9", "autovacuum": "on",
                      "log_autovacuum_min_duration": "0", "log_checkpoints": "on"}
#: Messages a publisher holds unacknowledged at most (below MQTT's 65,535 message ids); beyond that a gateway's
#: buffer overflows and the message is refused (counted apart, not published).
PUBLISHER_QUEUE = 60_000
RECORD = struct.Struct("<Iqd")
HEADER = b"SY\x01\x00"
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: kind → (unit, range from, range to, LL, L, H, HH, normal value, excursion value between H and HH)
KINDS = (
    ("pressure", "MPa", 0, 2.5, None, None, 1.6, 2.0, 0.8, 1.8),
    ("temperature", "°C", 0, 200, None, None, 120, 150, 65, 135),
    ("level", "%", 0, 100, 10, 20, 80, 90, 50, 85),
    ("combustible", "%LEL", 0, 100, None, None, 20, 50, 1, 30),
    ("toxic", "mg/m³", 0, 100, None, None, 10, 20, 0.5, 15),
    ("oxygen", "%VOL", 0, 25, None, 19.5, 23.5, None, 20.9, 24.2),
)


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# ------------------------------------------------------------------------------------------ services


def _run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


class OwnPostgres:
    """A cluster of the benchmark's own, so that restarting it disturbs nobody; ``settings`` are given at
    every start (``-c name=value``)."""

    def __init__(self, settings: dict[str, str]):
        self.dir = WORK / "pg"
        self.options = " ".join(f"-c {name}={value}" for name, value in settings.items())

    def _pg_ctl(self, *args):
        return _run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.dir),
                     "-l", str(WORK / "pg.log"), "-w", *args, *(["-o", self.options] if self.options else [])])

    def start(self):
        if not (self.dir / "PG_VERSION").exists():
            self.dir.mkdir(parents=True, exist_ok=True)
            _run(["chown", "-R", "postgres:postgres", str(WORK)])
            _run(["runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(self.dir), "-A", "trust",
                  "-U", "postgres", "-E", "UTF8", "--locale", "C.UTF-8"])
            with open(self.dir / "postgresql.conf", "a") as conf:
                conf.write(f"\nport = {OWN_PG_PORT}\nlisten_addresses = '127.0.0.1'\n"
                           f"unix_socket_directories = '{self.dir}'\nshared_buffers = 128MB\n"
                           "max_wal_size = 1GB\nautovacuum = off\nfsync = on\ntimezone = 'Etc/UTC'\n")
        self._pg_ctl("restart" if (self.dir / "postmaster.pid").exists() else "start")  # with these settings

    def restart(self):
        self._pg_ctl("restart", "-m", "fast")

    def postmaster_pid(self) -> int:
        return int((self.dir / "postmaster.pid").read_text().split()[0])


class MachinePostgres:
    def start(self):
        pass

    def restart(self):
        _run(["pg_ctlcluster", "15", "main", "restart", "-m", "fast"])

    def postmaster_pid(self) -> int:
        return int(Path("/var/lib/postgresql/15/main/postmaster.pid").read_text().split()[0])


class Broker:
    """Mosquitto on its own port with a config file written here, so that it can be restarted."""

    def __init__(self, port: int, inflight: int):
        self.port, self.inflight = port, inflight
        self.dir = WORK / "mosquitto"
        self.proc: subprocess.Popen | None = None

    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        conf = self.dir / "mosquitto.conf"
        conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\nuser root\n"
            f"persistence true\npersistence_location {self.dir}/\nautosave_interval 30\n"
            f"max_inflight_messages {self.inflight}\nmax_queued_messages 10000000\nmax_queued_bytes 0\n"
            "set_tcp_nodelay true\n"
            f"log_dest file {self.dir}/mosquitto.log\nlog_type error\nlog_type warning\nlog_type notice\n")
        self.proc = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        _wait_port(self.port)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)

    def restart(self):
        self.stop()
        self.start()


def _wait_port(port: int, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


class Ingest:
    """``shouye ingest`` in its own process, restarted as a supervisor (systemd) would when it exits."""

    def __init__(self, command: list[str], url: str, mqtt_port: int, run_dir: Path):
        self.command, self.url, self.mqtt_port, self.run_dir = command, url, mqtt_port, run_dir
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.unexpected_exits: list[int] = []

    def start(self):
        # Celery's broker as the README deploys it (Redis), not the embedded default's SQLite: the ingest announces
        # each alarm through it, in its side thread.
        env = dict(os.environ, DATABASE_URL=self.url, PYTHONPATH=str(ROOT), DEBUG="false", LOG_LEVEL="WARNING",
                   CELERY_BROKER_URL=os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15"))
        cmd = [*self.command, "--url", f"mqtt://127.0.0.1:{self.mqtt_port}", "--client-id", INGEST_CLIENT_ID,
               "--topic", TOPIC, "--status-file", str(self.status_file(self.starts))]
        out = open(self.run_dir / f"ingest-{self.starts}.log", "w")
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        self.starts += 1

    def status_file(self, start: int) -> Path:
        return self.run_dir / f"ingest-status-{start}.json"

    def supervise(self):
        if self.proc is not None and self.proc.poll() is not None:
            self.unexpected_exits.append(self.proc.returncode)
            time.sleep(1)
            self.start()

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def statuses(self) -> list[dict]:
        """The counters each process wrote last (a killed one's as of its last write)."""
        found = []
        for start in range(self.starts):
            try:
                found.append(json.loads(self.status_file(start).read_text()))
            except (OSError, ValueError):
                found.append({})
        return found


def ingest_command(text: str | None) -> list[str]:
    if text:
        return shlex.split(text)
    return [sys.executable, "-c", "import sys; from shouye.cli import main; sys.argv[0] = 'shouye'; main()",
            "ingest"]


# ----------------------------------------------------------------------------------------------- data


def prepare(enterprises: int, gateways: int, points: int) -> dict:
    """Enterprises from the enterprise benchmark's generator, then the gateways and points (bulk inserts, one
    status row per point); reused when the counts match."""
    from django.db import connection, transaction

    from bench import dataset
    from shouye.enterprises.models import Enterprise
    from shouye.monitoring import storage
    from shouye.monitoring.models import Gateway, MonitoringPoint, PointStatus

    started = time.perf_counter()
    prepared = dataset.prepare(enterprises, log)
    existing = MonitoringPoint.objects.count()
    if existing and (existing != points or Gateway.objects.count() != gateways):
        raise SystemExit(f"the database holds {existing:,} points, not {points:,}: use another database")
    if not existing:
        log(f"  writing {gateways:,} gateways and {points:,} points …")
        owners = list(Enterprise.objects.order_by("pk").values_list("pk", "township_id", "industry_id"))
        per_gateway = points // gateways
        with transaction.atomic():
            rows = []
            for index in range(gateways):
                pk, township, industry = owners[index % len(owners)]
                rows.append(Gateway(code=f"bgw-{index:05d}", name=f"基准网关{index:05d}", enterprise_id=pk,
                                    township_id=township, industry_id=industry))
            made = Gateway.objects.bulk_create(rows, batch_size=2_000)
            rows = []
            for gw in made:
                for n in range(per_gateway):
                    kind, unit, low_end, high_end, ll, lo, hi, hh, _normal, _excursion = KINDS[
                        (gw.pk * per_gateway + n) % len(KINDS)]
                    rows.append(MonitoringPoint(
                        gateway=gw, code=f"{kind[:2].upper()}-{n:03d}", name=f"{gw.code}/{kind}/{n}", kind=kind,
                        unit=unit, range_min=low_end, range_max=high_end, low_low=ll, low=lo, high=hi, high_high=hh,
                        expected_interval_seconds=10, dead_band=0, delay_seconds=0, stuck_after_readings=0,
                        oel_mg_m3=10 if kind == "toxic" else None, idlh_mg_m3=430 if kind == "toxic" else None,
                        enterprise_id=gw.enterprise_id, township_id=gw.township_id, industry_id=gw.industry_id))
            made = MonitoringPoint.objects.bulk_create(rows, batch_size=2_000)
            PointStatus.objects.bulk_create([PointStatus(point_id=p.pk) for p in made], batch_size=5_000)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    today = datetime.now(SHANGHAI).date()
    storage.ensure_partitions(today - timedelta(days=1), today + timedelta(days=2))
    return {**prepared, "gateways": Gateway.objects.count(), "points": MonitoringPoint.objects.count(),
            "prepare_seconds": round(time.perf_counter() - started, 1)}


def load_layout() -> list[list]:
    """[gateway code, [point id …], [kind …]] of every active gateway."""
    from shouye.monitoring.models import MonitoringPoint

    layout: dict[str, list] = {}
    for code, pk, kind in (MonitoringPoint.objects.filter(is_active=True).order_by("gateway_id", "pk")
                           .values_list("gateway__code", "pk", "kind")):
        entry = layout.setdefault(code, [code, [], []])
        entry[1].append(pk)
        entry[2].append(kind)
    return list(layout.values())


# ------------------------------------------------------------------------------------------ publisher


class Publisher:
    """A minimal MQTT 3.1.1 publisher at QoS 1 for the harness — the gateways, which in production are not on the
    box being measured. paho, in Python, cost the publisher about 60 % of a core at 50,000 readings/s (and 100 µs a
    message once 1,000 were in flight: it looks through all of them at every acknowledgement), on the two cores
    the ingest is measured on. This one writes each PUBLISH straight to the socket and reads the PUBACKs in a
    thread. Its session is persistent (clean session off, a fixed client id), and it keeps every message until the
    broker acknowledged it; after a lost connection it connects again and sends them all again, in order, marked
    DUP — what a QoS 1 client must do, and what the fault runs exercise."""

    def __init__(self, port: int, client_id: str, limit: int = PUBLISHER_QUEUE):
        self.port, self.client_id, self.limit = port, client_id.encode(), limit
        self.lock = threading.Lock()
        self.unacked: dict[int, tuple[bytes, bytes]] = {}  # mid → (topic, payload), in the order sent
        self.acked = 0
        self.mid = 0
        self.sock = None
        self.closing = False
        self._connect()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @staticmethod
    def _length(n: int) -> bytes:
        out = bytearray()
        while True:
            n, digit = n >> 7, n & 0x7F
            out.append(digit | (0x80 if n else 0))
            if not n:
                return bytes(out)

    def _packet(self, mid: int, topic: bytes, payload: bytes, dup: bool) -> bytes:
        body = struct.pack(">H", len(topic)) + topic + struct.pack(">H", mid)
        return bytes([0x3A if dup else 0x32]) + self._length(len(body) + len(payload)) + body + payload

    def _connect(self) -> None:
        """Connect (retrying while the broker is down) and send again what it has not acknowledged."""
        while not self.closing:
            try:
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                body = b"\x00\x04MQTT\x04\x00\x00\x00" + struct.pack(">H", len(self.client_id)) + self.client_id
                sock.sendall(b"\x10" + self._length(len(body)) + body)  # keep-alive 0: none
                answer = sock.recv(4)
                if answer[:2] != b"\x20\x02" or answer[3:4] != b"\x00":
                    raise OSError(f"CONNACK refused: {answer!r}")
                sock.settimeout(None)
            except OSError:
                time.sleep(0.05)
                continue
            with self.lock:
                sock.sendall(b"".join(self._packet(mid, topic, payload, dup=True)
                                      for mid, (topic, payload) in self.unacked.items()))
                self.sock = sock
            return

    def publish(self, topic: bytes, payload: bytes) -> bool:
        """Send the message (or hold it for the next connection); False when ``limit`` wait unacknowledged."""
        with self.lock:
            if len(self.unacked) >= self.limit:
                return False
            while True:
                self.mid = self.mid % 65535 + 1
                if self.mid not in self.unacked:
                    break
            self.unacked[self.mid] = (topic, payload)
            if self.sock is not None:
                try:
                    self.sock.sendall(self._packet(self.mid, topic, payload, dup=False))
                except OSError:
                    self.sock = None  # the reader finds the connection gone and connects again
            return True

    def _read(self) -> None:
        buffer = b""
        while not self.closing:
            sock = self.sock
            data = b""
            if sock is not None:
                try:
                    data = sock.recv(65536)
                except OSError:
                    data = b""
            if not data:
                if self.closing:
                    return
                with self.lock:
                    self.sock = None
                if sock is not None:
                    sock.close()
                buffer = b""
                self._connect()
                continue
            buffer += data
            used = 0
            with self.lock:
                while len(buffer) - used >= 4:  # PUBACK: 0x40 0x02 mid; nothing else is asked for
                    if buffer[used:used + 2] != b"\x40\x02":
                        raise RuntimeError(f"the broker sent a packet other than PUBACK: {buffer[used:used + 8]!r}")
                    if self.unacked.pop(struct.unpack_from(">H", buffer, used + 2)[0], None) is not None:
                        self.acked += 1
                    used += 4
            buffer = buffer[used:]

    def close(self, wait: float) -> None:
        """Wait up to ``wait`` seconds for the acknowledgements, then disconnect."""
        deadline = time.monotonic() + wait
        while self.unacked and time.monotonic() < deadline:
            time.sleep(0.05)
        self.closing = True
        with self.lock:
            if self.sock is not None:
                self.sock.sendall(b"\xe0\x00")
                self.sock.close()


def publisher_worker(spec_path: str) -> None:
    """One publishing process: its share of the gateways, each publishing all its points once per period."""
    spec = json.loads(Path(spec_path).read_text())
    kinds = {k[0]: k for k in KINDS}
    gateways = spec["gateways"]
    excursions = {int(pid): offset for pid, offset in spec["excursions"].items()}
    client = Publisher(spec["port"], spec["client_id"])
    count = {pid: 0 for _code, pids, _k in gateways for pid in pids}
    total = dict.fromkeys(count, 0)
    last_ms = [0] * len(gateways)
    excursion_log: list[list[int]] = []
    period = spec["points"] / spec["rate"]
    step = period / len(gateways)
    start = spec["start_at"]
    end = start + spec["seconds"]
    while time.time() < start:
        time.sleep(0.001)
    messages = records = not_queued = 0
    cycle, index = 0, 0
    max_lag = 0.0
    pack = RECORD.pack
    topics = [f"shouye/v1/{code}/readings".encode() for code, _pids, _kinds in gateways]
    while True:
        due = start + cycle * period + index * step
        if due >= end:
            break
        now = time.time()
        if due > now:
            time.sleep(min(due - now, 0.01))
            continue
        max_lag = max(max_lag, now - due)
        code, pids, pkinds = gateways[index]
        ms = max(int(now * 1000), last_ms[index] + 1)
        last_ms[index] = ms
        wobble = ((ms // 1000) % 7 - 3) / 300
        parts, outside = [HEADER], []
        elapsed = now - start
        for pid, kind in zip(pids, pkinds, strict=True):
            spec_kind = kinds[kind]
            offset = excursions.get(pid)
            if offset is not None and elapsed >= offset:
                value = spec_kind[9]
                outside.append(pid)
            else:
                value = spec_kind[8] * (1 + wobble)
            parts.append(pack(pid, ms, value))
        if client.publish(topics[index], b"".join(parts)):
            for pid in pids:
                count[pid] += 1
                total[pid] += ms
            for pid in outside:
                del excursions[pid]
                excursion_log.append([pid, ms])
            messages += 1
            records += len(pids)
        else:
            not_queued += 1
        index += 1
        if index == len(gateways):
            index, cycle = 0, cycle + 1
    finished = time.time()
    client.close(wait=120)
    Path(spec["out"]).write_text(json.dumps({
        "messages": messages, "records": records, "acked_messages": client.acked, "not_queued_messages": not_queued,
        "started": start,
        "finished": finished, "max_lag_s": round(max_lag, 3), "excursions": excursion_log,
        "points": {pid: [count[pid], total[pid]] for pid in count if count[pid]}}))


# ---------------------------------------------------------------------------------------- measuring


class Listener(threading.Thread):
    """``LISTEN shouye_alarms``: when each alarm id arrived (reconnecting after a PostgreSQL restart)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.arrivals, self.stop_flag, self.reconnects = url, {}, threading.Event(), 0
        self.repeats = 0

    def run(self):
        import psycopg

        while not self.stop_flag.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute("LISTEN shouye_alarms")
                    while not self.stop_flag.is_set():
                        for note in conn.notifies(timeout=0.5):
                            arrived = time.time()
                            for part in note.payload.split(","):
                                if part.strip():
                                    if int(part) in self.arrivals:
                                        self.repeats += 1
                                    self.arrivals.setdefault(int(part), arrived)
            except psycopg.OperationalError:
                self.reconnects += 1
                time.sleep(0.2)


class Sampler(threading.Thread):
    """Every second: CPU time and RSS of each process, grouped (ingest, mosquitto, postgres backends and
    server processes, publishers)."""

    def __init__(self, groups, url: str):
        super().__init__(daemon=True)
        self.groups, self.stop_flag, self.url = groups, threading.Event(), url
        self.timeline: list[tuple[float, int]] = []
        self.marked: tuple[float, dict] | None = None
        self.conn = None
        self.cpu: dict[tuple[str, int], float] = {}
        self.first_cpu: dict[tuple[str, int], float] = {}
        self.rss: dict[str, list[float]] = {}
        self.started = time.monotonic()

    def sample(self):
        import psutil

        per_group_rss: dict[str, float] = {}
        for group, pids in self.groups().items():
            for pid in pids:
                try:
                    proc = psutil.Process(pid)
                    times = proc.cpu_times()
                    used = times.user + times.system
                    rss = proc.memory_info().rss
                except psutil.Error:
                    continue
                self.first_cpu.setdefault((group, pid), used)
                self.cpu[(group, pid)] = used
                per_group_rss[group] = per_group_rss.get(group, 0) + rss
        for group, rss in per_group_rss.items():
            self.rss.setdefault(group, []).append(rss / 2**20)

    def inserted(self) -> None:
        """Rows inserted into the reading partitions so far (the statistics' counter: cheap, about a second
        behind), for the committed rate over time."""
        import psycopg

        try:
            if self.conn is None or self.conn.closed:
                self.conn = psycopg.connect(self.url, autocommit=True)
            row = self.conn.execute("SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables "
                                    "WHERE relname LIKE 'monitoring_reading_p%'").fetchone()
            self.timeline.append((time.monotonic(), int(row[0])))
        except psycopg.Error:
            self.conn = None

    def run(self):
        while not self.stop_flag.is_set():
            self.sample()
            self.inserted()
            self.stop_flag.wait(1)

    def mark(self) -> None:
        """The end of publishing: CPU is reported up to here (the drain after it is reported apart)."""
        self.marked = (time.monotonic(), dict(self.cpu))

    def committed_per_second(self) -> list[int]:
        """Readings committed in each 5-second step of the run (from the statistics' counter)."""
        steps = self.timeline[::5]
        return [round((b[1] - a[1]) / (b[0] - a[0])) for a, b in zip(steps, steps[1:], strict=False)]

    def result(self) -> dict:
        if self.marked is None:
            self.mark()
        until, cpu = self.marked
        wall = until - self.started
        out = {}
        for (group, pid), used in cpu.items():
            entry = out.setdefault(group, {"cpu_percent": 0.0, "processes": 0})
            entry["cpu_percent"] += (used - self.first_cpu[(group, pid)]) / wall * 100
            entry["processes"] += 1
        for group, values in self.rss.items():
            entry = out.setdefault(group, {"cpu_percent": 0.0, "processes": 0})
            entry["rss_mb_max"] = round(max(values), 1)
            entry["rss_mb_mean"] = round(sum(values) / len(values), 1)
        for entry in out.values():
            entry["cpu_percent"] = round(entry["cpu_percent"], 1)
        return {"wall_seconds_while_publishing": round(wall, 1), "groups": out,
                "committed_per_second_every_5_s": self.committed_per_second()}


def process_groups(ingest: Ingest, broker: Broker, pg, publishers: list[subprocess.Popen]):
    import psutil

    def groups():
        found = {"ingest": [], "mosquitto": [], "postgres_backends": [], "postgres_server": [], "publishers": []}
        if ingest.proc and ingest.proc.poll() is None:
            found["ingest"].append(ingest.proc.pid)
            try:
                found["ingest"] += [c.pid for c in psutil.Process(ingest.proc.pid).children(recursive=True)]
            except psutil.Error:
                pass
        if broker.proc and broker.proc.poll() is None:
            found["mosquitto"].append(broker.proc.pid)
        try:
            postmaster = psutil.Process(pg.postmaster_pid())
            found["postgres_server"].append(postmaster.pid)
            for child in postmaster.children():
                name = " ".join(child.cmdline())
                backend = "bench_monitoring" in name or "postgres@" in name or "@" in name
                found["postgres_backends" if backend else "postgres_server"].append(child.pid)
        except (OSError, ValueError, psutil.Error):
            pass
        found["publishers"] = [p.pid for p in publishers if p.poll() is None]
        return found

    return groups


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))], 1)


def _sql(url: str, statement: str, params=None):
    import psycopg

    for attempt in range(30):
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                cursor = conn.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
        except psycopg.OperationalError:
            if attempt == 29:
                raise
            time.sleep(1)
    return None


def reset(url: str) -> None:
    """Empty readings, aggregates and alarms, and every point back to normal, before a run. A killed ingest's
    statement may still run in its backend (the server notices the dead client only when it answers): it is
    ended first, or the TRUNCATE would wait for it."""
    _sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
              "AND pid <> pg_backend_pid() AND state <> 'idle'")
    _sql(url, "TRUNCATE monitoring_reading, monitoring_minuteaggregate")
    _sql(url, "TRUNCATE monitoring_alarm CASCADE")
    # Every point as having just reported, as in a stream that runs all the time: a point with no reading
    # for its offline window would (rightly) raise an offline alarm, which this benchmark does not count.
    _sql(url, "UPDATE monitoring_pointstatus SET value = NULL, measured_at = now(), received_at = now(), "
              "condition = 'normal', condition_since = NULL, pending_condition = '', pending_since = NULL, "
              "repeat_value = NULL, repeat_count = 0, is_offline = false, is_stuck = false")


def fresh_sessions(port: int, client_ids: list[str]) -> None:
    """Connect once with a clean session as each client, so the broker drops what it still queued for it from an
    earlier run (an ingest that fell behind leaves its backlog in its persistent session); then open the
    ingest's persistent session with its subscription, so that the broker keeps every reading published from
    now on for it, however long the ingest takes to start."""
    import paho.mqtt.client as mqtt

    def visit(client_id: str, clean: bool, topic: str | None = None):
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean,
                             protocol=mqtt.MQTTv311)
        subscribed = threading.Event()
        client.on_subscribe = lambda *_args: subscribed.set()
        client.connect("127.0.0.1", port, keepalive=10)
        client.loop_start()
        deadline = time.monotonic() + 5
        while not client.is_connected() and time.monotonic() < deadline:
            time.sleep(0.02)
        if topic:
            client.subscribe(topic, qos=1)
            subscribed.wait(5)
        client.disconnect()
        client.loop_stop()

    for client_id in client_ids:
        visit(client_id, True)
    visit(INGEST_CLIENT_ID, False, TOPIC)


def readings_in_db(url: str) -> int:
    return _sql(url, "SELECT count(*) FROM monitoring_reading")[0][0]


def run_stream(name: str, args, url: str, pg, broker: Broker, layout, fault: str | None = None,
               seconds: float | None = None) -> dict:
    """One run: fresh ingest, publishers at the rate for ``seconds``, an optional fault at a third of it, then
    the drain and the exact count."""
    seconds = seconds or args.seconds
    run_dir = WORK / "runs" / f"{name}-{datetime.now():%H%M%S}"
    run_dir.mkdir(parents=True, exist_ok=True)
    log(f"run {name}: {seconds:.0f} s at {args.rate:,} readings/s" + (f", fault: {fault}" if fault else ""))
    reset(url)
    fresh_sessions(broker.port, [INGEST_CLIENT_ID, *(f"bench-publisher-{n}" for n in range(args.publishers))])
    ingest = Ingest(ingest_command(args.ingest_command), url, broker.port, run_dir)
    ingest.start()
    time.sleep(args.ingest_warmup)
    listener = Listener(url)
    listener.start()
    rng = random.Random(SEED)
    all_points = [pid for _c, pids, _k in layout for pid in pids]
    wanted = int(args.excursions * seconds)
    chosen = set(rng.sample(all_points, min(wanted, len(all_points))))
    start_at = time.time() + 2
    publishers, outs = [], []
    for worker in range(args.publishers):
        share = layout[worker::args.publishers]
        share_points = sum(len(g[1]) for g in share)
        excursions = {pid: rng.uniform(1, seconds - 1) for _c, pids, _k in share for pid in pids if pid in chosen}
        out = run_dir / f"published-{worker}.json"
        spec = run_dir / f"publisher-{worker}.json"
        spec.write_text(json.dumps({
            "port": broker.port, "client_id": f"bench-publisher-{worker}", "gateways": share,
            "points": share_points, "rate": args.rate * share_points / len(all_points), "seconds": seconds,
            "start_at": start_at, "excursions": excursions, "out": str(out)}))
        publishers.append(subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--publisher-worker",
                                            str(spec)], cwd=ROOT))
        outs.append(out)
    try:
        return _measure(args, url, pg, broker, ingest, listener, publishers, outs, fault, seconds,
                        start_at)
    finally:
        for proc in publishers:
            if proc.poll() is None:
                proc.kill()
        ingest.stop()
        listener.stop_flag.set()


def _measure(args, url, pg, broker, ingest, listener, publishers, outs, fault, seconds, start_at) -> dict:
    sampler = Sampler(process_groups(ingest, broker, pg, publishers), url)
    sampler.start()
    fault_at = start_at + seconds / 3
    fault_log = []
    checkpoint_at = start_at + seconds * args.checkpoint_at if args.checkpoint_at and not fault else None
    checkpoint = None
    wal_before = _sql(url, "SELECT wal_bytes FROM pg_stat_wal")[0][0]
    while any(p.poll() is None for p in publishers):
        if checkpoint_at is not None and time.time() >= checkpoint_at:
            began = time.time()
            _sql(url, "CHECKPOINT")
            checkpoint = {"at_s": round(began - start_at, 1), "took_s": round(time.time() - began, 1)}
            log(f"  CHECKPOINT done in {time.time() - began:.1f} s")
            checkpoint_at = None
        if fault and not fault_log and time.time() >= fault_at:
            began = time.time()
            if fault == "kill_ingest":
                ingest.kill9()
                time.sleep(3)
                ingest.start()
            elif fault == "restart_mosquitto":
                broker.restart()
            elif fault == "restart_postgres":
                pg.restart()
            fault_log.append({"fault": fault, "at_s": round(began - start_at, 1),
                              "took_s": round(time.time() - began, 1)})
            log(f"  {fault} done in {time.time() - began:.1f} s")
        ingest.supervise()
        time.sleep(0.2)
    publish_end = time.time()
    sampler.mark()
    wal_bytes = _sql(url, "SELECT wal_bytes FROM pg_stat_wal")[0][0] - wal_before
    committed_at_end = readings_in_db(url)
    published = [json.loads(out.read_text()) for out in outs]
    total_published = sum(p["records"] for p in published)
    log(f"  published {total_published:,}; committed when publishing stopped {committed_at_end:,}")
    # The drain: wait until every published reading is in, or nothing moved for --drain-idle seconds.
    drain_started = time.time()
    last, last_change = committed_at_end, time.time()
    while True:
        ingest.supervise()
        now_count = readings_in_db(url)
        if now_count >= total_published:
            break
        if now_count != last:
            last, last_change = now_count, time.time()
        elif time.time() - last_change > args.drain_idle:
            break
        if time.time() - drain_started > args.drain_max:
            break
        time.sleep(1)
    drained_in = time.time() - drain_started
    left = total_published - readings_in_db(url)
    time.sleep(2)  # the last alarms' notifications
    sampler.stop_flag.set()
    sampler.join()
    listener.stop_flag.set()
    ingest.stop()
    statuses = ingest.statuses()
    result = {
        "seconds": seconds, "rate_target": args.rate, "fault": fault_log, "checkpoint": checkpoint,
        "published": {
            "readings": total_published, "messages": sum(p["messages"] for p in published),
            "acked_messages": sum(p["acked_messages"] for p in published),
            "not_queued_messages": sum(p["not_queued_messages"] for p in published),
            "readings_per_second": round(total_published / max(max(p["finished"] for p in published) - start_at,
                                                               1e-9)),
            "publisher_max_lag_s": max(p["max_lag_s"] for p in published),
        },
        "committed": {
            "when_publishing_stopped": committed_at_end,
            "backlog_when_publishing_stopped": total_published - committed_at_end,
            "readings_per_second_while_publishing": round(committed_at_end / (publish_end - start_at)),
            "drain_seconds": round(drained_in, 1),
            # Not written when the harness stopped waiting: still queued in the broker (the ingest acknowledges
            # only what it committed), so "lost" below counts them too when this is not 0.
            "not_written_when_the_wait_ended": left,
            "readings_per_second_overall": round(readings_in_db(url) / (publish_end - start_at + drained_in)),
            # Since the ingest started (not meaningful across a PostgreSQL restart, which resets the counter).
            "wal_mb_per_second_while_publishing": round(float(wal_bytes) / 2**20 / (publish_end - start_at), 1),
        },
        "processes": sampler.result(),
        "ingest": {"starts": ingest.starts, "unexpected_exits": ingest.unexpected_exits, "status_files": statuses,
                   "duplicates_ignored": sum(s.get("duplicates", 0) for s in statuses),
                   "alarms_raised": sum(s.get("alarms_raised", 0) for s in statuses)},
        "exact": exact_count(url, published),
        "alarms": alarm_check(url, published, listener),
        "load_average": load_average(),
    }
    log(f"  {json.dumps(result['exact'])}" + (f"; {left:,} not written when the wait ended (queued in the broker, "
                                            "or lost)" if left else ""))
    log(f"  alarms {json.dumps({k: v for k, v in result['alarms'].items() if k != 'samples'})}")
    return result


def exact_count(url: str, published: list[dict]) -> dict:
    """Per point: the readings' count and the sum of their times in the database against what was published."""
    rows = _sql(url, "SELECT point_id, count(*), sum((extract(epoch FROM measured_at) * 1000)::bigint) "
                     "FROM monitoring_reading GROUP BY point_id")
    stored = {pid: (n, int(s)) for pid, n, s in rows}
    expected: dict[int, list[int]] = {}
    for part in published:
        for pid, (n, s) in part["points"].items():
            expected[int(pid)] = [n, s]
    lost = extra = mismatched = 0
    for pid, (n, s) in expected.items():
        got_n, got_s = stored.get(pid, (0, 0))
        lost += max(0, n - got_n)
        extra += max(0, got_n - n)
        if got_n == n and got_s != s:
            mismatched += 1
    unexpected_points = sum(n for pid, (n, _s) in stored.items() if pid not in expected)
    return {"published": sum(n for n, _s in expected.values()), "stored": sum(n for n, _s in stored.values()),
            "lost": lost, "extra": extra + unexpected_points, "points_with_other_times": mismatched}


def alarm_check(url: str, published: list[dict], listener: Listener) -> dict:
    """Each excursion must have raised exactly one alarm at the reading's time; nothing else may have."""
    excursions = {(pid, ms) for part in published for pid, ms in part["excursions"]}
    rows = _sql(url, "SELECT id, point_id, condition, (extract(epoch FROM raised_at) * 1000)::bigint, "
                     "extract(epoch FROM received_at) FROM monitoring_alarm WHERE source = 'sensor'")
    by_key: dict[tuple[int, int], list] = {}
    for pk, point, condition, raised_ms, received in rows:
        by_key.setdefault((point, raised_ms), []).append((pk, condition, received))
    missing = sum(1 for key in excursions if key not in by_key)
    duplicated = sum(len(v) - 1 for key, v in by_key.items() if key in excursions and len(v) > 1)
    # When the publishers stop, every point falls silent: offline alarms raised after that are right, not unexpected.
    stopped_ms = max(part["finished"] for part in published) * 1000
    after_stop = sum(len(v) for k, v in by_key.items()
                     if k not in excursions and k[1] > stopped_ms and all(c == "offline" for _p, c, _r in v))
    unexpected = [{"point": k[0], "raised_ms": k[1], "conditions": [c for _p, c, _r in v]}
                  for k, v in by_key.items()
                  if k not in excursions and not (k[1] > stopped_ms and all(c == "offline" for _p, c, _r in v))]
    unexpected_by_condition: dict[str, int] = {}
    for entry in unexpected:
        for condition in entry["conditions"]:
            unexpected_by_condition[condition] = unexpected_by_condition.get(condition, 0) + 1
    push, commit = [], []
    worst_by_10_s: dict[int, float] = {}  # the run's 10-second windows (by the reading's time): the slowest push
    first_ms = min((ms for _pid, ms in excursions), default=0)
    not_notified = 0
    for (point, raised_ms), found in by_key.items():
        if (point, raised_ms) not in excursions:
            continue
        for pk, _condition, received in found:
            commit.append(float(received) * 1000 - raised_ms)
            arrived = listener.arrivals.get(pk)
            if arrived is None:
                not_notified += 1
            else:
                push.append(arrived * 1000 - raised_ms)
                window = int((raised_ms - first_ms) // 10_000)
                worst_by_10_s[window] = max(worst_by_10_s.get(window, 0.0), round(push[-1], 1))
    return {"excursions": len(excursions), "alarms": len(rows), "missing": missing, "duplicated": duplicated,
            "offline_after_the_stream_stopped": after_stop,
            "unexpected": len(unexpected), "unexpected_by_condition": unexpected_by_condition,
            "unexpected_sample": unexpected[:3], "not_notified": not_notified,
            "notified_again_on_a_change": listener.repeats,
            "listener_reconnects": listener.reconnects,
            "push_latency_ms": {"n": len(push), "p50": percentile(push, 0.5), "p99": percentile(push, 0.99),
                                "max": percentile(push, 1.0),
                                "worst_in_each_10_s": [worst_by_10_s.get(w) for w in range(max(worst_by_10_s, default=-1) + 1)]},
            "commit_latency_ms": {"n": len(commit), "p50": percentile(commit, 0.5),
                                  "p99": percentile(commit, 0.99), "max": percentile(commit, 1.0)}}


#: Fewer readings than this say more about a partition's fixed overhead than about a reading's size.
STORAGE_MIN_READINGS = 1_000_000


def storage_figures(url: str, points: int) -> dict:
    """Bytes per reading on disk (heap, key index, TOAST, free-space and visibility maps of the partitions).
    When the last run left fewer than ``STORAGE_MIN_READINGS`` (an ingest that fell behind), the table is filled
    by SQL instead, as the stream writes it: every point once a second, in arrival order (by time, then point)."""
    filled = False
    if readings_in_db(url) < STORAGE_MIN_READINGS:
        seconds = -(-STORAGE_MIN_READINGS * 2 // points)
        _sql(url, "TRUNCATE monitoring_reading")
        _sql(url, "INSERT INTO monitoring_reading (point_id, measured_at, value) "
                  "SELECT p.id, date_trunc('second', now()) - make_interval(secs => s), 50 + random() "
                  "FROM generate_series(1, %s) s CROSS JOIN (SELECT id FROM monitoring_monitoringpoint) p "
                  "ORDER BY s DESC, p.id", [seconds])
        filled = True
    rows = _sql(url, "SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), "
                     "pg_indexes_size(c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     "WHERE i.inhparent = 'monitoring_reading'::regclass")
    count = readings_in_db(url)
    total = sum(r[1] for r in rows)
    per = total / count if count else None
    month = 30 * 86400
    district, province = 5_000 * month / 10, 50_000 * month

    def gib(readings):
        return round(readings * per / 2**30, 1) if per else None

    return {"readings": count, "filled_by_sql": filled, "partitions": {r[0]: {"total": r[1], "heap": r[2], "indexes": r[3]} for r in rows},
            "bytes_total": total, "bytes_per_reading": round(per, 1) if per else None,
            "heap_bytes_per_reading": round(sum(r[2] for r in rows) / count, 1) if count else None,
            "index_bytes_per_reading": round(sum(r[3] for r in rows) / count, 1) if count else None,
            "district_30_days": {"readings": int(district), "gib": gib(district)},
            "province_30_days": {"readings": int(province), "gib": gib(province)}}


# --------------------------------------------------------------------------------------------- main


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publisher-worker", help=argparse.SUPPRESS)
    parser.add_argument("--only", default="sustained,storage,latency,faults",
                        help="comma-separated: sustained, storage, latency, faults")
    parser.add_argument("--seconds", type=float, default=300, help="the sustained run")
    parser.add_argument("--latency-seconds", type=float, default=60)
    parser.add_argument("--fault-seconds", type=float, default=60, help="each fault run")
    parser.add_argument("--faults", default="kill_ingest,restart_mosquitto,restart_postgres")
    parser.add_argument("--rate", type=int, default=RATE_TARGET, help="readings per second, all publishers")
    parser.add_argument("--publishers", type=int, default=1)
    parser.add_argument("--excursions", type=float, default=5, help="excursions per second")
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--gateways", type=int, default=5_000)
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--postgres", choices=("own", "machine"), default="own")
    parser.add_argument("--pg-settings", choices=("ingest", "initdb"), default="ingest",
                        help="the own cluster: the README's settings for the ingest box, or initdb's")
    parser.add_argument("--checkpoint-at", type=float, default=0.5,
                        help="force a CHECKPOINT at this share of each run without a fault (0: none), so that "
                             "the run's latency covers the full-page images after one")
    parser.add_argument("--mqtt-port", type=int, default=MQTT_PORT)
    parser.add_argument("--mqtt-inflight", type=int, default=60_000,
                        help="the broker's max_inflight_messages (the README's production value by default)")
    parser.add_argument("--ingest-command", help="instead of `shouye ingest` (the harness adds --url etc.)")
    parser.add_argument("--ingest-warmup", type=float, default=3, help="seconds between starting it and publishing")
    parser.add_argument("--drain-idle", type=float, default=20, help="give up draining after this long idle")
    parser.add_argument("--drain-max", type=float, default=180,
                        help="stop waiting for the backlog after this long (what is left is reported as queued)")
    args = parser.parse_args(argv)
    if args.publisher_worker:
        publisher_worker(args.publisher_worker)
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that the broker and the ingest are stopped
    load_at_start = load_average()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.postgres == "own":
        pg, url = OwnPostgres(INGEST_PG_SETTINGS if args.pg_settings == "ingest" else {}), OWN_DATABASE_URL
    else:
        pg, url = MachinePostgres(), os.environ.get("BENCH_DATABASE_URL",
                                                    "postgres://postgres@127.0.0.1:5432/bench_monitoring")
    pg.start()
    ensure_postgres_database(url)
    from bench.hazard_ledger import setup_django

    setup_django(url)
    log(f"Preparing {display_url(url)} …")
    prepared = prepare(args.enterprises, args.gateways, args.points)
    layout = load_layout()
    broker = Broker(args.mqtt_port, args.mqtt_inflight)
    broker.start()
    only = set(args.only.split(","))
    body: dict = {"settings": vars(args) | {"database": display_url(url)}, "prepared": prepared,
                  "postgres": _sql(url, "SELECT version()")[0][0],
                  "postgres_settings": dict(_sql(url, "SELECT name, setting FROM pg_settings WHERE name IN "
                                                      "('shared_buffers', 'synchronous_commit', 'fsync', "
                                                      "'wal_level', 'autovacuum', 'max_wal_size', "
                                                      "'checkpoint_timeout', 'wal_compression')"))}
    targets = []
    try:
        if "sustained" in only:
            body["sustained"] = run_stream("sustained", args, url, pg, broker, layout)
            rate = body["sustained"]["committed"]["readings_per_second_while_publishing"]
            targets.append({"name": "readings/s committed while publishing, sustained", "value": rate,
                            "min": RATE_TARGET, "pass": rate >= RATE_TARGET and args.seconds >= 300})
            p99 = body["sustained"]["alarms"]["push_latency_ms"]["p99"]
            targets.append({"name": "reading → alarm pushed p99 (ms), the whole sustained run", "value": p99,
                            "max": LATENCY_P99_MAX_MS,
                            "pass": p99 is not None and p99 <= LATENCY_P99_MAX_MS and args.rate >= RATE_TARGET})
        if "storage" in only:
            body["storage"] = storage_figures(url, args.points)
        if "latency" in only:
            body["latency"] = run_stream("latency", args, url, pg, broker, layout, seconds=args.latency_seconds)
            p99 = body["latency"]["alarms"]["push_latency_ms"]["p99"]
            targets.append({"name": "reading → alarm pushed p99 (ms)", "value": p99, "max": LATENCY_P99_MAX_MS,
                            "pass": p99 is not None and p99 <= LATENCY_P99_MAX_MS and args.rate >= RATE_TARGET})
        if "faults" in only:
            body["faults"] = {}
            for fault in args.faults.split(","):
                run = run_stream(f"fault-{fault}", args, url, pg, broker, layout, fault=fault,
                                 seconds=args.fault_seconds)
                body["faults"][fault] = run
                exact, alarms = run["exact"], run["alarms"]
                ok = (exact["lost"] == 0 and exact["extra"] == 0 and exact["points_with_other_times"] == 0
                      and alarms["missing"] == 0 and alarms["duplicated"] == 0 and alarms["unexpected"] == 0)
                targets.append({"name": f"zero lost, zero duplicated readings and alarms: {fault} at {args.rate:,}/s",
                                "value": {"lost": exact["lost"], "extra": exact["extra"],
                                          "alarms_missing": alarms["missing"],
                                          "alarms_duplicated": alarms["duplicated"]}, "pass": ok})
    finally:
        broker.stop()
    report = write_report("monitoring_ingest", load_at_start=load_at_start, targets=targets, body=body)
    for target in targets:
        log(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['value']}")
    if "storage" in body:
        s = body["storage"]
        log(f"storage: {s['bytes_per_reading']} B/reading; 30 days: district {s['district_30_days']['gib']} GiB, "
            f"province {s['province_30_days']['gib']} GiB")
    log(f"Report: {', '.join(report['files'])}")


if __name__ == "__main__":
    main()
