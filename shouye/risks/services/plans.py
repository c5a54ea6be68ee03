"""The enterprise's plant plan (厂区平面图) and the zones drawn on it, from which the four-colour risk map
(四色分布图, REGULATIONS-2 §A.4; issue 11 "Floor plan and four-colour map") is coloured.

Every act is one keyword-only function and one transaction: it checks scope (404) and the permission to keep
the risk list (403), validates its input (400, a message naming what to fix), saves and writes one audit event.
A refused act changes nothing."""

from __future__ import annotations

import io
import math
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from shouye.audit import services as audit
from shouye.enterprises.models import Enterprise
from shouye.regions.scoping import ensure_in_scope

from ..models import FloorPlan, PlanZone, RiskPoint

MANAGE = "risks.manage_risk_list"
#: Largest plan file accepted (an image or a PDF): a scanned A0 drawing is a few MB; more is not a plan.
PLAN_MAX_BYTES = 30 * 2**20
#: Longest side of a stored plan, in pixels: enough to read a plant drawing zoomed in, small enough for a
#: phone to draw. A larger image is scaled down to it (its zones are drawn on the stored one).
MAX_SIDE = 8000
#: Pixels decoded at most before scaling (a small compressed file can decode to gigabytes).
MAX_PIXELS = 120_000_000
#: Resolution a PDF page is rendered at, before the cap of MAX_SIDE: a drawing's lines stay legible.
PDF_DPI = 200
#: Points of a zone's outline: a triangle at least; 200 outline any building on a plan.
MIN_POINTS, MAX_POINTS = 3, 200
ALLOWED_IMAGES = {"PNG": "png", "JPEG": "jpg"}
#: Rows of each kind a refused deletion names; the rest are counted.
NAMED = 20


def _name(upload) -> str:
    return PurePath(getattr(upload, "name", "") or _("unnamed file")).name


def _scaled(image: Image.Image) -> Image.Image:
    if max(image.size) <= MAX_SIDE:
        return image
    image = image.copy()
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    """The stored file: a photo or scan stays JPEG, a drawing (PNG or a PDF page) PNG. Not "optimised": that
    doubles the time of a large plan for a quarter of its size."""
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=90)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def _from_pdf(data: bytes, name: str, page: int) -> Image.Image:
    """One page of a PDF rendered to an image (pypdfium2) at :data:`PDF_DPI`, its longest side at most
    :data:`MAX_SIDE`. An encrypted, damaged or too short PDF is refused naming the file."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ValidationError({"file": _("%(name)s is encrypted. Save it without a password and upload it "
                                             "again.") % {"name": name}}) from exc
        raise ValidationError({"file": _("%(name)s is not a readable PDF.") % {"name": name}}) from exc
    try:
        count = len(document)
        if not 1 <= page <= count:
            raise ValidationError({"page": _("%(name)s has %(count)d pages: choose a page from 1 to %(count)d.")
                                   % {"name": name, "count": count}})
        pdf_page = document[page - 1]
        width, height = pdf_page.get_size()
        if width <= 0 or height <= 0:
            raise ValidationError({"file": _("%(name)s is not a readable PDF.") % {"name": name}})
        scale = min(PDF_DPI / 72, MAX_SIDE / max(width, height))
        try:
            return pdf_page.render(scale=scale).to_pil().convert("RGB")
        except pdfium.PdfiumError as exc:
            raise ValidationError({"file": _("%(name)s is not a readable PDF.") % {"name": name}}) from exc
    finally:
        document.close()


def _from_image(data: bytes, name: str) -> tuple[Image.Image, str]:
    refused = ValidationError({"file": _("%(name)s is not a PNG or JPEG image or a PDF.") % {"name": name}})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            detected = probe.format
            size = probe.size
            probe.verify()
        if detected not in ALLOWED_IMAGES:
            raise refused
        if size[0] * size[1] > MAX_PIXELS:
            raise ValidationError({"file": _("%(name)s has too many pixels: scale it to at most %(side)d px on "
                                             "its longest side.") % {"name": name, "side": MAX_SIDE}})
        image = Image.open(io.BytesIO(data))
        image = ImageOps.exif_transpose(image)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise refused from exc
    return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"), detected


def check_plan_file(upload, page: int = 1) -> tuple[ContentFile, int, int]:
    """The plan as it is stored: the uploaded image (recognised by its content, upright, at most
    :data:`MAX_SIDE` px, JPEG or PNG as it came) or page ``page`` of an uploaded PDF as a PNG, with its width
    and height."""
    name = _name(upload)
    if upload.size > PLAN_MAX_BYTES:
        raise ValidationError({"file": _("%(name)s is larger than %(limit)d MB.")
                               % {"name": name, "limit": PLAN_MAX_BYTES // 2**20}})
    data = upload.read()
    image, fmt = (_from_pdf(data, name, page), "PNG") if data[:5] == b"%PDF-" else _from_image(data, name)
    image = _scaled(image)
    stem = PurePath(name).stem[:60] or "plan"
    return ContentFile(_encode(image, fmt), name=f"{stem}.{ALLOWED_IMAGES[fmt]}"), image.width, image.height


def _ensure_may_manage(actor) -> None:
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))


def upload_floor_plan(*, actor, enterprise, title: str, upload, page: int = 1) -> FloorPlan:
    """A new plan of the enterprise becomes its current one; the earlier plans are kept with their zones
    (a risk point stays placed where it was drawn until it is placed on the new plan)."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the plan a title.")})
    with transaction.atomic():
        ensure_in_scope(actor, enterprise)
        _ensure_may_manage(actor)
        content, width, height = check_plan_file(upload, page)
        # One current plan: two uploads for the same enterprise take their turns.
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        FloorPlan.objects.filter(enterprise=enterprise, is_current=True).update(is_current=False)
        plan = FloorPlan(title=title, width=width, height=height, is_current=True, uploaded_by=actor)
        plan.stamp_from(enterprise)
        plan.image.save(content.name, content, save=False)
        plan.full_clean()
        plan.save()
        audit.record(actor=actor, verb="risks.floor_plan.upload", target=plan,
                     changes={"title": title, "width": width, "height": height, "page": page,
                              "enterprise": enterprise.pk})
    return plan


