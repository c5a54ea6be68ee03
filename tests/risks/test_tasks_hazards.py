"""The hazards app's side of issue 11: the source "control measure failed" only from an investigation task,
and the kind of investigation shown on the ledger, its Excel and the API."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.hazards import services
from shouye.hazards.choices import HazardSource, InvestigationType
from shouye.hazards.models import Hazard
from tests.conftest import api_as


@pytest.fixture
def failed(cast):
    enterprise = cast["inside"]
    return Hazard.objects.create(enterprise=enterprise, township=enterprise.township, industry=enterprise.industry,
                                 description="液位计失灵", source=HazardSource.MEASURE_FAILED,
                                 investigation_type=InvestigationType.SEASONAL, found_at=timezone.now())


@pytest.mark.parametrize("role", ["enterprise_user", "bureau_staff"])
def test_nobody_reports_a_failed_measure_by_hand(cast, role):
    with pytest.raises(ValidationError) as refused:
        services.report_hazard(actor=cast["users"][role], enterprise=cast["inside"], description="x",
                               source=HazardSource.MEASURE_FAILED)
    assert "source" in refused.value.message_dict
    assert not Hazard.objects.exists()
    form = api_as(cast["users"][role]).post(reverse("hazard-list"), {
        "enterprise": cast["inside"].pk, "description": "x", "source": "measure_failed"}, format="json")
    assert form.status_code == 400 and not Hazard.objects.exists()


def test_report_from_investigation_needs_the_permission_to_investigate(cast):
    with pytest.raises(PermissionDenied):
        services.report_from_investigation(actor=cast["users"]["township_officer"], enterprise=cast["inside"],
                                           description="x", investigation_type="routine")
    assert not Hazard.objects.exists()


def test_the_ledger_page_excel_and_api_show_the_kind_of_investigation(cast, failed, client):
    client.force_login(cast["users"]["bureau_staff"])
    page = client.get(reverse("hazards:list")).content.decode()
    assert "管控措施失效 · 季节性排查" in page
    response = client.get(reverse("hazards:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "管控措施失效（季节性排查）" in [cell.value for cell in sheet[2]]
    row = api_as(cast["users"]["bureau_staff"]).get(reverse("hazard-list")).json()["results"][0]
    assert (row["source"], row["investigation_type"]) == ("measure_failed", "seasonal")
    detail = client.get(reverse("hazards:detail", kwargs={"pk": failed.pk})).content.decode()
    assert "管控措施失效 · 季节性排查" in detail
