"""The fixed cast: one user per role, the demo district's townships, and one enterprise inside and one
outside each role's scope."""

from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from shouye.accounts.models import Organisation
from shouye.enterprises import reference_data
from shouye.enterprises.demo import load_regions
from shouye.enterprises.models import Industry
from shouye.inspections import checklist_library
from shouye.inspections.models import Checklist
from shouye.regions.models import Region

from .factories import PASSWORD, EnterpriseFactory, UserFactory, bureau, member

#: No test may depend on the machine's speed (issue 8): hypothesis's per-example deadline and its "too slow"
#: health check time examples with the wall clock, which a loaded machine (``pytest -n 4``) exceeds. The
#: properties are still checked on as many examples as before.
hypothesis_settings.register_profile("shouye", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("shouye")

#: The audit chain's key in every test.
TEST_AUDIT_KEY = "test-audit-key-0123456789abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database on PostgreSQL commits without waiting for the disk (``synchronous_commit=off``): a
    crash of the test machine loses nothing a test needs, and the browser tests' demo district, loaded afresh
    for every test, commits thousands of times."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.postgresql":
            database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


@pytest.fixture(autouse=True)
def _steady_process_caches(request, monkeypatch):
    """Two per-process timers would make a query count depend on the machine's speed: the idle-timeout
    middleware rewrites the session's activity stamp once a minute, and the alarm rulebook reads its tables
    again every 30 s (two queries each). On a loaded machine that much time can pass between two requests of
    a query-counting test. So each test starts with the rulebook unread and its clock standing still (it keeps
    what it reads), and the stamp is written at the first request only, except in tests marked ``idle_clock``."""
    from shouye.monitoring import rulebook

    monkeypatch.setattr(rulebook, "time", SimpleNamespace(monotonic=lambda: 0.0))
    rulebook.forget()
    if request.node.get_closest_marker("idle_clock") is None:
        monkeypatch.setattr("shouye.accounts.middleware.TOUCH_INTERVAL", 24 * 3600)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    # Throttles and lock-outs count in the cache; each test starts with none of another's counts.
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test's audit chain starts afresh, so it gets an anchor file of its own, and a fixed key.
    settings.SHOUYE_AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchor.log")
    settings.SHOUYE_AUDIT_KEY = TEST_AUDIT_KEY
    settings.SHOUYE_AUDIT_KEY_FILE = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.LANGUAGE_CODE = "zh-hans"
    # Hashing the cast's passwords with PBKDF2 costs about a second each; tests do not need its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def district(db):
    """The demo district's regions and the reference data. A transactional test (live server, concurrency)
    flushes the tables that migrations filled, so the reference data is loaded again here (idempotent)."""
    if not Industry.objects.exists():
        reference_data.load(django_apps)
    if not Checklist.objects.exists():
        checklist_library.load(django_apps)
    return load_regions()


@pytest.fixture
def mashan(district):
    return Region.objects.get(code="370113107")


@pytest.fixture
def xiaoli(district):
    return Region.objects.get(code="370113008")


@pytest.fixture
def cast(district, mashan, xiaoli):
    """Users by role name. The township officer is of 马山镇, the department officer of 住建 (construction),
    the enterprise user and the expert belong to the 马山镇 hazardous-chemicals enterprise ``inside``."""
    inside = EnterpriseFactory(name="马山内测化工有限公司", township=mashan)
    building = EnterpriseFactory(name="孝里住建工程有限公司", township=xiaoli,
                                 industry=Industry.objects.get(code="construction"))
    outside = EnterpriseFactory(name="孝里外部机械有限公司", township=xiaoli,
                                industry=Industry.objects.get(code="industry_trade"))
    users = {}
    for role in ("bureau_admin", "bureau_staff", "leader"):
        users[role] = UserFactory(username=role)
        member(users[role], role, organisation=bureau())
    users["township_officer"] = UserFactory(username="township_officer")
    member(users["township_officer"], "township_officer", region=mashan)
    users["department_officer"] = UserFactory(username="department_officer")
    member(users["department_officer"], "department_officer",
           organisation=Organisation.objects.get(name="区住房和城乡建设局"))
    users["enterprise_user"] = UserFactory(username="enterprise_user")
    member(users["enterprise_user"], "enterprise_user", enterprise=inside)
    users["expert"] = UserFactory(username="expert")
    member(users["expert"], "expert", enterprise=inside)
    users["nobody"] = UserFactory(username="nobody")
    return {"users": users, "inside": inside, "building": building, "outside": outside}


@pytest.fixture
def api():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_as(user, **headers) -> Client:
    """A client of the pages signed in as ``user`` (a session, as the browser has), with ``headers`` on every
    request (``accept_language="zh-hans"``)."""
    client = Client(headers=headers)
    client.force_login(user)
    return client


@pytest.fixture
def password():
    return PASSWORD


def pytest_terminal_summary(terminalreporter):
    """The schemathesis run's numbers per role (tests/core/test_api_fuzz.py), from every xdist worker."""
    rows = [value for reports in terminalreporter.stats.values() for report in reports
            if getattr(report, "when", "") == "call"
            for name, value in getattr(report, "user_properties", ()) if name == "fuzz"]
    if not rows:
        return
    terminalreporter.write_sep("-", "schemathesis over the API")
    for row in sorted(rows, key=lambda row: row["role"]):
        terminalreporter.write_line(
            f"{row['role']}: {row['operations']} operations, {row['requests']} requests, "
            f"{row['server_errors']} 5xx, {row['failures']} conformance failures; statuses {row['statuses']}")


def pytest_configure(config):
    """Under ``--dist loadgroup`` (make test) pytest-xdist 3.8 keeps a group on one worker by renaming each grouped
    test's ``item._nodeid``; pytest 9.2 derives the id from another field, so the browser tests would split over
    the workers and each would load its own demo district. Refused before it starts (pyproject.toml pins it)."""
    if config.getoption("dist", "no") == "loadgroup" and tuple(map(int, pytest.__version__.split(".")[:2])) >= (9, 2):
        raise pytest.UsageError(f"pytest {pytest.__version__} ignores pytest-xdist's --dist loadgroup: "
                                "install the pytest pyproject.toml names (pip install -e '.[test]').")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the migrated database (serialized rollback). One that does not
    leaves, after its flush, content types under new ids and no data-migration rows (rule tables, scenarios,
    duty items), and every serialized test after it on the same worker fails: an error at collection is
    cheaper than that hunt.

    The browser tests share one demo district, loaded once and restored to the migrated state afterwards
    (tests/browser/conftest.py): they run on one xdist worker (``--dist loadgroup``), and are marked as
    database tests so that the test database is made for them even when they run alone."""
    plain = []
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
            item.add_marker(pytest.mark.django_db(transaction=True))
            continue
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        if marker is not None:
            transactional = marker.kwargs.get("transaction", False)
            serialized = marker.kwargs.get("serialized_rollback", False)
        else:
            transactional = "transactional_db" in fixtures or "live_server" in fixtures
            serialized = False
        serialized = serialized or "django_db_serialized_rollback" in fixtures
        if transactional and not serialized:
            plain.append(item.nodeid)
    if plain:
        raise pytest.UsageError("transactional tests without serialized_rollback=True: " + ", ".join(plain))
