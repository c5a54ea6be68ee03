"""The registry behind the generic scope test (ARCHITECTURE.md §5, issue 2).

``tests/core/test_scope.py`` walks every URL pattern of the project. Each route is classified here:

- automatically, from the view: a DRF viewset (``view.cls.queryset.model``, its actions tell list, detail,
  update and object actions apart) or a Django class-based view (``view.view_class.model``);
- otherwise by its URL name in :data:`ROUTES` (function views, plain API views, collection actions).

Every model that a route reaches must be in :data:`MODELS`: either with a :class:`ScopeCase` that builds, for
each role of the cast, objects inside and outside that role's scope, or explicitly as :data:`UNSCOPED`
(public reference data every signed-in user may read). A route or model that is in neither fails the scope
test with a message saying what to add here, so a new route cannot be forgotten.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic import DetailView, ListView, UpdateView

from shouye.enterprises.models import Enterprise, ImportJob
from shouye.regions.models import Region

#: URL prefixes the scope test does not walk: Django's admin (read-mostly, staff only), static and media
#: files, the language switch, and the API schema and its docs (no objects).
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "^media/", "i18n/", "api/schema/", "api/docs/")

#: The roles of the cast (tests/conftest.py), plus a signed-in user without any membership.
ROLES = ("bureau_admin", "bureau_staff", "leader", "township_officer", "department_officer",
         "enterprise_user", "expert", "nobody")
DISTRICT_WIDE = frozenset({"bureau_admin", "bureau_staff", "leader"})

LIST = "list"          # lists objects: outside ones absent, inside ones present
PAGE = "page"          # any other page without an object id: outside objects absent
DETAIL = "detail"      # shows one object
UPDATE = "update"      # changes one object (GET shows the form; POST/PUT/PATCH write)
ACTION = "action"      # a POST action on one object

WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Objects:
    """For one role: objects it must see and objects it must not (empty for district-wide roles)."""

    inside: list[Any]
    outside: list[Any]


@dataclass(frozen=True)
class ScopeCase:
    """How to test one scoped model.

    ``objects(cast, role)`` returns the :class:`Objects` for a role; ``label(obj)`` a text unique to the
    object that every list showing it contains (its name); ``view_perm`` the permission that reading it
    needs; ``change_perm`` the one that changing it needs."""

    objects: Callable[[dict, str], Objects]
    label: Callable[[Any], str]
    view_perm: str
    change_perm: str


#: Reference data every signed-in user reads; registering a model here is a deliberate statement.
UNSCOPED = "unscoped"


@dataclass(frozen=True)
class RouteSpec:
    """How a route is tested. ``model`` is required for LIST and for object routes; ``methods`` are the
    HTTP methods the route answers (lower case)."""

    kind: str
    model: type | None = None
    methods: tuple[str, ...] = ("get",)
    lookup: str = "pk"
    name: str = ""
    path: str = ""
    kwargs: tuple[str, ...] = field(default_factory=tuple)


# --- the models -------------------------------------------------------------------------------------


def _enterprise_objects(cast: dict, role: str) -> Objects:
    """The cast: ``inside`` is a 马山镇 hazardous-chemicals enterprise (the township officer's township,
    the enterprise user's and the expert's own); ``building`` a 孝里街道 construction one (住建's industry);
    ``outside`` a 孝里街道 industry-and-trade one (nobody's but the bureau's)."""
    inside, building, outside = cast["inside"], cast["building"], cast["outside"]
    if role in DISTRICT_WIDE:
        return Objects(inside=[inside, building, outside], outside=[])
    if role == "department_officer":
        return Objects(inside=[building], outside=[inside, outside])
    if role == "nobody":
        return Objects(inside=[], outside=[inside, building, outside])
    return Objects(inside=[inside], outside=[building, outside])


def _import_job(user, label: str) -> ImportJob:
    job = ImportJob(created_by=user, original_name=label, total_rows=1)
    job.file.save(label, ContentFile(b"not read by the scope test"), save=False)
    job.save()
    return job


def _import_job_objects(cast: dict, role: str) -> Objects:
    """An import belongs to the user who uploaded it; another user's import (here the bureau staff's,
    which may hold enterprises of any township) is outside every role that does not see the district."""
    users = cast["users"]
    store = cast.setdefault("_import_jobs", {})
    if role not in store:
        store[role] = _import_job(users[role], f"scope-import-{role}.xlsx")
    if "_other" not in store:
        store["_other"] = _import_job(users["bureau_staff"], "scope-import-other.xlsx")
    if role in DISTRICT_WIDE:
        return Objects(inside=[store[role]], outside=[])
    return Objects(inside=[store[role]], outside=[store["_other"]])


MODELS: dict[type, ScopeCase | str] = {
    Enterprise: ScopeCase(objects=_enterprise_objects, label=lambda e: e.name,
                          view_perm="enterprises.view_enterprise", change_perm="enterprises.change_enterprise"),
    ImportJob: ScopeCase(objects=_import_job_objects, label=lambda j: j.original_name,
                         view_perm="enterprises.import_enterprise", change_perm="enterprises.import_enterprise"),
    Region: UNSCOPED,
}


# --- the routes the views cannot tell about themselves ----------------------------------------------

#: By URL name. Function views, plain API views and collection actions are classified here.
ROUTES: dict[str, RouteSpec] = {
    "core:home": RouteSpec(PAGE),
    "core:health": RouteSpec(PAGE),
    "accounts:login": RouteSpec(PAGE),
    "accounts:logout": RouteSpec(PAGE, methods=("post",)),
    "enterprises:create": RouteSpec(PAGE, methods=("get", "post")),
    "enterprises:export": RouteSpec(LIST, model=Enterprise),
    "enterprises:update": RouteSpec(UPDATE, model=Enterprise, methods=("get", "post")),
    "enterprises:import": RouteSpec(PAGE, methods=("get", "post")),
    "api-token": RouteSpec(PAGE, methods=("post",)),
    "api-me": RouteSpec(PAGE),
    "enterprise-export": RouteSpec(LIST, model=Enterprise),
}

HOW_TO_REGISTER = (
    "Register it in tests/scope_registry.py: add its URL name to ROUTES with its kind (LIST, PAGE, DETAIL, "
    "UPDATE or ACTION), its model and the HTTP methods it accepts; and add the model to MODELS with a "
    "ScopeCase (objects inside and outside each role's scope) or as UNSCOPED if it is public reference data."
)


class UnmappedRoute(Exception):
    pass


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str | None = None, groups=()):
    """Every URL pattern of the project as (full path, namespaced name, pattern, kwarg names)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        entry_groups = (*groups, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry, prefix + str(entry.pattern), child_ns, entry_groups)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry, tuple(g for g in entry_groups if g != "format")


