"""The plans app's verbs per role, registered in PlansConfig.ready() and merged by the role table.

An enterprise keeps its own plans and drills (708号令 Art. 5); the bureau keeps the district's, the departments'
and the townships' plans, and a township officer its own township's (its scope holds no other bureau unit);
everyone supervising reads in scope, and the bureau, leaders and townships see the statistics and export them.
The bureau sets a unit's drill category where the registry's derivation is wrong."""

from shouye.accounts.choices import Role

VIEW = "plans.view_emergencyplan"
MANAGE_ENTERPRISE = "plans.manage_enterprise_plans"
MANAGE_BUREAU = "plans.manage_bureau_plans"
EXPORT = "plans.export_plans"
SET_CATEGORY = "plans.set_drill_category"

_SUPERVISE = {VIEW, EXPORT}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_SUPERVISE | {MANAGE_BUREAU, SET_CATEGORY}),
    Role.BUREAU_STAFF: frozenset(_SUPERVISE | {MANAGE_BUREAU, SET_CATEGORY}),
    Role.LEADER: frozenset(_SUPERVISE),
    Role.TOWNSHIP_OFFICER: frozenset(_SUPERVISE | {MANAGE_BUREAU}),
    Role.DEPARTMENT_OFFICER: frozenset({VIEW}),
    Role.ENTERPRISE_USER: frozenset({VIEW, MANAGE_ENTERPRISE}),
    Role.EXPERT: frozenset({VIEW}),
}
