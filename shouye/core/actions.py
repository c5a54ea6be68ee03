"""One action layer for pages, API and code (ARCHITECTURE.md §1, §4, §7).

An app declares each business act on a stateful model once, as an :class:`Action` (the service call, the
form of the page, the serializer of the API, label and success message) in an :class:`ActionSet` (the
model's workflow, the scoped queryset acts find their object in, the page that shows it), and registers the
set in its ``AppConfig.ready()``. From that one declaration:

- :func:`handle` serves the HTML action (``POST /hazards/<pk>/assign/``), and :func:`action_urls` its URL
  patterns;
- :class:`ActionViewSetMixin` serves the API's action endpoints (``POST /api/v1/hazards/<pk>/assign/``);
- both refuse the same way, checked in the same order: the object out of scope or missing (404), the role's
  permission (403), the object's state (409, naming the current state and what is possible now), the input
  (400, on the form's fields or the API's); a refused act changes nothing and never answers 5xx.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action as api_action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .exceptions import InvalidTransition
from .workflow import Workflow


class ActionForm(forms.Form):
    """The page input of one action: built with the object acted on and the acting user."""

    def __init__(self, *args, obj, user, **kwargs):
        self.obj = obj
        self.user = user
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class PageState:
    """What an action's page shows after a refused act: the bound form with its errors (400) or the refusal
    of the state (409)."""

    action: str = ""
    form: forms.Form | None = None
    refusal: str = ""


#: The page as it first shows (no refused act).
FIRST_VIEW = PageState()

#: ``page(request, obj, state) -> (template, context)``: the page that shows the object and its actions.
Page = Callable[[Any, Any, PageState], tuple[str, dict]]


@dataclass(frozen=True)
class Action:
    """One business act on an object.

    ``perform(actor, obj, data)`` calls the one service behind it with the validated input and returns what
    the service returns. ``step`` is the workflow step whose permission and states the act starts with
    (default: the action's name). ``form`` is the page's input (an :class:`ActionForm`), ``serializer`` the
    API's (it gets the object as ``context["obj"]``). ``next_url(request, obj, result)`` is where the browser
    goes after success (default: the object's page)."""

    name: str
    perform: Callable[[Any, Any, dict], Any]
    title: Any = ""
    button: Any = ""
    success: Any = ""
    form: type[ActionForm] | None = None
    serializer: type | None = None
    step: str = ""
    summary: str = ""
    api_path: str = ""
    multipart: bool = False
    #: the form's fields are named ``<action>-<field>`` (several actions' forms on one page)
    prefixed: bool = True
    next_url: Callable[[Any, Any, Any], str] | None = None

    @property
    def step_name(self) -> str:
        return self.step or self.name

    def success_message(self, result) -> str:
        return str(self.success(result) if callable(self.success) else self.success)


@dataclass
class ActionSet:
    """The actions of one model: the workflow that decides who may take them in which state, ``lookup(user)``
    the scoped queryset an act finds its object in, ``detail_url(obj)`` the object's page, ``noun`` what the
    refusal message calls the object."""

    key: str
    workflow: Workflow
    lookup: Callable[[Any], Any]
    detail_url: Callable[[Any], str]
    noun: Any = ""
    actions: dict[str, Action] = field(default_factory=dict)

    def add(self, *actions: Action) -> ActionSet:
        for act in actions:
            if act.step_name not in self.workflow.steps:
                raise ValueError(f"{self.key}: action {act.name!r} has no workflow step {act.step_name!r}")
            self.actions[act.name] = act
        return self

    def available(self, actor, obj) -> list[str]:
        """The actions ``actor`` is offered on ``obj`` now (their workflow steps are)."""
        steps = set(self.workflow.available(actor, obj))
        return [name for name, act in self.actions.items() if act.step_name in steps]

    def label(self, name: str) -> str:
        act = self.actions.get(name)
        return str(act.title) if act is not None and act.title else name

    def refusal_message(self, exc: InvalidTransition) -> str:
        """What a refused transition tells the user: its own message when it has one, else the current state
        and what is possible now."""
        if exc.message:
            return exc.message
        allowed = "、".join(self.label(name) for name in exc.allowed) or _("nothing")
        return _("“%(action)s” is not possible now: the %(noun)s is %(state)s. Possible in this state: "
                 "%(allowed)s. Nothing was changed.") % {
            "action": self.label(exc.action), "noun": self.noun, "allowed": allowed,
            "state": self.workflow.state_label(exc.state)}


#: Every declared action set by key (``hazards.hazard``): what the documentation and the tests walk.
action_sets: dict[str, ActionSet] = {}


def register(action_set: ActionSet) -> ActionSet:
    """Declare an app's action set (at import of the app's ``actions.py``)."""
    action_sets[action_set.key] = action_set
    return action_set


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the form: field errors on their fields, the rest above the form."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, field_messages in errors.items():
        form.add_error(name if name in form.fields else None, field_messages)


def bind(act: Action, request, obj) -> ActionForm:
    """The action's page form, bound to the request's input."""
    return act.form(request.POST, request.FILES, obj=obj, user=request.user,
                    prefix=act.name if act.prefixed else None)


def unbound(act: Action, request, obj) -> ActionForm:
    """The action's page form as the page first shows it."""
    return act.form(obj=obj, user=request.user, prefix=act.name if act.prefixed else None)


def _render(request, page: Page, obj, state: PageState, status_code: int):
    template, context = page(request, obj, state)
    return render(request, template, context, status=status_code)


def handle(request, action_set: ActionSet, pk, name: str, *, page: Page):
    """Serve one HTML action (a POST): the object (404), the role (403), the state (409), the input (400),
    then the service. Success redirects with its message; a refusal shows ``page`` (the object's page, or the
    action's own) as it is, with the refusal or the form's errors, and changes nothing."""
    act = action_set.actions[name]
    obj = get_object_or_404(action_set.lookup(request.user), pk=pk)
    form = bind(act, request, obj)
    try:
        action_set.workflow.ensure_may(request.user, obj, act.step_name)
        if form.is_valid():
            result = act.perform(request.user, obj, form.cleaned_data)
            if act.success:
                messages.success(request, act.success_message(result))
            return redirect(act.next_url(request, obj, result) if act.next_url else action_set.detail_url(obj))
    except InvalidTransition as exc:
        state = PageState(action=name, refusal=action_set.refusal_message(exc))
        return _render(request, page, obj, state, status.HTTP_409_CONFLICT)
    except ValidationError as exc:
        apply_errors(form, exc)
    return _render(request, page, obj, PageState(action=name, form=form), status.HTTP_400_BAD_REQUEST)


def action_view(action_set: ActionSet, name: str, *, page: Page):
    """The Django view of one action (POST only, signed-in users)."""

    @login_required
    @require_POST
    def view(request, pk):
        return handle(request, action_set, pk, name, page=page)

    view.__name__ = f"{action_set.key.replace('.', '_')}_{name.replace('-', '_')}"
    return view


def action_urls(action_set: ActionSet, names, *, page: Page) -> list:
    """``<id:pk>/<name>/`` for each of ``names``, named after the action (``hazards:assign``); a refusal
    shows ``page``."""
    return [path(f"<id:pk>/{name}/", action_view(action_set, name, page=page), name=name) for name in names]


class ActionViewSetMixin:
    """API action endpoints generated from an action set: ``action_set`` is the set, ``api_actions`` the
    actions to serve as ``POST /<pk>/<api_path>/``. Each endpoint runs :meth:`run_action` and answers with
    :meth:`action_response` (by default the object as :meth:`detail_response` shows it). A viewset that
    defines a method of the same name keeps its own (an endpoint that also answers GET)."""

    action_set: ActionSet | None = None
    api_actions: tuple[str, ...] = ()
    #: the serializer of the answer, for the schema
    action_response_serializer = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.api_actions:
            attribute = name.replace("-", "_")
            if attribute not in cls.__dict__:
                setattr(cls, attribute, _endpoint(cls, cls.action_set.actions[name]))

    def run_action(self, request, name: str, data=None):
        """The object (404), the role and the state (403, 409), the input (400), then the service. Returns the
        object and what the service returned. The input is the request's body, or ``data(body)`` when the
        endpoint reshapes it (fills omitted parts, adds files): then a body that is not an object is refused
        here, as the serializer refuses it, instead of failing in the reshaping."""
        act = self.action_set.actions[name]
        obj = self.get_object()
        self.action_set.workflow.ensure_may(request.user, obj, act.step_name)
        body = request.data
        if data is not None:
            if not isinstance(body, Mapping):
                message = serializers.Serializer.default_error_messages["invalid"].format(
                    datatype=type(body).__name__)
                raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
            body = data(body)
        serializer = act.serializer(data=body, context={**self.get_serializer_context(), "obj": obj})
        serializer.is_valid(raise_exception=True)
        return obj, act.perform(request.user, obj, serializer.validated_data)

    def action_response(self, name: str, obj, result) -> Response:
        return self.detail_response(obj)


def _endpoint(cls, act: Action):
    """A DRF ``@action`` for ``act``, documented in the schema with its summary, input and answer (the
    refusals, 400/403/404/409, are added by ``shouye.core.api.schema.AutoSchema`` for every act).
    ``extend_schema`` goes on the outside: ``@action`` replaces the function's ``kwargs``, where
    drf-spectacular keeps what ``extend_schema`` declared."""

    def endpoint(self, request, pk=None):
        obj, result = self.run_action(request, act.name)
        return self.action_response(act.name, obj, result)

    endpoint.__name__ = act.name.replace("-", "_")
    endpoint.__doc__ = act.summary
    body = {"multipart/form-data": act.serializer} if act.multipart else {
        "application/json": act.serializer, "multipart/form-data": act.serializer}
    served = api_action(detail=True, methods=["post"], url_path=act.api_path or act.name)(endpoint)
    return extend_schema(summary=act.summary, request=body, tags=list(getattr(cls, "schema_tags", ())),
                         responses={200: cls.action_response_serializer})(served)
