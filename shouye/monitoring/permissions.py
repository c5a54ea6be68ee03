"""The monitoring app's verbs per role, registered in MonitoringConfig.ready(). An enterprise's users handle
their own alarms on the duty console and keep their gateways, points and cameras; the bureau, townships and
departments watch the board within their scope; the bureau's administrators keep the rule tables, the
scenarios and the video vendors' credentials (REGULATIONS-2 §B.5: the rules are [U] and editable)."""

from shouye.accounts.choices import Role

from .workflow import BOARD, CONFIGURE, HANDLE, MANAGE_RULES, VIEW, VIEW_POINTS

_READ = {VIEW, VIEW_POINTS}
_SUPERVISE = _READ | {BOARD}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_SUPERVISE | {MANAGE_RULES, CONFIGURE}),
    Role.BUREAU_STAFF: frozenset(_SUPERVISE),
    Role.LEADER: frozenset(_SUPERVISE),
    Role.TOWNSHIP_OFFICER: frozenset(_SUPERVISE),
    Role.DEPARTMENT_OFFICER: frozenset(_SUPERVISE),
    Role.ENTERPRISE_USER: frozenset(_READ | {HANDLE, CONFIGURE}),
    Role.EXPERT: frozenset(_READ),
}
