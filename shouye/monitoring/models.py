"""Monitoring points, readings, video scenes and alarms (issue 13) — decision 0014.

Configuration rows (gateways, points, cameras, vendors, the scenario mapping, the rule tables) are plain
tables. Readings are the one big table: ``(point, measured_at)`` is their key, so writing the same batch twice
writes nothing the second time; on PostgreSQL the table is partitioned by day (``storage.py``), raw readings are
kept at least 30 days (40号令 Art. 13, REGULATIONS-2 §B.3) and minute aggregates for years. A point's latest
value and the evaluation state the ingest needs across restarts (a condition pending its delay) are one row
per point (``PointStatus``), written in batches by the ingest, never by a form.

One ``Alarm`` model serves both streams: a sensor alarm names its point and condition, a video alarm its camera
and scenario. Every vendor event received is a ``VideoEvent`` row unique on (vendor, event id), so a replayed
event is recognised exactly and collapses into the alarm it first made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.attachments import PhotoAttachment
from shouye.core.importkit.models import ImportJobBase
from shouye.enterprises.stamps import StampedModel
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import (
    ACTIVE_STATES,
    AlarmKind,
    AlarmLevel,
    AlarmSource,
    AlarmState,
    ClearCondition,
    Condition,
    Disposition,
    PointKind,
    SceneZone,
    VendorProtocol,
)


def _through(path: str) -> ScopePaths:
    return ScopePaths(region=f"{path}__township", industry=f"{path}__industry", enterprise=f"{path}__enterprise")


class Gateway(StampedModel):
    """A data gateway (数据采集网关) of one enterprise that publishes its points' readings to the broker under
    ``shouye/v1/<code>/…`` (README, "Monitoring: topics and payloads")."""

    code = models.SlugField(_("gateway code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    installation = models.ForeignKey("major_hazards.MajorHazardInstallation", verbose_name=_("installation"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="gateways")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gateway")
        verbose_name_plural = _("gateways")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class MonitoringPoint(StampedModel):
    """监测点: one measured quantity with its range, expected interval and four-band thresholds.

    A band is active when its setpoint is set. A value enters a band when it passes the setpoint and stays there
    for ``delay_seconds``; it leaves the band when it is back past the setpoint by ``dead_band`` (REGULATIONS-2
    §B.4, the AH/WH/WL/AL + dead zone convention). No reading for ``offline_after_intervals`` expected intervals
    is offline; the same value for ``stuck_after_readings`` readings in a row is stuck (0: not checked)."""

    gateway = models.ForeignKey(Gateway, verbose_name=_("gateway"), on_delete=models.PROTECT, related_name="points")
    installation = models.ForeignKey("major_hazards.MajorHazardInstallation", verbose_name=_("installation"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="monitoring_points")
    code = models.CharField(_("point code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=PointKind.choices)
    unit = models.CharField(_("unit"), max_length=16)
    range_min = models.FloatField(_("range from"))
    range_max = models.FloatField(_("range to"))
    expected_interval_seconds = models.PositiveIntegerField(_("expected interval (s)"), default=10)
    high_high = models.FloatField(_("high-high setpoint"), null=True, blank=True)
    high = models.FloatField(_("high setpoint"), null=True, blank=True)
    low = models.FloatField(_("low setpoint"), null=True, blank=True)
    low_low = models.FloatField(_("low-low setpoint"), null=True, blank=True)
    dead_band = models.FloatField(_("dead band"), default=0)
    delay_seconds = models.PositiveIntegerField(_("delay (s)"), default=0)
    offline_after_intervals = models.PositiveSmallIntegerField(_("offline after missed intervals"), default=3)
    stuck_after_readings = models.PositiveIntegerField(_("stuck after identical readings"), default=0)
    # For a toxic-gas detector: the substance's limits that GB/T 50493 5.5.2's setpoints were derived from.
    oel_mg_m3 = models.FloatField(_("occupational exposure limit (mg/m³)"), null=True, blank=True)
    idlh_mg_m3 = models.FloatField(_("IDLH (mg/m³)"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring point")
        verbose_name_plural = _("monitoring points")
        ordering = ["gateway", "code"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "code"], name="monitoring_point_code_per_gateway"),
            models.CheckConstraint(condition=Q(range_max__gt=models.F("range_min")), name="monitoring_point_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class PointStatus(models.Model):
    """The latest reading of a point and where its evaluation stands, one row per point, written by the ingest
    in batches. ``pending_condition``/``pending_since`` is a band entered but not yet held for the delay; the
    ``repeat_*`` fields count identical values for stuck detection."""

    SCOPE_PATHS = _through("point")

    point = models.OneToOneField(MonitoringPoint, primary_key=True, on_delete=models.CASCADE, related_name="status")
    value = models.FloatField(_("latest value"), null=True)
    measured_at = models.DateTimeField(_("measured at"), null=True)
    received_at = models.DateTimeField(_("received at"), null=True)
    condition = models.CharField(_("condition"), max_length=8, choices=Condition.choices, default=Condition.NORMAL)
    condition_since = models.DateTimeField(_("condition since"), null=True)
    pending_condition = models.CharField(max_length=8, choices=Condition.choices, blank=True)
    pending_since = models.DateTimeField(null=True)
    repeat_value = models.FloatField(null=True)
    repeat_count = models.PositiveIntegerField(default=0)
    is_offline = models.BooleanField(_("offline"), default=False)
    is_stuck = models.BooleanField(_("stuck"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("point status")
        verbose_name_plural = _("point statuses")
        indexes = [models.Index(fields=["is_offline"], name="monitoring_status_offline")]

    def __str__(self):
        return f"{self.point_id}: {self.value} ({self.condition})"


class Reading(models.Model):
    """One raw reading. The key is (point, measured_at): the same reading written twice is one row. On
    PostgreSQL the table is partitioned by day of ``measured_at`` (``storage.py``); the foreign key is not a
    database constraint, so that writing a batch checks nothing per row (the ingest writes only known points)."""

    pk = models.CompositePrimaryKey("point_id", "measured_at")
    point = models.ForeignKey(MonitoringPoint, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    measured_at = models.DateTimeField(_("measured at"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")

    def __str__(self):
        return f"{self.point_id} {self.measured_at:%Y-%m-%d %H:%M:%S} {self.value}"


class MinuteAggregate(models.Model):
    """A point's readings of one minute: count, minimum, maximum and sum (the mean is sum / count); kept for
    years after the raw readings are gone."""

    pk = models.CompositePrimaryKey("point_id", "minute")
    point = models.ForeignKey(MonitoringPoint, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    minute = models.DateTimeField(_("minute"))
    count = models.PositiveIntegerField(_("readings"))
    minimum = models.FloatField(_("minimum"))
    maximum = models.FloatField(_("maximum"))
    total = models.FloatField(_("sum"))

    class Meta:
        verbose_name = _("minute aggregate")
        verbose_name_plural = _("minute aggregates")

    def __str__(self):
        return f"{self.point_id} {self.minute:%Y-%m-%d %H:%M} ×{self.count}"


class Scenario(models.Model):
    """A scene the platform knows (打电话, 吸烟, 明火, 烟雾, 人员离岗, 灭火器未摆放, 卸油未静置, 周界入侵 … and the GB/T
    28181 device alarms), with the level its alarms get unless a vendor's severity says otherwise, and the window
    in which the same scene on the same camera raises the count of the open alarm instead of a new alarm."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    default_level = models.CharField(_("default level"), max_length=8, choices=AlarmLevel.choices,
                                     default=AlarmLevel.YELLOW)
    dedupe_minutes = models.PositiveIntegerField(_("repeat window (min)"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["code"]

    def __str__(self):
        return self.name


class AlarmVendor(models.Model):
    """A video-AI platform that posts alarms to ``/api/v1/alarms/intake/<code>/``. It signs each body with its
    secret (HMAC-SHA256 over the timestamp and the body); a timestamp outside ``replay_window_seconds`` is
    refused. ``severity_map`` maps its severity scale to our levels (e.g. 5 严重 → red … 1 通知 → blue, §D.2)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    key_id = models.CharField(_("key id"), max_length=64, unique=True)
    secret = models.CharField(_("secret"), max_length=128)
    replay_window_seconds = models.PositiveIntegerField(_("replay window (s)"), default=300)
    protocol = models.CharField(_("protocol"), max_length=8, choices=VendorProtocol.choices,
                                default=VendorProtocol.JSON)
    severity_map = models.JSONField(_("severity mapping"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("alarm vendor")
        verbose_name_plural = _("alarm vendors")
        ordering = ["code"]

    def __str__(self):
        return self.name


class VendorTypeMapping(models.Model):
    """A vendor's type code → a platform scenario (REGULATIONS-2 §D.1: GB/T 28181 AlarmMethod/AlarmType, or a
    vendor's private codes, stored as data). ``vendor_code`` is the vendor's code as sent (e.g. ``5/6`` for
    AlarmMethod 5, AlarmType 6, or ``smoking``)."""

    vendor = models.ForeignKey(AlarmVendor, on_delete=models.CASCADE, related_name="mappings")
    vendor_code = models.CharField(_("vendor type code"), max_length=40)
    scenario = models.ForeignKey(Scenario, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("vendor type mapping")
        verbose_name_plural = _("vendor type mappings")
        constraints = [models.UniqueConstraint(fields=["vendor", "vendor_code"], name="monitoring_vendor_code")]

    def __str__(self):
        return f"{self.vendor_code} → {self.scenario_id}"


class Camera(StampedModel):
    """A camera (or a channel of a video platform) of one enterprise, known to a vendor by ``vendor_device_id``."""

    vendor = models.ForeignKey(AlarmVendor, verbose_name=_("vendor"), on_delete=models.PROTECT,
                               related_name="cameras")
    vendor_device_id = models.CharField(_("device id at the vendor"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    zone = models.CharField(_("zone"), max_length=16, choices=SceneZone.choices, default=SceneZone.OTHER)
    installation = models.ForeignKey("major_hazards.MajorHazardInstallation", verbose_name=_("installation"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="cameras")
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["vendor", "vendor_device_id"], name="monitoring_camera_id")]

    def __str__(self):
        return self.name


class AlarmTrigger(models.Model):
    """Which level a sensor alarm gets: a condition, optionally for one point kind only (the row for the kind
    wins over the row for any kind). Editable; the defaults are [U] (REGULATIONS-2 §B.5)."""

    condition = models.CharField(_("condition"), max_length=8, choices=Condition.choices)
    point_kind = models.CharField(_("point kind"), max_length=16, choices=PointKind.choices, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=AlarmLevel.choices)

    class Meta:
        verbose_name = _("alarm trigger")
        verbose_name_plural = _("alarm triggers")
        constraints = [models.UniqueConstraint(fields=["condition", "point_kind"], name="monitoring_trigger")]

    def __str__(self):
        return f"{self.condition}/{self.point_kind or '*'} → {self.level}"


class AlarmRule(models.Model):
    """The handling rule of one level (REGULATIONS-2 §B.5: level, notify roles, acknowledgement deadline,
    escalation, clear condition — all [U], editable): who is told, how long they have to acknowledge, who is
    told when they miss it, how an alarm clears, and how many repeats in how many days propose a hazard."""

    level = models.CharField(_("level"), max_length=8, choices=AlarmLevel.choices, unique=True)
    notify_roles = models.JSONField(_("notified"), default=list)
    ack_minutes = models.PositiveIntegerField(_("acknowledge within (min)"))
    escalate_roles = models.JSONField(_("told when the acknowledgement is missed"), default=list)
    clear_condition = models.CharField(_("clearing"), max_length=10, choices=ClearCondition.choices,
                                       default=ClearCondition.AUTOMATIC)
    repeat_count = models.PositiveSmallIntegerField(_("repeats that propose a hazard"), default=3)
    repeat_days = models.PositiveSmallIntegerField(_("within days"), default=7)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")
        ordering = ["level"]

    def __str__(self):
        return self.get_level_display()


class Alarm(StampedModel):
    """One alarm of either stream, from raising to closing (issue 13's lifecycle, ``workflow.py``).

    ``raised_at`` is when the condition began (the reading's or the vendor event's time), ``received_at`` when
    the alarm was committed; ``last_seen_at``/``repeat_count`` grow when the same scene repeats within the
    scenario's window. ``ack_due_by`` comes from the level's rule; ``escalated_at`` is set when it was missed."""

    source = models.CharField(_("source"), max_length=8, choices=AlarmSource.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=AlarmKind.choices)
    level = models.CharField(_("level"), max_length=8, choices=AlarmLevel.choices)
    state = models.CharField(_("state"), max_length=12, choices=AlarmState.choices, default=AlarmState.RAISED)
    installation = models.ForeignKey("major_hazards.MajorHazardInstallation", verbose_name=_("installation"),
                                     null=True, blank=True, on_delete=models.PROTECT, related_name="alarms")
    point = models.ForeignKey(MonitoringPoint, verbose_name=_("monitoring point"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="alarms")
    condition = models.CharField(_("condition"), max_length=8, choices=Condition.choices, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    setpoint = models.FloatField(_("setpoint"), null=True, blank=True)
    peak_value = models.FloatField(_("worst value"), null=True, blank=True)
    camera = models.ForeignKey(Camera, verbose_name=_("camera"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="alarms")
    scenario = models.ForeignKey(Scenario, verbose_name=_("scenario"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="alarms")
    vendor = models.ForeignKey(AlarmVendor, verbose_name=_("vendor"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="alarms")
    description = models.CharField(_("description"), max_length=200, blank=True)
    clip_url = models.URLField(_("video clip"), max_length=500, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    received_at = models.DateTimeField(_("received at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    repeat_count = models.PositiveIntegerField(_("times seen"), default=1)
    ack_due_by = models.DateTimeField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    handling_at = models.DateTimeField(_("handling since"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    cause = models.TextField(_("cause"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text=_("empty when the value came back by itself"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    disposition = models.CharField(_("disposition"), max_length=12, choices=Disposition.choices, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard reported"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    # Set by every write (services and the ingest's bulk writes alike): the board's stream sends what changed
    # since its cursor.
    changed_at = models.DateTimeField(_("changed at"), db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-raised_at", "-pk"]
        permissions = [
            ("handle_alarm", _("Can acknowledge, handle, clear and close alarms")),
            ("view_alarm_board", _("Can view the alarm board")),
            ("configure_monitoring", _("Can keep gateways, monitoring points and cameras")),
            ("manage_alarm_rules", _("Can keep the alarm rules, scenarios and video vendors")),
        ]
        constraints = [
            # A point has at most one active alarm of each sensor kind (a worsening excursion is the same alarm).
            models.UniqueConstraint(fields=["point", "kind"], condition=Q(state__in=ACTIVE_STATES),
                                    name="monitoring_one_active_alarm_per_point_kind"),
        ]
        indexes = [
            models.Index(fields=["state", "level"], name="monitoring_alarm_state_level"),
            models.Index(fields=["enterprise", "raised_at"], name="monitoring_alarm_enterprise"),
            models.Index(fields=["township", "state"], name="monitoring_alarm_township"),
            models.Index(fields=["camera", "scenario", "state"], name="monitoring_alarm_scene"),
            models.Index(fields=["ack_due_by"], condition=Q(state=AlarmState.RAISED, escalated_at__isnull=True),
                         name="monitoring_alarm_ack_due"),
        ]

    def __str__(self):
        what = self.scenario.name if self.scenario_id else self.get_condition_display()
        return f"{what} · {self.raised_at:%Y-%m-%d %H:%M}"


class VideoEvent(models.Model):
    """Every event a vendor posted, unique on (vendor, event id): the same event delivered twice is recognised
    and answers with the alarm it first made (exact duplicate collapse)."""

    SCOPE_PATHS = _through("alarm")

    vendor = models.ForeignKey(AlarmVendor, on_delete=models.PROTECT, related_name="+")
    event_id = models.CharField(_("event id"), max_length=100)
    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("video event")
        verbose_name_plural = _("video events")
        constraints = [models.UniqueConstraint(fields=["vendor", "event_id"], name="monitoring_video_event")]

    def __str__(self):
        return f"{self.vendor_id}:{self.event_id}"


class VideoInbox(models.Model):
    """A vendor event accepted by the intake and not yet made an alarm (issue 13, decision 0014): the one row
    the request writes, committed before it answers, unique on (vendor, event id) so a replay is recognised
    by the insert itself. The request has already resolved what the event needs (the camera, the scenario,
    the level); the processor (``intake.services.drain_inbox``) raises or repeats the alarm, writes the
    ``VideoEvent`` (which names the alarm) and sets ``processed_at``, dropping the snapshot it stored. Processed
    rows are removed after :data:`~shouye.monitoring.intake.services.KEEP_PROCESSED` (the ``VideoEvent``
    stays)."""

    vendor = models.ForeignKey(AlarmVendor, on_delete=models.PROTECT, related_name="+")
    event_id = models.CharField(_("event id"), max_length=100)
    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=8, choices=AlarmLevel.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    clip_url = models.URLField(_("video clip"), max_length=500, blank=True)
    snapshot = models.BinaryField(_("snapshot"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("video event received")
        verbose_name_plural = _("video events received")
        constraints = [models.UniqueConstraint(fields=["vendor", "event_id"], name="monitoring_video_inbox_event")]
        indexes = [models.Index(fields=["id"], condition=Q(processed_at__isnull=True),
                                name="monitoring_video_inbox_todo")]

    def __str__(self):
        return f"{self.vendor_id}:{self.event_id}"


class AlarmPhoto(PhotoAttachment):
    """A video alarm's snapshot, or a photo of the handling."""

    SCOPE_PATHS = _through("alarm")
    upload_prefix = "monitoring/"

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="photos")
    is_snapshot = models.BooleanField(_("snapshot"), default=False)
    # A vendor's snapshot is stored by the intake, which acts for nobody: empty then.
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta(PhotoAttachment.Meta):
        verbose_name = _("alarm photo")
        verbose_name_plural = _("alarm photos")


class UnmappedTypeCode(models.Model):
    """A type code a vendor sent that its mapping does not name, with how often and when last: the intake
    refuses such an event (``monitoring.intake.services``) and the vendor's page shows these codes, so the
    bureau maps them to a scenario instead of the duty console receiving scenes nobody classed."""

    vendor = models.ForeignKey(AlarmVendor, on_delete=models.CASCADE, related_name="unmapped_codes")
    vendor_code = models.CharField(_("vendor type code"), max_length=40)
    count = models.PositiveIntegerField(_("events refused"), default=0)
    last_seen_at = models.DateTimeField(_("last sent at"))

    class Meta:
        verbose_name = _("unmapped type code")
        verbose_name_plural = _("unmapped type codes")
        ordering = ["vendor", "-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["vendor", "vendor_code"], name="monitoring_unmapped_code")]

    def __str__(self):
        return f"{self.vendor_id}:{self.vendor_code} ×{self.count}"


class PointImportJob(ImportJobBase):
    """One Excel import of monitoring points (``shouye.monitoring.config_imports``): all-or-nothing; large files
    run in the background and report progress."""

    created_count = models.PositiveIntegerField(_("points added"), default=0)

    class Meta(ImportJobBase.Meta):
        verbose_name = _("monitoring point import")
        verbose_name_plural = _("monitoring point imports")
