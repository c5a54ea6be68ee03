"""Every ``<label for=X>`` names an element with id X (issue 10, defects): a label that points nowhere is not
read out by a screen reader with its field, and tapping it on a phone does not focus the field. The main
pages are walked as the roles that use them: forms, filter bars and the hazard's and inspection's action
forms."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from shouye.hazards.choices import HazardLevel, HazardState
from shouye.hazards.models import TipOff
from shouye.inspections import services as inspections
from tests.hazards.conftest import make_hazard
from tests.inspections.helpers import start

pytestmark = pytest.mark.django_db

#: The elements a label may name (HTML's "labelable elements").
LABELABLE = {"input", "select", "textarea", "button", "meter", "output", "progress"}


class LabelTargets(HTMLParser):
    """The ids of the page with their element, and the ``for`` of every label."""

    def __init__(self):
        super().__init__()
        self.ids: dict[str, str] = {}
        self.label_for: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.setdefault(attrs["id"], tag)
        if tag == "label" and "for" in attrs:
            self.label_for.append(attrs["for"] or "")


def dangling_labels(html: str) -> list[str]:
    """The labels whose ``for`` names no labelable element of the page."""
    parser = LabelTargets()
    parser.feed(html)
    return [target for target in parser.label_for if parser.ids.get(target) not in LABELABLE]


@pytest.fixture
def pages(cast, mashan):
    """(role, address) of the main pages, with the objects their forms need."""
    staff = cast["users"]["bureau_staff"]
    inspections.generate_plans(actor=staff, year=2026)
    inspection = start(staff, cast["inside"])
    reported = make_hazard(cast["inside"])
    rectifying = make_hazard(cast["inside"], state=HazardState.RECTIFYING)
    submitted = make_hazard(cast["inside"], state=HazardState.SUBMITTED)
    major = make_hazard(cast["inside"], state=HazardState.RECTIFYING, level=HazardLevel.MAJOR)
    tip_off = TipOff.objects.create(enterprise_name="马山某加油站", township=mashan, description="夜间违规卸油")
    plan = cast["inside"].inspection_plans.first()
    return [
        (None, "/accounts/login/"),
        (None, "/tip-off/"),
        ("bureau_staff", "/"),
        ("bureau_staff", "/enterprises/"),
        ("bureau_staff", "/enterprises/new/"),
        ("bureau_staff", f"/enterprises/{cast['inside'].pk}/edit/"),
        ("bureau_staff", "/enterprises/import/"),
        ("bureau_staff", "/inspections/"),
        ("bureau_staff", "/inspections/new/"),
        ("bureau_staff", f"/inspections/{inspection.pk}/"),
        ("bureau_staff", "/inspections/plans/"),
        ("bureau_staff", f"/inspections/plans/{plan.pk}/"),
        ("bureau_staff", "/inspections/checklists/"),
        ("bureau_staff", "/hazards/"),
        ("bureau_staff", "/hazards/report/"),
        ("bureau_staff", "/hazards/tip-offs/"),
        ("bureau_staff", f"/hazards/tip-offs/{tip_off.pk}/"),
        ("bureau_staff", f"/hazards/{reported.pk}/"),
        ("bureau_staff", f"/hazards/{submitted.pk}/"),
        ("bureau_staff", f"/hazards/{major.pk}/"),
        ("bureau_staff", "/calculators/"),
        ("bureau_staff", "/notifications/"),
        ("bureau_admin", "/calendar/"),
        ("bureau_admin", "/calendar/add/"),
        ("township_officer", "/enterprises/"),
        ("township_officer", "/hazards/"),
        ("township_officer", "/inspections/"),
        ("township_officer", "/inspections/plans/"),
        ("department_officer", "/enterprises/"),
        ("enterprise_user", f"/hazards/{rectifying.pk}/"),
        ("enterprise_user", f"/hazards/{major.pk}/"),
        ("enterprise_user", "/hazards/report/"),
    ]


def test_every_label_names_a_field_of_its_page(cast, pages):
    failures = []
    for role, url in pages:
        client = Client()
        if role:
            client.force_login(cast["users"][role])
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        failures += [f"{url} as {role}: <label for={target!r}>" for target in dangling_labels(response.content.decode())]
    assert not failures, "labels naming no field:\n" + "\n".join(failures)


def test_the_check_sees_a_dangling_label():
    assert dangling_labels('<label for="f-township">镇街</label><select id="id_township"></select>') == ["f-township"]
    assert dangling_labels('<label for="x">X</label><div id="x"></div>') == ["x"]
    assert dangling_labels('<label for="x">X</label><input id="x">') == []
