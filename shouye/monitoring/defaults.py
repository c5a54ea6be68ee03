"""The rule tables' first rows, each editable afterwards by the bureau (REGULATIONS-2 §B.5 and §D.3: the levels'
triggers, who responds, the deadlines and the clearing are [U] — no stored source sets them; the scenario names
are the vendors' of §D.2 [P] and GB/T 28181's device alarms of §D.1). The data migration writes them; the
tests read them from here."""

from .choices import AlarmLevel as L
from .choices import ClearCondition as C
from .choices import Condition as K
from .choices import NotifyRole as R
from .choices import PointKind as P

#: level → (notified, acknowledge within minutes, told when missed, clearing, repeats, within days) [U].
ALARM_RULES = {
    L.RED: ([R.ENTERPRISE_DUTY, R.INSTALLATION_RESPONSIBLE, R.TOWNSHIP_OFFICER, R.BUREAU_DUTY], 5,
            [R.TOWNSHIP_OFFICER, R.BUREAU_DUTY], C.MANUAL, 2, 7),
    L.ORANGE: ([R.ENTERPRISE_DUTY, R.INSTALLATION_RESPONSIBLE, R.TOWNSHIP_OFFICER], 10, [R.BUREAU_DUTY],
               C.AUTOMATIC, 3, 7),
    L.YELLOW: ([R.ENTERPRISE_DUTY, R.INSTALLATION_RESPONSIBLE], 30, [R.TOWNSHIP_OFFICER], C.AUTOMATIC, 3, 7),
    L.BLUE: ([R.ENTERPRISE_DUTY], 60, [R.INSTALLATION_RESPONSIBLE], C.AUTOMATIC, 5, 7),
}

#: (condition, point kind or "" for any) → level [U]. A gas detector's second level (50 % LEL, 200 % OEL or
#: 10 % IDLH, GB/T 50493-2019 5.5.2) is red; oxygen has one setpoint each way, each orange.
ALARM_TRIGGERS = {
    (K.HIGH_HIGH, ""): L.ORANGE,
    (K.LOW_LOW, ""): L.ORANGE,
    (K.HIGH, ""): L.YELLOW,
    (K.LOW, ""): L.YELLOW,
    (K.OFFLINE, ""): L.BLUE,
    (K.STUCK, ""): L.BLUE,
    (K.HIGH_HIGH, P.COMBUSTIBLE_GAS): L.RED,
    (K.HIGH_HIGH, P.TOXIC_GAS): L.RED,
    (K.HIGH, P.OXYGEN): L.ORANGE,
    (K.LOW, P.OXYGEN): L.ORANGE,
}

#: code → (name, default level, repeat window in minutes [U]).
SCENARIOS = {
    "phone_use": ("打电话", L.YELLOW, 10),
    "smoking": ("吸烟", L.ORANGE, 10),
    "open_flame": ("明火", L.RED, 10),
    "smoke": ("烟雾", L.RED, 10),
    "smolder": ("阴燃", L.ORANGE, 10),
    "post_unattended": ("人员离岗", L.YELLOW, 30),
    "extinguisher_missing": ("灭火器未摆放在作业区域", L.YELLOW, 30),
    "unloading_static_wait": ("静电释放时间未达到规定时长开始卸油", L.ORANGE, 30),
    "intrusion": ("周界入侵", L.YELLOW, 10),
    "tripwire": ("绊线越界", L.YELLOW, 10),
    "climbing": ("翻越攀爬", L.YELLOW, 10),
    "loitering": ("徘徊逗留", L.BLUE, 30),
    "abandoned_object": ("遗留物", L.BLUE, 30),
    "fall_detected": ("人员跌倒", L.ORANGE, 10),
    "video_lost": ("视频丢失", L.BLUE, 60),
    "device_tamper": ("设备防拆", L.BLUE, 60),
    "video_occlusion": ("图像遮挡", L.BLUE, 60),
    "storage_fault": ("存储设备故障", L.BLUE, 60),
}

#: A vendor's five-step severity (§D.2: 5 严重 … 1 通知) and GB/T 28181's AlarmPriority (§D.1: 1 一级警情 … 4
#: 四级) as our levels: the starting point of a new vendor's mapping.
FIVE_STEP_SEVERITY = {"5": L.RED, "4": L.ORANGE, "3": L.YELLOW, "2": L.BLUE, "1": L.BLUE}
GB28181_PRIORITY = {"1": L.RED, "2": L.ORANGE, "3": L.YELLOW, "4": L.BLUE}

#: GB/T 28181 AlarmMethod/AlarmType codes (§D.1) → our scenarios: a new GB/T 28181 vendor's mapping.
GB28181_TYPES = {
    "2/1": "video_lost",
    "2/2": "device_tamper",
    "5/3": "abandoned_object",
    "5/5": "tripwire",
    "5/6": "intrusion",
    "5/8": "loitering",
    "5/13": "video_occlusion",
    "6/1": "storage_fault",
}


def seed(apps) -> None:
    """Write the first rows of the rule tables where they are missing; rows that exist (edited by the bureau)
    are left as they are. The data migration calls it."""
    alarm_rule = apps.get_model("monitoring", "AlarmRule")
    alarm_trigger = apps.get_model("monitoring", "AlarmTrigger")
    scenario = apps.get_model("monitoring", "Scenario")
    for level, (notify, ack, escalate, clear, repeats, days) in ALARM_RULES.items():
        alarm_rule.objects.get_or_create(level=level, defaults={
            "notify_roles": [str(r) for r in notify], "ack_minutes": ack,
            "escalate_roles": [str(r) for r in escalate], "clear_condition": clear,
            "repeat_count": repeats, "repeat_days": days})
    for (condition, kind), level in ALARM_TRIGGERS.items():
        alarm_trigger.objects.get_or_create(condition=condition, point_kind=kind, defaults={"level": level})
    for code, (name, level, minutes) in SCENARIOS.items():
        scenario.objects.get_or_create(code=code, defaults={"name": name, "default_level": level,
                                                            "dedupe_minutes": minutes})
