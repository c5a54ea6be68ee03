"""Excel export of exactly the filtered enterprise list, with personal data masked for those who do not
need it (REGULATIONS.md §10.2). The export itself is an audited act. It is written by the platform's one
spreadsheet writer (:class:`~shouye.core.xlsx.StreamingXlsx`), so a name or an address an enterprise typed
as ``=HYPERLINK(…)`` reaches the reader as text, never as a formula (issue 9)."""

from __future__ import annotations

import io

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.xlsx import StreamingXlsx

from .choices import PersonRole
from .masking import person_contact
from .models import EnterprisePerson

#: Column widths in characters: the name and the credit code wider than the rest.
COLUMN_WIDTHS = (16, 32, 22, *[16] * 17)


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
    buffer = io.BytesIO()
    count = 0
    with StreamingXlsx(buffer, sheet_name=_("Enterprises"), column_widths=COLUMN_WIDTHS,
                       freeze_header=True) as book:
        book.write_header(export_columns())
        for count, enterprise in enumerate(queryset.iterator(chunk_size=1000), start=1):
            book.write_row(_row(count, enterprise, actor))
    with transaction.atomic():
        audit.record(actor=actor, verb="enterprise.export", note=f"{count} rows")
    filename = f"enterprises-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return buffer.getvalue(), filename
