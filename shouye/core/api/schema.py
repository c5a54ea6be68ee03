"""The OpenAPI schema tells the truth about every answer (issue 9 item 10), by one mechanism instead of a
hand-written list per view:

- **errors**: each operation documents the refusals it can give, derived from what the view declares —
  401 where a request is authenticated at all (a bad token is refused even where no sign-in is needed), 403
  where a permission beyond "signed in" is checked or a session's CSRF check applies, 404 on a route with an
  id and on a paginated list (a page that does not exist), 400 where a body or filters are read, 413 and 415
  where a body is, 409 on a workflow act, 429 where a throttle counts — plus what a handler declares with
  :func:`error_responses`. The bodies are the one error shape of :mod:`shouye.core.api.errors`.
- **nullable fields**: a read-only field that answers ``null`` — its source ends on a nullable column or
  relation, or falls back to ``default=None`` past an empty one — is declared nullable.

Schema generation also refuses (warns, and ``spectacular --fail-on-warn`` in the tests fails) what would
answer wrongly: a source through ``__str__`` (DRF does not call it: an empty relation answers
``"<method-wrapper '__str__' of NoneType object>"``), a source through an empty relation without a default
(DRF leaves the key out), and a writable slug field other than :class:`shouye.core.api.fields.SlugRelatedField`
(a NUL character in the text is a server error on PostgreSQL).
- **filters**: a collection GET action (an export, statistics) documents the filters of the view's FilterSet
  as the list does, derived by drf-spectacular's django-filter integration; an action that does not filter
  says so with ``filterset_class=None``.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.drainage import warn
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.fields import empty
from rest_framework.relations import ManyRelatedField
from rest_framework.serializers import ListSerializer, ModelSerializer

from .fields import SlugRelatedField

#: The statuses a handler may declare beyond those derived from its view.
DECLARABLE = frozenset({400, 401, 403, 404, 409, 413, 415, 429})

_DETAIL = {"type": "string", "description": "说明（请求的语言）What is wrong, in the request's language"}

#: The error bodies (see shouye.core.api.errors): a refusal with its reason, field messages, a refused transition.
COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "拒绝的原因 Why the request was refused.",
        "properties": {"detail": _DETAIL},
        "required": ["detail"],
    },
    "InvalidInput": {
        "type": "object",
        "description": "输入有误：按字段列出的说明（嵌套字段同样嵌套），不属于某个字段的在 non_field_errors；"
                       "无法读取的请求体在 detail。Invalid input: messages by field (nested as the input is), "
                       "those about no one field in non_field_errors; an unreadable body in detail.",
        "properties": {
            "detail": _DETAIL,
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
    },
    "Conflict": {
        "type": "object",
        "description": "当前状态不允许此操作 The object's current state does not allow the action.",
        "properties": {
            "detail": _DETAIL,
            "state": {"type": "string", "description": "当前状态 The current state"},
            "action": {"type": "string", "description": "被拒绝的操作 The refused action"},
            "allowed_actions": {"type": "array", "items": {"type": "string"},
                                "description": "当前状态允许的操作 The actions the current state allows"},
        },
        "required": ["detail", "state", "action", "allowed_actions"],
    },
}

RESPONSES = {
    400: ("InvalidInput", "输入有误 Invalid input: the messages say what to correct"),
    401: ("Error", "未登录或令牌无效 Not signed in, or the token is not valid"),
    403: ("Error", "无权操作 The user's role may not do this (or the session's CSRF check failed)"),
    404: ("Error", "不存在或不在辖区 Not found, or outside the user's jurisdiction"),
    409: ("Conflict", "当前状态不允许 Refused by the object's state: the state and the actions it allows"),
    413: ("Error", "请求过大 The request is too large"),
    415: ("Error", "不支持的请求体类型 The body's Content-Type is not one the operation reads"),
    429: ("Error", "请求过于频繁 Too many requests: retry after the seconds in Retry-After"),
}


def error_responses(*statuses: int):
    """Declare refusals a handler gives that its view does not show (a throttle or a permission checked in
    the handler's own code): ``@error_responses(429)``."""
    unknown = set(statuses) - DECLARABLE
    if unknown:
        raise ValueError(f"error_responses: no error shape for {sorted(unknown)}")

    def decorate(handler):
        handler.error_responses = frozenset(statuses)
        return handler
    return decorate


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema with the project's error responses, nullability and filters."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        declared = {int(code) for code in responses if code.isdigit()} & set(RESPONSES)
        for status in sorted(self.error_statuses(operation) | declared):
            name, description = RESPONSES[status]
            responses[str(status)] = {
                "content": {"application/json": {"schema": self._error_component(name)}},
                "description": responses.get(str(status), {}).get("description") or description,
            }
        return operation

    # --- errors ------------------------------------------------------------------------------------------

    def _handler(self):
        action = getattr(self.view, "action", None)
        return getattr(self.view, action or self.method.lower(), None)

    def error_statuses(self, operation: dict) -> set[int]:
        view = self.view
        statuses = set(getattr(self._handler(), "error_responses", ()))
        authenticators = view.get_authenticators()
        checks = view.get_permissions()
        unsafe = self.method not in permissions.SAFE_METHODS
        parameters = operation.get("parameters", [])
        if authenticators:
            statuses.add(401)
        if any(not isinstance(check, (permissions.AllowAny, permissions.IsAuthenticated)) for check in checks):
            statuses.add(403)
        if unsafe and any(isinstance(a, SessionAuthentication) for a in authenticators):
            statuses.add(403)
        if any(p["in"] == "path" for p in parameters) or (self._is_list_view() and self._get_paginator()):
            statuses.add(404)
        if "requestBody" in operation:
            statuses |= {400, 413, 415}
        if self._get_filter_parameters():
            statuses.add(400)
        if view.get_throttles():
            statuses.add(429)
        if unsafe and self._is_workflow_act():
            statuses |= {400, 403, 404, 409}
        return statuses

    def _is_workflow_act(self) -> bool:
        """An action of the view's action set (core.actions): refused by state with 409."""
        action_set = getattr(self.view, "action_set", None)
        url_path = getattr(self._handler(), "url_path", None)
        if action_set is None or url_path is None:
            return False
        return url_path in {act.api_path or act.name for act in action_set.actions.values()}

    def _error_component(self, name: str) -> dict:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=f"shouye-error-{name}",
                                      schema=COMPONENTS[name])
        self.registry.register_on_missing(component)
        return component.ref

    # --- nullable fields ---------------------------------------------------------------------------------

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        relation = getattr(field, "child_relation", field)
        if (isinstance(relation, serializers.SlugRelatedField) and not relation.read_only
                and not isinstance(relation, SlugRelatedField)):
            warn(f"{_field_label(field)} looks rows up by a text with DRF's SlugRelatedField: use "
                 f"shouye.core.api.fields.SlugRelatedField, which refuses what the database cannot compare.")
        if not getattr(field, "read_only", False) or not hasattr(field, "source_attrs"):
            return meta
        answer = _empty_answer(field)
        if answer == NULL:
            meta["nullable"] = True
        elif answer == OMITTED:
            warn(f"{_field_label(field)} leaves its key out of the answer when {field.source} has no object: "
                 f"give it default=None (it then answers null) or a default value.")
        elif answer == METHOD_TEXT:
            warn(f"{_field_label(field)} answers the text of a method (\"<method-wrapper ...>\") when "
                 f"{field.source} has no object: use serializers.StringRelatedField (on the relation, or with "
                 f"source=\"*\" for the object itself) instead.")
        return meta

    # --- filters -----------------------------------------------------------------------------------------

    def get_filter_backends(self):
        """Lists, and GET actions on the collection (an export, statistics) that filter like the list."""
        if self._is_list_view():
            return getattr(self.view, "filter_backends", [])
        detail = getattr(self._handler(), "detail", True)
        if self.method == "GET" and detail is False and getattr(self.view, "filterset_class", None) is not None:
            return getattr(self.view, "filter_backends", [])
        return []


