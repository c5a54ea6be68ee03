"""The incidents app's verbs per role, merged by the role table (accounts/roles.py). The bureau's duty staff take
incidents, report them and run the response; the leader commands; township officers update the situation from
the site; township and department officers acknowledge and complete the tasks given to their unit (the duty
staff record an answer taken by phone); department officers otherwise read. Enterprises and experts do not see the bureau's incident book."""

from shouye.accounts.choices import Role

from .workflow import ANSWER_TASK, COMMAND, ON_SITE, RECORD, VIEW

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset({VIEW, RECORD, COMMAND, ANSWER_TASK}),
    Role.BUREAU_STAFF: frozenset({VIEW, RECORD, COMMAND, ANSWER_TASK}),
    Role.LEADER: frozenset({VIEW, COMMAND}),
    Role.TOWNSHIP_OFFICER: frozenset({VIEW, ON_SITE, ANSWER_TASK}),
    Role.DEPARTMENT_OFFICER: frozenset({VIEW, ANSWER_TASK}),
}
