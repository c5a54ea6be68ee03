"""Uploaded photos, served only to those who may see what they belong to (ARCHITECTURE.md §5).

Every file under MEDIA_URL comes through :func:`serve`: the user must be signed in, hold the owner's view
permission and see a row that holds the file (the owners are registered by their apps in
``shouye.core.registry.media_owners``; one stored file may be held by rows of several owners, as a hazard's
before-photo shares an inspection's or a tip-off's file, ``shouye.core.attachments``); anything else —
another township's photo, an enforcement document or an export (which have download views of their own), a
name that is not stored — answers 404. In production Django only decides and nginx sends the file
(``SHOUYE_MEDIA_ACCEL_REDIRECT``, README)."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from .registry import media_owners


def may_see(user, name: str) -> bool:
    """Whether ``user`` may see the stored file ``name`` through any row that holds it: one indexed query per
    owner whose permission the user holds, the owner of the file's folder first (the usual holder), then the
    others (which hold it when they share it)."""
    for owner in sorted(media_owners.owners, key=lambda owner: not name.startswith(owner.prefix)):
        if not user.has_perm(owner.permission):
            continue
        stored_here = Q()
        for field_name in owner.fields:
            stored_here |= Q(**{field_name: name})
        if owner.model.objects.visible_to(user).filter(stored_here).exists():
            return True
    return False


@require_safe
@login_required
def serve(request, name: str):
    if ".." in name.split("/") or not may_see(request.user, name):
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if settings.SHOUYE_MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type, headers=headers)
        response["X-Accel-Redirect"] = settings.SHOUYE_MEDIA_ACCEL_REDIRECT + quote(name)
        return response
    if not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), content_type=content_type, headers=headers)