def validate_polygon(polygon, width: int, height: int) -> list[list[float]]:
    """The outline as ``[[x, y], …]`` in the plan's pixels: :data:`MIN_POINTS`–:data:`MAX_POINTS` pairs of
    finite numbers, each inside the image. Coordinates are rounded to a tenth of a pixel."""
    if not isinstance(polygon, list | tuple):
        raise ValidationError({"polygon": _("The outline must be a list of points [x, y].")})
    if not MIN_POINTS <= len(polygon) <= MAX_POINTS:
        raise ValidationError({"polygon": _("A zone's outline has %(min)d to %(max)d points; this one has "
                                            "%(count)d.") % {"min": MIN_POINTS, "max": MAX_POINTS,
                                                             "count": len(polygon)}})
    points = []
    for n, point in enumerate(polygon, start=1):
        if (not isinstance(point, list | tuple) or len(point) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                           for v in point)):
            raise ValidationError({"polygon": _("Point %(n)d is not a pair of numbers [x, y].") % {"n": n}})
        x, y = point
        if not (0 <= x <= width and 0 <= y <= height):
            raise ValidationError({"polygon": _("Point %(n)d (%(x)s, %(y)s) lies outside the plan, which is "
                                                "%(width)d × %(height)d px.")
                                   % {"n": n, "x": x, "y": y, "width": width, "height": height}})
        points.append([round(float(x), 1), round(float(y), 1)])
    if len({tuple(p) for p in points}) < MIN_POINTS:
        raise ValidationError({"polygon": _("A zone's outline needs at least %(min)d different points.")
                               % {"min": MIN_POINTS}})
    return points


def _clean_name(name) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the zone a name.")})
    if len(name) > PlanZone._meta.get_field("name").max_length:
        raise ValidationError({"name": _("A zone's name has at most %(max)d characters.")
                               % {"max": PlanZone._meta.get_field("name").max_length}})
    return name


