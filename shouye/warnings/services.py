"""Every act on warnings, seasons and fire-danger readings: one transaction, the scope (404), the role and the
state (403, 409, from the workflow), the input (400, a Chinese message naming the field), one audit event.

The level's colour and measures come from the rule ``warning-measures`` (突发事件应对法 2024 Art. 63, 66, 67);
each notified unit's checklist is the bureau's measure templates of that level, recomputed when the level is
adjusted (Art. 70). The enterprises of the townships covered are notified too (in-app, their enterprise users)
and acknowledge for themselves; adjusting and lifting tell them as they tell the units."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import OrganisationKind, Role
from shouye.accounts.models import Organisation, User
from shouye.audit import services as audit
from shouye.core.moments import ensure_not_before_2000
from shouye.enterprises.choices import OperatingStatus
from shouye.enterprises.models import Enterprise
from shouye.notifications.services import notify
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import ensure_in_scope
from shouye.rules.early_warnings import warning_measures
from shouye.rules.errors import RuleInputError

from .choices import SeasonKind, WarningState
from .models import (
    ChecklistItem,
    EarlyWarning,
    FireDangerLevel,
    FireDangerReading,
    MeasureTemplate,
    NotifiedEnterprise,
    NotifiedUnit,
    Season,
    own_enterprise_ids,
)
from .permissions import EDIT_TABLES, ISSUE, MANAGE_SEASONS
from .workflow import WORKFLOW


def _lock(actor, warning: EarlyWarning, action: str) -> EarlyWarning:
    """Lock the row, then: out of scope (404), not permitted (403), not in this state (409)."""
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    ensure_in_scope(actor, warning)
    WORKFLOW.ensure_may(actor, warning, action)
    return warning


def _level(level) -> tuple[int, str, str]:
    """The level, its colour and basis from the rule; a bad level is an error on ``level``."""
    try:
        result = warning_measures(level)
    except RuleInputError as exc:
        raise ValidationError({"level": exc.message}) from exc
    return result.level, result.colour, result.basis


def _not_ahead(moment: datetime, field: str) -> None:
    if moment > timezone.now():
        raise ValidationError({field: _("This time is in the future.")})
    ensure_not_before_2000(moment, field, _("Time"))


def own_units_q(user) -> Q:
    """The notified units ``user`` answers for: its townships (township officer) and departments."""
    townships = [m.region_id for m in user.active_memberships() if m.role == Role.TOWNSHIP_OFFICER]
    departments = [m.organisation_id for m in user.active_memberships() if m.role == Role.DEPARTMENT_OFFICER]
    return Q(township_id__in=townships) | Q(department_id__in=departments)


def _may_answer_for(actor, unit: NotifiedUnit) -> bool:
    """A unit answers for itself; the bureau records an answer taken by phone."""
    return actor.has_perm(ISSUE) or NotifiedUnit.objects.filter(own_units_q(actor), pk=unit.pk).exists()


def _unit_users(unit: NotifiedUnit):
    if unit.township_id:
        return User.objects.filter(is_active=True, memberships__active=True,
                                   memberships__role=Role.TOWNSHIP_OFFICER, memberships__region_id=unit.township_id)
    return User.objects.filter(is_active=True, memberships__active=True,
                               memberships__role=Role.DEPARTMENT_OFFICER,
                               memberships__organisation_id=unit.department_id)


def _notify_units(warning: EarlyWarning, units, verb: str, title: str) -> None:
    """After the commit: every officer of each unit gets the notification (a rolled-back act sends none)."""
    recipients = {user.pk: user for unit in units for user in _unit_users(unit).distinct()}
    link = reverse("warnings:detail", kwargs={"pk": warning.pk})
    transaction.on_commit(lambda: notify(recipients=list(recipients.values()), verb=verb, title=title,
                                         body=warning.content[:500], link=link))


def _notify_enterprises(warning: EarlyWarning, verb: str, title: str) -> None:
    """After the commit: every enterprise user of the enterprises notified of the warning, found in one query
    (a district-wide warning reaches hundreds of enterprises)."""
    recipients = list(User.objects.filter(
        is_active=True, memberships__active=True, memberships__role=Role.ENTERPRISE_USER,
        memberships__enterprise__in=NotifiedEnterprise.objects.filter(warning=warning).values("enterprise_id"))
        .distinct())
    link = reverse("warnings:detail", kwargs={"pk": warning.pk})
    transaction.on_commit(lambda: notify(recipients=recipients, verb=verb, title=title,
                                         body=warning.content[:500], link=link))


def _templates(level: int) -> list[MeasureTemplate]:
    return list(MeasureTemplate.objects.filter(level=level, active=True).order_by("article", "position", "id"))


def _items_for(unit: NotifiedUnit, templates) -> list[ChecklistItem]:
    return [ChecklistItem(unit=unit, article=t.article, position=t.position, text=t.text) for t in templates]


def _enterprises_of(townships) -> list[int]:
    """The enterprises of the townships covered that are not closed (a suspended site still stands in the
    storm)."""
    return list(Enterprise.objects.filter(township__in=[t.pk for t in townships])
                .exclude(status=OperatingStatus.CLOSED).order_by("id").values_list("id", flat=True))


def issue_warning(*, actor, title: str, kind: str, source: str, level, issued_at: datetime, all_district: bool,
                  townships=(), content: str) -> EarlyWarning:
    """Enter a warning received (or issued by hand): every township it covers and every industry department
    is notified, each with the checklist of the level's measures, and must acknowledge (叫应)."""
    if not actor.has_perm(ISSUE):
        raise PermissionDenied
    with transaction.atomic():
        level, colour, basis = _level(level)
        _not_ahead(issued_at, "issued_at")
        townships = list(townships or ())
        if not all_district and not townships:
            raise ValidationError({"townships": _("Choose the townships the warning covers, or the whole district.")})
        if not (title or "").strip():
            raise ValidationError({"title": _("Give the warning a title.")})
        if not (content or "").strip():
            raise ValidationError({"content": _("Give the warning's content.")})
        if all_district:
            townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
        warning = EarlyWarning.objects.create(
            title=title.strip(), kind=kind, source=source, level=level, colour=colour, basis=basis,
            issued_at=issued_at, all_district=all_district, content=content.strip(), created_by=actor)
        now = timezone.now()
        departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).order_by("id")
        units = NotifiedUnit.objects.bulk_create(
            [NotifiedUnit(warning=warning, township=t, notified_at=now) for t in townships]
            + [NotifiedUnit(warning=warning, department=d, notified_at=now) for d in departments])
        templates = _templates(level)
        ChecklistItem.objects.bulk_create([item for unit in units for item in _items_for(unit, templates)])
        enterprises = NotifiedEnterprise.objects.bulk_create(
            [NotifiedEnterprise(warning=warning, enterprise_id=pk, notified_at=now)
             for pk in _enterprises_of(townships)])
        audit.record(actor=actor, verb="warning.issue", target=warning, changes={
            "level": level, "colour": colour, "kind": kind, "source": source, "units": len(units),
            "measures": len(templates), "enterprises": len(enterprises)})
        _notify_units(warning, units, "warning.issued",
                      _("Warning %(title)s: acknowledge and take the measures") % {"title": warning.title})
        _notify_enterprises(warning, "warning.issued", _("Warning %(title)s: acknowledge it and take precautions")
                            % {"title": warning.title})
    return warning


