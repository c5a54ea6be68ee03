"""The README's production set-up ("Production example: PostgreSQL + Redis + gunicorn + nginx"), run for real
on this machine: its environment variables, then its commands — ``shouye migrate``, ``collectstatic
--no-input``, ``compilecatalog``, ``check --deploy``, gunicorn and the video intake's gunicorn — against a
PostgreSQL database and Redis databases of its own, which are created before and dropped after. Used by
``scripts/prod_smoke.py`` (CI) and ``bench/mixed_load.py``.

Requests go to gunicorn on a free port of 127.0.0.1 as the README's nginx passes them on: with the site's
host name, ``X-Forwarded-Proto: https`` and ``X-Forwarded-For``. The client below acts as a browser would
behind that nginx: it keeps the cookies (the secure ones too, since the browser's side is HTTPS), sends the
CSRF token and the ``Origin`` of the site with every unsafe request.

The commands are the ``shouye`` and ``gunicorn`` beside the Python that runs this (``.venv/bin/`` in the
README), with ``PYTHONPATH`` set to this checkout, so that they run this checkout's code even when the
virtual environment was installed from another one."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: The README's host name; only the Host header carries it.
HOST = "shouye.example.gov.cn"
ORIGIN = f"https://{HOST}"
#: The PostgreSQL server and Redis of the README's example (this machine's), without a database name.
POSTGRES = os.environ.get("SHOUYE_PROD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("SHOUYE_PROD_REDIS", "redis://127.0.0.1:6379")
#: Threads per gunicorn worker (the README's deployment).
THREADS = 8
#: Long enough for a loaded two-core machine to start gunicorn's workers.
START_TIMEOUT_S = 120


class SiteFailure(Exception):
    """A step of the production set-up, or a check against the running site, failed; the message says
    which and shows what the command printed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


