"""The demo district: 济南市长清区 with its ten townships, the bureau and departments, about 300 fictional
enterprises (invented names marked 演示, never a real company) and one account per role."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps as django_apps
from django.db import transaction

from shouye.accounts.choices import Role
from shouye.accounts.models import Membership, Organisation, User
from shouye.audit import services as audit
from shouye.core.identifiers import credit_code, id_number
from shouye.regions.choices import RegionLevel
from shouye.regions.data import DEMO_DISTRICT, DEMO_TOWNSHIPS
from shouye.regions.models import Region

from . import reference_data
from .choices import LicenceKind, OperatingStatus, PersonRole, Scale, Source
from .models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade, Tag

DEMO_PASSWORD = "Shouye@2026"

#: Approximate centre (longitude, latitude) of each township, for pins inside the district.
TOWNSHIP_CENTRES = {
    "370113001": (116.752, 36.555), "370113002": (116.840, 36.520), "370113003": (116.700, 36.588),
    "370113004": (116.865, 36.445), "370113005": (116.650, 36.520), "370113006": (116.905, 36.395),
    "370113007": (116.975, 36.345), "370113008": (116.595, 36.445), "370113107": (116.560, 36.515),
    "370113108": (116.700, 36.435),
}

_WORDS = ["鸿泰", "润丰", "华辰", "金泽", "瑞祥", "恒昌", "宏远", "泰和", "嘉禾", "鑫源", "安澜", "晟达",
          "永固", "青岚", "启明", "松川", "锦程", "德润", "丰禾", "明远", "拓峰", "岱宗", "凌云", "汇通"]
_SUFFIX = {
    "hazardous_chemicals": "化工有限公司", "non_coal_mines": "石料矿", "industry_trade": "机械制造有限公司",
    "construction": "建设工程有限公司", "transport": "运输有限公司", "special_equipment": "起重设备有限公司",
    "schools": "学校", "care_homes": "养老院", "hospitals": "医院", "urban_gas": "燃气有限公司",
    "crowded_places": "商贸广场",
}
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞"]

ACCOUNTS = [
    ("admin", "区应急局管理员", Role.BUREAU_ADMIN, None),
    ("staff", "区应急局工作人员", Role.BUREAU_STAFF, None),
    ("leader", "区应急局领导", Role.LEADER, None),
    ("mashan", "马山镇应急办", Role.TOWNSHIP_OFFICER, "370113107"),
    ("xiaoli", "孝里街道应急办", Role.TOWNSHIP_OFFICER, "370113008"),
    ("jianshe", "区住建局", Role.DEPARTMENT_OFFICER, "区住房和城乡建设局"),
    ("expert", "安全专家", Role.EXPERT, None),
    ("qiye", "企业安全员", Role.ENTERPRISE_USER, None),
]


class NotADemoDatabase(Exception):
    pass


def holds_non_demo_data() -> bool:
    return Enterprise.objects.exclude(source=Source.DEMO).exists() or User.objects.exclude(
        username__in=[a[0] for a in ACCOUNTS]).exists()


def is_loaded() -> bool:
    return Enterprise.objects.filter(source=Source.DEMO).exists()


def load_regions() -> Region:
    district, _ = Region.objects.get_or_create(code=DEMO_DISTRICT[0], defaults={
        "name": DEMO_DISTRICT[1], "level": RegionLevel.DISTRICT})
    for code, name in DEMO_TOWNSHIPS:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": RegionLevel.TOWNSHIP,
                                                          "parent": district})
    return district


def _person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"


def build_enterprises(count: int, *, seed: int = 2026, start_seq: int = 1, today: date | None = None):
    """Unsaved enterprises with their people, licences and tag codes, spread over every township and
    industry. Used by the demo and by the benchmark generator."""
    rng = random.Random(seed)
    today = today or date.today()
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    industries = list(Industry.objects.all())
    grades = list(SupervisionGrade.objects.all())
    tag_codes = list(Tag.objects.values_list("code", flat=True))
    for i in range(count):
        seq = start_seq + i
        township = townships[i % len(townships)]
        industry = industries[(i // len(townships)) % len(industries)]
        lon, lat = TOWNSHIP_CENTRES.get(township.code, (116.75, 36.5))
        word = _WORDS[seq % len(_WORDS)] + _WORDS[(seq // len(_WORDS)) % len(_WORDS)]
        enterprise = Enterprise(
            name=f"{township.name[:2]}{word}{_SUFFIX.get(industry.code, '有限公司')}（演示{seq}）",
            credit_code=credit_code(seq), legal_representative=_person_name(rng),
            address=f"济南市长清区{township.name}演示路{rng.randint(1, 300)}号",
            longitude=Decimal(f"{lon + rng.uniform(-0.02, 0.02):.6f}"),
            latitude=Decimal(f"{lat + rng.uniform(-0.015, 0.015):.6f}"),
            township=township, industry=industry, scale=rng.choice(Scale.values),
            employees=rng.randint(5, 800), supervision_grade=rng.choice(grades),
            status=rng.choices(OperatingStatus.values, weights=[90, 7, 3])[0], source=Source.DEMO,
        )
        people = [
            EnterprisePerson(role=PersonRole.PRINCIPAL, name=_person_name(rng), phone=_phone(rng),
                             id_number=id_number(seq * 3, date(1970 + seq % 25, 1 + seq % 12, 1 + seq % 28))),
            EnterprisePerson(role=PersonRole.SAFETY_DIRECTOR, name=_person_name(rng), phone=_phone(rng)),
            EnterprisePerson(role=PersonRole.SAFETY_OFFICER, name=_person_name(rng), phone=_phone(rng),
                             id_number=id_number(seq * 3 + 1, date(1985 + seq % 10, 1 + seq % 12, 1 + seq % 28)),
                             certificate_number=f"AQ{seq:07d}",
                             certificate_expiry=today + timedelta(days=rng.randint(-60, 900))),
        ]
        valid_to = today + timedelta(days=rng.choice([-20, 30, 75, 200, 400, 800, 1000]))
        licences = [Licence(kind=rng.choice(LicenceKind.values[:-1]), number=f"(鲁)演示{seq:06d}",
                            issuer="济南市应急管理局", valid_from=valid_to - timedelta(days=3 * 365),
                            valid_to=valid_to)]
        tags = rng.sample(tag_codes, k=rng.choice([0, 0, 1, 1, 2]))
        yield enterprise, people, licences, tags


def load_demo(*, count: int = 300, stdout=None) -> dict:
    """Load the demo district. Refuses a database that holds anything but demo data."""
    if holds_non_demo_data():
        raise NotADemoDatabase("This database holds non-demo data; the demo loads only into an empty one.")
    if is_loaded():
        return {"created": 0}
    with transaction.atomic():
        reference_data.load(django_apps)
        load_regions()
        created = []
        for enterprise, people, licences, tag_codes in build_enterprises(count):
            enterprise.save()
            for child in (*people, *licences):
                child.enterprise = enterprise
            EnterprisePerson.objects.bulk_create(people)
            Licence.objects.bulk_create(licences)
            enterprise.tags.set(Tag.objects.filter(code__in=tag_codes))
            created.append(enterprise)
        _load_accounts(created)
        audit.record(actor=None, actor_name="demo", verb="demo.load", note=f"{len(created)} enterprises")
    return {"created": len(created)}


def _load_accounts(enterprises: list[Enterprise]) -> None:
    mashan = next(e for e in enterprises if e.township.code == "370113107")
    for username, display, role, target in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username, defaults={"display_name": display})
        user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.BUREAU_ADMIN
        user.save()
        membership = Membership(user=user, role=role)
        if role == Role.TOWNSHIP_OFFICER:
            membership.region = Region.objects.get(code=target)
        elif role == Role.DEPARTMENT_OFFICER:
            membership.organisation = Organisation.objects.get(name=target)
        elif role == Role.ENTERPRISE_USER:
            membership.enterprise = mashan
        elif role == Role.EXPERT:
            membership.enterprise = enterprises[0]
        else:
            membership.organisation = Organisation.objects.get(name=reference_data.BUREAU)
        membership.save()


def account_lines() -> list[str]:
    return [f"  {username:<8} {display}（{Role(role).label}）" for username, display, role, _ in ACCOUNTS]
