"""Excel export of exactly the filtered personnel ledger, one row per certificate (a person without one has a row
of their own), with ID numbers and phones masked for those who do not need them. Written by the platform's one
spreadsheet writer (``shouye.core.xlsx.StreamingXlsx``, formula injection neutralised); the export is an audited
act."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.xlsx import StreamingXlsx

from .choices import CertificateFlag, CertificateKind
from .masking import certificate_number, worker_contact

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTHS = (6, 28, 10, 22, 14, 14, 24, 18, 26, 22, 12, 12, 12, 12, 12, 12, 14, 20)


def export_columns() -> list[str]:
    return [_("No."), _("Enterprise"), _("Name"), _("ID number"), _("Post"), _("Phone"), _("High-risk work areas"),
            _("Certificate kind"), _("Operation category"), _("Certificate number"), _("Issued on"),
            _("Last review on"), _("Expires on"), _("Next review due"), _("Apply from"), _("Apply by"),
            _("Certificate state"), _("Issuing authority")]


def _rows(worker, actor, today, labels):
    contact = worker_contact(worker, actor)
    person = [worker.enterprise.name, worker.name, contact["id_number"], worker.post, contact["phone"],
              "、".join(area.name for area in worker.work_areas.all())]
    certificates = list(worker.certificates.all())
    if not certificates:
        return [person + [""] * 11]
    return [person + [labels[c.kind], c.operation_category,
                      certificate_number(c.number, actor), c.issued_on, c.last_review_on or "",
                      c.expires_on, c.next_review_due or "", c.apply_from or "", c.apply_by,
                      labels[c.flag(today)], c.authority]
            for c in certificates]


def export_workers(*, actor, queryset) -> tuple[bytes, str]:
    """Write the given (already scoped, filtered and prefetched) ledger to xlsx; returns (content, file name)."""
    today = timezone.localdate()
    # Each label translated once, not once per row.
    labels = {value: str(label) for value, label in [*CertificateKind.choices, *CertificateFlag.choices]}
    buffer = io.BytesIO()
    count = 0
    with StreamingXlsx(buffer, sheet_name=_("Personnel ledger"), column_widths=COLUMN_WIDTHS,
                       freeze_header=True) as book:
        book.write_header(export_columns())
        for worker in queryset.iterator(chunk_size=1000):
            for row in _rows(worker, actor, today, labels):
                count += 1
                book.write_row([count, *row])
    with transaction.atomic():
        audit.record(actor=actor, verb="worker.export", note=f"{count} rows")
    return buffer.getvalue(), f"personnel-ledger-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
