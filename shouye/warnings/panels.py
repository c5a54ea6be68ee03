"""The home page's "current status" panel: the seasons in force today and today's fire-danger level with the
action it calls for and its warning colour, beside the warnings in force."""

from django.utils.translation import gettext_lazy

from shouye.accounts.models import User
from shouye.core.registry import Panel, home_panels

from . import selectors
from .choices import WarningState


def _context(request) -> dict:
    in_force = selectors.warnings(request.user).exclude(state=WarningState.LIFTED).order_by("-issued_at")[:5]
    return {**selectors.current_status(), "in_force": list(in_force)}


home_panels.register(Panel(key="warning-status", title=gettext_lazy("Warnings and seasons today"),
                           template="warnings/panels/home_status.html", context=_context, order=5,
                           condition=User.supervises))
