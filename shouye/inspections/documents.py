"""The inspection's enforcement documents (安全生产行政执法文书) as A4 PDFs rendered by WeasyPrint with the
Noto CJK fonts embedded: 现场检查记录, 责令限期整改指令书, 整改复查意见书 and 送达回证.

Every document prints its inspectors' names with their enforcement certificate numbers (执法证号; 行政处罚法
(2021) Art. 42 and 55: officers show their credentials), and the signatures drawn on screen where the form
has its signature lines; a line nobody signed on screen stays blank, for a pen. A preview is the same
rendering without a number and marked 预览/草稿 across every page, so the officer sees exactly what will be
printed before the number is taken.

The documents are legal instruments served on an enterprise, so their fixed wording is the Chinese of the
official forms whatever language the officer's screen uses; it lives in the document templates
(templates/inspections/documents/) and in :data:`TITLES` as data, like the checklist library, rather than
in the interface catalogue. The issuing authority's name and the seal area are configurable:

- ``SHOUYE_DOCUMENT_ISSUER``: the name printed as the issuing authority (default ``SHOUYE_BUREAU_NAME``);
- ``SHOUYE_DOCUMENT_SEAL_IMAGE``: path to an image of the seal printed in the seal area (default none: an
  empty seal box for the ink seal).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from shouye.core import pdf
from shouye.core import signatures as signature_images

from .choices import DeliveryMethod, DocumentKind, ItemResult, SignerRole

TITLES = {
    DocumentKind.INSPECTION_RECORD: "现场检查记录",
    DocumentKind.RECTIFICATION_ORDER: "责令限期整改指令书",
    DocumentKind.REINSPECTION_OPINION: "整改复查意见书",
    DocumentKind.DELIVERY_RECEIPT: "送达回证",
}
TEMPLATES = {
    DocumentKind.INSPECTION_RECORD: "inspections/documents/inspection_record.html",
    DocumentKind.RECTIFICATION_ORDER: "inspections/documents/rectification_order.html",
    DocumentKind.REINSPECTION_OPINION: "inspections/documents/reinspection_opinion.html",
    DocumentKind.DELIVERY_RECEIPT: "inspections/documents/delivery_receipt.html",
}
DELIVERY_METHOD_NAMES = {
    DeliveryMethod.IN_PERSON: "直接送达", DeliveryMethod.LEFT_AT_PREMISES: "留置送达", DeliveryMethod.BY_POST: "邮寄送达",
    DeliveryMethod.ENTRUSTED: "委托送达", DeliveryMethod.ELECTRONIC: "电子送达",
}
#: Printed in place of the number on a preview: the number is taken only when the document is issued.
PREVIEW_NUMBER = "（编号于确认出具时生成）"
LEVEL_NAMES = {"ordinary": "一般事故隐患", "major": "重大事故隐患"}
RESULT_NAMES = {
    ItemResult.PENDING: "未检查",
    ItemResult.COMPLIANT: "符合",
    ItemResult.NON_COMPLIANT: "不符合",
    ItemResult.NOT_APPLICABLE: "不适用",
}
KIND_NAMES = {
    "routine": "日常检查", "campaign": "专项检查", "enforcement": "执法检查", "expert": "专家“体检式”检查",
    "joint": "联合检查", "reinspection": "复查",
}
#: 安全生产法 (2021) Art. 65: the supervising department's powers on inspection, among them ordering
#: hazards found to be removed (item 3).
ORDER_BASIS = "《中华人民共和国安全生产法》第六十五条"


def issuer_name() -> str:
    return settings.SHOUYE_DOCUMENT_ISSUER or settings.SHOUYE_BUREAU_NAME


def seal_image_uri() -> str:
    path = settings.SHOUYE_DOCUMENT_SEAL_IMAGE
    return Path(path).resolve().as_uri() if path and Path(path).is_file() else ""


def chinese_date(value: date | datetime | None) -> str:
    """2026年5月1日 (the form's date style)."""
    if value is None:
        return "    年  月  日"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_time(value: datetime | None) -> str:
    if value is None:
        return "  时  分"
    value = timezone.localtime(value)
    return f"{value.hour}时{value.minute:02d}分"


def _people(users) -> str:
    return "、".join(str(user) for user in users)


def _hazard_rows(items) -> list[dict]:
    return [{"order": n, "description": item.hazard.description, "location": item.hazard.location,
             "legal_basis": item.hazard.legal_basis or item.legal_basis,
             "level": LEVEL_NAMES.get(item.hazard.level, item.hazard.level), "state": item.hazard.state,
             "result": RESULT_NAMES[item.result]}
            for n, item in enumerate(items, start=1)]


def _signers(inspection, signatures) -> tuple[list[dict], dict]:
    """The inspectors (then the experts) with their certificate numbers and on-screen signatures, and the
    enterprise's recipient with theirs."""
    by_user = {s.signer_id: s for s in signatures if s.role == SignerRole.INSPECTOR}
    recipient = next((s for s in signatures if s.role == SignerRole.RECIPIENT), None)
    rows = [{"name": str(user), "certificate": getattr(user, "enforcement_certificate_no", "") if not expert else "",
             "expert": expert,
             "signature": signature_images.data_url(by_user[user.pk].image) if user.pk in by_user else ""}
            for expert, users in ((False, inspection.inspectors.all()), (True, inspection.experts.all()))
            for user in users]
    return rows, {"signature": signature_images.data_url(recipient.image) if recipient else ""}


def _credentials(rows: list[dict]) -> str:
    """张三（执法证号 37010012345）、李四（专家）: the names as the document's header lists them."""
    return "、".join(f"{row['name']}（{'专家' if row['expert'] else '执法证号 ' + (row['certificate'] or '________')}）"
                    for row in rows)


def document_context(document, inspection, signatures=(), *, preview: bool = False) -> dict:
    """Everything the four forms print; ``inspection`` comes with its items, hazards, inspectors and
    experts loaded; ``signatures`` are the document's :class:`DocumentSignature` rows (saved or not)."""
    signers, recipient = _signers(inspection, signatures)
    served = document.served_document
    items = list(inspection.items.all())
    hazard_items = [item for item in items if item.hazard_id is not None]
    earlier_order = None
    if inspection.reinspection_of_id:
        earlier_order = (inspection.reinspection_of.documents.filter(kind=DocumentKind.RECTIFICATION_ORDER)
                         .order_by("-issued_at").first())
    principal = inspection.enterprise.people.filter(role="principal").first()
    return {
        "title": TITLES[document.kind],
        "issuer": issuer_name(),
        "seal_image": seal_image_uri(),
        "preview": preview,
        "number": PREVIEW_NUMBER if preview else document.number,
        "issued_on": chinese_date(document.issued_at),
        "enterprise": inspection.enterprise,
        "principal": principal.name if principal else inspection.enterprise.legal_representative,
        "kind_name": KIND_NAMES.get(inspection.kind, inspection.kind),
        "place": inspection.place or inspection.enterprise.address,
        "subject": inspection.subject,
        "inspected_on": chinese_date(inspection.inspected_at),
        "started": chinese_time(inspection.inspected_at),
        "finished": chinese_time(inspection.finished_at),
        "inspectors": _people(inspection.inspectors.all()),
        "signers": signers,
        "credentials": _credentials(signers),
        "recipient_name": document.recipient_name,
        "recipient_signature": recipient["signature"],
        "served_title": TITLES.get(served.kind, "") if served else "",
        "served_number": served.number if served else "",
        "delivery_method": DELIVERY_METHOD_NAMES.get(document.delivery_method, ""),
        "delivery_place": document.delivery_place or inspection.enterprise.address,
        "experts": _people(inspection.experts.all()),
        "checklist_name": inspection.checklist_name,
        "checklist_version": inspection.checklist_version,
        "items": [{"order": item.order, "text": item.text, "legal_basis": item.legal_basis,
                   "result": RESULT_NAMES[item.result], "finding": item.finding,
                   "non_compliant": item.result == ItemResult.NON_COMPLIANT} for item in items],
        "non_compliant_count": sum(item.result == ItemResult.NON_COMPLIANT for item in items),
        "notes": inspection.notes,
        "hazards": _hazard_rows(hazard_items),
        "deadline": chinese_date(document.deadline) if document.deadline else "",
        "order_basis": ORDER_BASIS,
        "opinion": document.opinion,
        "earlier_order": earlier_order,
        "earlier_order_date": chinese_date(earlier_order.issued_at) if earlier_order else "",
        "earlier_inspected_on": (chinese_date(inspection.reinspection_of.inspected_at)
                                 if inspection.reinspection_of_id else ""),
        "rectified_count": sum(item.result == ItemResult.COMPLIANT for item in hazard_items),
        "unrectified_count": sum(item.result == ItemResult.NON_COMPLIANT for item in hazard_items),
    }


def render_pdf(document, inspection, signatures=(), *, preview: bool = False) -> bytes:
    """The document as PDF bytes (A4, fonts embedded); a preview has no number and is marked 预览/草稿."""
    return pdf.render_pdf(TEMPLATES[document.kind],
                          document_context(document, inspection, signatures, preview=preview))
