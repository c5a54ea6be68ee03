"""The one way a benchmark writes its results: a JSON report under bench/results/ (gitignored) with when and
where it ran, the machine's load before and after (a loaded machine explains a slow figure), the targets
each with its measured value and whether it passed, and the benchmark's own measurements — and how fast the
machine ran plain Python when it finished (:func:`python_loop_seconds`): these machines are shared, and the
same loop took from 0.44 to 0.70 s within one minute on one of them, so a figure compares with another's only
beside it."""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def python_loop_seconds(repeat: int = 3) -> float:
    """Seconds one core takes for ten million additions in a Python loop, the best of ``repeat``: the machine's
    speed for code like the platform's, measured the same way in every report."""
    best = float("inf")
    for _ in range(repeat):
        started, total = time.perf_counter(), 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def write_report(benchmark: str, *, load_at_start: list[float], targets: list[dict], body: dict,
                 also: tuple[str, ...] = ()) -> dict:
    """Write ``bench/results/<benchmark>-<timestamp>.json`` (and each name in ``also``, e.g. latest.json)
    and return the report. ``body`` holds the benchmark's settings and measurements, placed between the
    environment and the file names."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    paths = [RESULTS_DIR / f"{benchmark}-{stamp}.json", *(RESULTS_DIR / name for name in also)]
    report = {
        "benchmark": benchmark,
        "timestamp": datetime.now().astimezone().isoformat(timespec="seconds"),
        "environment": {"python": platform.python_version(), "machine": platform.machine(),
                        "cpus": os.cpu_count(), "settings": {"DEBUG": False},
                        "load_average_at_start": load_at_start, "load_average_at_end": load_average(),
                        "python_loop_s_at_end": python_loop_seconds()},
        "targets": targets,
        **body,
        "files": [str(path.relative_to(ROOT)) for path in paths],
        "all_targets_met": all(target["pass"] for target in targets),
    }
    text = json.dumps(report, ensure_ascii=False, indent=1, default=str)
    for path in paths:
        path.write_text(text)
    return report
