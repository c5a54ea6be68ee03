"""First meaningful paint of the one map (一张图, issue 10) in Debian's Chromium: signed in, the time from
navigation to the moment the townships' outlines and every layer that is on are drawn (the page's
``shouye-map-ready`` performance mark), and the first contentful paint, at a desktop and a phone viewport.

    .venv/bin/python manage.py runserver 127.0.0.1:8765 &      # on a database with `shouye demo` loaded
    .venv/bin/python bench/map_paint.py --base http://127.0.0.1:8765 --username staff

Writes bench/results/map_paint-<time>.json; the target is ≤ 1 s (issue 10)."""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import load_average, write_report  # noqa: E402

TARGET_MS = 1000.0
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORTS = {"desktop": {"width": 1920, "height": 1080}, "phone": {"width": 390, "height": 844}}


def measure(base: str, username: str, password: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, viewport in VIEWPORTS.items():
            context = browser.new_context(base_url=base, viewport=viewport, locale="zh-CN")
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.locator("form:has(#id_password) button[type=submit]").click()
            page.wait_for_load_state()
            ready, contentful = [], []
            for _ in range(runs):
                page.goto("/map/")
                page.wait_for_function("() => performance.getEntriesByName('shouye-map-ready').length > 0")
                ready.append(page.evaluate("() => performance.getEntriesByName('shouye-map-ready')[0].startTime"))
                contentful.append(page.evaluate(
                    "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0"))
            results[name] = {"runs": runs, "map_ready_ms": {"p50": round(statistics.median(ready), 1),
                                                            "max": round(max(ready), 1)},
                             "first_contentful_paint_ms": {"p50": round(statistics.median(contentful), 1)}}
            context.close()
        browser.close()
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--username", default="staff")
    parser.add_argument("--password", default="Shouye@2026")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    load_at_start = load_average()
    results = measure(args.base, args.username, args.password, args.runs)
    targets = [{"name": f"{name}: map drawn (p50) ≤ {TARGET_MS:.0f} ms", "value": result["map_ready_ms"]["p50"],
                "pass": result["map_ready_ms"]["p50"] <= TARGET_MS} for name, result in results.items()]
    report = write_report("map_paint", load_at_start=load_at_start, targets=targets,
                          body={"settings": vars(args) | {"password": "***"}, "results": results})
    for target in targets:
        print(f"{'PASS' if target['pass'] else 'FAIL'}  {target['name']}: {target['value']}")
    print(f"Report: {', '.join(report['files'])}")


if __name__ == "__main__":
    main()
