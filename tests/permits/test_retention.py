"""Retention of permits (GB 30871-2022 B.3: permits kept at least one year, the video at least one month): the
daily retention job removes the video link of a permit finished more than SHOUYE_PERMIT_VIDEO_RETENTION_DAYS
ago, never sooner than a month and never while the permit is open, records it, and deletes no permit."""

from datetime import timedelta

import pytest
from django.core.checks import run_checks

from shouye.audit.models import AuditEvent
from shouye.core import tasks
from shouye.permits.choices import PermitState
from shouye.permits.models import PermitMeasure, SpecialOperationPermit

from .conftest import NOW, make_permit

pytestmark = pytest.mark.django_db

LINK = "https://video.example.cn/recorder/0042.mp4"


def finished(permit, *, days_ago: int, state=PermitState.COMPLETED, **fields):
    at = NOW - timedelta(days=days_ago)
    stamp = {"completed_at": at} if state == PermitState.COMPLETED else {"closed_at": at}
    SpecialOperationPermit.objects.filter(pk=permit.pk).update(state=state, video_url=LINK, **stamp, **fields)
    permit.refresh_from_db()
    return permit


@pytest.fixture
def permits(owner, cast):
    return [make_permit(owner, cast["inside"]) for _ in range(5)]


def test_the_job_removes_video_links_a_month_after_the_work_ended_and_keeps_the_permits(permits):
    old_done = finished(permits[0], days_ago=32)
    old_expired = finished(permits[1], days_ago=400, state=PermitState.EXPIRED)
    recent = finished(permits[2], days_ago=30)
    open_old = permits[3]
    SpecialOperationPermit.objects.filter(pk=open_old.pk).update(state=PermitState.IN_PROGRESS, video_url=LINK)
    measures = PermitMeasure.objects.count()

    result = tasks.remove_expired_files()

    assert result["permit_video_links"] == 2
    for permit in (old_done, old_expired):
        permit.refresh_from_db()
        assert permit.video_url == "" and permit.video_link_removed_at == NOW
        event = AuditEvent.objects.get(verb="permit.video-link-removed", target_id=str(permit.pk))
        assert event.changes == {"video_url": [LINK, ""]}
    for permit in (recent, open_old):
        permit.refresh_from_db()
        assert permit.video_url == LINK and permit.video_link_removed_at is None
    # B.3: permits are kept (at least a year): nothing of them is deleted, however old
    assert SpecialOperationPermit.objects.count() == 5 and PermitMeasure.objects.count() == measures
    assert tasks.remove_expired_files()["permit_video_links"] == 0  # idempotent


def test_a_longer_setting_keeps_links_longer_and_less_than_a_month_is_refused(permits, settings):
    permit = finished(permits[0], days_ago=45)
    settings.SHOUYE_PERMIT_VIDEO_RETENTION_DAYS = 60
    assert tasks.remove_expired_files()["permit_video_links"] == 0
    permit.refresh_from_db()
    assert permit.video_url == LINK

    settings.SHOUYE_PERMIT_VIDEO_RETENTION_DAYS = 7
    assert "shouye.permits.E001" in {message.id for message in run_checks()}
    # even so, the job keeps B.3's month
    assert tasks.remove_expired_files()["permit_video_links"] == 1
    assert not finished(permits[1], days_ago=20).video_link_removed_at
    assert tasks.remove_expired_files()["permit_video_links"] == 0
