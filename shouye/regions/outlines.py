"""Approximate township outlines (示意边界，非精确), drawn by the one map (一张图, issue 10) as labelled areas when
no basemap tile server is configured, so that a map on a closed intranet is not a grey square.

Each district whose outlines ship with the code has ``outlines/<district code>.geojson``: a FeatureCollection of
polygons keyed by township code, every feature marked ``approximate: true``. The demo district's (370113 长清区)
are nearest-centre cells around the townships' approximate centres, clipped to a hand-drawn outline of the
district: good enough to orient a reader, never to decide which township a place belongs to (that is the
enterprise's registered township)."""

import json
from functools import lru_cache
from pathlib import Path

from .choices import RegionLevel
from .models import Region

OUTLINES = Path(__file__).resolve().parent / "outlines"


@lru_cache(maxsize=8)
def _shipped(district_code: str) -> tuple[dict, ...]:
    path = OUTLINES / f"{district_code}.geojson"
    if not path.is_file():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8"))["features"])


def township_outlines() -> dict:
    """The outlines of the townships in the database, named as the database names them, in one query: a
    GeoJSON FeatureCollection (empty when no outline ships for the district). Not scoped: where the
    townships lie is no secret, and an officer reads the map better with the neighbours drawn."""
    townships = dict(Region.objects.filter(level=RegionLevel.TOWNSHIP)
                     .values_list("code", "name"))
    districts = sorted({code[:6] for code in townships})
    features = []
    for district in districts:
        for feature in _shipped(district):
            code = feature["properties"]["code"]
            if code in townships:
                features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
                    "code": code, "name": townships[code], "approximate": True,
                    "label_point": feature["properties"]["label_point"]}})
    return {"type": "FeatureCollection", "approximate": True, "features": features}
