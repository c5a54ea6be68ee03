"""The `shouye` console command: wraps manage.py and adds a few verbs of its own.

    shouye up                 migrate, load the demo on first start, run web + Celery worker + beat, the video
                              intake's processor, and the readings' ingest (with an embedded MQTT broker and
                              the demo's simulated gateways when SHOUYE_MQTT_URL is empty)
    shouye serve [ADDR:PORT]  the web server only
    shouye demo               load the demo district
    shouye audit verify       check the audit trail's chain with its key and its anchors
    shouye ingest             receive monitoring readings over MQTT (--url, --client-id, --topic, --status-file)
    shouye intake             make alarms of the video events the intake accepted, as they arrive
    shouye rules NAME --json '{...}'   one regulatory rule as JSON in, JSON out
    shouye <any manage.py command>     e.g. shouye migrate, shouye createsuperuser
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_env() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def _manage(args: list[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["shouye", *args])
    return 0


def _up(args: list[str]) -> int:
    """Everything the one-command run needs, in the foreground; Ctrl-C stops all of it."""
    from django.conf import settings

    address = args[0] if args else os.environ.get("SHOUYE_ADDR", "127.0.0.1:8000")
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    for step in (["migrate", "--no-input", "-v", "0"], ["compilecatalog"], ["demo", "--if-empty"]):
        subprocess.run([*manage, *step], check=True)
    celery = [python, "-m", "celery", "-A", "config"]
    processes = [
        subprocess.Popen([*manage, "runserver", address, "--noreload"]),
        subprocess.Popen([*celery, "worker", "--loglevel", "INFO", "--concurrency", "2", "--pool", "threads"]),
        subprocess.Popen([*celery, "beat", "--loglevel", "INFO",
                          "--schedule", str(Path(settings.VAR_DIR) / "celerybeat-schedule")]),
        subprocess.Popen([*manage, "intake"]),
    ]
    processes += _monitoring(manage, settings)
    print(f"\n守夜 Shouye is running at http://{address}/  (Ctrl-C stops all of it)\n")
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(p.poll() is None for p in processes):
        time.sleep(0.5)
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return 0 if stopping else 1


def _monitoring(manage: list[str], settings) -> list[subprocess.Popen]:
    """The readings' intake: ``shouye ingest`` on the configured broker; with none configured, an embedded broker
    of its own (``shouye broker``) and the demo's gateways (``shouye simulate``) publishing to it."""
    if settings.SHOUYE_MQTT_URL:
        return [subprocess.Popen([*manage, "ingest"])]
    port = settings.SHOUYE_MQTT_EMBEDDED_PORT
    url = f"mqtt://127.0.0.1:{port}"
    broker = subprocess.Popen([*manage, "broker", "--port", str(port)])
    _wait_for_port(port, broker)
    return [broker, subprocess.Popen([*manage, "ingest", "--url", url]),
            subprocess.Popen([*manage, "simulate", "--url", url])]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    """Until the broker accepts connections (or has exited, which the supervising loop then reports)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "rules":
        from shouye.rules.cli import main as rules_main

        return rules_main(rest, sys.stdin)
    _setup_env()
    import django

    django.setup()
    if command == "up":
        return _up(rest)
    if command == "serve":
        return _manage(["runserver", *(rest or ["127.0.0.1:8000"])])
    return _manage(argv)


if __name__ == "__main__":
    sys.exit(main())
