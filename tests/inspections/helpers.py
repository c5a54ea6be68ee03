"""Start, mark and finish inspections through the services, and real photos to upload."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shouye.inspections import services
from shouye.inspections.choices import ItemResult
from shouye.inspections.models import Checklist


def jpeg(name: str = "photo.jpg", size=(64, 48), color=(200, 30, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def start(actor, enterprise, *, kind="routine", checklist="gas-station", inspectors=None, experts=(), **extra):
    return services.start_inspection(
        actor=actor, enterprise=enterprise, kind=kind, inspected_at=timezone.now() - timedelta(hours=1),
        inspectors=[actor] if inspectors is None else inspectors, experts=experts,
        checklist=Checklist.objects.get(code=checklist) if checklist else None, **extra)


def mark(actor, inspection, non_compliant=(), result=ItemResult.COMPLIANT, **findings):
    """Mark every item: the orders in ``non_compliant`` as non-compliant, the rest as ``result``."""
    rows = [{"item": item.pk, "result": ItemResult.NON_COMPLIANT if item.order in non_compliant else result,
             "finding": findings.get(f"finding_{item.order}", "")}
            for item in inspection.items.all()]
    return services.record_results(actor=actor, inspection=inspection, results=rows)


def finished(actor, enterprise, non_compliant=(2, 5), **kwargs):
    inspection = start(actor, enterprise, **kwargs)
    mark(actor, inspection, non_compliant)
    return services.finish_inspection(actor=actor, inspection=inspection)
