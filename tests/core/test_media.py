"""Uploaded photos are served only to those who may see what they belong to: a hazard's photo to users who
see the hazard, a tip-off's to those who triage tip-offs, an inspection's to those who see the inspection.
Files with download views of their own (documents, exports, imports) and unknown names answer 404."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from shouye.enterprises.models import ImportJob
from shouye.hazards import services
from shouye.hazards.models import TipOff
from shouye.inspections.models import Inspection, InspectionPhoto
from tests.hazards.conftest import image_bytes, photo

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reported_photo(cast, enterprise):
    hazard = services.report_hazard(actor=cast["users"]["bureau_staff"], enterprise=enterprise,
                                    description="配电箱未接地", source="inspection", photos=[photo("配电箱.jpg")])
    return hazard.photos.get()


def test_a_hazard_photo_for_those_who_see_the_hazard(cast):
    inside, outside = reported_photo(cast, cast["inside"]), reported_photo(cast, cast["outside"])
    officer = signed_in(cast["users"]["township_officer"])
    for name in (inside.image.name, inside.thumbnail.name):
        response = officer.get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert officer.get(f"/media/{outside.image.name}").status_code == 404
    assert officer.get(f"/media/{outside.thumbnail.name}").status_code == 404
    assert signed_in(cast["users"]["enterprise_user"]).get(f"/media/{outside.image.name}").status_code == 404
    assert signed_in(cast["users"]["nobody"]).get(f"/media/{inside.image.name}").status_code == 404
    assert signed_in(cast["users"]["bureau_staff"]).get(f"/media/{outside.image.name}").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(cast):
    inside = reported_photo(cast, cast["inside"])
    response = Client().get(f"/media/{inside.image.name}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_tip_off_photo_only_for_those_who_triage(cast):
    tip_off = TipOff(enterprise_name="某加油站", township=cast["inside"].township, description="夜间违规卸油")
    tip_off.photo.save("现场.png", ContentFile(image_bytes("PNG")), save=False)
    tip_off.save()
    url = f"/media/{tip_off.photo.name}"
    response = signed_in(cast["users"]["bureau_staff"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert signed_in(cast["users"]["enterprise_user"]).get(url).status_code == 404


def inspection_photo(staff, enterprise) -> InspectionPhoto:
    """A photo of a new inspection of ``enterprise``, stored as the inspection app stores one."""
    inspection = Inspection.objects.create(kind="routine", enterprise=enterprise, township_id=enterprise.township_id,
                                           industry_id=enterprise.industry_id, inspected_at=timezone.now(),
                                           created_by=staff)
    row = InspectionPhoto(inspection=inspection, uploaded_by=staff)
    row.image.save("现场.jpg", ContentFile(image_bytes()), save=False)
    row.thumbnail.save("现场-thumb.jpg", ContentFile(image_bytes()), save=False)
    row.save()
    return row


def test_an_inspection_photo_for_those_who_see_the_inspection(cast):
    staff = cast["users"]["bureau_staff"]
    urls = {key: f"/media/{inspection_photo(staff, cast[key]).thumbnail.name}" for key in ("inside", "building")}
    officer = signed_in(cast["users"]["township_officer"])
    assert officer.get(urls["inside"]).status_code == 200
    assert officer.get(urls["building"]).status_code == 404


def test_files_with_their_own_download_view_and_unknown_names_answer_404(cast):
    staff = cast["users"]["bureau_staff"]
    job = ImportJob(created_by=staff, original_name="企业.xlsx")
    job.file.save("企业.xlsx", ContentFile(b"PK personal data"), save=False)
    job.save()
    client = signed_in(staff)
    inside = reported_photo(cast, cast["inside"])
    assert client.get(f"/media/{job.file.name}").status_code == 404
    assert client.get("/media/hazards/2026/01/none.jpg").status_code == 404
    assert client.get(f"/media/hazards/../{job.file.name}").status_code == 404
    assert client.post(f"/media/{inside.image.name}").status_code == 405


def test_in_production_nginx_sends_the_file(cast, settings):
    settings.SHOUYE_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    inside = reported_photo(cast, cast["inside"])
    response = signed_in(cast["users"]["township_officer"]).get(f"/media/{inside.image.name}")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/protected-media/hazards/")
    assert response.content == b""


def test_a_shared_photo_for_those_who_see_any_row_that_holds_it(cast):
    """Triage makes the tip-off's photo the hazard's before-photo by naming the same stored file: the
    enterprise user, who sees no tip-off, fetches it once it sees the hazard; users who see neither get 404."""
    tip_off = TipOff(enterprise_name="某加油站", township=cast["inside"].township, description="夜间违规卸油")
    tip_off.photo.save("现场.png", ContentFile(image_bytes("PNG")), save=False)
    tip_off.save()
    url = f"/media/{tip_off.photo.name}"
    enterprise_user = signed_in(cast["users"]["enterprise_user"])
    assert enterprise_user.get(url).status_code == 404
    services.triage_tip_off(actor=cast["users"]["bureau_staff"], tip_off=tip_off, accept=True,
                            enterprise=cast["inside"], description="加油站夜间违规卸油")
    tip_off.refresh_from_db()
    shared = tip_off.hazard.photos.get()
    assert shared.image.name == tip_off.photo.name
    response = enterprise_user.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert enterprise_user.get(f"/media/{shared.thumbnail.name}").status_code == 200
    for role in ("department_officer", "nobody"):
        assert signed_in(cast["users"][role]).get(url).status_code == 404
