"""Notifications (issue 10): the list, opening one (marks it read and leads to its object, never off the site),
marking all read; each user reaches only its own."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shouye.notifications.models import Notification
from shouye.notifications.services import notify
from tests.conftest import page_as

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sent(user, title: str, link: str = "") -> Notification:
    notify(recipients=[user], verb="test", title=title, link=link)
    return Notification.objects.get(recipient=user, title=title)


def test_opening_a_notification_marks_it_read_and_leads_to_its_object(cast):
    officer = cast["users"]["township_officer"]
    notification = sent(officer, "请复查隐患", link="/hazards/?state=submitted")
    client = page_as(officer)

    page = client.get("/notifications/").content.decode()
    assert f'href="/notifications/{notification.pk}/"' in page and "data-unread" in page and "未读" in page
    assert 'data-testid="unread-count">1<' in page

    response = client.get(f"/notifications/{notification.pk}/")

    assert response.status_code == 302 and response["Location"] == "/hazards/?state=submitted"
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = client.get("/notifications/").content.decode()
    assert "data-unread" not in page and "unread-count" not in page and "mark-all-read" not in page


@pytest.mark.parametrize("link", ["https://evil.example/login", "//evil.example/", "/\\evil.example",
                                  "javascript:alert(1)", "hazards/1/", ""])
def test_a_link_off_the_site_is_never_followed(cast, link):
    officer = cast["users"]["township_officer"]
    notification = sent(officer, "可疑链接", link=link)

    response = page_as(officer).get(f"/notifications/{notification.pk}/")

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_not_found_and_stays_unread(cast):
    notification = sent(cast["users"]["enterprise_user"], "企业的通知", link="/hazards/")

    response = page_as(cast["users"]["bureau_admin"]).get(f"/notifications/{notification.pk}/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert "企业的通知" not in page_as(cast["users"]["bureau_admin"]).get("/notifications/").content.decode()


def test_opening_is_a_get_and_needs_a_sign_in(cast):
    notification = sent(cast["users"]["expert"], "专家的通知")
    response = Client().get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert page_as(cast["users"]["expert"]).post(f"/notifications/{notification.pk}/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_reads_only_ones_own(cast):
    expert, other = cast["users"]["expert"], cast["users"]["enterprise_user"]
    for title in ("一", "二", "三"):
        sent(expert, f"专家通知{title}")
    sent(other, "别人的通知")
    client = page_as(expert)

    response = client.post("/notifications/read/")

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient=expert, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=other).read_at is None
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()


def test_the_list_costs_the_same_queries_whatever_the_number_of_notifications(cast):
    user = cast["users"]["leader"]
    client = page_as(user)
    sent(user, "第1条")
    client.get("/notifications/")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/").status_code == 200
        return len(captured)

    small = count()
    for number in range(2, 60):
        sent(user, f"第{number}条")
    assert count() == small
