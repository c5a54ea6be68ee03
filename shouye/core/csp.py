"""The Content-Security-Policy of every response (issue 9, defect 12).

A page may load scripts, styles, fonts and images only from the site itself, and images from the map tile
server of ``SHOUYE_MAP_TILE_URL``. Nothing inline runs or applies: the templates hold no ``<script>``
without ``src``, no event-handler attribute (``onclick=``, ``hx-on:``) and no ``style`` attribute or element
(``tests/core/test_csp.py`` reads every one), so the policy needs neither nonces nor ``'unsafe-inline'``,
and an injected ``<script>`` or ``onerror=`` does nothing. ``data:`` images are allowed because Bootstrap's
stylesheet draws its small icons (select arrows, check marks, the close button) as ``data:`` SVGs."""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

#: Statuses of Django's own error pages, which carry inline styles and scripts when DEBUG is on.
DEBUG_PAGE_STATUSES = frozenset({404, 500})


def tile_source(url: str) -> str | None:
    """The CSP source of a Leaflet tile URL template (``https://{s}.tiles.example/{z}/{x}/{y}.png``): its
    scheme, host and port, the ``{s}`` subdomain as ``*``. None when there are no tiles, or they come
    from the site itself (a relative URL)."""
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    labels = parts.netloc.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    host = ".".join(labels)
    return f"{parts.scheme}://{host}" if parts.scheme else host


@lru_cache(maxsize=8)
def policy(tile_url: str) -> str:
    """The header's value for a given tile URL (settings can change in tests, so it is the cache key)."""
    images = ["'self'", "data:"]
    tiles = tile_source(tile_url)
    if tiles:
        images.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sets the header on every response, the API's and static files' included (it sits above WhiteNoise).
    With DEBUG on, Django's technical 404 and 500 pages are left without it, so a developer can read them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (settings.DEBUG and response.status_code in DEBUG_PAGE_STATUSES
                and response.get("Content-Type", "").startswith("text/html")):
            return response
        response["Content-Security-Policy"] = policy(settings.SHOUYE_MAP_TILE_URL)
        return response
