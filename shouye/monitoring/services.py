"""The acts of an alarm's lifecycle (issue 13, ``workflow.py``) by a person, the announcement of new alarms to
the people their level's rule names, and the escalation of missed acknowledgements.

Every act: one transaction, the alarm's row locked, the scope (404), the workflow (403, 409), ``changed_at``
set (the board's and the console's cursor), one audit event, ``live.publish`` in the transaction. A refused
act changes nothing. The levels' rules (who is told, the acknowledgement deadline, who is told when it is
missed, how an alarm clears, how many repeats propose a hazard) are the bureau's [U] tables of REGULATIONS-2
§B.5, read through ``rulebook``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.accounts.models import User
from shouye.accounts.selectors import users_with_role
from shouye.audit import services as audit
from shouye.core.attachments import check_photos, save_photos, share_photos
from shouye.hazards.choices import HazardCategory, HazardLevel, HazardSource, PhotoKind
from shouye.hazards.models import HazardPhoto
from shouye.hazards.services.reporting import create_hazard
from shouye.major_hazards.models import ResponsiblePerson
from shouye.notifications.services import notify
from shouye.regions.scoping import ensure_in_scope

from . import live, rulebook, selectors
from .choices import AlarmKind, AlarmSource, AlarmState, ClearCondition, Condition, Disposition, NotifyRole
from .models import Alarm, AlarmPhoto
from .workflow import WORKFLOW

#: At most this many overdue alarms are escalated by one run of the job (it runs every minute).
ESCALATION_BATCH = 500


def _lock(actor, alarm: Alarm, action: str) -> Alarm:
    """The alarm locked, then the checks every act starts with, in the order of their answers: out of scope
    (404), not permitted (403), not allowed in the current state (409)."""
    row = Alarm.objects.select_for_update().get(pk=alarm.pk)
    ensure_in_scope(actor, row)
    WORKFLOW.ensure_may(actor, row, action)
    return row


def _save(actor, alarm: Alarm, *, verb: str, fields: list[str], changes: dict, note: str = "") -> Alarm:
    alarm.changed_at = timezone.now()
    alarm.save(update_fields=[*fields, "changed_at"])
    audit.record(actor=actor, verb=verb, target=alarm, changes=changes, note=note)
    live.publish([alarm.pk])
    return alarm


def _text(value) -> str:
    return (value or "").strip()


def _append(existing: str, addition: str) -> str:
    """Cause and measures grow while the alarm is handled: each entry on its own line."""
    return f"{existing}\n{addition}" if existing and addition else (existing or addition)


def acknowledge_alarm(*, actor, alarm: Alarm, note: str = "") -> Alarm:
    """确认: someone on duty has seen the alarm (before the level's deadline, else it was escalated)."""
    with transaction.atomic():
        alarm = _lock(actor, alarm, "acknowledge")
        before = alarm.state
        alarm.state = AlarmState.ACKNOWLEDGED
        alarm.acknowledged_at, alarm.acknowledged_by = timezone.now(), actor
        return _save(actor, alarm, verb="alarm.acknowledge", note=_text(note),
                     fields=["state", "acknowledged_at", "acknowledged_by"],
                     changes={"state": [before, alarm.state]})


def start_handling(*, actor, alarm: Alarm, cause: str = "", measures: str = "", photos: Iterable = ()) -> Alarm:
    """处置: the cause found and the measures taken, with photos. Starting to handle an alarm nobody acknowledged
    acknowledges it too (the duty person is on it)."""
    cause, measures = _text(cause), _text(measures)
    with transaction.atomic():
        alarm = _lock(actor, alarm, "handle")
        if not cause and not measures:
            raise ValidationError({"measures": _("Say what you found or what you are doing about the alarm.")})
        checked = check_photos(photos)
        before, now = alarm.state, timezone.now()
        fields = ["state", "handling_at", "handled_by", "cause", "measures"]
        if alarm.acknowledged_at is None:
            alarm.acknowledged_at, alarm.acknowledged_by = now, actor
            fields += ["acknowledged_at", "acknowledged_by"]
        alarm.state, alarm.handling_at, alarm.handled_by = AlarmState.HANDLING, now, actor
        alarm.cause, alarm.measures = _append(alarm.cause, cause), _append(alarm.measures, measures)
        saved = save_photos(AlarmPhoto, {"alarm": alarm}, checked, actor)
        return _save(actor, alarm, verb="alarm.handle", fields=fields,
                     changes={"state": [before, alarm.state], "cause": cause, "measures": measures,
                              "photos": len(saved)})


def record_handling(*, actor, alarm: Alarm, cause: str = "", measures: str = "", photos: Iterable = ()) -> Alarm:
    """More of the handling while it goes on: a cause found later, further measures, photos."""
    cause, measures = _text(cause), _text(measures)
    with transaction.atomic():
        alarm = _lock(actor, alarm, "record")
        checked = check_photos(photos)
        if not cause and not measures and not checked:
            raise ValidationError({"measures": _("Add a cause, a measure or a photo.")})
        alarm.cause, alarm.measures = _append(alarm.cause, cause), _append(alarm.measures, measures)
        saved = save_photos(AlarmPhoto, {"alarm": alarm}, checked, actor)
        return _save(actor, alarm, verb="alarm.record", fields=["cause", "measures"],
                     changes={"cause": cause, "measures": measures, "photos": len(saved)})


def _still_out_of_limits(alarm: Alarm) -> bool:
    """Whether a sensor alarm's point is still in the condition the alarm is about, by its latest status: a
    process value still in a band, a point still offline or a value still stuck (no status read yet counts as
    still out: nothing says it came back)."""
    status = getattr(alarm.point, "status", None) if alarm.point_id else None
    if status is None:
        return True
    if alarm.kind == AlarmKind.OFFLINE:
        return status.is_offline
    if alarm.kind == AlarmKind.STUCK:
        return status.is_stuck
    return status.condition != Condition.NORMAL


def clear_alarm(*, actor, alarm: Alarm, note: str = "") -> Alarm:
    """消警 by a person: a video alarm always (the person says the scene is clear); a sensor alarm when its
    level's rule clears only by hand (REGULATIONS-2 §B.5 [U]), or when its value is back within limits — a
    value still out of limits is not cleared by saying so."""
    with transaction.atomic():
        alarm = _lock(actor, alarm, "clear")
        if alarm.source == AlarmSource.SENSOR:
            manual = rulebook.rule_for(alarm.level).clear_condition == ClearCondition.MANUAL
            if not manual and _still_out_of_limits(alarm):
                raise ValidationError(_("The value is still out of limits: the alarm clears when it is back "
                                        "within limits."))
        before = alarm.state
        alarm.state, alarm.cleared_at, alarm.cleared_by = AlarmState.CLEARED, timezone.now(), actor
        return _save(actor, alarm, verb="alarm.clear", note=_text(note), fields=["state", "cleared_at", "cleared_by"],
                     changes={"state": [before, alarm.state]})


def close_alarm(*, actor, alarm: Alarm, disposition: str = "", note: str = "") -> Alarm:
    """关闭 a cleared alarm with its disposition (real / false / maintenance / test, issue 13): what the
    false-alarm rate is counted from."""
    with transaction.atomic():
        alarm = _lock(actor, alarm, "close")
        if disposition not in Disposition.values:
            raise ValidationError({"disposition": _("Choose how the alarm is classed.")})
        before = alarm.state
        alarm.state, alarm.closed_at, alarm.closed_by = AlarmState.CLOSED, timezone.now(), actor
        alarm.disposition, alarm.close_note = disposition, _text(note)
        return _save(actor, alarm, verb="alarm.close", note=alarm.close_note,
                     fields=["state", "closed_at", "closed_by", "disposition", "close_note"],
                     changes={"state": [before, alarm.state], "disposition": disposition})


def hazard_prefill(alarm: Alarm, repeats: int) -> dict:
    """What the hazard reported from an alarm says (issue 13, "one click into the hazard loop"): the scene or the
    condition, where (the point or the camera), and how often it repeated."""
    if alarm.source == AlarmSource.VIDEO:
        what = alarm.scenario.name
        where = alarm.camera.name
        category = HazardCategory.BEHAVIOUR
    else:
        what = f"{alarm.point.name}（{alarm.point.code}）{alarm.get_kind_display()}：{alarm.get_condition_display()}"
        if alarm.value is not None:
            what += f"，{alarm.value:g} {alarm.point.unit}"
            if alarm.setpoint is not None:
                what += _("(setpoint %(setpoint)s)") % {"setpoint": f"{alarm.setpoint:g}"}
        where = alarm.point.location or alarm.point.name
        category = HazardCategory.THINGS
    if alarm.installation_id:
        where = f"{alarm.installation.name} · {where}"
    description = _("Alarm: %(what)s. Raised %(raised)s; %(count)s alarms of this kind here in %(days)s days.") % {
        "what": what, "raised": timezone.localtime(alarm.raised_at).strftime("%Y-%m-%d %H:%M"),
        "count": repeats, "days": rulebook.rule_for(alarm.level).repeat_days}
    return {"description": description, "location": where[:200], "category": category}


def report_hazard_from_alarm(*, actor, alarm: Alarm, note: str = ""):
    """One click into the hazard loop (issue 13): a general hazard (一般隐患) of the alarm's enterprise, source
    "alarm", its description, place and category from the alarm, its before-photos the alarm's snapshot and
    handling photos (shared, not copied). The alarm keeps the hazard; once only."""
    with transaction.atomic():
        alarm = _lock(actor, alarm, "report-hazard")
        if alarm.hazard_id is not None:
            raise ValidationError(_("A hazard was already reported from this alarm."))
        detail = selectors.alarm_detail(actor).get(pk=alarm.pk)
        ensure_in_scope(actor, detail.enterprise)
        fields = hazard_prefill(detail, detail.repeats)
        if _text(note):
            fields["description"] = f"{fields['description']}\n{_text(note)}"
        hazard = create_hazard(actor=actor, enterprise=detail.enterprise, found_at=timezone.now(),
                               found_by_name=str(actor),
                               fields={**fields, "source": HazardSource.ALARM, "level": HazardLevel.ORDINARY})
        photos = share_photos(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.BEFORE}, alarm.photos.all(), actor)
        audit.record(actor=actor, verb="hazard.report", target=hazard, changes={
            "state": [None, hazard.state], "level": hazard.level, "source": hazard.source,
            "enterprise": hazard.enterprise_id, "alarm": alarm.pk, "photos": len(photos)})
        alarm.hazard = hazard
        _save(actor, alarm, verb="alarm.report_hazard", fields=["hazard"], changes={"hazard": hazard.pk})
    return hazard


