"""The public notice board (公示牌) of an installation as an A4 PDF (WeasyPrint, fonts embedded, as the
inspection documents: shouye/inspections/documents.py).

Content: the old 源长公示牌 checklist asks for the duties, the installation's basic facts, the control
targets and the supervision phone (REGULATIONS-2 §B.2 [P]); the 2021 办法's own board content is [U]. The
board prints the installation's name, kind, location, grade and R, its substances with q and Q, the three
current responsible persons with posts and duty phones, a summary of each role's duties and the bureau's
supervision phone (``SHOUYE_BUREAU_PHONE``; left out when empty).

Masking: the board is posted publicly at the installation so that anyone who sees a danger can call the
person responsible; the phones on it are the duty phones the enterprise enters for this purpose (the form
says so), so they are printed in full. Pages and the API still mask them for users who do not see personal
data, since those lists are not the board."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from shouye.core import pdf

from .choices import GRADE_NAMES, PersonRole
from .models import DutyItem

TEMPLATE = "major_hazards/board.html"
#: Items of each role's duties the summary prints before "…".
SUMMARY_ITEMS = 5


def board_context(installation) -> dict:
    """``installation`` comes with its substances and persons prefetched."""
    persons = {p.role: p for p in installation.persons.all() if p.ended_on is None}
    items = list(DutyItem.objects.filter(active=True, placeholder=False).order_by("role", "number"))
    roles = []
    for role, label in PersonRole.choices:
        own = [item for item in items if item.role == role]
        roles.append({"label": label, "person": persons.get(role), "duties": own[:SUMMARY_ITEMS],
                      "more": len(own) > SUMMARY_ITEMS})
    return {
        "installation": installation,
        "grade_name": GRADE_NAMES.get(installation.grade, "未分级"),
        "substances": list(installation.substances.all()),
        "roles": roles,
        "issuer": settings.SHOUYE_BUREAU_NAME,
        "bureau_phone": settings.SHOUYE_BUREAU_PHONE,
        "today": timezone.localdate(),
    }


def render_pdf(installation) -> bytes:
    return pdf.render_pdf(TEMPLATE, board_context(installation))
