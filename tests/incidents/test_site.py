"""The on-site phone view (issue 14): the situation at a glance, the situation updated, photos added (a file that
is not an image refused with nothing stored), the position reported — from the page and the API, in a fixed
number of queries however many tasks and photos the incident has."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from shouye.audit.models import AuditEvent
from shouye.incidents import assignments, services, site
from shouye.incidents.models import IncidentPhoto, TimelineEntry
from tests.conftest import api_as

from .conftest import NOW, intake

pytestmark = pytest.mark.django_db


def png(name="现场.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def officer(cast):
    return cast["users"]["township_officer"]


def test_the_phone_view_shows_the_situation_and_offers_the_on_site_acts(client, officer, accident):
    client.force_login(officer)
    page = client.get(reverse("incidents:site", kwargs={"pk": accident.pk})).content.decode()
    assert 'data-testid="site-situation"' in page and 'data-clock="direct_report"' in page
    for act in ("situation", "photos", "position"):
        assert f'data-testid="act-{act}"' in page
    assert 'enctype="multipart/form-data"' in page and "data-locate" in page
    assert 'name="latitude"' in page and 'capture="environment"' in page


def test_the_phone_view_is_for_those_who_act_on_the_incident(client, cast, staff, accident):
    client.force_login(cast["users"]["department_officer"])
    assert client.get(reverse("incidents:site", kwargs={"pk": accident.pk})).status_code == 404
    read_only = services.report_incident(actor=staff, enterprise=cast["building"], **intake())
    assert client.get(reverse("incidents:detail", kwargs={"pk": read_only.pk})).status_code == 200
    assert client.get(reverse("incidents:site", kwargs={"pk": read_only.pk})).status_code == 403
    client.force_login(cast["users"]["leader"])
    assert client.get(reverse("incidents:site", kwargs={"pk": accident.pk})).status_code == 200


def test_the_situation_is_updated_from_the_phone_and_stays_there(client, officer, accident):
    client.force_login(officer)
    answer = client.post(reverse("incidents:site-situation", kwargs={"pk": accident.pk}),
                         {"situation-deaths": "1", "situation-note": "发现1名遇难者"})
    assert answer.status_code == 302 and answer.url == reverse("incidents:site", kwargs={"pk": accident.pk})
    accident.refresh_from_db()
    assert accident.deaths == 1
    refused = client.post(reverse("incidents:site-situation", kwargs={"pk": accident.pk}), {})
    assert refused.status_code == 400 and 'data-testid="site-situation"' in refused.content.decode()


def test_the_position_moves_the_incident_with_a_timeline_entry(client, officer, accident):
    client.force_login(officer)
    answer = client.post(reverse("incidents:site-position", kwargs={"pk": accident.pk}),
                         {"latitude": "36.556123", "longitude": "116.751234", "note": "厂区东门"})
    assert answer.status_code == 302
    accident.refresh_from_db()
    assert (accident.latitude, accident.longitude) == (Decimal("36.556123"), Decimal("116.751234"))
    entry = TimelineEntry.objects.get(incident=accident, kind="position")
    assert "36.556123" in entry.text and "厂区东门" in entry.text
    assert AuditEvent.objects.filter(verb="incident.position").count() == 1
    refused = client.post(reverse("incidents:site-position", kwargs={"pk": accident.pk}),
                          {"latitude": "91", "longitude": "116"})
    assert refused.status_code == 400
    accident.refresh_from_db()
    assert accident.latitude == Decimal("36.556123")


def test_the_position_through_the_api(cast, officer, accident):
    url = reverse("incident-position", kwargs={"pk": accident.pk})
    answer = api_as(officer).post(url, {"latitude": "36.5", "longitude": "116.7"}, format="json")
    assert answer.status_code == 200 and answer.json()["latitude"] == "36.500000"
    assert api_as(cast["users"]["department_officer"]).post(
        url, {"latitude": "36.5", "longitude": "116.7"}, format="json").status_code == 404


def test_photos_from_the_site_show_on_the_page_and_in_the_timeline(client, officer, staff, accident):
    client.force_login(officer)
    answer = client.post(reverse("incidents:site-photos", kwargs={"pk": accident.pk}),
                         {"photos-photos": [png(), png("二.png")], "photos-caption": "储罐区"})
    assert answer.status_code == 302
    photos = list(IncidentPhoto.objects.filter(incident=accident))
    assert len(photos) == 2 and photos[0].image.name.startswith("incidents/")
    entry = TimelineEntry.objects.get(incident=accident, kind="photo")
    assert {p.entry_id for p in photos} == {entry.pk} and "储罐区" in entry.text
    client.force_login(staff)
    page = client.get(reverse("incidents:detail", kwargs={"pk": accident.pk})).content.decode()
    assert page.count(photos[0].thumbnail.url) == 2  # beside the incident and in its timeline entry
    timeline = api_as(staff).get(reverse("incident-timeline", kwargs={"pk": accident.pk})).json()
    assert len(next(e for e in timeline if e["kind"] == "photo")["photos"]) == 2


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(officer, accident, settings):
    fake = SimpleUploadedFile("现场.jpg", b"not an image at all", content_type="image/jpeg")
    answer = api_as(officer).post(reverse("incident-photos", kwargs={"pk": accident.pk}),
                                  {"photos": [png(), fake]}, format="multipart")
    assert answer.status_code == 400 and "现场.jpg" in str(answer.json()["photos"])
    assert not IncidentPhoto.objects.exists() and not TimelineEntry.objects.filter(kind="photo").exists()
    media = settings.MEDIA_ROOT / "incidents"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_no_photo_at_all_is_refused(officer, accident):
    answer = api_as(officer).post(reverse("incident-photos", kwargs={"pk": accident.pk}), {"caption": "x"},
                                  format="multipart")
    assert answer.status_code == 400 and not IncidentPhoto.objects.exists()


def test_the_phone_view_takes_a_fixed_number_of_queries(client, officer, staff, accident, mashan):
    client.force_login(officer)
    url = reverse("incidents:site", kwargs={"pk": accident.pk})
    site.add_photos(actor=officer, incident=accident, photos=[png()])
    assignments.assign_task(actor=staff, incident=accident, text="警戒", due_at=NOW.replace(hour=23, minute=59),
                            township=mashan)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        site.add_photos(actor=officer, incident=accident, photos=[png()])
        assignments.assign_task(actor=staff, incident=accident, text="警戒", due_at=NOW.replace(hour=23, minute=59),
                                township=mashan)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert page.count('data-task-state="assigned"') == 5
