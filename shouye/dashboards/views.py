"""The one map's page and its JSON endpoints (ARCHITECTURE.md §1, "map layers"). Thin: the layers read through
their own scoped selectors; each endpoint answers in a fixed number of queries whatever the data size."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from shouye.core.registry import map_layers
from shouye.regions.outlines import township_outlines

from .maps import ensure_sees_the_map, feature_collection, map_choices, parse_filters


@login_required
@require_safe
def map_page(request):
    """The district map: filter bar, layer toggles with their legends, and the map itself, which fetches the
    township outlines and each layer that is on."""
    ensure_sees_the_map(request.user)
    layers = [{"layer": layer, "url": reverse(f"map:layer-{layer.key}")}
              for layer in map_layers.for_user(request.user)]
    return render(request, "dashboards/map.html", {
        "layers": layers,
        "choices": map_choices(request.user),
        "tile_url": settings.SHOUYE_MAP_TILE_URL,
    })


@login_required
@require_safe
def layer_data(request, key: str):
    """One layer as a GeoJSON FeatureCollection, within the user's scope and the filters (``township``,
    ``industry``: codes); an invalid filter answers 400 with the messages by field."""
    ensure_sees_the_map(request.user)
    layer = map_layers.layers.get(key)
    if layer is None:
        raise Http404
    if not layer.shown_to(request.user):
        raise PermissionDenied
    filters, errors = parse_filters(request.user, request.GET)
    if errors:
        return JsonResponse(errors, status=400)
    # Chinese names as UTF-8 (3 bytes a character) rather than \u escapes (6): a large layer is half the size.
    return JsonResponse(feature_collection(layer, request.user, filters), json_dumps_params={"ensure_ascii": False})


@login_required
@require_safe
def townships(request):
    """The townships' approximate outlines (示意边界，非精确) the map draws under the layers."""
    ensure_sees_the_map(request.user)
    return JsonResponse(township_outlines(), json_dumps_params={"ensure_ascii": False})
