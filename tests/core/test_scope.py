"""The generic scope test (ARCHITECTURE.md §5; issues 2, 8 and 9): every registered route, every role of the
cast, objects inside and outside the role's scope. Outside objects never appear in lists, pages or exports,
nor on the page of an inside object (its detail, its edit form, a page about it, the enterprise ledger page
with every registered panel), by label or by link; they answer exactly like an object that does not exist
(404 when the role may read or change such objects at all). Inside objects appear in lists and open. Every
write method sent to a list or a page with a forged body adds or removes no row. Every write that names
rows of scoped models is tried with a row outside the role's reach and refused. A tip-off's sender (name,
phone, words, photo file name, address) appears nowhere a role that may not read tip-offs can reach.

Routes, models and writes are declared in tests/scope_registry.py; a route, model or write nobody declared
fails ``test_every_route_is_registered`` or ``test_every_write_declares_the_rows_it_names`` with
instructions. tests/core/test_unscoped_queries.py checks the source for reads that skip the scope."""

import pytest
from django.urls import path, reverse
from django.views.generic import DetailView
from rest_framework.test import APIClient

from shouye.core import pdf
from shouye.enterprises.models import Licence
from shouye.hazards.models import TipOff
from shouye.regions.models import Region
from tests.scope_registry import (
    DETAIL,
    HOW_TO_DECLARE,
    LIST,
    MODELS,
    PAGE,
    ROLES,
    SENDER,
    SENDER_MARKS,
    SENDER_WORDS,
    UNSCOPED,
    UPDATE,
    WRITE_METHODS,
    WRITES,
    RouteSpec,
    ScopeCase,
    UnmappedRoute,
    WriteCase,
    changed_rows,
    classified_routes,
    classify,
    missing_kwargs,
    outside_marks,
    response_text,
    row_counts,
    triaged_tip_offs,
    undeclared_writes,
    unmapped_report,
    url_kwargs,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast hashes nine passwords; the production hasher's cost is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pdfs_as_html(monkeypatch):
    """A PDF's words read in the HTML it is made from (shouye/core/pdf.py): a PDF's compressed text would hide
    an outside object's label or a tip-off's sender from the search, and laying out each PDF (about 8 % of a
    role's walk) tells nothing about scope. Every PDF's layout is tested in its own app."""
    monkeypatch.setattr(pdf, "html_to_pdf", str.encode)


FORGED_NAME = "越权修改后的名称"


def client_for(user) -> APIClient:
    """A signed-in client whose requests answer 500 when a view raises, as a server would: the walk reports
    the request and goes on to the next one."""
    client = APIClient(raise_request_exception=False)
    client.force_login(user)
    return client


def send(client, spec, method: str, url: str):
    """One request; API writes carry JSON, page writes a form."""
    if method == "get":
        return client.get(url)
    data = {"name": FORGED_NAME}
    if method == "delete":
        return client.delete(url)
    if spec.path.startswith("api/"):
        return getattr(client, method)(url, data, format="json")
    return getattr(client, method)(url, data)


def routes():
    """The classified routes; the unclassified ones fail ``test_every_route_is_registered``."""
    return classified_routes()[0]


def test_every_route_is_registered():
    specs, problems = classified_routes()
    assert not problems, unmapped_report(problems)
    names = {spec.name for spec in specs}
    assert {"enterprises:list", "enterprises:detail", "enterprises:update", "enterprises:export",
            "enterprise-list", "enterprise-detail", "enterprise-export", "region-list", "region-detail",
            "core:home"} <= names
    assert not any(spec.path.startswith(("admin/", "api/schema/", "api/docs/", "i18n/")) for spec in specs)


def test_a_route_nobody_registered_fails_with_instructions():
    def thing_detail(request, pk):
        raise AssertionError("never called")

    pattern = path("things/<int:pk>/", thing_detail, name="thing-detail")
    with pytest.raises(UnmappedRoute, match=r"tests/scope_registry\.py.*ROUTES"):
        classify("things/<int:pk>/", "thing-detail", pattern, ("pk",))


def test_a_model_nobody_registered_fails_with_instructions():
    class LicenceDetail(DetailView):
        model = Licence

    pattern = path("licences/<int:pk>/", LicenceDetail.as_view(), name="licence-detail")
    with pytest.raises(UnmappedRoute, match=r"Licence, which is not in MODELS"):
        classify("licences/<int:pk>/", "licence-detail", pattern, ("pk",))


def test_every_role_has_objects_inside_and_outside(cast):
    """Guards the test itself: each role but the district-wide ones has something outside its scope, and
    each role with a scope has something inside it."""
    for model, case in MODELS.items():
        if not isinstance(case, ScopeCase):
            continue
        for role in ROLES:
            objects = case.objects(cast, role)
            if role in ("township_officer", "department_officer", "enterprise_user", "expert", "nobody"):
                assert objects.outside, (model, role)
            if role != "nobody":
                assert objects.inside, (model, role)


@pytest.mark.parametrize("role", ROLES)
def test_outside_objects_never_appear_and_answer_404(cast, role, pdfs_as_html):
    user = cast["users"][role]
    client = client_for(user)
    objects = {model: case.objects(cast, role) for model, case in MODELS.items() if isinstance(case, ScopeCase)}
    specs = routes()
    marks = outside_marks(specs, objects)
    failures: list[str] = []
    for spec in specs:
        if spec.kind in (LIST, PAGE):
            failures += _check_collection(client, user, spec, objects, marks)
            failures += _check_collection_writes(client, user, spec, marks)
        elif MODELS[spec.model] != UNSCOPED:
            failures += _check_object_route(client, user, spec, MODELS[spec.model], objects[spec.model], marks)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _leaks(request: str, text: str, marks: dict[str, str]) -> list[str]:
    """A line per outside object whose label or URL the response's text shows."""
    return [f"{request} shows outside object {what}" for mark, what in marks.items() if mark in text]


def _check_collection(client, user, spec, objects, marks) -> list[str]:
    if "get" not in spec.methods:
        return []
    url = reverse(spec.name)
    response = client.get(url)
    failures = []
    if response.status_code >= 500:
        return [f"GET {url}: {response.status_code}"]
    text = response_text(response)
    failures += _leaks(f"GET {url}", text, marks)
    case = MODELS.get(spec.model)
    if spec.kind == LIST and isinstance(case, ScopeCase) and user.has_perm(case.view_perm) \
            and (not spec.perm or user.has_perm(spec.perm)):
        if response.status_code != 200:
            failures.append(f"GET {url}: {response.status_code}, expected 200")
        for obj in objects[spec.model].inside:
            if case.label(obj) not in text:
                failures.append(f"GET {url} lacks inside object {case.label(obj)!r}")
    return failures


def _check_collection_writes(client, user, spec, marks) -> list[str]:
    """Every write method, with a forged body, to a list or a page (a create route among them): none answers
    5xx, none shows an outside object, and no row is added or removed anywhere."""
    url = reverse(spec.name)
    failures = []
    before = row_counts()
    for method in WRITE_METHODS:
        response = send(client, spec, method, url)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url}: {response.status_code}")
        failures += _leaks(f"{method.upper()} {url}", response_text(response), marks)
    changed = changed_rows(before, row_counts(), spec.may_add)
    if changed:
        failures.append(f"writes with a forged body to {url} changed rows: {changed}")
    if "_auth_user_id" not in client.session:
        client.force_login(user)  # the sign-out route ended the session; the walk goes on signed in
    return failures


