"""The workareas app's verbs per role, registered in WorkAreasConfig.ready() and merged by the role table
(accounts/roles.py). The enterprise keeps its own work areas and personnel ledger; the supervisors read them in
their scope (issue 11)."""

from shouye.accounts.choices import Role

_READ = {"workareas.view_workarea", "workareas.view_worker"}
_SUPERVISE = _READ | {"workareas.export_worker"}
_KEEP = _SUPERVISE | {"workareas.add_workarea", "workareas.change_workarea", "workareas.add_worker",
                      "workareas.change_worker", "workareas.delete_worker", "workareas.import_worker"}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_SUPERVISE),
    Role.BUREAU_STAFF: frozenset(_SUPERVISE),
    Role.LEADER: frozenset(_SUPERVISE),
    Role.TOWNSHIP_OFFICER: frozenset(_SUPERVISE),
    Role.DEPARTMENT_OFFICER: frozenset(_SUPERVISE),
    Role.ENTERPRISE_USER: frozenset(_KEEP),
    Role.EXPERT: frozenset(_READ),
}
