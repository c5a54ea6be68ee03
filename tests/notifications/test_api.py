"""The notifications API (issue 10): a user lists and reads its own notifications, marks one or all read;
another user's is a 404 and stays unread."""

import pytest
from rest_framework.test import APIClient

from shouye.notifications.models import Notification
from shouye.notifications.services import notify
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def sent(user, title: str, link: str = "") -> Notification:
    notify(recipients=[user], verb="test", title=title, link=link)
    return Notification.objects.get(recipient=user, title=title)


def test_a_user_lists_only_its_own_notifications_newest_first(cast):
    officer = cast["users"]["township_officer"]
    first, second = sent(officer, "第一条", link="/hazards/"), sent(officer, "第二条")
    sent(cast["users"]["enterprise_user"], "企业的通知")

    response = api_as(officer).get("/api/v1/notifications/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    assert rows[1]["link"] == "/hazards/" and rows[1]["read_at"] is None


def test_marking_one_read_answers_it_read_and_another_users_is_not_found(cast):
    officer, company = cast["users"]["township_officer"], cast["users"]["enterprise_user"]
    mine, theirs = sent(officer, "我的"), sent(company, "别人的")
    client = api_as(officer)

    response = client.post(f"/api/v1/notifications/{mine.pk}/read/")

    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_answers_how_many(cast):
    expert, company = cast["users"]["expert"], cast["users"]["enterprise_user"]
    for title in ("一", "二"):
        sent(expert, title)
    sent(company, "别人的")

    response = api_as(expert).post("/api/v1/notifications/read-all/")

    assert response.status_code == 200 and response.json() == {"read": 2}
    assert Notification.objects.get(recipient=company).read_at is None


def test_signed_out_callers_are_refused(cast):
    assert APIClient().get("/api/v1/notifications/").status_code == 401