NULL, OMITTED, METHOD_TEXT = "null", "omitted", "method text"


def _field_label(field) -> str:
    return f"{type(field.parent).__name__}.{field.field_name}"


def _empty_answer(field) -> str | None:
    """What a read-only field answers when its source meets an empty relation or column: ``NULL``, nothing
    (``OMITTED``: DRF leaves the key out when a relation in the middle of the source is empty and the field
    has no default), ``METHOD_TEXT`` (a source through ``__str__``, which DRF does not call), or ``None``
    when it cannot be empty. Follows ``source`` on the model of a ModelSerializer; ``default=None`` answers
    null whatever the source."""
    if field.source_attrs and field.source_attrs[-1] == "__str__":
        return METHOD_TEXT
    if field.default is None:
        return NULL
    if isinstance(field, ManyRelatedField) or field.source == "*":
        return None
    parent = field.parent
    if isinstance(parent, ListSerializer) or not isinstance(parent, ModelSerializer):
        return None
    model = parent.Meta.model
    for position, name in enumerate(field.source_attrs, start=1):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if model_field.many_to_many or model_field.one_to_many:
            return None
        last = position == len(field.source_attrs)
        if isinstance(model_field, models.OneToOneRel):
            return NULL
        if getattr(model_field, "null", False):
            if last or field.allow_null:
                return NULL
            return OMITTED if field.default is empty else None
        if not model_field.is_relation:
            return None
        model = model_field.related_model
    return None