def adjust_level(*, actor, warning: EarlyWarning, level, note: str = "") -> EarlyWarning:
    """Change the level (Art. 70): the colour follows and every unit's checklist becomes the new level's
    measures — measures of the old level not yet done are dropped, done ones are kept as the record, the new
    level's missing ones are added."""
    with transaction.atomic():
        warning = _lock(actor, warning, "adjust")
        level, colour, basis = _level(level)
        if level == warning.level:
            raise ValidationError({"level": _("The warning is already at this level.")})
        old = (warning.level, warning.colour)
        templates = _templates(level)
        wanted = {t.text for t in templates}
        units = list(warning.units.all())
        existing = list(ChecklistItem.objects.filter(unit__warning=warning))
        dropped = [i.pk for i in existing if i.text not in wanted and i.done_at is None]
        ChecklistItem.objects.filter(pk__in=dropped).delete()
        have = {(i.unit_id, i.text) for i in existing if i.pk not in dropped}
        added = ChecklistItem.objects.bulk_create([item for unit in units for item in _items_for(unit, templates)
                                                   if (unit.pk, item.text) not in have])
        warning.level, warning.colour, warning.basis = level, colour, basis
        warning.state = WarningState.ADJUSTED
        warning.save(update_fields=["level", "colour", "basis", "state"])
        audit.record(actor=actor, verb="warning.adjust", target=warning, note=(note or "").strip()[:300], changes={
            "level": [old[0], level], "colour": [old[1], colour], "measures_added": len(added),
            "measures_dropped": len(dropped)})
        adjusted = _("Warning %(title)s adjusted to level %(level)d") % {"title": warning.title, "level": level}
        _notify_units(warning, units, "warning.adjusted", adjusted)
        _notify_enterprises(warning, "warning.adjusted", adjusted)
    return warning


