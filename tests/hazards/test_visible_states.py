"""Small visible defects of issue 10: a red "逾期 0" badge at zero, and a closed hazard's page naming its
state twice in two words (已销号 and 已关闭)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shouye.hazards.choices import HazardState

from .conftest import make_hazard

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def overdue_badge(html: str) -> str:
    start = html.index('data-testid="overdue-count"')
    return html[html.rindex("<span", 0, start):html.index("</span>", start)]


def test_the_overdue_count_is_red_only_when_something_is_overdue(cast):
    make_hazard(cast["inside"], state=HazardState.RECTIFYING)
    client = signed_in(cast["users"]["bureau_staff"])
    badge = overdue_badge(client.get("/hazards/").content.decode())
    assert "<strong>0</strong>" in badge and "text-bg-danger" not in badge
    make_hazard(cast["inside"], state=HazardState.RECTIFYING, deadline=timezone.localdate() - timedelta(days=2))
    badge = overdue_badge(client.get("/hazards/").content.decode())
    assert "<strong>1</strong>" in badge and "text-bg-danger" in badge


def test_a_closed_hazard_is_named_closed_out_once(cast):
    hazard = make_hazard(cast["inside"], state=HazardState.CLOSED)
    html = signed_in(cast["users"]["bureau_staff"]).get(f"/hazards/{hazard.pk}/").content.decode()
    assert "已销号" in html and "已关闭" not in html