@dataclass
class Site:
    """The production site of one database: ``with Site("h_smoke") as site: site.client().get("/")``.

    ``redis_db`` is the first of two Redis databases it uses (the README's broker and cache: 0 and 1 there),
    flushed before and after, so that a run never meets another's throttle counts or queued tasks."""

    database: str
    redis_db: int = 14
    workers: int = 4
    demo_count: int = 20
    log: object = print
    port: int = field(default_factory=free_port)
    #: The video intake's server (README, "The intake's own server"): nginx passes its route there.
    intake_port: int = field(default_factory=free_port)
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix=f"{self.database}-"))
        self.gunicorn: subprocess.Popen | None = None
        self.intake: subprocess.Popen | None = None
        self.logs: list[Path] = []
        # The README's "once" step: the audit key in a file only the application's user reads.
        key_file = self.folder / "audit-key"
        key_file.write_text(secrets.token_urlsafe(48) + "\n")
        key_file.chmod(0o600)
        self.env = {
            **os.environ,
            # The README's production example, with this run's own database, Redis databases and folders.
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": ORIGIN,
            "SHOUYE_TRUSTED_PROXIES": "127.0.0.1,::1",
            "DATABASE_URL": f"{POSTGRES}/{self.database}",
            "DB_CONN_MAX_AGE": "60",
            "CELERY_BROKER_URL": f"{REDIS}/{self.redis_db}",
            "REDIS_CACHE_URL": f"{REDIS}/{self.redis_db + 1}",
            "STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "SHOUYE_MEDIA_ACCEL_REDIRECT": "/protected-media/",
            "SHOUYE_AUDIT_KEY_FILE": str(self.folder / "audit-key"),
            "SHOUYE_AUDIT_ANCHOR_FILE": str(self.folder / "audit-anchor.log"),
            # Not the README's: this checkout's code, whichever checkout the virtual environment came from.
            "PYTHONPATH": str(ROOT),
        }

    # ------------------------------------------------------------------------------------------- set-up
    def __enter__(self) -> Site:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self._timed("database", self._create_database)
        self._timed("redis", self._flush_redis)
        shouye = str(BIN / "shouye")
        self._run("migrate", [shouye, "migrate", "--no-input"])
        self._run("collectstatic", [shouye, "collectstatic", "--no-input"])
        self._run("compilecatalog", [shouye, "compilecatalog"])
        # --fail-level WARNING: the README's settings must leave nothing to warn about.
        self._run("check --deploy", [shouye, "check", "--deploy", "--fail-level", "WARNING"])
        self._run("demo", [shouye, "demo", "--count", str(self.demo_count)])
        self._timed("gunicorn", self._start_gunicorn)
        self._timed("intake server", self._start_intake)

    def manage(self, step: str, *args: str) -> str:
        """One more ``shouye`` command against this site's database (the benchmark's users)."""
        return self._run(step, [str(BIN / "shouye"), *args])

    def _timed(self, step: str, function):
        started = time.monotonic()
        result = function()
        self.timings[step] = round(time.monotonic() - started, 2)
        self.log(f"  {step:<16} {self.timings[step]:6.1f} s")
        return result

    def _run(self, step: str, command: list[str]) -> str:
        def run():
            done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)
            if done.returncode != 0:
                raise SiteFailure(f"`{Path(command[0]).name} {' '.join(command[1:])}` "
                                  f"failed (exit {done.returncode}):\n{tail(done.stdout + done.stderr)}")
            return done.stdout

        return self._timed(step, run)

    def _admin_connection(self):
        return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True)

    def _create_database(self) -> None:
        with self._admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.database}"')

    def _flush_redis(self) -> None:
        for number in (self.redis_db, self.redis_db + 1):
            redis.Redis.from_url(f"{REDIS}/{number}").flushdb()

    def _start_gunicorn(self) -> None:
        # gthread workers, as the README runs them: the alarm board's event stream holds a thread, not a worker.
        self.gunicorn = self._serve("gunicorn", ["config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                                                 "--workers", str(self.workers), "--worker-class", "gthread",
                                                 "--threads", str(THREADS)])
        self._wait_for("gunicorn", self.gunicorn, lambda: self.client().request("GET", "/accounts/login/").status
                       == 200 and self._workers_up())

    def _start_intake(self) -> None:
        # The README's intake server: the ASGI application under uvicorn's worker.
        self.intake = self._serve("intake", ["config.asgi", "--bind", f"127.0.0.1:{self.intake_port}",
                                             "--workers", str(self.workers),
                                             "--worker-class", "uvicorn_worker.UvicornWorker"])
        self._wait_for("the intake server", self.intake,
                       lambda: Client(self.intake_port).request("POST", "/api/v1/alarms/intake/x/").status == 401)

    def _serve(self, name: str, arguments: list[str]) -> subprocess.Popen:
        log_file = self.folder / f"{name}.log"
        self.logs.append(log_file)
        with log_file.open("w") as log:
            return subprocess.Popen([str(BIN / "gunicorn"), *arguments], cwd=ROOT, env=self.env, stdout=log,
                                    stderr=subprocess.STDOUT)

    def _wait_for(self, name: str, server: subprocess.Popen, answers) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SiteFailure(f"{name} exited ({server.returncode}):\n{self.server_log()}")
            try:
                if answers():
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SiteFailure(f"{name} did not answer within {START_TIMEOUT_S} s:\n{self.server_log()}")

    def _workers_up(self) -> bool:
        return len(self.worker_pids()) == self.workers

    def server_log(self, lines: int = 40) -> str:
        """The last lines each gunicorn and Django wrote (tracebacks of failed requests among them)."""
        return "\n".join(f"{log.name}:\n{tail(log.read_text(), lines)}" for log in self.logs if log.exists())

    # ---------------------------------------------------------------------------------------- tear-down
    def stop(self) -> None:
        for server in (self.gunicorn, self.intake):
            if server and server.poll() is None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        try:
            with self._admin_connection() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self._flush_redis()
        finally:
            subprocess.run(["rm", "-rf", str(self.folder)], check=False)

    # -------------------------------------------------------------------------------------- the server
    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the master's children, from /proc."""
        if not self.gunicorn:
            return []
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def rss_kib(self) -> dict:
        """Resident memory of the master and of each worker (KiB), and their sum."""
        def rss(pid: int) -> int:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return 0
            return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))

        workers = {str(pid): rss(pid) for pid in self.worker_pids()}
        master = rss(self.gunicorn.pid)
        return {"master": master, "workers": workers, "total": master + sum(workers.values())}

    def client(self) -> Client:
        return Client(self.port)

    def intake_client(self) -> Client:
        """A vendor's platform posting through nginx to the intake's server."""
        return Client(self.intake_port)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """A browser behind the README's nginx: cookies, CSRF, Origin; one connection per request (gunicorn's
    sync workers close it after each answer)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Response:
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1",
                "User-Agent": "shouye-prod-check", "Accept-Language": "zh-hans"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.token:
            sent["Authorization"] = f"Token {self.token}"
        if method not in ("GET", "HEAD"):
            sent["Origin"] = ORIGIN
            sent["Referer"] = ORIGIN + path
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return Response(answer.status, answer.headers, content, seconds)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict) -> Response:
        return self.request("POST", path, body=urlencode(fields).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, data: dict) -> Response:
        return self.request("POST", path, body=json.dumps(data).encode(),
                            headers={"Content-Type": "application/json", "Accept": "application/json"})

    def post_multipart(self, path: str, fields: dict, files: dict[str, tuple[str, str, bytes]]) -> Response:
        """``files``: field name → (file name, content type, content)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content_type, content) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, body=b"".join(parts),
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                     "Accept": "application/json"})

    def sign_in(self, username: str, password: str) -> Response:
        """The sign-in form as a browser sends it: the page first (CSRF cookie and field), then the POST."""
        page = self.get("/accounts/login/")
        if page.status != 200:
            raise SiteFailure(f"GET /accounts/login/ answered {page.status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not token:
            raise SiteFailure("the sign-in page has no CSRF field")
        answer = self.post_form("/accounts/login/", {"csrfmiddlewaretoken": token.group(1), "username": username,
                                                     "password": password, "next": "/"})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise SiteFailure(f"signing in as {username} answered {answer.status}, not a redirect with a session:"
                              f"\n{tail(answer.text, 15)}")
        return answer
