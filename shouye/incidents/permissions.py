"""The incidents app's verbs per role, merged by the role table (accounts/roles.py). The bureau's duty staff take
incidents, report them and run the response; the leader commands; township officers update the situation from
the site; department officers read. Enterprises and experts do not see the bureau's incident book."""

from shouye.accounts.choices import Role

from .workflow import COMMAND, ON_SITE, RECORD, VIEW

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset({VIEW, RECORD, COMMAND}),
    Role.BUREAU_STAFF: frozenset({VIEW, RECORD, COMMAND}),
    Role.LEADER: frozenset({VIEW, COMMAND}),
    Role.TOWNSHIP_OFFICER: frozenset({VIEW, ON_SITE}),
    Role.DEPARTMENT_OFFICER: frozenset({VIEW}),
}