# --- who is told ----------------------------------------------------------------------------------------


class _Recipients:
    """The people a rule's roles name for an alarm (issue 13, REGULATIONS-2 §B.5: which person responds is [U]),
    read once per enterprise, installation and township within one run. Bureau duty is, until the duty rosters
    exist, the bureau's staff (users with the role bureau_staff)."""

    def __init__(self):
        self.cache: dict[tuple[str, int | None], list] = {}

    def _of(self, role: str, key) -> list:
        if (role, key) not in self.cache:
            if role == NotifyRole.ENTERPRISE_DUTY:
                users = users_with_role(Role.ENTERPRISE_USER, enterprise=key)
            elif role == NotifyRole.INSTALLATION_RESPONSIBLE:
                users = User.objects.filter(is_active=True, pk__in=ResponsiblePerson.objects.filter(
                    installation=key, ended_on__isnull=True, user__isnull=False).values("user"))
            elif role == NotifyRole.TOWNSHIP_OFFICER:
                users = users_with_role(Role.TOWNSHIP_OFFICER, township=key)
            else:
                users = users_with_role(Role.BUREAU_STAFF)
            self.cache[(role, key)] = list(users)
        return self.cache[(role, key)]

    def for_alarm(self, alarm: Alarm, roles: Iterable[str]) -> list:
        keys = {NotifyRole.ENTERPRISE_DUTY: alarm.enterprise_id, NotifyRole.INSTALLATION_RESPONSIBLE:
                alarm.installation_id, NotifyRole.TOWNSHIP_OFFICER: alarm.township_id, NotifyRole.BUREAU_DUTY: None}
        people = []
        for role in roles:
            if role not in keys or (role == NotifyRole.INSTALLATION_RESPONSIBLE and alarm.installation_id is None):
                continue
            people.extend(self._of(role, keys[role]))
        return people