def _check_object_route(client, user, spec, case: ScopeCase, objs, marks) -> list[str]:
    failures = []
    for method in spec.methods:
        perm = spec.perm or (case.change_perm if method in WRITE_METHODS or spec.get_needs == "change"
                             else case.view_perm)
        missing_url = reverse(spec.name, kwargs=missing_kwargs(spec))
        baseline = send(client, spec, method, missing_url).status_code
        if baseline not in (403, 404):
            failures.append(f"{method.upper()} {missing_url} (no such object): {baseline}, expected 403 or 404")
        for obj in objs.outside:
            before = case.label(obj)
            url = reverse(spec.name, kwargs=url_kwargs(spec, obj))
            response = send(client, spec, method, url)
            expected = 404 if user.has_perm(perm) else baseline
            if response.status_code != expected:
                failures.append(f"{method.upper()} {url} (outside {before!r}): {response.status_code}, "
                                f"expected {expected} like an object that does not exist")
            if before in response_text(response):
                failures.append(f"{method.upper()} {url} reveals outside object {before!r}")
            obj.refresh_from_db()
            if case.label(obj) != before:
                failures.append(f"{method.upper()} {url} changed outside object {before!r}")
        if method == "get":
            failures += _check_inside_pages(client, user, spec, case, objs, perm, marks)
    return failures


