"""Walking a permit along its flow through the API, as the enterprise's own user does on the phone."""

from datetime import timedelta

from django.utils import timezone

from shouye.permits import chains
from shouye.permits.models import SpecialOperationPermit

from .conftest import PNG


def url(permit, act=""):
    return f"/api/v1/permits/{permit.pk}/" + (f"{act}/" if act else "")


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def gas_test(client, permit, *, minutes_before_now=5, result="0.1", **fields):
    return client.post(url(permit, "gas-tests"), {
        "sampled_at": (timezone.now() - timedelta(minutes=minutes_before_now)).isoformat(), "sample_point": "法兰处",
        "representative_gas": "甲烷", "lel_percent": "5", "result_percent": result, "oxygen_percent": "20.9",
        "analyst": "分析员丁", **fields}, format="json")


def measures_body(permit):
    return {"measures": [{"number": m.number, "involved": True, "confirmed_by": "确认人戊"}
                         for m in permit.measures.filter(is_other=False)],
            "other_measures": "现场配备两具灭火器", "other_author": "编制人己"}


def prepare(client, permit):
    """Draft → risks identified → gas tested (kinds that need it) → measures confirmed → briefed."""
    ok(client.post(url(permit, "identify"), {"risk_identification": "可燃气体泄漏、灼烫"}, format="json"))
    if permit.kind in chains.GAS_TEST_KINDS:
        ok(gas_test(client, permit), 201)
    ok(client.post(url(permit, "confirm-measures"), measures_body(permit), format="json"))
    return ok(client.post(url(permit, "brief"), {"briefed_by": "负责人乙", "briefed_to": ["动火人甲", "监护人丙"]},
                          format="json"))


def sign(client, permit, **fields):
    return client.post(url(permit, "signatures"), {"name": "签字人", "image": PNG, **fields}, format="json")


def sign_until_approval(client, permit):
    """Every signature before the approving one, in order."""
    for step in chains.chain(permit.kind):
        if step.approves:
            return
        ok(sign(client, permit, step=step.key), 201)


def approve(client, permit, level="plant_head", **fields):
    return sign(client, permit, level=level, latitude="36.5", longitude="116.8", accuracy_m=12, **fields)


def to_in_progress(client, permit):
    prepare(client, permit)
    sign_until_approval(client, permit)
    ok(approve(client, permit), 201)
    if any(s.shift_check for s in chains.chain(permit.kind)):
        ok(sign(client, permit), 201)
    ok(client.post(url(permit, "start"), {}, format="json"))
    return SpecialOperationPermit.objects.get(pk=permit.pk)
