"""Errors raised by services. The API and the pages turn them into the answers ARCHITECTURE.md §4 names:
a refused transition is 409, a missing permission 403, an object out of scope 404, bad input 400."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

__all__ = ["InvalidTransition", "NotInScope", "PermissionDenied", "ValidationError"]


class NotInScope(Http404):
    """The object is outside the actor's jurisdiction; answered exactly like one that does not exist."""


class InvalidTransition(Exception):
    """An action that the object's current state does not allow. ``message``, when given, is the refusal the
    user reads (it names what is in the way: the team not ready, the item short)."""

    def __init__(self, *, state: str, action: str, allowed: list[str], message: str = ""):
        self.state = state
        self.action = action
        self.allowed = allowed
        self.message = message
        super().__init__(message or f"{action} is not allowed in state {state}")