def _summary(alarm: Alarm) -> tuple[str, str]:
    what = alarm.scenario.name if alarm.scenario_id else alarm.get_condition_display()
    where = alarm.camera.name if alarm.camera_id else alarm.point.name if alarm.point_id else ""
    title = _("%(level)s alarm: %(what)s · %(enterprise)s") % {
        "level": alarm.get_level_display(), "what": what, "enterprise": alarm.enterprise.name}
    body = f"{where} · {timezone.localtime(alarm.raised_at):%Y-%m-%d %H:%M}"
    if alarm.value is not None:
        body += f" · {alarm.value:g}"
    return title, body


def announce_alarms(alarm_ids: Iterable[int]) -> int:
    """Tell the people of each alarm's level rule (``notify_roles``) about it, in the app with a link to the
    alarm's page. Idempotent: each person is told once per alarm (the notification's dedupe key), so a retried
    task tells nobody twice. Returns how many notifications were made."""
    people, made = _Recipients(), 0
    rows = Alarm.objects.filter(pk__in=list(alarm_ids)).select_related("enterprise", "point", "camera", "scenario")
    for alarm in rows:
        title, body = _summary(alarm)
        made += notify(recipients=people.for_alarm(alarm, rulebook.rule_for(alarm.level).notify_roles),
                       verb="alarm.raised", title=title, body=body, dedupe_key=f"alarm:{alarm.pk}:raised",
                       link=reverse("monitoring:alarm-detail", kwargs={"pk": alarm.pk}))
    return made


