"""The incident report (快报/续报/终报) generated from the incident and its timeline, as PDF (WeasyPrint from an
HTML template, as the inspection documents) and as Word (.docx, the format bureaus edit; python-docx). Its
contents are those of 山东省突发事件应对条例 Art. 29 (REGULATIONS-2 §E.3): time, place, unit, contact, source,
kind, casualties, the first estimate of the loss, scope of impact, development and handling, then the timeline
in order."""

from __future__ import annotations

import io

from django.utils import timezone, translation

from shouye.core import pdf

from .choices import ReportKind
from .models import Incident

#: The timeline a report prints, oldest first; a longer timeline keeps its newest entries.
MAX_ENTRIES = 500


def report_context(incident: Incident, kind: str) -> dict:
    """What every form of the report shows."""
    entries = list(incident.entries.select_related("author").order_by("-at", "-id")[:MAX_ENTRIES])
    entries.reverse()
    local = timezone.localtime
    unit = incident.enterprise.name if incident.enterprise_id else incident.unit_name
    rows = [
        ("事件名称", incident.title), ("事件类别", incident.get_kind_display()), ("等级", incident.get_grade_display()),
        ("发生时间", f"{local(incident.occurred_at):%Y年%m月%d日 %H:%M}"),
        ("接报时间", f"{local(incident.received_at):%Y年%m月%d日 %H:%M}（{incident.get_source_display()}）"),
        ("地点", f"{incident.township.name} {incident.place}"), ("事发单位", unit or "—"),
        ("联系人及电话", f"{incident.contact_name} {incident.contact_phone}".strip() or "—"),
        ("伤亡情况", f"死亡{incident.deaths}人，失踪{incident.missing}人，重伤{incident.serious_injuries}人"),
        ("直接经济损失初步估计", f"{incident.direct_loss_yuan}元"),
        ("影响范围", incident.scope_of_impact or "—"), ("发展态势", incident.development or "—"),
        ("处置情况", incident.handling or "—"),
    ]
    if incident.command_post:
        rows.append(("现场指挥部", f"{incident.command_post}（总指挥：{incident.commander}）"))
    if kind == ReportKind.FINAL and incident.summary:
        rows.append(("总结", incident.summary))
    return {"incident": incident, "title": f"{incident.title}（{ReportKind(kind).label}）", "rows": rows,
            "entries": [(f"{local(e.at):%m-%d %H:%M}", e.get_kind_display(), e.text) for e in entries],
            "grade_basis": incident.grade_basis, "printed_at": f"{local(timezone.now()):%Y年%m月%d日 %H:%M}"}


def render_pdf(incident: Incident, kind: str) -> bytes:
    return pdf.render_pdf("incidents/report.html", report_context(incident, kind))


def render_docx(incident: Incident, kind: str) -> bytes:
    from docx import Document

    with translation.override("zh-hans"):
        context = report_context(incident, kind)
        document = Document()
        document.add_heading(context["title"], level=1)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in context["rows"]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, str(value)
        document.add_paragraph(context["grade_basis"])
        document.add_heading("事件经过", level=2)
        for at, kind_label, text in context["entries"]:
            document.add_paragraph(f"{at}【{kind_label}】{text}")
        document.add_paragraph(f"生成时间：{context['printed_at']}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
