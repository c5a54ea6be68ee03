"""The enterprise ledger page's panel (一企一账, issue 12): the enterprise's special-operation permits of the last
:data:`DAYS` days by kind, the problems found, and the share of permits with a complete video record (special hot
work must be filmed from start to end: GB 30871-2022 5.2.11; complete = its video link recorded).

GB 30871-2022 applies to hazardous-chemical enterprises (its scope, REGULATIONS.md §2), so the panel concerns the
chemical enterprises only (``shouye.enterprises.chemical``, as the work areas read them): the hazardous-chemicals
industry, or the tag of a hazardous chemical process."""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels
from shouye.enterprises.chemical import is_chemical

from .board import SPECIAL_HOT_WORK
from .choices import PermitKind
from .models import SpecialOperationPermit
from .workflow import VIEW

DAYS = 90
#: Permits that need a full-process video record: those the rules marked, and special hot work (5.2.11).
NEEDS_VIDEO = Q(video_required=True) | SPECIAL_HOT_WORK


def applies_to(enterprise) -> bool:
    """Whether ``enterprise`` is a chemical enterprise (from the row the ledger page loaded, its tags
    prefetched)."""
    return is_chemical(enterprise)


#: A complete video record: its link is there, or it was removed after its month of retention (B.3).
HAD_VIDEO = ~Q(video_url="") | Q(video_link_removed_at__isnull=False)


def enterprise_summary(user, enterprise, now=None) -> dict:
    """Two queries: the permits of the last :data:`DAYS` days by kind, and their problems and video records."""
    since = (now or timezone.now()) - timedelta(days=DAYS)
    permits = (SpecialOperationPermit.objects.visible_to(user).filter(enterprise=enterprise, applied_at__gte=since)
               .order_by())
    counts = dict(permits.values_list("kind").annotate(n=Count("id")))
    figures = permits.aggregate(total=Count("id"), with_problems=Count("id", filter=Q(problem_count__gt=0)),
                                problems=Sum("problem_count"), need_video=Count("id", filter=NEEDS_VIDEO),
                                with_video=Count("id", filter=NEEDS_VIDEO & HAD_VIDEO))
    need = figures["need_video"]
    return {
        "days": DAYS,
        "by_kind": [{"kind": kind, "label": label, "count": counts.get(kind, 0)} for kind, label in PermitKind.choices],
        "total": figures["total"], "with_problems": figures["with_problems"], "problems": figures["problems"] or 0,
        "need_video": need, "with_video": figures["with_video"],
        "video_percent": round(100 * figures["with_video"] / need, 1) if need else None,
    }


def _shown_to(user) -> bool:
    return user.has_perm(VIEW)


def _context(request, enterprise) -> dict:
    return {"enterprise": enterprise, **enterprise_summary(request.user, enterprise)}


enterprise_panels.register(Panel(key="permits", title=gettext_lazy("Special operations (last 90 days)"),
                                 template="permits/panels/enterprise.html", context=_context, order=50,
                                 condition=_shown_to, applies_to=applies_to))
