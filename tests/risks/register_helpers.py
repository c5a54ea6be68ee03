"""Helpers of the register tests: a risk point with assessed sources, made through the services."""

from shouye.risks.services import register as services

POINT = {"code": "RP-01", "name": "1号储罐区", "kind": "facility", "location": "罐区东侧", "department": "生产部",
         "responsible_person": "张三", "control_focus": "泄漏、火灾", "control_unit": "储运车间"}
SOURCE = {"identification_method": "scl", "step_or_item": "储罐呼吸阀", "name": "呼吸阀堵塞",
          "factor_category": "things", "consequence": "储罐超压破裂"}


def make_point(user, enterprise, **overrides):
    return services.create_risk_point(actor=user, enterprise=enterprise, **(POINT | overrides))


def make_source(user, point, *, lec=None, **overrides):
    source = services.add_hazard_source(actor=user, risk_point=point, **(SOURCE | overrides))
    if lec is not None:
        l, e, c = lec  # noqa: E741
        services.assess_hazard_source(actor=user, source=source, method="lec", inputs={"l": l, "e": e, "c": c})
        source.refresh_from_db()
    return source


def make_measure(user, source, category="1", subcategory="1-1", description="安装压力远传及高限报警"):
    return services.add_measure(actor=user, source=source, category=category, subcategory=subcategory,
                                description=description, check_content="报警是否正常", data_source="2")


def plan_fields(**overrides):
    return {"access_restriction": "罐区实行门禁登记", "patrol_cycle": 2, "patrol_cycle_unit": "hour",
            "monitoring": "DCS实时监测，24小时值班", "max_people": 5, "other_measures": "",
            "approved_by": "李四", "approved_on": "2026-01-05"} | overrides
