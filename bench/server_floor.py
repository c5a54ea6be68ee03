"""The HTTP server's own CPU a post, with no application behind it (issue 13, video intake: where gunicorn's
share of a post goes). A hello-world app answers each POST with 202, under gunicorn's gthread workers (what the
README deploys) or under uvicorn's worker for gunicorn (ASGI), and the video bench's load generator posts to it
open-loop; reported per mode and rate: posts/s, p50/p99 from the time due, CPU ms a post of the server and of the
generator.

uvicorn is not a dependency of the project, so the servers run from a scratch environment:

    python3 -m venv /tmp/floorenv && /tmp/floorenv/bin/pip install gunicorn uvicorn-worker 'uvicorn[standard]'
    .venv/bin/python bench/server_floor.py --gunicorn /tmp/floorenv/bin/gunicorn
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BODY = b'{"status":"accepted","event":1}'


def wsgi(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("202 Accepted", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]


async def asgi(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 202,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]})
    await send({"type": "http.response.body", "body": BODY})


MODES = {"gthread": ["-k", "gthread", "--threads", "8", "bench.server_floor:wsgi"],
         "uvicorn": ["-k", "uvicorn_worker.UvicornWorker", "bench.server_floor:asgi"]}


def measure(gunicorn: str, mode: str, rate: float, seconds: float, port: int, workers: int) -> dict:
    # Here, not at the top: the servers import this module for its apps, in an environment without these.
    import psutil

    from bench.monitoring_ingest import _wait_port as wait_port
    from bench.video_intake import _load

    server = subprocess.Popen([gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{port}", *MODES[mode]], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        time.sleep(1)
        processes = [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]
        body = b'{"event_id":"x","device_id":"cam","type":"smoking"}'
        request = (f"POST /api/v1/alarms/intake/v/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        before = sum(sum(p.cpu_times()[:2]) for p in processes)
        generator = time.process_time()
        result = asyncio.run(_load(port, [request] * int(rate / 2 * seconds), rate, 0.5, 64, seconds * 3))
        generator = time.process_time() - generator
        server_cpu = sum(sum(p.cpu_times()[:2]) for p in processes) - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    due, posts = sorted(result["from_due"]), len(result["from_due"])
    return {"mode": mode, "rate": rate, "posts_per_s": round(posts / result["elapsed"]),
            "p50_ms": round(due[posts // 2] * 1000, 1), "p99_ms": round(due[int(posts * 0.99)] * 1000, 1),
            "server_cpu_ms_per_post": round(server_cpu / posts * 1000, 3),
            "generator_cpu_ms_per_post": round(generator / posts * 1000, 3), "answers": result["answers"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gunicorn", default="gunicorn", help="gunicorn of an environment with uvicorn-worker")
    parser.add_argument("--rates", default="2000,4000")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args()
    for mode in MODES:
        for rate in (float(r) for r in args.rates.split(",")):
            print(json.dumps(measure(args.gunicorn, mode, rate, args.seconds, args.port, args.workers)), flush=True)


if __name__ == "__main__":
    main()
