"""The permits app's verbs per role, registered in PermitsConfig.ready() and merged by the role table
(accounts/roles.py). An enterprise's users fill in, sign and watch its own permits (who signs which row is the
person the form names, checked by the services); the bureau, townships and departments read within their
scope and see the live board; experts read."""

from shouye.accounts.choices import Role

from .workflow import BOARD, ISSUE, SIGN, VIEW, WATCH

_READ = {VIEW}
_SUPERVISE = _READ | {BOARD}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_SUPERVISE),
    Role.BUREAU_STAFF: frozenset(_SUPERVISE),
    Role.LEADER: frozenset(_SUPERVISE),
    Role.TOWNSHIP_OFFICER: frozenset(_SUPERVISE),
    Role.DEPARTMENT_OFFICER: frozenset(_SUPERVISE),
    Role.ENTERPRISE_USER: frozenset(_READ | {ISSUE, SIGN, WATCH}),
    Role.EXPERT: frozenset(_READ),
}
