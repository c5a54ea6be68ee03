"""The plans' demo step (``shouye demo``): the district's comprehensive plan and its flood-control and
forest-fire special plans (the bureau), a comprehensive plan of every township, and for a third of the
enterprises a comprehensive and an on-site plan. Most are published and filed; some are filed late or not at
all, some units drill on time and others never, so the workbench and the statistics show overdue filings and
drills as on a real platform. Every published plan holds its text (a one-page PDF), which its filing needs, and
the district's filed plans their filing receipts. Everything through the services, each act on its day of the past year (the
filing deadline needs the work calendar's year, so publications are at least 45 days old)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile

from shouye.core.demo import office_moment, workday_on_or_after
from shouye.enterprises import demo as district
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from . import services
from .choices import Audience, DocumentKind, DrillKind, PlanKind, PlanTopic, ProblemOutcome

#: One enterprise in SHARE keeps plans on the platform.
SHARE = 3
#: The district's plans: title, kind, topics.
DISTRICT_PLANS = [("长清区生产安全事故应急预案", PlanKind.COMPREHENSIVE, ()),
                  ("长清区防汛应急预案", PlanKind.SPECIAL, (PlanTopic.FLOOD_DROUGHT,)),
                  ("长清区森林火灾应急预案", PlanKind.SPECIAL, (PlanTopic.FOREST_FIRE,))]


def _pdf(title: str) -> ContentFile:
    """A one-page PDF standing for the document (its text is the title, in ASCII-safe escapes)."""
    escaped = title.encode("unicode_escape").decode("ascii").replace("(", "").replace(")", "")
    body = (f"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] "
            f"/Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
            f"% {escaped}\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return ContentFile(body.encode("ascii"), name=f"{title}.pdf")


def load_plans(context) -> dict[str, int]:
    people = district.people(context)
    rng = context.rng("plans")
    made = {"plans": 0, "drills held": 0, "plan documents": 0}
    last = context.today - timedelta(days=45)

    def day(earliest, latest):
        return workday_on_or_after(earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days))))

    def attach(actor, plan, kind, title):
        made["plan documents"] += len(services.attach_documents(actor=actor, plan=plan, kind=kind,
                                                                files=[_pdf(title)]))

    def publish(actor, plan, on, file_after, receipt=False):
        with context.at(office_moment(rng, on)):
            plan = services.publish_plan(actor=actor, plan=plan, published_on=on)
            attach(actor, plan, DocumentKind.PLAN_TEXT, plan.title)
        made["plans"] += 1
        if file_after is not None and on + timedelta(days=file_after) < context.today:
            filed = workday_on_or_after(on + timedelta(days=file_after))
            with context.at(office_moment(rng, filed)):
                plan = services.file_plan(actor=actor, plan=plan, filed_on=filed,
                                          filing_number=f"370113-{filed:%Y}-{plan.pk:04d}")
                if receipt:
                    attach(actor, plan, DocumentKind.FILING_RECEIPT, f"{plan.title}备案登记表")
        return plan

    def drill(actor, unit, plans, on, kind, problem=False):
        with context.at(office_moment(rng, on - timedelta(days=20))):
            row = services.plan_drill(actor=actor, unit=unit, title=f"{plans[0].title}演练", kind=kind,
                                      planned_on=on, plans=plans)
        with context.at(office_moment(rng, on)):
            services.hold_drill(actor=actor, drill=row, held_on=on, participants=rng.randint(8, 120),
                                evaluation="演练按方案完成，响应及时，职责明确。")
            if problem:
                services.record_problem(actor=actor, drill=row, description="应急通讯联络表未及时更新，部分人员电话有误。",
                                        outcome=ProblemOutcome.NOTED)
        made["drills held"] += 1

    start = context.start + timedelta(days=1)
    # The district's own plans (the bureau): filed within the 20 working days but the last special plan.
    plans = []
    for n, (title, kind, topics) in enumerate(DISTRICT_PLANS):
        with context.at(office_moment(rng, start)):
            plan = services.create_plan(actor=people.staff, kind=kind, title=title, topics=topics,
                                        audience=Audience.SOCIETY)
        plans.append(publish(people.staff, plan, day(start, start + timedelta(days=60)), 15 if n < 2 else None,
                             receipt=True))
    drill(people.staff, plans[0].unit, plans[1:2], day(last - timedelta(days=120), last), DrillKind.FULL_SCALE,
          problem=True)
    # Every township's comprehensive plan; two thirds drill.
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP, pk__in=people.township_officers).order_by("code")
    for n, township in enumerate(townships):
        officer = people.township_officers[township.pk]
        with context.at(office_moment(rng, start)):
            plan = services.create_plan(actor=officer, kind=PlanKind.COMPREHENSIVE, township=township,
                                        title=f"{township.name}突发事件总体应急预案", audience=Audience.SOCIETY)
        plan = publish(officer, plan, day(start, start + timedelta(days=90)), rng.choice([10, 18, 40]))
        if n % 3:
            drill(officer, plan.unit, [plan], day(last - timedelta(days=150), last), DrillKind.TABLETOP)
    # A third of the enterprises: comprehensive and on-site plans; half of them drill.
    chosen = [e for e in context.enterprises if e.pk in people.enterprise_users][::SHARE]
    for n, enterprise in enumerate(chosen):
        user = people.enterprise_users[enterprise.pk]
        own = []
        for kind, title in ((PlanKind.COMPREHENSIVE, "生产安全事故综合应急预案"), (PlanKind.ON_SITE, "现场处置方案")):
            with context.at(office_moment(rng, start)):
                plan = services.create_plan(actor=user, enterprise=enterprise, kind=kind,
                                            title=f"{enterprise.name}{title}")
            own.append(publish(user, plan, day(start, start + timedelta(days=150)), rng.choice([12, 16, 25, None])))
        if n % 2 == 0:
            drill(user, own[0].unit, own, day(last - timedelta(days=100), last), DrillKind.FUNCTIONAL,
                  problem=n % 4 == 0)
    return made
