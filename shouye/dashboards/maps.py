"""The one map (一张图, issue 10): the district with the layers the apps register (``shouye.core.registry.
map_layers``), each read from its own JSON endpoint within the user's scope and the page's filters.

The map is for those who supervise an area or industries — the bureau, its leaders, township and department
officers. An enterprise user and an expert, whose scope is the enterprises they belong to, see their own
enterprise's location on its ledger page instead."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from shouye.core.registry import MapFilters, MapLayer
from shouye.enterprises.selectors import filter_choices, reference_codes
from shouye.regions.scoping import scope_for

#: The most points one layer answers at once: about 2 MB of GeoJSON, which a phone on a township's network
#: still loads and Leaflet.markercluster still clusters in well under a second. Beyond it the answer says so and
#: asks for a township or an industry (a district has 100,000 enterprises at most, its townships a tenth each).
MAX_POINTS = 20_000

#: The id put in a layer's URL and replaced by ``{id}``: the popup builds each point's link from the one template.
_PLACEHOLDER = 987654321

FILTERS = ("township", "industry")


def sees_the_map(user) -> bool:
    """Whether the user supervises an area or industries: a district-wide role, a township or a department."""
    scope = scope_for(user)
    return scope.everything or bool(scope.region_ids or scope.industry_ids)


def ensure_sees_the_map(user) -> None:
    if not sees_the_map(user):
        raise PermissionDenied(_("The map is for the bureau and the township and department officers."))


def map_choices(user, reference=None) -> dict[str, list[tuple[str, str]]]:
    """The township and industry choices of the filter bar, within the user's scope, as (code, label)."""
    choices = filter_choices(user, reference)
    return {kind: choices[kind] for kind in FILTERS}


def parse_filters(user, params) -> tuple[MapFilters, dict[str, list[str]]]:
    """The filters of a layer request (codes, as the filter bar sends them) and the errors by field: a code
    that is not one of the user's choices is refused, never ignored (ARCHITECTURE.md §10)."""
    given = {name: params.get(name, "").strip() for name in FILTERS}
    if not any(given.values()):
        return MapFilters(), {}
    reference = reference_codes()
    offered = map_choices(user, reference)
    ids = {kind: {code: pk for pk, code, _label in reference[kind]} for kind in FILTERS}
    errors, values = {}, {}
    for name, code in given.items():
        if not code:
            continue
        if code not in {value for value, _label in offered[name]}:
            message = (_("Unknown township or not one you may see: %(code)s.") if name == "township"
                       else _("Unknown industry or not one you may see: %(code)s."))
            errors[name] = [message % {"code": code}]
        else:
            values[f"{name}_id"] = ids[name][code]
    return MapFilters(**values), errors


def link_template(layer: MapLayer) -> str:
    """The URL of a point's page with ``{id}`` in place of its id."""
    return reverse(layer.url_name, kwargs={"pk": _PLACEHOLDER}).replace(str(_PLACEHOLDER), "{id}")


def feature_collection(layer: MapLayer, user, filters: MapFilters) -> dict:
    """A layer as GeoJSON: at most :data:`MAX_POINTS` points with the properties the popup and the legend need,
    the link template, and whether the answer was cut (with the message the page shows)."""
    points = layer.points(user, filters, MAX_POINTS + 1)
    truncated = len(points) > MAX_POINTS
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.lng, point.lat]},
                 "properties": {"id": point.id, "name": point.name, "class": point.css_class,
                                "detail": point.detail}}
                for point in points[:MAX_POINTS]]
    collection = {"type": "FeatureCollection", "layer": layer.key, "link": link_template(layer),
                  "truncated": truncated, "features": features}
    if truncated:
        collection["message"] = _("%(layer)s: only the first %(count)s points are shown. Choose a township or an "
                                  "industry to see them all.") % {"layer": layer.label, "count": f"{MAX_POINTS:,}"}
    return collection