def lift_warning(*, actor, warning: EarlyWarning, note: str = "") -> EarlyWarning:
    """Lift the warning (Art. 70: 宣布解除警报，终止预警期): the period ends, acknowledgements and ticks stop."""
    with transaction.atomic():
        warning = _lock(actor, warning, "lift")
        old = warning.state
        warning.state, warning.lifted_at = WarningState.LIFTED, timezone.now()
        warning.lift_note = (note or "").strip()[:300]
        warning.save(update_fields=["state", "lifted_at", "lift_note"])
        audit.record(actor=actor, verb="warning.lift", target=warning,
                     changes={"state": [old, warning.state], "note": warning.lift_note})
        lifted = _("Warning %(title)s lifted") % {"title": warning.title}
        _notify_units(warning, list(warning.units.all()), "warning.lifted", lifted)
        _notify_enterprises(warning, "warning.lifted", lifted)
    return warning


def acknowledge(*, actor, warning: EarlyWarning, unit: NotifiedUnit) -> NotifiedUnit:
    """The unit answers the warning (叫应): once, by its own officer or recorded by the bureau."""
    with transaction.atomic():
        warning = _lock(actor, warning, "acknowledge")
        unit = (NotifiedUnit.objects.select_for_update().filter(warning=warning, pk=getattr(unit, "pk", unit))
                .order_by("pk").first())
        if unit is None or not _may_answer_for(actor, unit):
            raise ValidationError({"unit": _("Choose a unit of this warning you answer for.")})
        if unit.acknowledged_at is not None:
            raise ValidationError({"unit": _("This unit has already acknowledged the warning.")})
        unit.acknowledged_at, unit.acknowledged_by = timezone.now(), actor
        unit.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(actor=actor, verb="warning.acknowledge", target=warning,
                     changes={"unit": str(unit), "minutes": unit.minutes_to_acknowledge})
    return unit


def acknowledge_as_enterprise(*, actor, warning: EarlyWarning) -> list[NotifiedEnterprise]:
    """The caller's enterprise answers the warning (叫应): every enterprise of the caller notified of it and
    not yet answering, at once (an enterprise user answers for the enterprises it belongs to)."""
    with transaction.atomic():
        warning = _lock(actor, warning, "enterprise-acknowledge")
        rows = list(NotifiedEnterprise.objects.select_for_update().filter(
            warning=warning, enterprise_id__in=sorted(own_enterprise_ids(actor)), acknowledged_at__isnull=True)
            .order_by("pk"))
        if not rows:
            raise ValidationError(_("None of your enterprises is waiting to acknowledge this warning."))
        now = timezone.now()
        for row in rows:
            row.acknowledged_at, row.acknowledged_by = now, actor
        NotifiedEnterprise.objects.bulk_update(rows, ["acknowledged_at", "acknowledged_by"])
        audit.record(actor=actor, verb="warning.enterprise-acknowledge", target=warning, changes={
            "enterprises": [row.enterprise_id for row in rows], "minutes": rows[0].minutes_to_acknowledge})
    return rows


def tick(*, actor, warning: EarlyWarning, item, done: bool = True) -> ChecklistItem:
    """Tick a measure of a unit's checklist as done (or untick it)."""
    with transaction.atomic():
        warning = _lock(actor, warning, "tick")
        item = (ChecklistItem.objects.select_for_update().select_related("unit")
                .filter(unit__warning=warning, pk=getattr(item, "pk", item)).first())
        if item is None or not _may_answer_for(actor, item.unit):
            raise ValidationError({"item": _("Choose a measure of this warning you answer for.")})
        if (item.done_at is not None) == done:
            raise ValidationError({"item": _("This measure is already ticked.") if done
                                   else _("This measure is not ticked.")})
        item.done_at, item.done_by = (timezone.now(), actor) if done else (None, None)
        item.save(update_fields=["done_at", "done_by"])
        audit.record(actor=actor, verb="warning.tick", target=warning,
                     changes={"unit": str(item.unit), "measure": item.text, "done": done})
    return item


