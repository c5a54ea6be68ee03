"""The demo district: 济南市长清区 with its ten townships, the bureau and departments, about 300 fictional
enterprises (invented names marked 演示, never a real company), the people who work in it, and a year of
their activity.

``load_demo`` runs the demo steps the apps register (``shouye.core.registry.demo_steps``; the shared
machinery is ``shouye.core.demo``). This app's step, :func:`load_registry`, comes first: the regions and
reference data, the enterprises, the accounts one signs in with (:data:`ACCOUNTS`, password
:data:`DEMO_PASSWORD`) and the people the later steps act as — an officer for every township, two enforcement
officers in each squad, the safety officer of every enterprise — whose user names start with
:data:`DEMO_USER_PREFIX` and who cannot sign in.

Enterprises are plausible for their industry (:data:`PROFILES`): a care home holds no hazardous-chemicals
licence and is no major hazard installation; tags, licences, supervision grades and names follow the kind of
business. The benchmark generator (``bench/dataset.py``) writes its 100,000 enterprises with the same
:func:`build_enterprises` and :func:`save_enterprises`."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from shouye.accounts.choices import OrganisationKind, Role
from shouye.accounts.models import Membership, Organisation, User
from shouye.audit import services as audit
from shouye.audit.models import AuditEvent
from shouye.core.demo import DemoContext, moment, run_steps
from shouye.core.identifiers import credit_code, id_number
from shouye.core.registry import demo_steps
from shouye.regions.choices import RegionLevel
from shouye.regions.data import DEMO_DISTRICT, DEMO_TOWNSHIPS
from shouye.regions.models import Region

from . import reference_data
from .choices import LicenceKind, OperatingStatus, PersonRole, Scale, Source
from .models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade, Tag

DEMO_PASSWORD = "Shouye@2026"
DEFAULT_SEED = 2026
#: The people the demo acts as (not for signing in) have user names starting with this.
DEMO_USER_PREFIX = "demo-"
#: The audit verb of a completed load; its event is written last, so a load that stopped half-way has none.
LOADED_VERB = "demo.load"

#: Approximate centre (longitude, latitude) of each township, for pins inside the district.
TOWNSHIP_CENTRES = {
    "370113001": (116.752, 36.555), "370113002": (116.840, 36.520), "370113003": (116.700, 36.588),
    "370113004": (116.865, 36.445), "370113005": (116.650, 36.520), "370113006": (116.905, 36.395),
    "370113007": (116.975, 36.345), "370113008": (116.595, 36.445), "370113107": (116.560, 36.515),
    "370113108": (116.700, 36.435),
}

_WORDS = ["鸿泰", "润丰", "华辰", "金泽", "瑞祥", "恒昌", "宏远", "泰和", "嘉禾", "鑫源", "安澜", "晟达",
          "永固", "青岚", "启明", "松川", "锦程", "德润", "丰禾", "明远", "拓峰", "岱宗", "凌云", "汇通"]
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞"]


@dataclass(frozen=True)
class Profile:
    """A kind of business within an industry: its name, the tags it always carries and those it may carry,
    the licences it must hold, and how its supervision grades A–D are weighted (riskier businesses are
    graded C and D more often, so they are inspected more often)."""

    suffix: str
    tags: tuple[str, ...] = ()
    optional_tags: tuple[str, ...] = ()
    licences: tuple[str, ...] = ()
    grades: tuple[int, int, int, int] = (3, 5, 2, 0)
    weight: int = 1


K = LicenceKind
#: Kinds of business per industry code. Only hazardous-chemicals businesses carry 危险化工工艺 or hold
#: hazardous-chemicals licences; only they and gas suppliers may be major hazard installations (GB 18218);
#: mines hold mining and safety production licences; building contractors the construction safety licence
#: (安全生产许可证条例 Art. 2); gas suppliers the gas business licence (城镇燃气管理条例 Art. 15). Schools, care
#: homes, hospitals and crowded places hold none of these.
PROFILES: dict[str, tuple[Profile, ...]] = {
    "hazardous_chemicals": (
        Profile("化工有限公司", optional_tags=("hazardous_process", "mhi", "special_gases", "confined_space"),
                licences=(K.SAFETY_PRODUCTION, K.HAZCHEM_REGISTRATION), grades=(0, 3, 5, 2), weight=3),
        Profile("化学品储运有限公司", optional_tags=("mhi",), licences=(K.HAZCHEM_OPERATION,), grades=(0, 5, 4, 1),
                weight=2),
        Profile("加油站", tags=("gas_station",), licences=(K.HAZCHEM_OPERATION,), grades=(3, 5, 2, 0), weight=2),
        Profile("烟花爆竹经营部", tags=("fireworks",), licences=(K.FIREWORKS,), grades=(1, 5, 4, 0)),
    ),
    "non_coal_mines": (
        Profile("建筑石料用灰岩矿", licences=(K.MINING, K.SAFETY_PRODUCTION), grades=(0, 3, 5, 2)),
    ),
    "industry_trade": (
        Profile("机械制造有限公司", optional_tags=("confined_space",), grades=(5, 4, 1, 0), weight=3),
        Profile("食品冷藏有限公司", tags=("ammonia_refrigeration",), optional_tags=("confined_space",),
                grades=(2, 5, 3, 0)),
        Profile("铸造有限公司", tags=("metallurgy",), optional_tags=("confined_space",), grades=(2, 5, 3, 0)),
        Profile("木业有限公司", tags=("combustible_dust",), grades=(2, 5, 3, 0)),
        Profile("电子材料有限公司", tags=("special_gases",), optional_tags=("confined_space",), grades=(2, 6, 2, 0)),
    ),
    "construction": (
        Profile("建设工程有限公司", optional_tags=("confined_space",), licences=(K.CONSTRUCTION,),
                grades=(2, 5, 3, 0)),
    ),
    "transport": (Profile("运输有限公司", grades=(6, 3, 1, 0)), Profile("物流有限公司", grades=(6, 3, 1, 0))),
    "special_equipment": (Profile("起重设备有限公司", grades=(4, 5, 1, 0)),
                          Profile("电梯工程有限公司", grades=(6, 3, 1, 0))),
    "schools": (Profile("小学", grades=(8, 2, 0, 0)), Profile("中学", grades=(7, 3, 0, 0)),
                Profile("幼儿园", grades=(7, 3, 0, 0))),
    "care_homes": (Profile("养老院", grades=(6, 3, 1, 0)), Profile("颐养中心", grades=(6, 3, 1, 0))),
    "hospitals": (Profile("医院", grades=(6, 3, 1, 0)), Profile("卫生院", grades=(7, 3, 0, 0))),
    "urban_gas": (
        Profile("燃气有限公司", optional_tags=("mhi", "confined_space"), licences=(K.GAS_OPERATION,),
                grades=(0, 4, 5, 1)),
        Profile("液化气供应站", licences=(K.GAS_OPERATION,), grades=(1, 5, 4, 0)),
    ),
    "crowded_places": (Profile("商贸广场", grades=(6, 3, 1, 0)), Profile("大酒店", grades=(6, 3, 1, 0)),
                       Profile("购物中心", grades=(6, 3, 1, 0))),
}
#: A kind of business for an industry an administrator added.
GENERIC = Profile("有限公司")
#: How many of every 24 enterprises are of each industry: the district's factories, shops and building sites
#: outnumber its chemical plants and mines.
INDUSTRY_WEIGHTS = {
    "industry_trade": 5, "crowded_places": 4, "hazardous_chemicals": 3, "construction": 3, "transport": 2,
    "schools": 2, "non_coal_mines": 1, "special_equipment": 1, "care_homes": 1, "hospitals": 1, "urban_gas": 1,
}
#: Industries whose enterprises may have a major hazard (重大事故隐患): the demo's expert is assigned to them.
MAJOR_HAZARD_INDUSTRIES = ("hazardous_chemicals", "non_coal_mines", "urban_gas")
#: Employees by scale, the industrial bands of 统计上大中小微型企业划分办法（2017）(large 1,000 or more, medium
#: 300 to 999, small 20 to 299, micro fewer than 20), and how many of every 100 enterprises are of each scale.
SCALE_EMPLOYEES = {Scale.LARGE: (1000, 3000), Scale.MEDIUM: (300, 999), Scale.SMALL: (20, 299), Scale.MICRO: (5, 19)}
SCALE_WEIGHTS = {Scale.LARGE: 4, Scale.MEDIUM: 16, Scale.SMALL: 50, Scale.MICRO: 30}
#: The probability that an enterprise carries each of its profile's optional tags.
OPTIONAL_TAG_SHARE = 0.35

#: Who issues each licence, and the word of its number.
LICENCE_ISSUERS = {
    K.SAFETY_PRODUCTION: ("山东省应急管理厅", "安许证字"),
    K.HAZCHEM_OPERATION: ("济南市应急管理局", "危化经字"),
    K.HAZCHEM_USE: ("济南市应急管理局", "危化使字"),
    K.HAZCHEM_REGISTRATION: ("应急管理部化学品登记中心", "危化登字"),
    K.MINING: ("济南市自然资源和规划局", "采矿证字"),
    K.FIREWORKS: ("济南市长清区应急管理局", "烟花零字"),
    K.GAS_OPERATION: ("济南市城市管理局", "燃气经字"),
    K.CONSTRUCTION: ("山东省住房和城乡建设厅", "建安许字"),
    K.OTHER: ("", "许字"),
}

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
#: The enterprise account ``qiye`` is the safety officer of the first enterprise of this township (马山镇),
#: which is kept operating, so that its workbench has work.
QIYE_TOWNSHIP = "370113107"
#: The smallest demo: one enterprise in every township (the enterprise account's is in 马山镇).
MIN_COUNT = len(DEMO_TOWNSHIPS)
#: Enforcement officers per squad: an enforcement inspection needs two (行政处罚法 Art. 42).
SQUAD_SIZE = 2
#: The roles whose demo people hold an enforcement certificate (执法证): the bureau's, the townships' and the
#: departments' officers, who inspect and sign documents. Experts and enterprises' people hold none.
CERTIFIED_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER, Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER)


class NotADemoDatabase(Exception):
    pass


class InterruptedDemo(NotADemoDatabase):
    """A load stopped half-way: its acts committed one by one, so the database holds part of a year."""

    def __init__(self):
        super().__init__(
            "An earlier demo load stopped before it finished and left part of the demo district. Start again "
            "from an empty database: delete var/shouye.sqlite3 (the default SQLite database) or drop and "
            "create the PostgreSQL database, then run `shouye demo` (or `make run`) again.")


def holds_non_demo_data() -> bool:
    return Enterprise.objects.exclude(source=Source.DEMO).exists() or User.objects.exclude(
        username__in=[a[0] for a in ACCOUNTS]).exclude(username__startswith=DEMO_USER_PREFIX).exists()


def is_loaded() -> bool:
    return AuditEvent.objects.filter(verb=LOADED_VERB).exists()


def load_regions() -> Region:
    district, _ = Region.objects.get_or_create(code=DEMO_DISTRICT[0], defaults={
        "name": DEMO_DISTRICT[1], "level": RegionLevel.DISTRICT})
    for code, name in DEMO_TOWNSHIPS:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": RegionLevel.TOWNSHIP,
                                                          "parent": district})
    return district


def enforcement_certificate_no(serial: int) -> str:
    """A FAKE enforcement certificate number (执法证号) of a plausible shape — the district's code (370113), the
    two digits of the year of issue, a four-digit serial, like 370113200007 — that no real officer holds."""
    return f"370113{19 + serial % 6:02d}{serial:04d}"


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"


def _industry_cycle(codes: list[str]) -> list[str]:
    """The industries in the proportions of INDUSTRY_WEIGHTS (1 for one an administrator added), spread out
    (smooth weighted round robin), so that even a few enterprises cover several industries."""
    weights = {code: INDUSTRY_WEIGHTS.get(code, 1) for code in codes}
    total = sum(weights.values())
    current = dict.fromkeys(codes, 0)
    cycle = []
    for _ in range(total):
        for code in codes:
            current[code] += weights[code]
        chosen = max(codes, key=lambda code: current[code])
        current[chosen] -= total
        cycle.append(chosen)
    return cycle


#: When the demo's licences end, in days from today, dealt in this order (one licence in ten expiring within 30
#: days, two more within 90, one expired; the ledger flags a licence within SHOUYE_LICENCE_WARNING_DAYS = 90), so
#: that any demo with three licences has one expiring within 30 days and one within 90.
LICENCE_EXPIRY = ((1, 30), (91, 1095), (31, 90), (91, 1095), (-60, -1), (91, 1095), (31, 90), (91, 1095),
                  (91, 1095), (91, 1095))


def _licence(rng: random.Random, kind: str, seq: int, today: date, n: int) -> Licence:
    """The ``n``-th licence the generator deals (see LICENCE_EXPIRY)."""
    issuer, word = LICENCE_ISSUERS[kind]
    valid_to = today + timedelta(days=rng.randint(*LICENCE_EXPIRY[n % len(LICENCE_EXPIRY)]))
    valid_from = valid_to - timedelta(days=3 * 365)
    return Licence(kind=kind, number=f"（鲁）演示{word}〔{valid_from.year}〕{seq:06d}号", issuer=issuer,
                   valid_from=valid_from, valid_to=valid_to)


def build_enterprises(count: int, *, seed: int = DEFAULT_SEED, start_seq: int = 1, today: date | None = None):
    """Unsaved enterprises with their people, licences and tag codes, spread over every township and (in the
    proportions of INDUSTRY_WEIGHTS) every industry, each of a kind of business of its industry (PROFILES).
    Used by the demo and by the benchmark generator."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    industries = {industry.code: industry for industry in Industry.objects.all()}
    cycle = _industry_cycle(list(industries))
    grades = {grade.code: grade for grade in SupervisionGrade.objects.all()}
    graded = [grades.get(code) for code in "ABCD"]
    tag_codes = set(Tag.objects.values_list("code", flat=True))
    dealt = 0
    for i in range(count):
        seq = start_seq + i
        township = townships[i % len(townships)]
        industry = industries[cycle[(i // len(townships)) % len(cycle)]]
        profiles = PROFILES.get(industry.code, (GENERIC,))
        profile = rng.choices(profiles, weights=[p.weight for p in profiles])[0]
        if all(graded):
            grade = rng.choices(graded, weights=profile.grades)[0]
        else:
            grade = rng.choice(list(grades.values()))
        lon, lat = TOWNSHIP_CENTRES.get(township.code, (116.75, 36.5))
        scale = rng.choices(list(SCALE_WEIGHTS), weights=list(SCALE_WEIGHTS.values()))[0]
        word = _WORDS[seq % len(_WORDS)] + _WORDS[(seq // len(_WORDS)) % len(_WORDS)]
        enterprise = Enterprise(
            name=f"{township.name[:2]}{word}{profile.suffix}（演示{seq}）",
            credit_code=credit_code(seq), legal_representative=person_name(rng),
            address=f"济南市长清区{township.name}演示路{rng.randint(1, 300)}号",
            longitude=Decimal(f"{lon + rng.uniform(-0.02, 0.02):.6f}"),
            latitude=Decimal(f"{lat + rng.uniform(-0.015, 0.015):.6f}"),
            township=township, industry=industry, scale=scale, employees=rng.randint(*SCALE_EMPLOYEES[scale]),
            supervision_grade=grade,
            status=rng.choices(OperatingStatus.values, weights=[90, 7, 3])[0], source=Source.DEMO,
        )
        people = [
            EnterprisePerson(role=PersonRole.PRINCIPAL, name=person_name(rng), phone=_phone(rng),
                             id_number=id_number(seq * 3, date(1970 + seq % 25, 1 + seq % 12, 1 + seq % 28))),
            EnterprisePerson(role=PersonRole.SAFETY_DIRECTOR, name=person_name(rng), phone=_phone(rng)),
            EnterprisePerson(role=PersonRole.SAFETY_OFFICER, name=person_name(rng), phone=_phone(rng),
                             id_number=id_number(seq * 3 + 1, date(1985 + seq % 10, 1 + seq % 12, 1 + seq % 28)),
                             certificate_number=f"AQ{seq:07d}",
                             certificate_expiry=today + timedelta(days=rng.randint(-60, 900))),
        ]
        licences = [_licence(rng, kind, seq, today, dealt + n) for n, kind in enumerate(profile.licences)]
        dealt += len(licences)
        tags = [*profile.tags, *(tag for tag in profile.optional_tags if rng.random() < OPTIONAL_TAG_SHARE)]
        yield enterprise, people, licences, [tag for tag in tags if tag in tag_codes]


def save_enterprises(rows: list) -> list[Enterprise]:
    """Write rows of :func:`build_enterprises` — enterprises, their people, licences and tags — in four
    statements (the caller's transaction)."""
    tag_ids = dict(Tag.objects.values_list("code", "id"))
    link = Enterprise.tags.through
    enterprises = Enterprise.objects.bulk_create([row[0] for row in rows])
    people, licences, links = [], [], []
    for enterprise, (_, persons, licence_rows, tag_codes) in zip(enterprises, rows, strict=True):
        for child in (*persons, *licence_rows):
            child.enterprise = enterprise
        people += persons
        licences += licence_rows
        links += [link(enterprise_id=enterprise.pk, tag_id=tag_ids[code]) for code in tag_codes]
    EnterprisePerson.objects.bulk_create(people)
    Licence.objects.bulk_create(licences)
    link.objects.bulk_create(links)
    return enterprises


# --- the demo's people --------------------------------------------------------------------------------


@dataclass
class DemoPeople:
    """Who acts in the demo: the sign-in accounts by role, an officer for every township, the enforcement
    squads' officers (the townships each squad covers) and every enterprise's safety officer."""

    admin: User
    staff: User
    leader: User
    expert: User
    department: User
    township_officers: dict[int, User] = field(default_factory=dict)
    squads: list[list[User]] = field(default_factory=list)
    squad_units: list[Organisation] = field(default_factory=list)
    squad_of_township: dict[int, int] = field(default_factory=dict)
    enterprise_users: dict[int, User] = field(default_factory=dict)


def people(context: DemoContext) -> DemoPeople:
    """The demo's people, as :func:`load_registry` left them in the context."""
    return context.shared["people"]


def _membership(user: User, role: str, target) -> Membership:
    membership = Membership(user=user, role=role)
    if role == Role.TOWNSHIP_OFFICER:
        membership.region = Region.objects.get(code=target)
    elif role == Role.DEPARTMENT_OFFICER:
        membership.organisation = Organisation.objects.get(name=target)
    elif role in (Role.ENTERPRISE_USER, Role.EXPERT):
        membership.enterprise = target
    else:
        membership.organisation = Organisation.objects.get(name=reference_data.BUREAU)
    return membership


def _load_accounts(context: DemoContext, enterprises: list[Enterprise]) -> DemoPeople:
    """The sign-in accounts (one password hash for all: PBKDF2 costs about a second per hash, and the password
    is published) and the people the demo acts as, who cannot sign in."""
    rng = context.rng("people")
    by_enterprise = {enterprise.pk: enterprise for enterprise in enterprises}
    qiye_enterprise = next(e for e in enterprises if e.township.code == QIYE_TOWNSHIP)
    expert_enterprises = [enterprises[0], *(e for e in enterprises[1:]
                                            if e.industry.code in MAJOR_HAZARD_INDUSTRIES)]
    password = make_password(DEMO_PASSWORD)
    accounts, memberships = {}, []
    certificates = itertools.count(1)
    for username, display, role, target in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username, defaults={"display_name": display})
        user.password = password
        user.is_staff = role == Role.BUREAU_ADMIN
        if role in CERTIFIED_ROLES:
            user.enforcement_certificate_no = enforcement_certificate_no(next(certificates))
        user.save()
        accounts[username] = user
        if role == Role.ENTERPRISE_USER:
            memberships.append(_membership(user, role, qiye_enterprise))
        elif role == Role.EXPERT:
            memberships += [_membership(user, role, enterprise) for enterprise in expert_enterprises]
        else:
            memberships.append(_membership(user, role, target))

    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    squads = list(Organisation.objects.filter(kind=OrganisationKind.SQUAD).order_by("id"))
    officers = {username: (display, region) for username, display, role, region in ACCOUNTS
                if role == Role.TOWNSHIP_OFFICER}
    new: list[tuple[User, str, object]] = []
    township_users = {}
    for township in townships:
        existing = next((u for u, (_, code) in officers.items() if code == township.code), None)
        if existing:
            township_users[township.pk] = accounts[existing]
            continue
        user = User(username=f"{DEMO_USER_PREFIX}{township.code}", display_name=f"{township.name}应急办")
        township_users[township.pk] = user
        new.append((user, Role.TOWNSHIP_OFFICER, township.code))
    squad_users = []
    for number, squad in enumerate(squads, start=1):
        members = []
        for seat in range(1, SQUAD_SIZE + 1):
            user = User(username=f"{DEMO_USER_PREFIX}squad{number}-{seat}", display_name=person_name(rng))
            members.append(user)
            new.append((user, Role.BUREAU_STAFF, squad))
        squad_users.append(members)
    officers_of = {person.enterprise_id: person.name
                   for person in EnterprisePerson.objects.filter(enterprise__in=enterprises,
                                                                 role=PersonRole.SAFETY_OFFICER)}
    enterprise_users = {qiye_enterprise.pk: accounts["qiye"]}
    for enterprise in enterprises:
        if enterprise.pk in enterprise_users:
            continue
        user = User(username=f"{DEMO_USER_PREFIX}e{enterprise.credit_code[8:16]}",
                    display_name=officers_of.get(enterprise.pk) or person_name(rng))
        enterprise_users[enterprise.pk] = user
        new.append((user, Role.ENTERPRISE_USER, enterprise))
    for user, role, _ in new:
        user.set_unusable_password()
        if role in CERTIFIED_ROLES:
            user.enforcement_certificate_no = enforcement_certificate_no(next(certificates))
    User.objects.bulk_create([user for user, _, _ in new])
    for user, role, target in new:
        accounts[user.username] = user
        membership = Membership(user=user, role=role)
        if role == Role.TOWNSHIP_OFFICER:
            membership.region = next(t for t in townships if t.code == target)
        elif role == Role.ENTERPRISE_USER:
            membership.enterprise = by_enterprise[target.pk]
        else:
            membership.organisation = target
        memberships.append(membership)
    Membership.objects.bulk_create(memberships)
    context.accounts.update(accounts)
    return DemoPeople(
        admin=accounts["admin"], staff=accounts["staff"], leader=accounts["leader"], expert=accounts["expert"],
        department=accounts["jianshe"], township_officers=township_users, squads=squad_users, squad_units=squads,
        squad_of_township={township.pk: n % len(squad_users) for n, township in enumerate(townships)}
        if squad_users else {},
        enterprise_users=enterprise_users,
    )


def registry_moment(context: DemoContext):
    """When the registry was set up: before the year of activity and before the plans of its first year."""
    day = min(context.start - timedelta(days=30), date(context.start.year, 1, 2))
    return moment(day, time(9, 0))


def load_registry(context: DemoContext) -> dict[str, int]:
    """The demo step of this app: regions, reference data, the enterprises and the people, in one transaction,
    dated before the year of activity."""
    with context.at(registry_moment(context)), transaction.atomic():
        reference_data.load(django_apps)
        load_regions()
        rows = list(build_enterprises(context.count, seed=context.seed, today=context.today))
        qiye = next(row[0] for row in rows if row[0].township.code == QIYE_TOWNSHIP)
        qiye.status = OperatingStatus.OPERATING
        enterprises = save_enterprises(rows)
        enterprises = list(Enterprise.objects.filter(pk__in=[e.pk for e in enterprises])
                           .select_related("township", "industry", "supervision_grade")
                           .prefetch_related("tags").order_by("id"))
        context.enterprises = enterprises
        context.shared["people"] = demo_people = _load_accounts(context, enterprises)
    return {"enterprises": len(enterprises), "licences": sum(len(row[2]) for row in rows),
            "accounts": len(ACCOUNTS), "people": len(context.accounts) - len(ACCOUNTS),
            "township officers": len(demo_people.township_officers)}


def load_demo(*, count: int = 300, seed: int = DEFAULT_SEED, today: date | None = None,
              report: Callable[[object, dict], None] | None = None) -> dict:
    """Load the demo district and its year of activity by running every registered demo step. Refuses a
    database that holds anything but demo data, and one where an earlier load stopped half-way; answers
    ``{"created": 0}`` when the demo is already loaded."""
    if count < MIN_COUNT:
        raise ValueError(f"The demo needs at least {MIN_COUNT} enterprises: one in every township.")
    if holds_non_demo_data():
        raise NotADemoDatabase("This database holds non-demo data; the demo loads only into an empty one.")
    if is_loaded():
        return {"created": 0}
    if Enterprise.objects.exists():
        raise InterruptedDemo()
    today = today or timezone.localdate()
    if today > timezone.localdate():
        raise ValueError("The demo's today cannot be after the real today: the demo holds no future records.")
    context = DemoContext(seed=seed, today=today, count=count)
    steps: dict[str, dict] = {}

    def done(step, counts: dict) -> None:
        steps[step.key] = counts
        if report is not None:
            report(step, counts)

    with audit.sealing_deferred():
        run_steps(context, demo_steps.ordered(), done)
        with transaction.atomic():
            audit.record(actor=None, actor_name="demo", verb=LOADED_VERB,
                         note=f"{len(context.enterprises)} enterprises",
                         changes={"seed": seed, "today": today.isoformat(), "steps": steps})
    return {"created": len(context.enterprises), "steps": steps}


def account_lines() -> list[str]:
    return [f"  {username:<8} {display}（{Role(role).label}）" for username, display, role, _ in ACCOUNTS]
