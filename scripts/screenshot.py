"""Takes the README's screenshots of the demo district, in Chinese: the workbench of a township officer on a
phone (390×844), the duty room's cockpit (1920×1080) and the district map (1280×800), each once its charts or
map layers are drawn.

    .venv/bin/python scripts/screenshot.py [--output-dir docs]

The demo is built in a throw-away SQLite database (var/ and DATABASE_URL are left alone), served from a
thread of this process, and photographed with Debian's Chromium (scripts/ensure-test-deps.sh installs it
with the CJK fonts; without them Chinese shows as empty boxes)."""

from __future__ import annotations

import argparse
import io
import logging
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: ECharts animates a chart's first drawing for 1 s (its default animationDuration); the picture waits it out.
CHART_ANIMATION_MS = 1500


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def build_demo(var_dir: str) -> None:
    os.environ["SHOUYE_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from shouye.enterprises.demo import load_demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("compilecatalog", stdout=io.StringIO())
    load_demo()


def serve() -> str:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    application = StaticFilesHandler(get_wsgi_application())
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the browser's favicon.ico request answers 404
    server = make_server("127.0.0.1", 0, application, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


@dataclass(frozen=True)
class Shot:
    """One picture: who signs in, which page, the window size, and what must be on the page before it is taken
    (a JavaScript expression that becomes true)."""

    file: str
    username: str
    path: str
    viewport: dict
    ready: str


CHARTS_DRAWN = ("document.querySelectorAll('[data-chart] canvas').length === "
                "document.querySelectorAll('[data-chart]').length")
SHOTS = [
    Shot("screenshot-workbench.png", "mashan", "/", {"width": 390, "height": 844}, "document.readyState === 'complete'"),
    Shot("screenshot-cockpit.png", "leader", "/cockpit/", {"width": 1920, "height": 1080}, CHARTS_DRAWN),
    Shot("screenshot-map.png", "staff", "/map/", {"width": 1280, "height": 800},
         "document.querySelectorAll('.leaflet-overlay-pane path, .leaflet-marker-icon').length > 10"),
]


def photograph(base_url: str, output_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from shouye.enterprises.demo import DEMO_PASSWORD

    written = []
    output_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for shot in SHOTS:
            # bypass_csp: Playwright polls a waiting condition with eval, which the site's policy forbids.
            context = browser.new_context(base_url=base_url, viewport=shot.viewport, locale="zh-CN",
                                          timezone_id="Asia/Shanghai", bypass_csp=True)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("#id_username", shot.username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("form:has(#id_password) button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            page.goto(shot.path)
            page.wait_for_function(shot.ready)
            page.wait_for_timeout(CHART_ANIMATION_MS)
            path = output_dir / shot.file
            page.screenshot(path=path)
            written.append(path)
            context.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="shouye-screenshot-")
    try:
        build_demo(var_dir)
        written = photograph(serve(), args.output_dir.resolve())
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    for path in written:
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