def project_routes():
    """The routes the scope test walks (admin, static, i18n and the API schema and docs left out)."""
    for path, name, pattern, kwargs in walk():
        if path.startswith(SKIPPED_PREFIXES):
            continue
        if "format" in pattern.pattern.regex.groupindex:
            continue  # a format-suffix twin of a route walked anyway
        yield path, name, pattern, kwargs


def _viewset_spec(callback) -> RouteSpec | None:
    cls = getattr(callback, "cls", None)
    actions = getattr(callback, "actions", None)
    if cls is None or not actions:
        return None
    queryset = getattr(cls, "queryset", None)
    model = queryset.model if queryset is not None else None
    detail = getattr(callback, "initkwargs", {}).get("detail")
    names = set(actions.values())
    methods = tuple(sorted(actions))
    lookup = getattr(cls, "lookup_field", "pk")
    if "list" in names:
        return RouteSpec(LIST, model=model, methods=methods, lookup=lookup)
    if "retrieve" in names:
        kind = UPDATE if names & {"update", "partial_update", "destroy"} else DETAIL
        return RouteSpec(kind, model=model, methods=methods, lookup=lookup)
    if detail:
        return RouteSpec(ACTION, model=model, methods=methods, lookup=lookup)
    return None


def _class_view_spec(callback) -> RouteSpec | None:
    view_class = getattr(callback, "view_class", None)
    model = getattr(view_class, "model", None)
    if view_class is None or model is None:
        return None
    if issubclass(view_class, ListView):
        return RouteSpec(LIST, model=model)
    if issubclass(view_class, UpdateView):
        return RouteSpec(UPDATE, model=model, methods=("get", "post"))
    if issubclass(view_class, DetailView):
        return RouteSpec(DETAIL, model=model)
    return None


def classify(path: str, name: str, pattern: URLPattern, kwargs: tuple[str, ...]) -> RouteSpec:
    """The route's spec, from the registry first, then from its view. Raises :class:`UnmappedRoute`."""
    spec = ROUTES.get(name) or _viewset_spec(pattern.callback) or _class_view_spec(pattern.callback)
    if spec is None:
        raise UnmappedRoute(f"route {path!r} (name {name!r}) cannot be classified. {HOW_TO_REGISTER}")
    if kwargs and spec.kind in (LIST, PAGE):
        raise UnmappedRoute(f"route {path!r} (name {name!r}) takes {kwargs} but is registered as "
                            f"{spec.kind}. {HOW_TO_REGISTER}")
    if (kwargs or spec.kind == LIST) and spec.model is None:
        raise UnmappedRoute(f"route {path!r} (name {name!r}) names no model. {HOW_TO_REGISTER}")
    if spec.model is not None and spec.model not in MODELS:
        raise UnmappedRoute(f"route {path!r} (name {name!r}) reaches model {spec.model.__name__}, which is "
                            f"not in MODELS. {HOW_TO_REGISTER}")
    return RouteSpec(spec.kind, spec.model, spec.methods, spec.lookup, name, path, kwargs)


def classified_routes() -> tuple[list[RouteSpec], list[str]]:
    """(specs of every walked route, messages for the routes that could not be classified)."""
    specs, problems = [], []
    for path, name, pattern, kwargs in project_routes():
        try:
            specs.append(classify(path, name, pattern, kwargs))
        except UnmappedRoute as exc:
            problems.append(str(exc))
    return specs, problems


def response_text(response) -> str:
    """What a person would read in a response: the HTML or JSON text, or every cell of an xlsx."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in workbook.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text
