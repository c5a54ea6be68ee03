"""The monitoring part of the demo district (``shouye demo``, DemoStep "monitoring", order 45 — after the major
hazard installations and the permits): what the simulator (``shouye simulate``) feeds and what the video intake
receives, so that a newcomer sees live values and alarms.

- **Every major hazard installation gets a data gateway and its points** (40号令 Art. 13, REGULATIONS-2 §B.3:
  temperature, pressure, level, flow, composition and gas-leak detection): a tank farm its tanks' level,
  temperature and pressure and the loading line's flow; a production unit its reactor's temperature and
  pressure, the feed flow and the product's composition; an ammonia refrigeration room its compressors' discharge
  and its receiver; a warehouse its temperature; and each installation
  the gas detectors its substances call for, with GB/T 50493-2019 5.5.2's setpoints (REGULATIONS-2 §B.4):
  combustible gas 25 % / 50 % LEL, toxic gas 100 % / 200 % of the substance's occupational exposure limit
  (the detectors' ranges reach 2 × OEL), oxygen 23.5 / 19.5 %VOL. Process setpoints are the demo's own,
  plausible for the unit.
- **Every gas station gets the cameras of one video-AI platform** ("演示视频平台", the vendor posting to
  ``/api/v1/alarms/intake/demo-video/``): unloading area, two fuelling islands, perimeter and shop. The
  platform's type codes map to our scenarios: GB/T 28181 AlarmMethod/AlarmType (``defaults.GB28181_TYPES``,
  §D.1) and the private codes of §D.2's gas-station front end (3 人员离岗, 6 打电话, 7 抽烟, 10 明火, 11 烟雾,
  13 灭火器, 14 静电夹) and named types (intrusion, tripwire …); its five-step severity maps to our levels.

Configuration rows are plain tables (decision 0014), written here as an administrator would enter them, each
installation's the day after it was registered, the cameras at the start of the demo's year.

Then a year of alarm history (:func:`load_alarms`), through the ingest's writer, the video intake and the
lifecycle's services, each act at its own moment: sensor excursions past H or HH and back, video scenes at the
gas stations (some repeated within the scenario's window, some replayed by the platform), acknowledged, handled,
cleared and closed by the enterprise's safety officer — a few late and escalated, a repeated scene reported as a
hazard, the last days' alarms partly still open for the board and the duty console."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta

from shouye.core.demo import Agenda, moment
from shouye.enterprises import demo as district
from shouye.enterprises.models import Enterprise
from shouye.major_hazards.choices import InstallationKind
from shouye.major_hazards.models import MajorHazardInstallation

from . import defaults, rulebook, services
from .choices import AlarmSource, AlarmState, Disposition, SceneZone
from .choices import PointKind as P
from .ingest.directory import Directory
from .ingest.writer import Writer
from .intake import auth
from .intake.adapters import VendorEvent
from .intake.services import receive_event
from .models import (
    Alarm,
    AlarmVendor,
    Camera,
    Gateway,
    MonitoringPoint,
    PointStatus,
    Scenario,
    VendorTypeMapping,
)

#: GB/T 50493-2019 5.5.2 (REGULATIONS-2 §B.4): combustible gas level 1 / level 2 in %LEL.
COMBUSTIBLE_SETPOINTS = (25.0, 50.0)
#: GB/T 50493-2019 5.5.2: oxygen over-oxygen / deficiency in %VOL; normal air holds 20.9 %.
OXYGEN_SETPOINTS = (23.5, 19.5)
#: Toxic substances the demo's installations hold, with the occupational exposure limit their detectors are set
#: from (mg/m³, GBZ 2.1-2019 Table 1: 氨 PC-TWA 20; 氯 MAC 1) and a detector range reaching 2 × OEL, so that
#: GB/T 50493-2019 5.5.2's 100 % / 200 % OEL applies.
TOXIC = {"液氨": ("氨", 20.0, 100.0), "氨": ("氨", 20.0, 100.0), "氯": ("氯气", 1.0, 10.0)}
#: Substances whose leak a combustible-gas detector watches.
COMBUSTIBLE = {"甲醇", "汽油", "液化石油气", "氢", "甲苯", "乙酸乙酯"}

#: (code, name, kind, unit, range, (LL, L, H, HH), dead band, interval s) of the process points per kind of unit.
#: None: the band is not set.
PROCESS_POINTS = {
    InstallationKind.TANK_FARM: [
        ("LT-101", "1#储罐液位", P.LEVEL, "%", (0, 100), (10, 20, 80, 90), 1.0, 10),
        ("TT-101", "1#储罐温度", P.TEMPERATURE, "℃", (-20, 80), (None, None, 40, 50), 0.5, 10),
        ("PT-101", "1#储罐压力", P.PRESSURE, "kPa", (-5, 30), (None, -1, 15, 20), 0.5, 5),
        ("LT-102", "2#储罐液位", P.LEVEL, "%", (0, 100), (10, 20, 80, 90), 1.0, 10),
        ("TT-102", "2#储罐温度", P.TEMPERATURE, "℃", (-20, 80), (None, None, 40, 50), 0.5, 10),
        ("FT-201", "装卸鹤管流量", P.FLOW, "m³/h", (0, 120), (None, None, 90, 105), 2.0, 5),
    ],
    InstallationKind.PRODUCTION: [
        ("TT-301", "反应器温度", P.TEMPERATURE, "℃", (0, 600), (380, 400, 480, 500), 2.0, 5),
        ("PT-301", "反应器压力", P.PRESSURE, "MPa", (0, 20), (None, 10, 15.5, 16.5), 0.1, 5),
        ("FT-301", "进料流量", P.FLOW, "m³/h", (0, 5000), (1500, 2000, 4000, 4500), 50.0, 5),
        ("AT-301", "产品组分", P.COMPOSITION, "%", (0, 100), (85, 90, None, None), 0.5, 30),
        ("LT-301", "分离器液位", P.LEVEL, "%", (0, 100), (15, 25, 75, 85), 1.0, 10),
    ],
    InstallationKind.WAREHOUSE: [
        ("TT-401", "库房温度", P.TEMPERATURE, "℃", (-20, 60), (None, None, 30, 35), 0.5, 30),
    ],
}
#: An ammonia refrigeration machine room (the demo's 氨制冷机房, a production unit by GB 18218): the compressors'
#: discharge and the receiver instead of a reactor.
REFRIGERATION = "氨制冷机房"
REFRIGERATION_POINTS = [
    ("PT-501", "压缩机排气压力", P.PRESSURE, "MPa", (0, 2.5), (None, None, 1.4, 1.6), 0.02, 5),
    ("TT-501", "压缩机排气温度", P.TEMPERATURE, "℃", (0, 200), (None, None, 130, 145), 1.0, 5),
    ("LT-501", "高压贮液器液位", P.LEVEL, "%", (0, 100), (10, 20, 80, 90), 1.0, 10),
]
#: A tank farm of liquefied gas (液氨, 液化石油气) holds pressure vessels: its pressure point in MPa.
PRESSURISED = {"液氨", "液化石油气"}
PRESSURE_VESSEL = ("PT-101", "1#储罐压力", P.PRESSURE, "MPa", (0, 2.5), (None, None, 1.6, 1.8), 0.02, 5)
#: Gas detectors of an installation, by kind of unit (how many of each substance's kind).
DETECTORS = {InstallationKind.TANK_FARM: 3, InstallationKind.PRODUCTION: 2, InstallationKind.WAREHOUSE: 2}
#: Units whose process uses inert gas or confined rooms: an oxygen detector (GB/T 50493-2019 5.5.2).
OXYGEN_UNITS = {InstallationKind.PRODUCTION}

VENDOR_CODE = "demo-video"
VENDOR_NAME = "演示视频平台"
#: §D.2's gas-station front end (code-id 59203296016) and named types (code-id 63631388305) → our scenarios.
PRIVATE_TYPES = {
    "3": "post_unattended", "6": "phone_use", "7": "smoking", "10": "open_flame", "11": "smoke",
    "13": "extinguisher_missing", "14": "unloading_static_wait", "smolder": "smolder", "intrusion": "intrusion",
    "tripwire": "tripwire", "climbing": "climbing", "loitering": "loitering", "abandoned": "abandoned_object",
    "fall_detected": "fall_detected",
}
#: The cameras of a gas station (§D.2's zones).
STATION_CAMERAS = [("卸油区", SceneZone.UNLOADING), ("1号加油岛", SceneZone.FUELLING),
                   ("2号加油岛", SceneZone.FUELLING), ("周界", SceneZone.PERIMETER), ("便利店", SceneZone.SHOP)]
#: GB/T 28181 device ids: 8 digits of the place, 2 of the industry, 3 of the type (132: network camera), 7 serial.
DEVICE_ID_PREFIX = "3701130000132"


def load_monitoring(context) -> dict[str, int]:
    rulebook.forget()
    made = {"gateways": 0, "monitoring points": 0, "gas detectors": 0, "cameras": 0}
    installations = (MajorHazardInstallation.objects.filter(enterprise__in=context.enterprises)
                     .select_related("enterprise").prefetch_related("substances").order_by("pk"))
    for installation in installations:
        with context.at(installation.created_at + timedelta(days=1)):
            points = _points(installation)
        made["gateways"] += 1
        made["monitoring points"] += len(points)
        made["gas detectors"] += sum(point.kind in (P.COMBUSTIBLE_GAS, P.TOXIC_GAS, P.OXYGEN) for point in points)
    stations = [e for e in Enterprise.objects.filter(pk__in=[e.pk for e in context.enterprises],
                                                      tags__code="gas_station").order_by("pk")]
    if stations:
        with context.at(moment(context.start, time(10, 0))):
            made["cameras"] = len(_cameras(stations))
    return {**made, **load_alarms(context)}


def _point(gateway, code, name, kind, unit, span, bands, dead_band, interval, **fields) -> MonitoringPoint:
    low_low, low, high, high_high = bands
    point = MonitoringPoint(gateway=gateway, installation=gateway.installation, code=code, name=name, kind=kind,
                            unit=unit, range_min=span[0], range_max=span[1], low_low=low_low, low=low, high=high,
                            high_high=high_high, dead_band=dead_band, expected_interval_seconds=interval,
                            location=gateway.installation.name, longitude=gateway.installation.longitude,
                            latitude=gateway.installation.latitude, **fields)
    point.stamp_from(gateway.enterprise, locked=True)
    return point


def _points(installation) -> list[MonitoringPoint]:
    gateway = Gateway(code=f"mhi-{installation.pk:05d}", name=f"{installation.name}数据采集网关",
                      installation=installation)
    gateway.stamp_from(installation.enterprise, locked=True)
    gateway.save()
    substances = [s.name for s in installation.substances.all()]
    rows = REFRIGERATION_POINTS if installation.name == REFRIGERATION else PROCESS_POINTS.get(installation.kind, ())
    if PRESSURISED.intersection(substances):
        rows = [PRESSURE_VESSEL if row[0] == PRESSURE_VESSEL[0] else row for row in rows]
    points = [_point(gateway, *row) for row in rows]
    toxic = next((TOXIC[name] for name in substances if name in TOXIC), None)
    for n in range(1, DETECTORS.get(installation.kind, 1) + 1):
        if toxic is not None:
            substance, oel, top = toxic
            points.append(_point(gateway, f"GT-{n:02d}", f"{substance}检测报警器{n}#", P.TOXIC_GAS, "mg/m³", (0, top),
                                 (None, None, oel, 2 * oel), 0.05 * oel, 10, oel_mg_m3=oel))
        if toxic is None or any(name in COMBUSTIBLE for name in substances):
            points.append(_point(gateway, f"GC-{n:02d}", f"可燃气体检测报警器{n}#", P.COMBUSTIBLE_GAS, "%LEL",
                                 (0, 100), (None, None, *COMBUSTIBLE_SETPOINTS), 1.0, 10))
    if installation.kind in OXYGEN_UNITS and installation.name != REFRIGERATION:
        high, low = OXYGEN_SETPOINTS
        points.append(_point(gateway, "GO-01", "氧含量检测报警器", P.OXYGEN, "%VOL", (0, 30), (None, low, high, None),
                             0.1, 10))
    MonitoringPoint.objects.bulk_create(points)
    PointStatus.objects.bulk_create([PointStatus(point=point) for point in points])
    return points


def _cameras(stations) -> list[Camera]:
    vendor = AlarmVendor.objects.create(code=VENDOR_CODE, name=VENDOR_NAME, key_id=f"{VENDOR_CODE}-key",
                                        secret=secrets.token_urlsafe(32),
                                        severity_map={k: str(v) for k, v in defaults.FIVE_STEP_SEVERITY.items()})
    scenarios = {s.code: s for s in Scenario.objects.all()}
    VendorTypeMapping.objects.bulk_create([
        VendorTypeMapping(vendor=vendor, vendor_code=code, scenario=scenarios[scenario])
        for code, scenario in {**defaults.GB28181_TYPES, **PRIVATE_TYPES}.items()])
    cameras = []
    for station in stations:
        for place, zone in STATION_CAMERAS:
            camera = Camera(vendor=vendor, vendor_device_id=f"{DEVICE_ID_PREFIX}{len(cameras) + 1:07d}",
                            name=f"{place}摄像头", zone=zone, longitude=station.longitude, latitude=station.latitude)
            camera.stamp_from(station, locked=True)
            cameras.append(camera)
    return Camera.objects.bulk_create(cameras)


# --- a year of alarms ------------------------------------------------------------------------------------

#: Alarm episodes a year per installation and per gas station: most enterprises see a few, some many (a unit
#: whose instruments drift, a station whose staff smoke on the forecourt).
EPISODES_PER_YEAR = (2, 3, 4, 6, 14)
#: Share of excursions that reach the second setpoint (HH: red for a gas detector, orange otherwise).
HIGH_HIGH_SHARE = 0.2
#: Share acknowledged after the level's deadline (escalated first); share of video scenes repeated within the
#: scenario's window, and replayed by the platform (the same event id again).
LATE_SHARE = 0.08
REPEAT_SHARE = 0.3
REPLAY_SHARE = 0.1
#: The last days, whose alarms are partly still open (raised, acknowledged or being handled) for the board.
OPEN_DAYS = 3
OPEN_SHARE = 0.6
#: Dispositions by how often an alarm is closed as each.
DISPOSITIONS = {Disposition.REAL: 70, Disposition.FALSE: 20, Disposition.MAINTENANCE: 6, Disposition.TEST: 4}
#: (cause, measures) found for each disposition of a sensor alarm.
SENSOR_HANDLING = {
    Disposition.REAL: [("进料调节阀卡涩，流量波动导致超限", "切换旁路手动调节，联系仪表工检修调节阀"),
                       ("冷却水量不足，温度上升", "加大冷却水量，检查循环水泵运行情况"),
                       ("法兰垫片老化，微量泄漏", "紧固法兰并更换垫片，现场通风，复测合格"),
                       ("装卸作业流速过快", "降低装卸流速，加强现场监护")],
    Disposition.FALSE: [("探头受潮，示值漂移", "清洁探头并重新标定"),
                        ("信号线接触不良造成跳变", "紧固接线端子，观察示值恢复正常")],
    Disposition.MAINTENANCE: [("检修作业期间置换吹扫引起", "检修作业已办理作业票，作业结束后恢复正常")],
    Disposition.TEST: [("仪表工定期校验探测器", "校验完毕，恢复正常运行")],
}
VIDEO_HANDLING = {
    Disposition.REAL: [("作业人员违反规定", "现场制止并进行安全教育，纳入班组考核"),
                       ("值班人员临时离开岗位", "通知值班人员立即返岗，重申交接班制度")],
    Disposition.FALSE: [("识别误报：反光或遮挡造成", "核实录像为误报，反馈平台厂家优化算法")],
    Disposition.MAINTENANCE: [("摄像头调整角度期间误触发", "调整完毕，恢复正常监控")],
    Disposition.TEST: [("平台联调测试", "测试完成")],
}
#: The video scenes a gas station's cameras see, by zone: (vendor type code, weight, at night only).
SCENES = {
    SceneZone.UNLOADING: [("14", 3, False), ("13", 2, False), ("6", 1, False)],
    SceneZone.FUELLING: [("6", 4, False), ("7", 2, False), ("3", 2, False), ("13", 1, False)],
    SceneZone.PERIMETER: [("intrusion", 3, True), ("tripwire", 1, True), ("climbing", 1, True)],
    SceneZone.SHOP: [("7", 2, False), ("3", 1, False)],
}
DESCRIPTIONS = {"14": "卸油前静电释放等待时间不足", "13": "作业区域未摆放灭火器", "6": "加油区人员打电话",
                "7": "人员吸烟", "3": "岗位无人值守", "intrusion": "夜间周界有人闯入", "tripwire": "夜间越过警戒线",
                "climbing": "夜间有人翻越围墙"}


def load_alarms(context) -> dict[str, int]:
    """The year of alarms, played in the order of their moments (an act schedules the next one of its alarm).

    The announcements the ingest and the intake hand to Celery after commit run at once here, at the alarm's
    moment, as a worker would have run them then: otherwise the first `make run` would announce a year of old
    alarms as new."""
    from config.celery import app

    history = _History(context)
    history.plan()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        history.agenda.play()
    finally:
        app.conf.task_always_eager = eager
    if history.writer is not None:
        history.writer.flush_latest()  # the points' latest values, which the writer keeps in memory between flushes
    alarms = Alarm.objects.filter(enterprise__in=context.enterprises)
    return {"alarms": alarms.count(), "closed": alarms.filter(state=AlarmState.CLOSED).count(),
            "false alarms": alarms.filter(disposition=Disposition.FALSE).count(),
            "escalated": alarms.filter(escalated_at__isnull=False).count(),
            "still open": alarms.exclude(state=AlarmState.CLOSED).count(),
            "hazards reported from alarms": alarms.filter(hazard__isnull=False).count()}


class _History:
    def __init__(self, context):
        self.context = context
        self.rng = context.rng("monitoring-alarms")
        self.agenda = Agenda(context)
        self.officers = district.people(context).enterprise_users
        self.days = context.past_days()
        self.end = moment(context.today, time(0, 0))
        self.open_from = self.end - timedelta(days=OPEN_DAYS)
        self.writer = None
        self.vendor = None
        self.reported = False

    def plan(self) -> None:
        points = {}
        for point in MonitoringPoint.objects.filter(enterprise__in=self.context.enterprises).order_by("pk"):
            points.setdefault(point.installation_id, []).append(point)
        if points:
            self.writer = Writer(Directory().load())
        for group in points.values():
            self._episodes(group, self._sensor)
        cameras = {}
        for camera in Camera.objects.filter(enterprise__in=self.context.enterprises).order_by("pk"):
            cameras.setdefault(camera.enterprise_id, []).append(camera)
        if cameras:
            auth.forget(VENDOR_CODE)
            self.vendor = auth.vendor_by_code(VENDOR_CODE)
        for group in cameras.values():
            self._episodes(group, self._video)
        # The minute job's last run of the year: alarms still unacknowledged past their deadline are escalated.
        self.agenda.add(self.end - timedelta(minutes=1), lambda: services.escalate_overdue_alarms())

    def _episodes(self, things: list, schedule) -> None:
        """One installation's or station's episodes over the year, one a day at most, the last days always
        among them so the board has live work."""
        count = self.rng.choice(EPISODES_PER_YEAR)
        days = sorted(self.rng.sample(self.days[:-OPEN_DAYS], min(count, len(self.days) - OPEN_DAYS)))
        if self.rng.random() < 0.5:
            days.append(self.days[-self.rng.randint(1, OPEN_DAYS)])
        for day in days:
            schedule(self.rng.choice(things), day)

    # -- sensors ---------------------------------------------------------------------------------------

    def _sensor(self, point: MonitoringPoint, day) -> None:
        """A normal reading, an excursion a minute later (the writer raises the alarm), handled from there."""
        upward = point.high is not None
        first, second = (point.high, point.high_high) if upward else (point.low, point.low_low)
        span = point.range_max - point.range_min
        # Well inside the band: halfway between the setpoints, or between the setpoint and the range's end.
        if point.high is not None and point.low is not None:
            normal = (point.high + point.low) / 2
        elif upward:
            normal = (point.high + point.range_min) / 2
        else:
            normal = (point.low + point.range_max) / 2
        if second is not None and self.rng.random() < HIGH_HIGH_SHARE:
            value = second + (0.05 if upward else -0.05) * span
        else:
            limit = second if second is not None else first + (0.2 if upward else -0.2) * span
            value = first + (limit - first) * self.rng.uniform(0.2, 0.7)
        at = moment(day, time(self.rng.randint(0, 23), self.rng.randint(0, 59)))

        def excursion():
            result = self.writer.write([point.pk, point.pk], [_epoch_ms(at - timedelta(minutes=1)), _epoch_ms(at)],
                                       [normal, value])
            for pk in result.raised:
                self._handle(Alarm.objects.get(pk=pk), at, back=lambda when: self.writer.write(
                    [point.pk], [_epoch_ms(when)], [normal]))

        self.agenda.add(at, excursion)

    # -- video -----------------------------------------------------------------------------------------

    def _video(self, camera: Camera, day) -> None:
        scenes = SCENES[camera.zone]
        code, _, night = self.rng.choices(scenes, weights=[w for _, w, _ in scenes])[0]
        hour = self.rng.choice([22, 23, 0, 1, 2, 3, 4]) if night else self.rng.randint(7, 21)
        at = moment(day, time(hour, self.rng.randint(0, 59)))
        event_id = f"{camera.vendor_device_id}-{at:%Y%m%d%H%M}"
        repeated = self.rng.random() < REPEAT_SHARE
        replayed = self.rng.random() < REPLAY_SHARE

        def event(ident, when):
            return VendorEvent(event_id=ident, device_id=camera.vendor_device_id, type_code=code, severity="",
                               occurred_at=when, description=DESCRIPTIONS[code], snapshot=None, clip_url="",
                               longitude=None, latitude=None)

        def scene():
            alarm = Alarm.objects.get(pk=receive_event(vendor=self.vendor, event=event(event_id, at)).alarm_id)
            self._handle(alarm, at, report=repeated and not self.reported and at < self.open_from)
            self.reported = self.reported or (repeated and at < self.open_from)

        self.agenda.add(at + timedelta(seconds=5), scene)
        if repeated:
            again = at + timedelta(minutes=self.rng.randint(1, 4))
            self.agenda.add(again + timedelta(seconds=5),
                            lambda: receive_event(vendor=self.vendor, event=event(f"{event_id}-2", again)))
        if replayed:
            self.agenda.add(at + timedelta(seconds=50), lambda: receive_event(vendor=self.vendor,
                                                                               event=event(event_id, at)))

    # -- the lifecycle ---------------------------------------------------------------------------------

    def _handle(self, alarm: Alarm, at: datetime, *, back=None, report: bool = False) -> None:
        """Acknowledged within the deadline (or late, once escalated), handled, the value back (a sensor) or the
        scene cleared by hand, closed with a disposition; alarms of the last days stop part-way."""
        rng, officer = self.rng, self.officers[alarm.enterprise_id]
        due = alarm.ack_due_by
        stop = len(STAGES)
        if at >= self.open_from and rng.random() < OPEN_SHARE:
            stop = rng.randint(0, 2)
        disposition = rng.choices(list(DISPOSITIONS), weights=list(DISPOSITIONS.values()))[0]
        cause, measures = rng.choice((SENSOR_HANDLING if alarm.source == AlarmSource.SENSOR
                                      else VIDEO_HANDLING)[disposition])
        if rng.random() < LATE_SHARE:
            self._at(due + timedelta(minutes=1), services.escalate_overdue_alarms)
            when = due + timedelta(minutes=rng.randint(5, 40))
        else:
            minutes = max(1, (due - at) // timedelta(minutes=1) - 1)
            when = at + timedelta(minutes=rng.randint(1, minutes))
        acts = [
            lambda a, _: services.acknowledge_alarm(actor=officer, alarm=a),
            lambda a, _: services.start_handling(actor=officer, alarm=a, cause=cause, measures=measures),
            lambda a, moment_: back(moment_) if back is not None else None,
            lambda a, _: services.clear_alarm(actor=officer, alarm=a, note="已恢复正常"),
            lambda a, _: services.close_alarm(actor=officer, alarm=a, disposition=disposition, note=cause),
        ]
        for stage, act in enumerate(acts[:stop]):
            if when >= self.end:
                break
            self._at(when, lambda act=act, stage=stage, when=when: self._step(alarm.pk, act, stage, when))
            when += timedelta(minutes=rng.randint(*STAGES[stage]))
        if report and when < self.end:
            self._at(when, lambda: services.report_hazard_from_alarm(actor=officer, alarm=Alarm.objects.get(
                pk=alarm.pk), note="同一场景反复出现，纳入隐患排查治理"))

    def _step(self, pk: int, act, stage: int, when: datetime) -> None:
        alarm = Alarm.objects.get(pk=pk)
        if stage == CLEAR and alarm.state == AlarmState.CLEARED:
            return  # the writer cleared it when the value came back (an automatic rule)
        act(alarm, when)

    def _at(self, when: datetime, act) -> None:
        self.agenda.add(when, act)


#: Minutes from each stage to the next: acknowledged → handling → value back → cleared → closed.
STAGES = [(2, 8), (5, 30), (1, 3), (10, 90), (0, 0)]
CLEAR = 3


def _epoch_ms(moment_: datetime) -> int:
    return int(moment_.timestamp() * 1000)