def _place(actor, zone: PlanZone, risk_points) -> list[int]:
    """Place exactly ``risk_points`` (of the plan's enterprise, in the actor's scope) in ``zone``; points
    placed there before and not given are taken out. Answers the ids placed."""
    chosen = list(risk_points)
    ids = {point.pk for point in chosen}
    visible = RiskPoint.objects.visible_to(actor)
    foreign = [str(point) for point in chosen if point.enterprise_id != zone.plan.enterprise_id]
    if foreign or visible.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"risk_points": _("These risk points are not of this plan's enterprise: %(names)s.")
                               % {"names": "、".join(foreign) or "—"}})
    visible.filter(zone=zone).exclude(pk__in=ids).update(zone=None)
    visible.filter(pk__in=ids).update(zone=zone)
    return sorted(ids)


def _locked_plan(actor, plan: FloorPlan) -> FloorPlan:
    plan = FloorPlan.objects.select_for_update().get(pk=plan.pk)
    ensure_in_scope(actor, plan)
    _ensure_may_manage(actor)
    return plan


def _locked_zone(actor, zone: PlanZone) -> PlanZone:
    zone = PlanZone.objects.select_for_update().select_related("plan").get(pk=zone.pk)
    ensure_in_scope(actor, zone)
    _ensure_may_manage(actor)
    return zone


def create_zone(*, actor, plan: FloorPlan, name: str, polygon, risk_points=None) -> PlanZone:
    """A zone drawn on ``plan``; ``risk_points`` (when given) are placed in it."""
    with transaction.atomic():
        plan = _locked_plan(actor, plan)
        zone = PlanZone(plan=plan, name=_clean_name(name), polygon=validate_polygon(polygon, plan.width, plan.height))
        zone.save()
        placed = _place(actor, zone, risk_points) if risk_points is not None else []
        audit.record(actor=actor, verb="risks.plan_zone.create", target=zone,
                     changes={"plan": plan.pk, "name": zone.name, "points": len(zone.polygon),
                              "risk_points": placed})
    return zone


def update_zone(*, actor, zone: PlanZone, name=None, polygon=None, risk_points=None) -> PlanZone:
    """Rename a zone, redraw its outline, or place risk points in it (each only when given)."""
    with transaction.atomic():
        zone = _locked_zone(actor, zone)
        changes = {}
        if name is not None and _clean_name(name) != zone.name:
            changes["name"] = [zone.name, _clean_name(name)]
            zone.name = _clean_name(name)
        if polygon is not None:
            zone.polygon = validate_polygon(polygon, zone.plan.width, zone.plan.height)
            changes["points"] = len(zone.polygon)
        zone.save()
        if risk_points is not None:
            changes["risk_points"] = _place(actor, zone, risk_points)
        audit.record(actor=actor, verb="risks.plan_zone.update", target=zone, changes=changes)
    return zone


def placed_in(zone: PlanZone) -> list[str]:
    """What is placed in ``zone``, named: every row of any model whose foreign key points at the zone (risk
    points; a high-risk work area of the workareas app …), found through the zone's reverse relations so that
    an app added later is counted without editing this one."""
    names = []
    for relation in PlanZone._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        rows = relation.related_model._default_manager.filter(**{relation.field.name: zone})
        kind = relation.related_model._meta.verbose_name
        names += [f"{kind}“{row}”" for row in rows[:NAMED]]
        extra = rows.count() - NAMED
        if extra > 0:
            names.append(_("%(count)d more %(kind)s") % {"count": extra, "kind": kind})
    return names


def delete_zone(*, actor, zone: PlanZone) -> None:
    """Delete a zone; refused while anything is placed in it, naming what (take it out first)."""
    with transaction.atomic():
        zone = _locked_zone(actor, zone)
        placed = placed_in(zone)
        if placed:
            raise ValidationError(_("%(zone)s cannot be deleted while these are placed in it: %(names)s. Place "
                                    "them in another zone or take them out first.")
                                  % {"zone": zone.name, "names": "、".join(placed)})
        audit.record(actor=actor, verb="risks.plan_zone.delete", target=zone,
                     changes={"plan": zone.plan_id, "name": zone.name})
        zone.delete()

