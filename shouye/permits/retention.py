"""How long a permit's parts are kept (GB 30871-2022 Appendix B, B.3: "作业票应至少保存1年" — permits at least one
year; the full-process video at least one month).

- **Permits** are never deleted: not the permit, its people, measures, gas tests, signatures nor its photos
  (the daily job's orphan sweep, ``shouye.core.retention``, removes only files that no row holds). A year is
  the standard's minimum; the bureau's board and statistics read a year and more of them.
- **Video links**: the video itself is stored by the enterprise's recorder, not here; the permit holds its
  link. A finished permit (accepted, archived, cancelled, taken back or expired) keeps it
  ``SHOUYE_PERMIT_VIDEO_RETENTION_DAYS`` days after it finished (default 31, at least 31: the check below
  refuses less), then the daily retention job removes the link, records when (``video_link_removed_at``, so the
  permit still counts as one that had its video) and writes an audit event with the link removed. A permit
  still open keeps its link whatever its age."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.checks import Error, register
from django.db import transaction
from django.db.models.functions import Coalesce

from shouye.audit import services as audit

from .choices import CLOSED_STATES, PermitState
from .models import SpecialOperationPermit

#: B.3: the video is kept at least one month (31 days, the longest month).
VIDEO_MINIMUM_DAYS = 31
#: The states in which the work is over: the video's month runs from then.
FINISHED_STATES = (PermitState.COMPLETED, *CLOSED_STATES)


def remove_expired_video_links(*, now: datetime) -> int:
    """Remove the video links of permits finished more than the retention period before ``now``; returns how
    many permits lost theirs. Idempotent: a removed link is blank."""
    cutoff = now - timedelta(days=max(settings.SHOUYE_PERMIT_VIDEO_RETENTION_DAYS, VIDEO_MINIMUM_DAYS))
    due = (SpecialOperationPermit.objects.filter(state__in=FINISHED_STATES).exclude(video_url="")
           .annotate(finished=Coalesce("closed_at", "completed_at")).filter(finished__lt=cutoff))
    removed = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            permit = (SpecialOperationPermit.objects.select_for_update()
                      .filter(pk=pk, state__in=FINISHED_STATES).exclude(video_url="").first())
            if permit is None:
                continue
            link = permit.video_url
            permit.video_url, permit.video_link_removed_at = "", now
            permit.save(update_fields=["video_url", "video_link_removed_at"])
            audit.record(actor=None, actor_name="system", verb="permit.video-link-removed", target=permit,
                         changes={"video_url": [link, ""]})
        removed += 1
    return removed


@register()
def video_retention_at_least_a_month(app_configs, **kwargs):
    """B.3's month is a minimum: a shorter setting would remove links the standard requires."""
    days = settings.SHOUYE_PERMIT_VIDEO_RETENTION_DAYS
    if days >= VIDEO_MINIMUM_DAYS:
        return []
    return [Error(f"SHOUYE_PERMIT_VIDEO_RETENTION_DAYS is {days}: GB 30871-2022 B.3 keeps the video at least "
                  f"one month.", hint=f"Set it to {VIDEO_MINIMUM_DAYS} or more.", id="shouye.permits.E001")]
