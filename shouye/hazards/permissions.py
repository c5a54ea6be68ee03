"""The hazards app's verbs per role, registered in HazardsConfig.ready() and merged by the role table
(accounts/roles.py)."""

from shouye.accounts.choices import Role

_READ = {"hazards.view_hazard", "hazards.export_hazard"}
#: Officers who order rectification, re-inspect and close within their scope (16号令 Art. 16–17).
_OFFICER = _READ | {"hazards.report_hazard", "hazards.assign_hazard", "hazards.verify_hazard"}
#: The bureau triages tip-offs; a reporter's identity is seen only there (ARCHITECTURE.md §10).
_TIPOFF = {"hazards.view_tipoff", "hazards.triage_tipoff"}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_OFFICER | _TIPOFF),
    Role.BUREAU_STAFF: frozenset(_OFFICER | _TIPOFF),
    Role.LEADER: frozenset(_READ | {"hazards.view_tipoff"}),
    #: The township checks on site the tip-offs the bureau sends it (属地管理), without reading who sent them.
    Role.TOWNSHIP_OFFICER: frozenset(_OFFICER | {"hazards.check_tipoff"}),
    Role.DEPARTMENT_OFFICER: frozenset(_OFFICER),
    Role.ENTERPRISE_USER: frozenset({"hazards.view_hazard", "hazards.report_hazard", "hazards.rectify_hazard"}),
    Role.EXPERT: frozenset({"hazards.view_hazard", "hazards.report_hazard", "hazards.expert_verify_hazard"}),
}
