"""The resources demo step (``shouye demo``): the district's fire brigade, its four professional repair teams
(one of them short of the 20 members its kind must have), a volunteer team, a team of the first few
hazardous-chemicals enterprises; a catalogue of materials, the district's warehouse and one per township
officer's township, stocked in batches with their own expiry (some near expiry, one line below minimum); the
district's agreement reserves with suppliers (one ending within the month, one expired) and capacity reserves
of producers; one drill dispatch of a team and of materials, taken earliest-expiring first; a road network (a
generated grid of roads around the district's seat) so that nearest dispatch ranks by road. Everything through
the services, at a moment of the past year."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile

from shouye.core.demo import office_moment
from shouye.enterprises import demo as district

from . import rules_seed, services
from .choices import ReserveKind, TeamKind
from .models import Item, RoadNetwork

#: Around the seed district's seat (长清区, 济南).
CENTRE = (36.553, 116.752)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林"
GIVEN = ["伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "华", "平", "刚", "飞", "鹏"]
SKILLS = ["抢修", "电工", "焊工", "驾驶", "救护", "破拆", "水上救援"]
ITEMS = [("救生衣", "防汛", "件", 60), ("编织袋", "防汛", "条", 36), ("沙袋", "防汛", "个", None),
         ("灭火器", "消防", "具", 60), ("帐篷", "生活保障", "顶", 96), ("发电机", "电力", "台", None)]
#: (name, kind, members): the gas team is two short of its kind's 20 (the check shows it).
DISTRICT_TEAMS = [("长清区消防救援大队", TeamKind.FIRE_BRIGADE, 12),
                  ("区供电抢修队", TeamKind.REPAIR_POWER, 22), ("区供水抢修队", TeamKind.REPAIR_WATER, 20),
                  ("区燃气抢修队", TeamKind.REPAIR_GAS, 18), ("区防汛抢险队", TeamKind.REPAIR_FLOOD, 21),
                  ("长清区志愿救援中心", TeamKind.VOLUNTEER, 8)]
ENTERPRISE_TEAMS = 3
#: The demo's road network: a grid of roads every ROAD_STEP degrees (about 1 km) ROAD_REACH degrees around the
#: seat, covering every demo team, warehouse and reserve (at most 0.15° from it); not the real roads.
ROAD_STEP, ROAD_REACH = 0.01, 0.17
#: (kind, supplier, response hours, term end in days from the demo's today, {item name: quantity}): agreement
#: reserves hold quantities, capacity reserves produce them per day; the supermarket's ends within the month (a
#: to-do), the old tent agreement has expired (no longer counted).
RESERVES = [
    (ReserveKind.AGREEMENT, "长清区供销合作社", 4, 400, {"编织袋": 5000, "救生衣": 300}),
    (ReserveKind.AGREEMENT, "济南华联超市长清店", 2, 20, {"帐篷": 40}),
    (ReserveKind.AGREEMENT, "长清帐篷厂（原协议）", 12, -15, {"帐篷": 200}),
    (ReserveKind.CAPACITY, "山东鲁丰编织袋有限公司", 24, 700, {"编织袋": 20000, "沙袋": 8000}),
    (ReserveKind.CAPACITY, "长清区消防器材厂", 48, 500, {"灭火器": 300}),
]


def _near(rng, spread=0.08):
    return round(CENTRE[0] + rng.uniform(-spread, spread), 6), round(CENTRE[1] + rng.uniform(-spread, spread), 6)


def _phone(rng) -> str:
    return f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"


def road_grid(centre: tuple[float, float], reach: float, step: float) -> dict:
    """A GeoJSON FeatureCollection of a square grid of roads around ``centre``: one line per row and column."""
    count = round(2 * reach / step)
    lats = [round(centre[0] - reach + n * step, 5) for n in range(count + 1)]
    lngs = [round(centre[1] - reach + n * step, 5) for n in range(count + 1)]

    def road(points):
        return {"type": "Feature", "properties": {"highway": "residential"},
                "geometry": {"type": "LineString", "coordinates": [[lng, lat] for lat, lng in points]}}

    return {"type": "FeatureCollection",
            "features": [road([(lat, lng) for lng in lngs]) for lat in lats]
            + [road([(lat, lng) for lat in lats]) for lng in lngs]}


def load_resources(context) -> dict[str, int]:
    people = district.people(context)
    rng = context.rng("resources")
    staff = people.staff
    day = context.start + timedelta(days=30)
    rules_seed.load(django_apps)  # a database flushed by a test has lost the migration's rows
    made = {"rescue teams": 0, "team members": 0, "warehouses": 0, "stock lines": 0, "stock batches": 0,
            "reserves": 0, "road network nodes": 0}
    with context.at(office_moment(rng, day)):
        items = [Item.objects.filter(name=name).first() or services.create_item(
            actor=people.admin, name=name, category=category, unit=unit, shelf_life_months=months)
            for name, category, unit, months in ITEMS]

        def team(actor, name, kind, members, **owner):
            lat, lng = _near(rng)
            row = services.create_team(actor=actor, name=name, kind=kind, latitude=lat, longitude=lng,
                                       duty_phone=f"0531-8728{rng.randint(1000, 9999)}", **owner)
            for _n in range(members):
                services.add_member(actor=actor, team=row, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                                    skills="、".join(rng.sample(SKILLS, 2)), phone=_phone(rng))
            made["rescue teams"] += 1
            made["team members"] += members
            return row

        teams = [team(staff, *spec) for spec in DISTRICT_TEAMS]
        services.add_equipment(actor=staff, team=teams[4], name="排水泵车", quantity=2)
        chemicals = [e for e in context.enterprises if e.industry.code == "hazardous_chemicals"]
        for enterprise in chemicals[:ENTERPRISE_TEAMS]:
            actor = people.enterprise_users.get(enterprise.pk, staff)
            team(actor, f"{enterprise.name}应急救援队", TeamKind.ENTERPRISE, 6, enterprise=enterprise)
        if len(chemicals) > ENTERPRISE_TEAMS:
            services.add_agreement(actor=staff, team=teams[0], enterprise=chemicals[ENTERPRISE_TEAMS],
                                   starts_on=day, ends_on=day + timedelta(days=730),
                                   scope="小微企业救援协议：火灾、泄漏事故的先期处置（708号令第十条）")

        warehouses = [services.create_warehouse(actor=staff, name="长清区应急物资储备库", address="长清区经十西路",
                                                latitude=CENTRE[0], longitude=CENTRE[1], keeper_name="库管员",
                                                keeper_phone=_phone(rng))]
        for officer in dict.fromkeys(people.township_officers.values()):
            membership = officer.active_memberships()[0]
            lat, lng = _near(rng)
            warehouses.append(services.create_warehouse(
                actor=officer, name=f"{membership.region.name}应急物资仓库", township=membership.region,
                latitude=lat, longitude=lng, keeper_name="仓库管理员", keeper_phone=_phone(rng)))
        made["warehouses"] = len(warehouses)
        for warehouse in warehouses:
            for item in items:
                expiry = (context.today + timedelta(days=rng.randint(10, 700))
                          if item.shelf_life_months else None)
                services.stock_in(actor=staff, warehouse=warehouse, item=item,
                                  quantity=Decimal(rng.randint(20, 500)), expires_on=expiry, note="年度采购入库")
                made["stock batches"] += 1
                if expiry is not None and rng.random() < 0.5:
                    services.stock_in(actor=staff, warehouse=warehouse, item=item,
                                      quantity=Decimal(rng.randint(20, 200)), expires_on=expiry + timedelta(days=365),
                                      note="补充采购入库")
                    made["stock batches"] += 1
                services.set_minimum(actor=staff, warehouse=warehouse, item=item, minimum=Decimal(30))
                made["stock lines"] += 1
        by_name = {item.name: item for item in items}
        for kind, supplier, hours, ends_in, quantities in RESERVES:
            lat, lng = _near(rng, spread=0.15)
            services.create_reserve(
                actor=staff, kind=kind, supplier=supplier, contact_name=rng.choice(SURNAMES) + "经理",
                contact_phone=_phone(rng), latitude=lat, longitude=lng, response_hours=hours,
                starts_on=min(day, context.today + timedelta(days=ends_in - 1)),
                ends_on=context.today + timedelta(days=ends_in), address="长清区",
                lines=[{"item": by_name[name], "quantity": Decimal(quantity)} for name, quantity in quantities.items()])
            made["reserves"] += 1
        services.stock_out(actor=staff, warehouse=warehouses[-1], item=items[0],
                           quantity=warehouses[-1].stock.get(item=items[0]).quantity - 5, note="防汛演练领用")
    with context.at(office_moment(rng, day + timedelta(days=60))):
        services.dispatch_team(actor=staff, team=teams[4], note="汛期演练", incident="演练-1")
        services.dispatch_items(actor=staff, warehouse=warehouses[0], item=items[2], quantity=Decimal(10),
                                note="汛期演练", incident="演练-1")
    with context.at(office_moment(rng, day + timedelta(days=61))):
        services.return_team(actor=staff, team=teams[4], note="演练结束归队")
    if not RoadNetwork.objects.filter(active=True).exists():
        with context.at(office_moment(rng, day + timedelta(days=62))):
            grid = json.dumps(road_grid(CENTRE, ROAD_REACH, ROAD_STEP)).encode()
            network = services.upload_road_network(
                actor=people.admin, name="长清区示范路网（生成的网格）",
                upload=SimpleUploadedFile("demo-roads.geojson", grid, content_type="application/geo+json"))
            made["road network nodes"] = network.node_count
    return made
