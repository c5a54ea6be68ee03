"""Excel export of exactly the filtered enterprise list, with personal data masked for those who do not
need it (REGULATIONS.md §10.2). The export itself is an audited act."""

from __future__ import annotations

import io

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shouye.audit import services as audit

from .choices import PersonRole
from .masking import person_contact
from .models import EnterprisePerson


def export_columns() -> list[str]:
    return [
        _("No."), _("Name"), _("Credit code"), _("Township"), _("Industry"), _("Supervision grade"),
        _("Operating status"), _("Scale"), _("Employees"), _("Legal representative"), _("Address"),
        _("Longitude"), _("Latitude"), _("Tags"), _("Principal"), _("Principal's phone"),
        _("Safety director"), _("Safety director's phone"), _("Safety officers"), _("Licences"),
    ]


def _row(index: int, enterprise, actor) -> list:
    people = {role: [] for role in PersonRole.values}
    for person in enterprise.people.all():
        people[person.role].append(person)

    def first(role, attr):
        if not people[role]:
            return ""
        person = people[role][0]
        return person.name if attr == "name" else person_contact(person, actor)["phone"]

    return [
        index, enterprise.name, enterprise.credit_code, enterprise.township.name, enterprise.industry.name,
        enterprise.supervision_grade.code, enterprise.get_status_display(), enterprise.get_scale_display(),
        enterprise.employees, enterprise.legal_representative, enterprise.address,
        float(enterprise.longitude) if enterprise.longitude is not None else "",
        float(enterprise.latitude) if enterprise.latitude is not None else "",
        "、".join(tag.name for tag in enterprise.tags.all()),
        first(PersonRole.PRINCIPAL, "name"), first(PersonRole.PRINCIPAL, "phone"),
        first(PersonRole.SAFETY_DIRECTOR, "name"), first(PersonRole.SAFETY_DIRECTOR, "phone"),
        "、".join(p.name for p in people[PersonRole.SAFETY_OFFICER]),
        "；".join(f"{lic.get_kind_display()} {lic.number} ({lic.valid_to:%Y-%m-%d})"
                 for lic in enterprise.licences.all()),
    ]


def export_enterprises(*, actor, queryset) -> tuple[bytes, str]:
    """Write the given (already scoped and filtered) queryset to xlsx; returns (content, file name)."""
    queryset = queryset.prefetch_related(
        Prefetch("people", queryset=EnterprisePerson.objects.order_by("role", "id")), "licences")
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Enterprises")
    sheet.append(export_columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for count, enterprise in enumerate(queryset.iterator(chunk_size=1000), start=1):
        sheet.append(_row(count, enterprise, actor))
    for column in range(1, len(export_columns()) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    sheet.column_dimensions["B"].width = 32
    sheet.column_dimensions["C"].width = 22
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with transaction.atomic():
        audit.record(actor=actor, verb="enterprise.export", note=f"{count} rows")
    filename = f"enterprises-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return buffer.getvalue(), filename
