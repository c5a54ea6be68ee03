"""The incidents' part of the demo district (``shouye demo``, DemoStep "incidents", order 65): four past
incidents of the year, each taken, reported, commanded and closed through the services at its own moment, so
their grades and clocks are the rules' own:

- an ordinary accident at an enterprise (one serious injury): every report in time, the casualty supplement
  and the investigation report met by the final report;
- a large accident (three deaths after a casualty update): the direct report in time, the written report an
  hour and a quarter after the receipt — missed, and recorded so;
- a forest fire and a flood: no statutory clock, reported at once and closed.

The large accident and the flood also have their response: the nearest ready team dispatched and back before
the close, materials from the nearest warehouse holding them, and a plan that applies activated. The step
runs after the rescue forces and reserves (order 65, after the resources' 60).
The large accident's command gives three tasks (:func:`load_tasks`): the township's is acknowledged and done,
the health bureau's acknowledged by phone, the construction bureau's never acknowledged — the incident's page
shows it so.

All of them lie more than 120 days back, so that every clock has been met or missed (the clock job runs last)."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from shouye.accounts.models import Organisation
from shouye.core.demo import Agenda, moment
from shouye.enterprises import demo as district
from shouye.regions.models import Region
from shouye.resources.models import Item, Team, Warehouse

from . import assignments, response, services
from .choices import IncidentKind, IncidentSource


def load_incidents(context) -> dict:
    people = district.people(context)
    staff, leader = people.staff, people.leader
    rng = context.rng("incidents")
    enterprises = [e for e in context.enterprises if e.township_id in people.township_officers]
    first, second = rng.sample(enterprises, 2)
    agenda = Agenda(context)
    made = []

    def report(incident, kind, recipient, text, clocks, after):
        agenda.add(incident.received_at + after, lambda: services.record_report(
            actor=staff, incident=incident, report_kind=kind, recipient=recipient, text=text, clocks=clocks))

    def respond(incident, officer, post, commander, summary, closes_after):
        agenda.add(incident.received_at + timedelta(minutes=35), lambda: services.set_command_post(
            actor=leader, incident=incident, command_post=post, commander=commander))
        agenda.add(incident.received_at + timedelta(minutes=50), lambda: services.add_entry(
            actor=officer, incident=incident, kind="note", text="镇街应急办已到场，现场已警戒"))
        agenda.add(incident.received_at + closes_after, lambda: services.close_incident(
            actor=leader, incident=incident, summary=summary))

    def dispatch(incident, after, back_after, item_name, quantity):
        """The nearest ready team out and back, and ``quantity`` of ``item_name`` from the nearest warehouse
        holding it; the first plan that applies activated."""
        def act():
            forces = response.nearest_forces(staff, incident)
            if forces is None or not forces["teams"]:
                return
            row = response.dispatch_team(actor=staff, incident=incident, team=Team.objects.get(
                pk=forces["teams"][0]["id"]), note="就近调派")
            agenda.add(incident.received_at + back_after, lambda: response.return_team(
                actor=staff, incident=incident, dispatch=row, note="任务完成，归队待命"))
            item = Item.objects.filter(name=item_name).first()
            if item is not None:
                stores = response.nearest_forces(staff, incident, item=item, quantity=quantity)["warehouses"]
                store = next((w for w in stores if w["covers_all"]), None)
                if store is not None:
                    response.dispatch_items(actor=staff, incident=incident, item=item, quantity=quantity,
                                            warehouse=Warehouse.objects.get(pk=store["id"]))
            plan = response.applicable_plans(staff, incident).first()
            if plan is not None:
                response.activate_plan(actor=staff, incident=incident, plan=plan)
        agenda.add(incident.received_at + after, act)

    def take(day_back, at, enterprise=None, township=None, **fields):
        occurred = moment(context.today - timedelta(days=day_back), at)

        def act():
            incident = services.report_incident(
                actor=staff, enterprise=enterprise, township=township, occurred_at=occurred - timedelta(minutes=8),
                source=IncidentSource.DUTY_PHONE, contact_name="值班员", contact_phone="13905310000", **fields)
            made.append(incident)
            return incident
        return occurred, act

    # An ordinary accident: everything in time.
    when, act = take(300, time(10, 20), enterprise=first, title="检修作业人员高处坠落", kind=IncidentKind.ACCIDENT,
                     place=f"{first.name}检修车间", serious_injuries=1, handling="伤员已送医")

    def ordinary():
        incident = act()
        officer = people.township_officers[incident.township_id]
        report(incident, "first", "区政府、市应急局", "快报：1人重伤，已送医",
               ["enterprise_head", "report_county", "direct_report"], timedelta(minutes=20))
        report(incident, "follow_up", "市应急局", "续报：伤员生命体征平稳", ["report_city"], timedelta(hours=2))
        respond(incident, officer, "车间门口", "区应急局副局长", "伤员救治中，现场已恢复生产，调查组已成立",
                timedelta(hours=6))
        report(incident, "final", "区政府、市应急局", "终报：伤亡无变化；事故调查报告已提交",
               ["supplement", "investigation"], timedelta(days=45))
    agenda.add(when, ordinary)

    # A large accident: the written report came late.
    when, act2 = take(200, time(21, 5), enterprise=second, title="反应釜泄漏中毒", kind=IncidentKind.ACCIDENT,
                      place=f"{second.name}合成车间", deaths=2, serious_injuries=4)

    def large():
        incident = act2()
        officer = people.township_officers[incident.township_id]
        report(incident, "first", "省安委会办公室", "直报：2人死亡、4人重伤",
               ["enterprise_head", "report_county", "direct_report"], timedelta(minutes=25))
        agenda.add(incident.received_at + timedelta(minutes=40), lambda: services.update_situation(
            actor=officer, incident=incident, deaths=3, note="1名重伤人员抢救无效死亡"))
        load_tasks(agenda, people, incident)
        report(incident, "follow_up", "省安委会办公室", "书面报告：3人死亡、3人重伤",
               ["written_report", "report_city"], timedelta(minutes=75))
        report(incident, "follow_up", "省应急管理厅", "续报：现场处置情况", ["report_province"], timedelta(hours=4))
        dispatch(incident, timedelta(minutes=12), timedelta(hours=8), "灭火器", Decimal(10))
        respond(incident, officer, "厂区东门", "副区长", "泄漏已控制，伤员救治，事故调查组成立", timedelta(hours=9))
        report(incident, "final", "省应急管理厅", "终报：3人死亡、3人重伤；调查报告按期提交",
               ["supplement", "investigation"], timedelta(days=29))
    agenda.add(when, large)

    # A forest fire and a flood: no statutory clock.
    townships = sorted(people.township_officers)
    when, act3 = take(160, time(14, 30), title="山林火情", kind=IncidentKind.FOREST_FIRE,
                      township=_region(townships[0]), place="南山林场", burnt_area_ha=Decimal("0.6"))

    def fire():
        incident = act3()
        report(incident, "first", "区森林防火指挥部", "快报：明火已扑灭，过火面积约0.6公顷", [], timedelta(minutes=15))
        respond(incident, people.township_officers[incident.township_id], "林场入口", "镇长", "明火扑灭，留人看守",
                timedelta(hours=5))
    agenda.add(when, fire)
    when, act4 = take(140, time(6, 45), title="强降雨致道路积水", kind=IncidentKind.FLOOD,
                      township=_region(townships[-1]), place="镇驻地低洼路段", scope_of_impact="3户进水")

    def flood():
        incident = act4()
        report(incident, "first", "区防汛抗旱指挥部", "快报：道路积水，3户进水，无人员伤亡", [], timedelta(minutes=20))
        dispatch(incident, timedelta(minutes=25), timedelta(hours=7), "编织袋", Decimal(200))
        respond(incident, people.township_officers[incident.township_id], "镇政府", "镇长", "积水排除，群众已安置",
                timedelta(hours=8))
    agenda.add(when, flood)

    agenda.add(moment(context.today - timedelta(days=1), time(18, 0)), services.mark_missed_clocks)
    agenda.play()
    return {"incidents": len(made)}


def _region(pk: int) -> Region:
    return Region.objects.get(pk=pk)


def load_tasks(agenda: Agenda, people, incident) -> None:
    """Tasks of the large accident's response, each act at its own moment after the command post is set up."""
    leader, staff = people.leader, people.staff
    officer = people.township_officers[incident.township_id]
    start = incident.received_at + timedelta(minutes=36)
    tasks = {}

    def assign(key, text, hours, **unit):
        tasks[key] = assignments.assign_task(actor=leader, incident=incident, text=text,
                                             due_at=start + timedelta(hours=hours), **unit)

    agenda.add(start, lambda: assign("township", "组织厂区周边500米内群众疏散，设置警戒区", 2,
                                     township=incident.township))
    agenda.add(start, lambda: assign("health", "协调区人民医院做好伤员救治，每小时报告伤情", 4,
                                     department=Organisation.objects.get(name="区卫生健康局")))
    agenda.add(start, lambda: assign("construction", "排查事故车间及相邻厂房结构安全", 6,
                                     department=Organisation.objects.get(name="区住房和城乡建设局")))
    agenda.add(start + timedelta(minutes=6), lambda: assignments.acknowledge_task(actor=officer,
                                                                                  task=tasks["township"]))
    agenda.add(start + timedelta(minutes=12), lambda: assignments.acknowledge_task(actor=staff,
                                                                                   task=tasks["health"]))
    agenda.add(start + timedelta(hours=1, minutes=40), lambda: assignments.complete_task(
        actor=officer, task=tasks["township"], note="已疏散群众126人，警戒区已设置"))
