"""The warnings app's verbs per role, registered in WarningsConfig.ready(). The bureau enters, adjusts and
lifts warnings, records acknowledgements taken by phone, and keeps the seasons and fire-danger readings (its
administrator the measure templates and the fire-danger table); townships and departments acknowledge and tick
their measures; leaders read; an enterprise user reads the warnings its enterprise was notified of and
acknowledges them for it."""

from shouye.accounts.choices import Role

VIEW = "warnings.view_earlywarning"
ISSUE = "warnings.issue_warning"
ACKNOWLEDGE = "warnings.acknowledge_warning"
ACKNOWLEDGE_AS_ENTERPRISE = "warnings.acknowledge_warning_as_enterprise"
MANAGE_SEASONS = "warnings.change_season"
EDIT_TABLES = "warnings.change_measuretemplate"

_BUREAU = {VIEW, ISSUE, ACKNOWLEDGE, MANAGE_SEASONS}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_BUREAU | {EDIT_TABLES}),
    Role.BUREAU_STAFF: frozenset(_BUREAU),
    Role.LEADER: frozenset({VIEW}),
    Role.TOWNSHIP_OFFICER: frozenset({VIEW, ACKNOWLEDGE}),
    Role.DEPARTMENT_OFFICER: frozenset({VIEW, ACKNOWLEDGE}),
    Role.ENTERPRISE_USER: frozenset({VIEW, ACKNOWLEDGE_AS_ENTERPRISE}),
}
