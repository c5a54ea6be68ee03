"""The inspections app's verbs per role, registered in InspectionsConfig.ready() and merged by the role table
(accounts/roles.py)."""

from shouye.accounts.choices import Role

_READ = {"inspections.view_inspection", "inspections.view_document"}
_PLAN_READ = {"inspections.view_inspectionplan"}
#: Officers (bureau, township, department) inspect within their scope, issue the documents and plan the year.
_OFFICER = _READ | _PLAN_READ | {
    "inspections.add_inspection", "inspections.change_inspection", "inspections.issue_inspection_document",
    "inspections.add_inspectionplan", "inspections.change_inspectionplan"}
#: Enforcement inspections are the bureau's enforcement squads' (行政处罚法 Art. 42: two enforcement officers).
_ENFORCEMENT = {"inspections.conduct_enforcement_inspection"}
#: Checklist templates and document numbering, edited in the admin.
_ADMIN = {"inspections.view_checklist", "inspections.add_checklist", "inspections.change_checklist",
          "inspections.view_checklistitem", "inspections.add_checklistitem", "inspections.change_checklistitem",
          "inspections.delete_checklistitem", "inspections.view_documentsequence",
          "inspections.change_documentsequence"}
#: Experts record the expert inspections they take part in (the service checks that they do).
_EXPERT = _READ | {"inspections.add_inspection", "inspections.change_inspection"}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_OFFICER | _ENFORCEMENT | _ADMIN),
    Role.BUREAU_STAFF: frozenset(_OFFICER | _ENFORCEMENT),
    Role.LEADER: frozenset(_READ | _PLAN_READ),
    Role.TOWNSHIP_OFFICER: frozenset(_OFFICER),
    Role.DEPARTMENT_OFFICER: frozenset(_OFFICER),
    Role.ENTERPRISE_USER: frozenset(_READ),
    Role.EXPERT: frozenset(_EXPERT),
}
