"""Takes the README's screenshot: the home page of the demo district as the bureau administrator sees it, in
Chinese, 1280×800, with its charts drawn.

    .venv/bin/python scripts/screenshot.py [--output docs/screenshot.png]

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
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}
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


def photograph(base_url: str, output: Path) -> None:
    from playwright.sync_api import sync_playwright

    from shouye.enterprises.demo import DEMO_PASSWORD

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base_url, viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
        page.goto("/accounts/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form:has(#id_password) button[type=submit]")
        page.wait_for_function("document.querySelectorAll('[data-chart] canvas').length === "
                               "document.querySelectorAll('[data-chart]').length")
        page.wait_for_timeout(CHART_ANIMATION_MS)
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=output)
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="shouye-screenshot-")
    try:
        build_demo(var_dir)
        photograph(serve(), args.output.resolve())
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
