"""The work calendar's verbs per role, registered in WorkCalendarConfig.ready() and merged by the role table
(accounts/roles.py)."""

from shouye.accounts.choices import Role

BUNDLE: dict[str, frozenset[str]] = {
    # The official arrangement of days off is entered once a year by the bureau's administrator.
    Role.BUREAU_ADMIN: frozenset({"workcalendar.add_workcalendaryear"}),
}
