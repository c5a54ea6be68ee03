"""The risks app's verbs per role, registered in RisksConfig.ready() and merged by the role table
(accounts/roles.py).

The enterprise keeps its own risk list and does its investigation tasks (安全生产法 Art. 41: the unit itself
grades and controls its risks); the bureau and the township and department officers read it in their scope,
see the liveness of dual prevention and record the 100-point assessment (应急〔2018〕19号); the bureau edits the
district's assessment tables."""

from shouye.accounts.choices import Role

_READ = {"risks.view_riskpoint", "risks.view_investigationtask", "risks.export_risk_list"}
_SUPERVISE = _READ | {"risks.view_liveness"}
_ENTERPRISE = _READ | {"risks.manage_risk_list", "risks.publish_risk_list", "risks.manage_investigation_task",
                       "risks.perform_investigation"}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_SUPERVISE | {"risks.edit_district_risk_tables",
                                               "risks.record_enterprise_risk_score"}),
    Role.BUREAU_STAFF: frozenset(_SUPERVISE | {"risks.record_enterprise_risk_score"}),
    Role.LEADER: frozenset(_SUPERVISE),
    Role.TOWNSHIP_OFFICER: frozenset(_SUPERVISE),
    Role.DEPARTMENT_OFFICER: frozenset(_SUPERVISE),
    Role.ENTERPRISE_USER: frozenset(_ENTERPRISE),
    Role.EXPERT: frozenset({"risks.view_riskpoint"}),
}
