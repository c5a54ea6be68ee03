"""The printed permit (issue 12: "a permit prints as the standard's form"): the kind's form of GB 30871-2022
Appendix A as a PDF rendered by WeasyPrint with the Noto CJK fonts, like the inspections' documents
(``shouye/inspections/documents.py``).

- A4, **three copies** (Table B.2, ``standard.copy_holders``): each copy starts on a new page and is marked
  "第一联 · 监护人持有" and so on; hot work's holders depend on its grade.
- The header fields every form has, then the kind's own (``standard.DETAIL_FIELDS``), the people with their
  certificate numbers (4.9), the related permits' numbers, the risk identification and the briefing.
- The gas analyses (5.3.1, 6.3, 6.5), the numbered measures with 是否涉及 / 确认人 and the closing
  "其他安全措施" with its author (Appendix A), and the signatures in the chain's order
  (``chains.chain``) with opinion, name, the image drawn on screen and the time; a step nobody signed keeps
  its blank line for a pen.
- A graded permit carries its grade in a framed band (special hot work in a double frame), so a copy of a
  higher grade is seen at a glance; a permit not yet approved is marked "未审批 不得作业".
- A **QR code** on each copy opens the permit's live status page (``permits:status``), so a paper copy can
  be checked against the system.

The form's fixed wording is Chinese whatever the screen's language (decision 0003)."""

from __future__ import annotations

import base64
import io
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shouye.core import pdf
from shouye.core import signatures as signature_images
from shouye.rules.data.gb30871 import HOT_WORK_GRADE_LABELS

from . import chains, standard
from .choices import PermitKind, PermitState
from .models import PermitSignature
from .workflow import PREPARING

TEMPLATE = "permits/documents/print.html"

#: The form's title (GB 30871-2022 Tables A.1–A.8).
TITLES = {
    PermitKind.HOT_WORK: "动火安全作业票",
    PermitKind.CONFINED_SPACE: "受限空间安全作业票",
    PermitKind.LINE_BLINDING: "盲板抽堵安全作业票",
    PermitKind.WORK_AT_HEIGHT: "高处安全作业票",
    PermitKind.LIFTING: "吊装安全作业票",
    PermitKind.TEMPORARY_POWER: "临时用电安全作业票",
    PermitKind.EXCAVATION: "动土安全作业票",
    PermitKind.ROAD_CLOSURE: "断路安全作业票",
}

#: How the copies are numbered on the paper forms.
COPY_NAMES = ("第一联", "第二联", "第三联")

#: The grade as the forms write it (5.1, 8.1 Table 2, 9.1).
_GRADE_TEXT = {
    PermitKind.HOT_WORK: {grade: f"{label}动火" for grade, label in HOT_WORK_GRADE_LABELS.items()},
    PermitKind.WORK_AT_HEIGHT: {"I": "Ⅰ级高处作业", "II": "Ⅱ级高处作业", "III": "Ⅲ级高处作业", "IV": "Ⅳ级高处作业"},
    PermitKind.LIFTING: {"1": "一级吊装作业", "2": "二级吊装作业", "3": "三级吊装作业"},
}

#: States before the approval: a copy printed then is not a permit to work yet.
NOT_APPROVED = (*PREPARING, PermitState.SIGNING)
#: States after which nobody may work on the permit any more: printed so the paper cannot pass for a live one.
_CLOSED_MARK = {
    PermitState.COMPLETED: "已完工验收",
    PermitState.ARCHIVED: "已归档",
    PermitState.CANCELLED: "已取消 不得作业",
    PermitState.REVOKED: "已收回 不得作业",
    PermitState.EXPIRED: "已过期 不得作业",
}


def grade_text(permit) -> str:
    """"特级动火", "Ⅲ级高处作业", "二级吊装作业" — or "" for the kinds without grades."""
    return _GRADE_TEXT.get(permit.kind, {}).get(str(permit.grade), "") if permit.grade else ""


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _number(value) -> str:
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except (InvalidOperation, ValueError):
        return str(value)


