"""The major_hazards app's verbs per role, registered in MajorHazardsConfig.ready() and merged by the role
table (accounts/roles.py). Enterprise users manage their own installations (their persons' duties are investigation tasks, done with the
risks app's permission to carry out investigations);
the bureau, townships and departments read within their scope; the bureau and leaders export."""

from shouye.accounts.choices import Role

VIEW = "major_hazards.view_majorhazardinstallation"
_READ = {VIEW}
_EXPORT = _READ | {"major_hazards.export_installation"}

BUNDLE: dict[str, frozenset[str]] = {
    #: The bureau's administrator edits the responsible persons' task lists (DutyItem: [U] texts to supply).
    Role.BUREAU_ADMIN: frozenset(_EXPORT | {"major_hazards.change_dutyitem"}),
    Role.BUREAU_STAFF: frozenset(_EXPORT),
    Role.LEADER: frozenset(_EXPORT),
    Role.TOWNSHIP_OFFICER: frozenset(_EXPORT),
    Role.DEPARTMENT_OFFICER: frozenset(_READ),
    Role.ENTERPRISE_USER: frozenset(_READ | {"major_hazards.manage_installation"}),
    Role.EXPERT: frozenset(_READ),
}
