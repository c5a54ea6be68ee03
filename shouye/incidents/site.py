"""The acts of the person on site (issue 14, "a phone view for the person on site"): report the position, which
moves the incident's point on the map, and add photos, which the incident's page and timeline show. The
situation itself is updated by :func:`shouye.incidents.services.update_situation`. Each act: one transaction
under the incident's row lock, scope and workflow checked, one timeline entry, one audit event."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.attachments import check_photos, save_photos

from .choices import EntryKind
from .models import Incident, IncidentPhoto, TimelineEntry
from .services import _lock


@transaction.atomic
def report_position(*, actor, incident: Incident, latitude: Decimal, longitude: Decimal,
                    note: str = "") -> Incident:
    """The position on site (from the phone's location or typed): the incident's point moves there."""
    incident = _lock(actor, incident, "position")
    if latitude is None or longitude is None:
        raise ValidationError({"longitude": _("Give both latitude and longitude.")})
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"latitude": _("This is not a position on Earth.")})
    old = [str(incident.latitude), str(incident.longitude)]
    incident.latitude, incident.longitude = latitude, longitude
    incident.save(update_fields=["latitude", "longitude"])
    text = _("Position on site: %(lat)s, %(lon)s") % {"lat": latitude, "lon": longitude}
    note = (note or "").strip()
    TimelineEntry.objects.create(incident=incident, author=actor, kind=EntryKind.POSITION, at=timezone.now(),
                                 text=f"{text}；{note}" if note else text)
    audit.record(actor=actor, verb="incident.position", target=incident, note=note,
                 changes={"latitude": [old[0], str(latitude)], "longitude": [old[1], str(longitude)]})
    return incident


@transaction.atomic
def add_photos(*, actor, incident: Incident, photos, caption: str = "") -> list[IncidentPhoto]:
    """Photos from the site, checked by content before anything is written (a file that is not a JPEG, PNG or
    WebP image is refused by name and nothing is stored), kept with a timeline entry that shows them."""
    incident = _lock(actor, incident, "photos")
    checked = check_photos(photos, required=True, required_message=_("Add at least one photo from the site."))
    caption = (caption or "").strip()
    text = _("%(count)s photo(s) from the site") % {"count": len(checked)}
    entry = TimelineEntry.objects.create(incident=incident, author=actor, kind=EntryKind.PHOTO, at=timezone.now(),
                                         text=f"{text}：{caption}" if caption else text)
    rows = save_photos(IncidentPhoto, {"incident": incident, "entry": entry}, checked, actor)
    audit.record(actor=actor, verb="incident.photos", target=incident, note=caption,
                 changes={"photos": [row.pk for row in rows]})
    return rows