def save_season(*, actor, kind: str, year: int, starts_on: date, ends_on: date, notice: str = "") -> Season:
    """Record a season's dates from the district's notice, or correct them (one season of a kind a year): a
    season starts in its ``year`` and lasts less than a year (a fire season runs into the next year, 11-01 →
    05-31 in 青岛 and 烟台)."""
    if not actor.has_perm(MANAGE_SEASONS):
        raise PermissionDenied
    with transaction.atomic():
        if kind not in SeasonKind.values:
            raise ValidationError({"kind": _("Choose the kind of season.")})
        if starts_on.year != year:
            raise ValidationError({"starts_on": _("The season must start in its year.")})
        if ends_on < starts_on or (ends_on - starts_on).days >= 366:
            raise ValidationError({"ends_on": _("The end must be after the start and within a year of it.")})
        season = Season.objects.select_for_update().filter(kind=kind, year=year).first()
        before = None
        if season is not None:
            before = {"starts_on": str(season.starts_on), "ends_on": str(season.ends_on)}
        else:
            season = Season()
        season.kind, season.year, season.starts_on, season.ends_on = kind, year, starts_on, ends_on
        season.notice = (notice or "").strip()
        season.save()
        audit.record(actor=actor, verb="warning.season", target=season, changes={
            "kind": kind, "year": year, "starts_on": str(starts_on), "ends_on": str(ends_on), "before": before})
    return season


def record_fire_danger(*, actor, day: date, level: int, source: str) -> FireDangerReading:
    """The day's fire-danger level (1–5); a second reading of the same day replaces the first, audited."""
    if not actor.has_perm(MANAGE_SEASONS):
        raise PermissionDenied
    with transaction.atomic():
        if day > timezone.localdate():
            raise ValidationError({"day": _("This day is in the future.")})
        if level not in range(1, 6):
            raise ValidationError({"level": _("The fire-danger level is 1 to 5.")})
        reading = FireDangerReading.objects.select_for_update().filter(day=day).first()
        before = reading.level if reading else None
        if reading is None:
            reading = FireDangerReading(day=day, level=level, source=source, recorded_by=actor)
        reading.level, reading.source, reading.recorded_by = level, source, actor
        reading.save()
        audit.record(actor=actor, verb="warning.fire-danger", target=reading,
                     changes={"day": str(day), "level": [before, level], "source": source})
    return reading


def update_fire_danger_level(*, actor, level: int, name: str, action: str, colour: str):
    """Edit the fire-danger scale's row of ``level`` (its name, action and warning colour), audited."""
    if not actor.has_perm(EDIT_TABLES):
        raise PermissionDenied
    with transaction.atomic():
        row = FireDangerLevel.objects.select_for_update().filter(level=level).first()
        if row is None:
            raise ValidationError({"level": _("The fire-danger level is 1 to 5.")})
        before = {"name": row.name, "action": row.action, "colour": row.colour}
        row.name, row.action, row.colour = name.strip(), action.strip(), colour
        row.save()
        audit.record(actor=actor, verb="warning.table", target=row,
                     changes=audit.diff(before, {"name": row.name, "action": row.action, "colour": row.colour}))
    return row


def save_measure_template(*, actor, level: int, article: int, text: str, active: bool = True,
                          template: int | None = None) -> MeasureTemplate:
    """Add a measure to a level's checklist, or (``template``: its id) change an existing one's wording or
    state; the next warnings of that level use it. Audited."""
    if not actor.has_perm(EDIT_TABLES):
        raise PermissionDenied
    with transaction.atomic():
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Give the measure's text.")})
        if template is None:
            last = MeasureTemplate.objects.filter(level=level, article=article).order_by("-position").first()
            template = MeasureTemplate(level=level, article=article, position=(last.position + 1) if last else 1)
            before = None
        else:
            template = MeasureTemplate.objects.select_for_update().filter(pk=template).first()
            if template is None:
                raise ValidationError({"template": _("This measure does not exist.")})
            before = {"text": template.text, "active": template.active}
        template.text, template.active = text, active
        template.save()
        audit.record(actor=actor, verb="warning.table", target=template,
                     changes={"level": template.level, "text": text, "active": active, "before": before})
    return template