def _check_inside_pages(client, user, spec, case: ScopeCase, objs, perm: str, marks) -> list[str]:
    """An inside object's page (its detail, its edit form, a page about it such as an inspection's documents,
    the enterprise ledger page with every registered panel) shows it, and no outside object of any model."""
    failures = []
    for obj in objs.inside:
        url = reverse(spec.name, kwargs=url_kwargs(spec, obj))
        response = client.get(url)
        text = response_text(response)
        failures += _leaks(f"GET {url} (inside {case.label(obj)!r})", text, marks)
        if spec.kind not in (DETAIL, UPDATE):
            continue
        expected = 200 if user.has_perm(perm) else 403
        if response.status_code != expected:
            failures.append(f"GET {url} (inside {case.label(obj)!r}): {response.status_code}, "
                            f"expected {expected}")
        elif expected == 200 and case.label(obj) not in text:
            failures.append(f"GET {url} does not show inside object {case.label(obj)!r}")
    return failures


def test_every_write_declares_the_rows_it_names():
    problems = undeclared_writes(routes())
    assert not problems, "\n".join(problems) + "\n" + HOW_TO_DECLARE


def test_a_write_nobody_declared_fails_with_instructions():
    spec = RouteSpec(PAGE, methods=("get", "post"), name="things:new", path="things/new/")
    problems = undeclared_writes([spec])
    assert "route 'things/new/' (name 'things:new') takes GET, POST but declares no foreign keys" in problems
    assert "WRITES" in HOW_TO_DECLARE and "WITHOUT_FOREIGN_KEYS" in HOW_TO_DECLARE


@pytest.mark.parametrize("role", ROLES)
def test_writes_naming_a_row_outside_the_scope_are_refused(cast, role):
    """Every declared write (WRITES), one field at a time given a row the role may not name there (an
    enterprise outside its scope, an officer of another township): refused with 400 naming that field, 403 or
    404, and nothing written. The same body with rows it may name succeeds for a role holding the
    permission, so the refusal is the outside row's doing and not a broken body."""
    user = cast["users"][role]
    client = client_for(user)
    specs = {spec.name: spec for spec in routes()}
    failures = []
    for name, case in WRITES.items():
        failures += _check_write(client, user, cast, role, specs[name], case)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _check_write(client, user, cast, role, spec, case: WriteCase) -> list[str]:
    target = case.target(cast, role) if case.target else None
    if case.target and target is None:
        return []
    url = reverse(spec.name, kwargs=url_kwargs(spec, target)) if target else reverse(spec.name)
    rows = {field: key.objects(cast, role, target) for field, key in case.fields.items()}
    inside = {field: case.fields[field].value(objs.inside[0]) for field, objs in rows.items() if objs.inside}
    failures = []
    for field, key in case.fields.items():
        for row in rows[field].outside:
            values = {**inside, field: key.value(row)}
            if len(values) == len(case.fields):
                body = case.body(cast, role, values, target)
                failures += _check_refused(client, case, f"{case.method.upper()} {url} with {field}={row}",
                                           url, body, field, target)
    if user.has_perm(case.perm) and len(inside) == len(case.fields):
        response = _write(client, case, url, case.body(cast, role, inside, target))
        if response.status_code not in (200, 201, 302):
            failures.append(f"{case.method.upper()} {url} with rows inside the scope: {response.status_code} "
                            f"{_errors(response, case)}; fix the WriteCase's body")
    return failures


def _check_refused(client, case: WriteCase, request: str, url: str, body: dict, field: str, target) -> list[str]:
    before, state = row_counts(), _state(target)
    response = _write(client, case, url, body)
    failures = []
    errors = _errors(response, case)
    if response.status_code not in (403, 404) and not (response.status_code == 400 and field in errors):
        failures.append(f"{request}: {response.status_code} {errors}, expected 400 naming {field!r}, 403 or 404")
    changed = changed_rows(before, row_counts())
    if changed:
        failures.append(f"{request} changed rows: {changed}")
    if _state(target) != state:
        failures.append(f"{request} changed {target!r}")
    return failures


def _write(client, case: WriteCase, url: str, body: dict):
    if case.api:
        return getattr(client, case.method)(url, body, format=case.format)
    return getattr(client, case.method)(url, body)


def _errors(response, case: WriteCase) -> dict:
    """The field errors of a refused write: the API's JSON, or the page form's."""
    if response.status_code != 400:
        return {}
    if case.api:
        data = response.json()
        return data if isinstance(data, dict) else {}
    form = response.context.get("form") if response.context is not None else None
    return dict(form.errors) if form is not None else {}


def _state(obj) -> dict | None:
    """The stored fields of ``obj`` as the database has them now."""
    if obj is None:
        return None
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