def _detail_value(field: standard.DetailField, value) -> str:
    """One of the kind's header fields as the form prints it; "—" when not given."""
    if value is None or value == "" or value == []:
        return "—"
    if field.kind == "boolean":
        return "是" if value else "否"
    labels = {key: str(label) for key, label in field.choices}
    if field.kind == "choice":
        return labels.get(value, str(value))
    if field.kind == "list":
        return "、".join(labels.get(item, str(item)) for item in value)
    if field.kind == "decimal":
        return _number(value)
    if field.kind == "datetime":
        parsed = value if hasattr(value, "tzinfo") else parse_datetime(str(value))
        return _when(parsed) if parsed else str(value)
    return str(value)


def _pairs(rows: list[tuple[str, str]]) -> list[tuple[tuple[str, str], ...]]:
    """Label/value rows two to a table row, as the paper forms set their short fields side by side."""
    return [tuple(rows[i:i + 2]) for i in range(0, len(rows), 2)]


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG data URL (medium error correction: a copy may get dirty on site)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=SvgPathImage)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _signature_rows(permit) -> list[dict]:
    """The chain's steps in order, each with its signature when signed (images loaded here: the detail
    selector defers them)."""
    signed = {s.step: s for s in PermitSignature.objects.filter(permit=permit).order_by("sequence")}
    rows = []
    for step in chains.chain(permit.kind):
        signature = signed.get(step.key)
        rows.append({
            "label": str(step.label),
            "opinion": signature.opinion if signature else "",
            "name": signature.name if signature else "",
            "level": signature.get_level_display() if signature and signature.level else "",
            "image": signature_images.data_url(signature.image) if signature and signature.image else "",
            "signed_at": _when(signature.signed_at) if signature else "",
        })
    return rows


def print_context(permit, *, status_url: str) -> dict:
    """What the form prints; ``permit`` comes from ``selectors.permit_detail`` (people, measures and gas tests
    prefetched)."""
    measures = sorted(permit.measures.all(), key=lambda m: m.number)
    details = permit.details or {}
    people = sorted(permit.people.all(), key=lambda p: (p.role, p.pk))
    holders = standard.copy_holders(permit.kind, permit.grade)
    return {
        "permit": permit,
        "title": TITLES[permit.kind],
        "enterprise": permit.enterprise.name,
        "grade": grade_text(permit),
        "special": permit.kind == PermitKind.HOT_WORK and permit.grade == "special",
        "details": _pairs([(str(field.label), _detail_value(field, details.get(field.key)))
                           for field in standard.DETAIL_FIELDS[permit.kind]]),
        "people": _pairs([(p.get_role_display(), p.name + (f"（证书编号：{p.certificate_number}）"
                                                           if p.certificate_number else ""))
                          for p in people]),
        "measures": [m for m in measures if not m.is_other],
        "other": next((m for m in measures if m.is_other), None),
        "other_label": standard.OTHER_MEASURES_LABEL,
        "gas_tests": list(permit.gas_tests.all()),
        "signatures": _signature_rows(permit),
        "copies": [{"name": name, "holder": holder} for name, holder in zip(COPY_NAMES, holders, strict=True)],
        "applied_at": _when(permit.applied_at),
        "planned_start": _when(permit.planned_start),
        "planned_end": _when(permit.planned_end),
        "briefed_at": _when(permit.briefed_at),
        "briefed_to": "、".join(permit.briefed_to or []),
        "related": "、".join(permit.related_numbers or []),
        "mark": "未审批 不得作业" if permit.state in NOT_APPROVED else _CLOSED_MARK.get(permit.state, ""),
        "state": permit.get_state_display(),
        "printed_at": _when(timezone.now()),
        "qr": qr_svg(status_url),
        "status_url": status_url,
    }


def render_pdf(permit, *, status_url: str) -> bytes:
    """The permit's three copies as PDF bytes (A4, fonts embedded)."""
    return pdf.render_pdf(TEMPLATE, print_context(permit, status_url=status_url))


def filename(permit) -> str:
    return f"{TITLES[permit.kind]}-{permit.number}.pdf"
