"""One workflow definition per stateful model (ARCHITECTURE.md §4): which actions each state allows, who may
take each, and which of them a user is offered now. Services, pages and the API all ask it, so the answer
to "may this user do this now?" is decided in one place.

An app declares its steps::

    WORKFLOW = Workflow(
        states=HazardState,
        steps=[
            Step("assign", sources=(S.REPORTED,), target=S.RECTIFYING, permissions=(ASSIGN,)),
            Step("governance-plan", sources=(S.REPORTED, S.RECTIFYING), permissions=(RECTIFY, ASSIGN),
                 offered=lambda actor, hazard: hazard.level == HazardLevel.MAJOR),
            ...
        ],
    )

A step with a ``target`` is a transition of the table; a step without one records something beside the
state (a plan, a photo) and is allowed in its ``sources`` without changing the state. Refusals are the
exceptions every page and the API answer the same way: a missing permission is ``PermissionDenied`` (403),
a state that does not allow the action ``InvalidTransition`` (409, naming the state and the allowed actions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .exceptions import InvalidTransition

#: ``check(actor, obj)`` raises PermissionDenied (with a message) when the actor may not act on this object
#: although its role may take the action (an expert on another expert's inspection).
Check = Callable[[Any, Any], None]
#: ``offered(actor, obj)`` says whether a page offers the action now (a major hazard's plan, a pending
#: extension); the service still decides, and names what is missing.
Offered = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Step:
    """One action of a workflow: the states it starts from, the state it leads to (None: the state does not
    change and the action is not part of the transition table), and the permissions of which the actor needs
    any one."""

    name: str
    sources: tuple[str, ...]
    target: str | None = None
    permissions: tuple[str, ...] = ()
    check: Check | None = None
    offered: Offered | None = None


class Workflow:
    """The transition table and the permissions of one stateful model."""

    def __init__(self, *, states, steps: Iterable[Step], state_field: str = "state"):
        self.state_labels = dict(states.choices)
        self.state_field = state_field
        self.steps: dict[str, Step] = {}
        for step in steps:
            if step.name in self.steps:
                raise ValueError(f"step {step.name!r} is declared twice")
            self.steps[step.name] = step
        self.transitions: dict[tuple[str, str], str] = {
            (source, step.name): step.target
            for step in self.steps.values() if step.target is not None for source in step.sources
        }

    @property
    def actions(self) -> list[str]:
        """The actions of the transition table."""
        return sorted({action for _state, action in self.transitions})

    def allowed_actions(self, state: str) -> list[str]:
        """The transitions ``state`` allows (what a refusal names as possible now)."""
        return sorted(action for (source, action) in self.transitions if source == state)

    def ensure_allowed(self, state: str, action: str) -> str:
        """The state after ``action``; raises InvalidTransition (answered 409) naming the allowed actions."""
        step = self.steps.get(action)
        if step is not None and step.target is None and state in step.sources:
            return state
        try:
            return self.transitions[(state, action)]
        except KeyError:
            raise InvalidTransition(state=str(state), action=action,
                                    allowed=self.allowed_actions(state)) from None

    def has_permission(self, actor, action: str) -> bool:
        return any(actor.has_perm(perm) for perm in self.steps[action].permissions)

    def ensure_may(self, actor, obj, action: str) -> str:
        """The checks an act starts with, in the order of their answers: who may (the role's permission, then
        the step's own check on this object: 403), then the object's state (409). Returns the state after
        the action. Cheap and read-only, so the pages and the API answer them before they look at the input;
        the service repeats them under its row lock."""
        step = self.steps[action]
        if not self.has_permission(actor, action):
            raise PermissionDenied(_("You do not have permission to do this."))
        if step.check is not None:
            step.check(actor, obj)
        return self.ensure_allowed(getattr(obj, self.state_field), action)

    def available(self, actor, obj) -> list[str]:
        """The actions ``actor`` is offered on ``obj`` now: its state allows them, the actor's role may take
        them, the step's check passes and the step offers itself."""
        state = getattr(obj, self.state_field)
        names = []
        for step in self.steps.values():
            if state not in step.sources or not self.has_permission(actor, step.name):
                continue
            if step.offered is not None and not step.offered(actor, obj):
                continue
            if step.check is not None:
                try:
                    step.check(actor, obj)
                except PermissionDenied:
                    continue
            names.append(step.name)
        return sorted(names)

    def state_label(self, state: str) -> str:
        return str(self.state_labels.get(state, state))
