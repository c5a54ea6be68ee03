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
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from pytest_django.live_server_helper import LiveServer  # noqa: E402

from shouye.enterprises.demo import DEMO_PASSWORD, load_demo, load_regions  # noqa: E402
from tests.conftest import TEST_AUDIT_KEY  # noqa: E402

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
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        _keep_snapshots(snapshots)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _keep_snapshots(snapshots: dict) -> None:
    """Playwright's sync API leaves an event loop running in the test's thread, and from then on Django hands
    this thread (asgiref's Local, as in async code) new connection objects, without the database snapshot the
    test set-up took: every serialized rollback after it, browser test or not, would silently restore nothing
    and leave a flushed database. The snapshot is handed on to them."""
    for alias, contents in snapshots.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents


def _back_to_migrated(snapshot: str) -> None:
    """Empty the database without the post-migrate handlers (they would recreate the content types under new
    ids) and load the migrated state back: what a serialized rollback does, for the tests after these."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0)
    connection.creation.deserialize_db_from_string(snapshot)
    with connection.cursor() as cursor:  # the restored rows keep their ids: sequences past them, as loaddata does
        for statement in connection.ops.sequence_reset_sql(no_style(), django_apps.get_models()):
            cursor.execute(statement)


@pytest.fixture
def _django_db_helper():
    """pytest-django's per-test database handling, left out: a browser test works on the committed demo
    district (``demo``), which no transaction wraps and no flush empties after each test. The ``django_db``
    mark the collection gives these tests (tests/conftest.py) only makes the test database exist."""
    yield


@pytest.fixture(scope="session")
def server(chromium, django_db_setup):
    """The site on a live server in a thread of its own, for the whole run (pytest-django's ``live_server``
    would make every test transactional, flushing the district after each one)."""
    site = LiveServer("localhost")
    site._live_server_modified_settings.enable()
    yield site
    site._live_server_modified_settings.disable()
    site.stop()


@pytest.fixture(scope="package")
def district_media(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(scope="package")
def demo_district(chromium, django_db_setup, django_db_blocker, district_media):
    """The demo district, its accounts (password ``Shouye@2026``) and 40 enterprises, loaded once for all the
    browser tests of a worker (they run on one worker: the ``browser`` xdist group), committed so that the
    live server sees it. Each test adds its own rows on top and must not count on another's. Afterwards the
    database goes back to its migrated state for the tests that follow. Passwords are hashed with a fast
    hasher: PBKDF2's cost protects stored passwords, not test data."""
    settings_during = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=district_media,
        SHOUYE_AUDIT_ANCHOR_FILE=str(district_media / "audit-anchor.log"), SHOUYE_AUDIT_KEY=TEST_AUDIT_KEY,
        SHOUYE_AUDIT_KEY_FILE="", CELERY_TASK_ALWAYS_EAGER=True, LANGUAGE_CODE="zh-hans")
    with django_db_blocker.unblock(), settings_during:
        snapshot = getattr(connection, "_test_serialized_contents", None) or connection.creation.serialize_db_to_string()
        _back_to_migrated(snapshot)
        load_regions()
        load_demo(count=DEMO_COUNT)
        yield
        _back_to_migrated(snapshot)


@pytest.fixture
def demo(demo_district, django_db_blocker, district_media, settings):
    """A browser test's access to the district: the database, and the district's media."""
    settings.MEDIA_ROOT = district_media
    with django_db_blocker.unblock():
        yield


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
def visit(chromium, server, demo, request):
    """Opens a tab at the live server: ``visit()`` for a desktop, ``visit(PHONE)`` for a phone."""
    contexts = []
    visits = []

    def open_tab(viewport: dict = DESKTOP) -> Visit:
        context = chromium.new_context(base_url=server.url, viewport=viewport, locale="zh-CN",
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
