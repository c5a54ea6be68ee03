"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server, which also
serves the static files (Bootstrap, ECharts, Leaflet) through django.contrib.staticfiles.

Every test writes its screenshots to ``test-artifacts/browser/`` at the repository root, one file per step,
and one more named ``…-failed.png`` when it fails."""

import os

# Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls from a thread with a
# running loop unless told the mix is deliberate (the live server answers requests from its own thread).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.apps import apps as django_apps  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from shouye.enterprises import reference_data  # noqa: E402
from shouye.enterprises.demo import DEMO_PASSWORD, load_demo, load_regions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
#: No downloads, no background traffic, no GPU: the browser must work on a closed intranet CI machine.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Long enough for a slow CI machine, short enough that a missing element fails the run quickly.
WAIT_MS = 15_000

#: 40 demo enterprises spread evenly over the ten townships: 4 in each.
DEMO_COUNT = 40

expect.set_options(timeout=WAIT_MS)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/ensure-test-deps.sh` (installs Debian's chromium).")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, settings):
    """The demo district, its accounts (password ``Shouye@2026``) and 40 enterprises. The live server needs
    a transactional database, which is flushed after each test, taking the data migrations' reference rows
    with it; they are loaded again here (every loader is idempotent). Passwords are hashed with a fast
    hasher: PBKDF2's cost protects stored passwords, not test data, and would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data.load(django_apps)
    load_regions()
    load_demo(count=DEMO_COUNT)


@dataclass
class Visit:
    """One browser tab of one test: navigation by URL name, sign-in through the real form, screenshots named
    after the step, and the JavaScript errors the page raised."""

    page: Page
    prefix: str
    errors: list[str] = field(default_factory=list)

    def open(self, url_name: str, **kwargs) -> None:
        self.page.goto(reverse(url_name, kwargs=kwargs or None))

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.open("accounts:login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.locator("form:has(#id_password) button[type=submit]").click()
        expect(self.page.get_by_test_id("current-user")).to_be_attached()

    def shot(self, step: str) -> Path:
        path = ARTEFACTS / f"{self.prefix}-{step}.png"
        self.page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def visit(chromium, live_server, demo, request):
    """Opens a tab at the live server: ``visit()`` for a desktop, ``visit(PHONE)`` for a phone."""
    contexts = []
    visits = []

    def open_tab(viewport: dict = DESKTOP) -> Visit:
        context = chromium.new_context(base_url=live_server.url, viewport=viewport, locale="zh-CN",
                                       timezone_id="Asia/Shanghai", accept_downloads=True)
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        tab = Visit(page=context.new_page(), prefix=request.node.name.removeprefix("test_"))
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        visits.append(tab)
        return tab

    yield open_tab
    if getattr(request.node, "browser_failed", False):
        for number, tab in enumerate(visits, start=1):
            tab.shot("failed" if len(visits) == 1 else f"failed-{number}")
    for context in contexts:
        context.close()