@pytest.mark.parametrize("role", ROLES)
def test_unscoped_reference_data_is_readable_by_every_signed_in_user(cast, role):
    """Regions are public reference data (registered as UNSCOPED): every township, whoever asks."""
    client = client_for(cast["users"][role])
    unscoped = [spec for spec in routes() if spec.model is not None and MODELS[spec.model] == UNSCOPED]
    assert {spec.name for spec in unscoped} >= {"region-list", "region-detail"}
    failures = []
    for spec in unscoped:
        samples = [Region.objects.get(code="370113107"), Region.objects.get(code="370113008")] \
            if spec.model is Region else list(spec.model._default_manager.all()[:2])
        if spec.kind == LIST:
            response = client.get(reverse(spec.name), {"page_size": 200})
            text = response_text(response)
            if response.status_code != 200 or any(str(obj) not in text for obj in samples):
                failures.append(f"GET {spec.path}: {response.status_code}, samples missing")
            continue
        for obj in samples:
            url = reverse(spec.name, kwargs=url_kwargs(spec, obj))
            response = client.get(url)
            if response.status_code != 200 or str(obj) not in response_text(response):
                failures.append(f"GET {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("url", ["/enterprises/export/", "/api/v1/enterprises/export/"])
@pytest.mark.parametrize("role, inside, outside", [
    ("township_officer", ["inside"], ["building", "outside"]),
    ("department_officer", ["building"], ["inside", "outside"]),
    ("leader", ["inside", "building", "outside"], []),
])
def test_exports_hold_exactly_the_scope(cast, url, role, inside, outside):
    """The Excel files themselves (opened with openpyxl), not just the pages that link to them."""
    response = client_for(cast["users"][role]).get(url)
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    text = response_text(response)
    for key in inside:
        assert cast[key].name in text
    for key in outside:
        assert cast[key].name not in text
        assert cast[key].credit_code not in text


def test_anonymous_visitors_reach_no_object(cast):
    """Signed out: pages redirect to the sign-in page, the API answers 401/403, nothing leaks."""
    client = APIClient()
    labels = [cast[key].name for key in ("inside", "building", "outside")]
    for spec in routes():
        if "get" not in spec.methods:
            continue
        kwargs = None
        if spec.kwargs:
            obj = spec.model._default_manager.order_by("pk").first()
            kwargs = url_kwargs(spec, obj) if obj is not None else missing_kwargs(spec)
        response = client.get(reverse(spec.name, kwargs=kwargs))
        text = response_text(response)
        assert not any(label in text for label in labels), spec.path
        if not spec.public:
            assert response.status_code in (302, 401, 403), (spec.path, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_a_tip_offs_sender_is_read_only_where_tip_offs_are_triaged(cast, role, settings, pdfs_as_html,
                                                                   django_capture_on_commit_callbacks):
    """Issue 9: tip-offs with a sender's name, phone, words, photo file name and address, triaged into hazards
    of enterprises in several roles' scopes (rectification ordered, so the enterprises' users are told). For a
    role that may not read tip-offs (``hazards.view_tipoff``), every list, page, export and panel, and every
    object route opened with an object it sees and with the rows the triage made (the hazards, their photos,
    the tip-offs), shows none of it. A role that reads tip-offs finds the sender on the tip-off's page, so
    the marks are real."""
    settings.SHOUYE_TIPOFF_RATE_PER_HOUR = 100
    with django_capture_on_commit_callbacks(execute=True):
        made = triaged_tip_offs(cast)
    user = cast["users"][role]
    client = client_for(user)
    if user.has_perm("hazards.view_tipoff"):
        page = response_text(client.get(reverse("hazards:tip-off", kwargs={"pk": made[TipOff][0].pk})))
        assert all(mark in page for mark in (SENDER["reporter_name"], SENDER["reporter_phone"], SENDER_WORDS))
        return
    failures = []
    for spec in routes():
        if "get" not in spec.methods:
            continue
        if spec.kind in (LIST, PAGE):
            urls = [reverse(spec.name)]
        elif MODELS[spec.model] == UNSCOPED:
            continue
        else:
            seen = MODELS[spec.model].objects(cast, role).inside[:1]
            urls = [reverse(spec.name, kwargs=url_kwargs(spec, obj)) for obj in [*seen, *made.get(spec.model, [])]]
        for url in urls:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"GET {url}: {response.status_code}")
            text = response_text(response)
            failures += [f"GET {url} shows {what}" for mark, what in SENDER_MARKS.items() if mark in text]
    assert not failures, f"{role}:\n" + "\n".join(failures)