def escalate_overdue_alarms(*, now: datetime | None = None) -> int:
    """The job of every minute: raised alarms whose acknowledgement deadline passed and that were not escalated
    yet are marked escalated (an audit event each, by the system) and the rule's ``escalate_roles`` are told
    after the commit. The rows are locked and read again, so two runs never escalate one alarm twice. Returns
    how many were escalated."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(Alarm.objects.select_for_update(skip_locked=True, of=("self",))
                   .filter(state=AlarmState.RAISED, escalated_at__isnull=True, ack_due_by__lte=now)
                   .order_by("ack_due_by")[:ESCALATION_BATCH])
        if not due:
            return 0
        ids = [alarm.pk for alarm in due]
        Alarm.objects.filter(pk__in=ids).update(escalated_at=now, changed_at=now)
        audit.record_many(actor=None, actor_name="system", events=[
            ("alarm.escalate", alarm, {"ack_due_by": alarm.ack_due_by.isoformat()}, "") for alarm in due])
        live.publish(ids)
        transaction.on_commit(lambda: _announce_escalation(ids))
    return len(ids)


def _announce_escalation(alarm_ids: list[int]) -> None:
    people = _Recipients()
    rows = Alarm.objects.filter(pk__in=alarm_ids).select_related("enterprise", "point", "camera", "scenario")
    for alarm in rows:
        title, body = _summary(alarm)
        notify(recipients=people.for_alarm(alarm, rulebook.rule_for(alarm.level).escalate_roles),
               verb="alarm.escalated", title=_("Not acknowledged in time — %(title)s") % {"title": title},
               body=body, dedupe_key=f"alarm:{alarm.pk}:escalated",
               link=reverse("monitoring:alarm-detail", kwargs={"pk": alarm.pk}))
