"""The work calendar's verbs per role, registered in WorkCalendarConfig.ready() and merged by the role table
(accounts/roles.py)."""

from shouye.accounts.choices import Role

BUNDLE: dict[str, frozenset[str]] = {
    # The official arrangement of days off is entered once a year by the bureau's administrator; special
    # periods are declared by the bureau (REGULATIONS-2 §C.4).
    Role.BUREAU_ADMIN: frozenset({"workcalendar.add_workcalendaryear", "workcalendar.manage_specialperiod"}),
    Role.BUREAU_STAFF: frozenset({"workcalendar.manage_specialperiod"}),
}
