from datetime import date

import pytest

from shouye.core.identifiers import id_number
from shouye.risks.models import FloorPlan, PlanZone
from shouye.workareas import services
from shouye.workareas.choices import CertificateKind

_seq = iter(range(1, 10_000))


def area_data(**values) -> dict:
    return {"name": "氯化反应区", "location": "一车间", "hazards_present": "氯气泄漏", "people_present": 2,
            "assessed_on": date(2026, 1, 5), "high_risk": True, "assessment_reason": "涉及重点监管危险化工工艺",
            "max_people": 2, "allowed_posts": "操作工\n班长", "measures": "双人作业", **values}


def certificate_row(**values) -> dict:
    return {"kind": CertificateKind.SPECIAL_OPERATION, "operation_category": "危险化学品安全作业 · 氯化工艺作业",
            "number": f"T{next(_seq):06d}", "issued_on": date(2024, 3, 1), "authority": "济南市应急管理局", **values}


def zone_of(enterprise, user, name):
    """A zone drawn on a floor plan of ``enterprise`` (the risks app's models)."""
    plan = FloorPlan.objects.create(enterprise=enterprise, township_id=enterprise.township_id,
                                    industry_id=enterprise.industry_id, title="总平面图", image="plans/p.png",
                                    width=800, height=600, uploaded_by=user)
    return PlanZone.objects.create(plan=plan, name=name, polygon=[[0, 0], [100, 0], [100, 100]])


def worker_data(**values) -> dict:
    return {"name": "张三", "id_number": id_number(next(_seq)), "post": "操作工", "phone": "13812345678", **values}


@pytest.fixture
def owner(cast):
    return cast["users"]["enterprise_user"]


@pytest.fixture
def area(cast, owner):
    return services.assess_work_area(actor=owner, enterprise=cast["inside"], data=area_data())


@pytest.fixture
def worker(cast, owner, area):
    return services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), work_areas=[area],
                                    certificates=[certificate_row()])
