"""Gateways through the API and the pages (issue 13): registering, editing and taking one out of service, the ids
of its points for the binary payload, scope and audit."""

import pytest
from django.urls import reverse

from shouye.audit.models import AuditEvent
from shouye.major_hazards.models import MajorHazardInstallation
from shouye.monitoring.models import Gateway

from . import kit
from .kit_config import api_for, page_for

pytestmark = pytest.mark.django_db

GATEWAYS = "/api/v1/gateways/"


def test_an_enterprise_user_registers_a_gateway_and_its_code_is_unique(cast):
    client = api_for(cast, "enterprise_user")
    client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = {"enterprise": cast["inside"].pk, "code": "mashan-gw-01", "name": "罐区网关"}
    response = client.post(GATEWAYS, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["enterprise_name"] == cast["inside"].name and response.json()["point_count"] == 0
    assert AuditEvent.objects.filter(verb="monitoring.gateway.create").count() == 1
    again = client.post(GATEWAYS, body, format="json")
    assert again.status_code == 400 and "MQTT" in again.json()["code"][0]


def test_a_gateway_of_an_enterprise_out_of_scope_cannot_be_registered(cast):
    body = {"enterprise": cast["outside"].pk, "code": "gw-x", "name": "外部网关"}
    response = api_for(cast, "enterprise_user").post(GATEWAYS, body, format="json")
    assert response.status_code == 400 and "enterprise" in response.json()
    assert not Gateway.objects.exists()


def test_an_installation_of_another_enterprise_is_refused(cast):
    other = MajorHazardInstallation.objects.create(enterprise=cast["outside"], township=cast["outside"].township,
                                                   industry=cast["outside"].industry, name="外部罐区",
                                                   kind="tank_farm")
    body = {"enterprise": cast["inside"].pk, "code": "gw-y", "name": "网关", "installation": other.pk}
    assert api_for(cast, "bureau_admin").post(GATEWAYS, body, format="json").status_code == 400


def test_deactivating_a_gateway_takes_its_points_out_of_service(cast):
    gw = kit.gateway(cast["inside"])
    kit.point(gw, code="A")
    kit.point(gw, code="B")
    client = api_for(cast, "enterprise_user")
    assert client.get(f"{GATEWAYS}{gw.pk}/").json()["point_count"] == 2
    response = client.post(f"{GATEWAYS}{gw.pk}/deactivate/")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert response.json()["point_count"] == 0
    assert AuditEvent.objects.get(verb="monitoring.gateway.deactivate").changes == {"points_deactivated": 2}
    assert client.post(f"{GATEWAYS}{gw.pk}/deactivate/").status_code == 400
    refused = client.post("/api/v1/monitoring-points/", {
        "gateway": gw.pk, "code": "C", "name": "c", "kind": "flow", "unit": "m3/h", "range_min": 0,
        "range_max": 10}, format="json")
    assert refused.status_code == 400 and "gateway" in refused.json()


def test_the_gateway_gets_its_points_ids(cast):
    gw = kit.gateway(cast["inside"])
    b, a = kit.point(gw, code="B"), kit.point(gw, code="A")
    rows = api_for(cast, "enterprise_user").get(f"{GATEWAYS}{gw.pk}/points/").json()
    assert [(row["id"], row["code"]) for row in rows] == [(a.pk, "A"), (b.pk, "B")]


def test_scope_and_permissions(cast):
    mine, theirs = kit.gateway(cast["inside"], code="gw-in"), kit.gateway(cast["outside"], code="gw-out")
    enterprise = api_for(cast, "enterprise_user")
    assert [row["code"] for row in enterprise.get(GATEWAYS).json()["results"]] == ["gw-in"]
    assert enterprise.get(f"{GATEWAYS}{theirs.pk}/points/").status_code == 404
    assert enterprise.patch(f"{GATEWAYS}{theirs.pk}/", {"name": "x"}, format="json").status_code == 404
    township = api_for(cast, "township_officer")
    assert [row["code"] for row in township.get(GATEWAYS).json()["results"]] == ["gw-in"]
    assert township.patch(f"{GATEWAYS}{mine.pk}/", {"name": "x"}, format="json").status_code == 403
    assert api_for(cast, "nobody").get(GATEWAYS).status_code == 403


def test_the_pages_list_edit_and_deactivate(cast):
    gw = kit.gateway(cast["inside"], name="罐区网关")
    client = page_for(cast, "enterprise_user")
    assert "罐区网关" in client.get(reverse("monitoring:gateways")).content.decode()
    response = client.post(reverse("monitoring:gateway-update", args=[gw.pk]), {"code": gw.code, "name": "新名称"})
    assert response.status_code == 302
    gw.refresh_from_db()
    assert gw.name == "新名称"
    assert AuditEvent.objects.get(verb="monitoring.gateway.edit").changes == {"name": ["罐区网关", "新名称"]}
    client.post(reverse("monitoring:gateway-deactivate", args=[gw.pk]))
    gw.refresh_from_db()
    assert gw.is_active is False
    assert page_for(cast, "bureau_staff").get(reverse("monitoring:gateway-create")).status_code == 403
    created = client.post(reverse("monitoring:gateway-create"), {"enterprise": cast["inside"].pk, "code": "gw-new",
                                                                 "name": "新网关"})
    assert created.status_code == 302 and Gateway.objects.filter(code="gw-new").exists()
