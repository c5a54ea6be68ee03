"""The resources app's verbs per role, registered in ResourcesConfig.ready() and merged by the role table.
Everyone with a membership reads the teams and warehouses in scope (the duty officer at 3 a.m. and the
enterprise alike); the bureau manages the district's, the township officers their township's, the enterprises
their own; the bureau dispatches and keeps the catalogue and the team rules. The agreement and capacity
reserves are the bureau's: it manages them, its leaders and the township officers read them. The road network
of nearest dispatch is the district's reference data: its administrator uploads and deactivates it (as it
keeps the team rules)."""

from shouye.accounts.choices import Role

VIEW_TEAM = "resources.view_team"
MANAGE_TEAM = "resources.manage_team"
DISPATCH = "resources.dispatch_team"
VIEW_WAREHOUSE = "resources.view_warehouse"
MANAGE_WAREHOUSE = "resources.manage_warehouse"
CHANGE_ITEM = "resources.change_item"
CHANGE_RULE = "resources.change_teamkindrule"
VIEW_RESERVE = "resources.view_reserve"
MANAGE_RESERVE = "resources.manage_reserve"
MANAGE_ROAD_NETWORK = "resources.manage_road_network"

_READ = {VIEW_TEAM, VIEW_WAREHOUSE}
_MANAGE = _READ | {MANAGE_TEAM, MANAGE_WAREHOUSE}
_BUREAU = _MANAGE | {DISPATCH, CHANGE_ITEM, VIEW_RESERVE, MANAGE_RESERVE}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_BUREAU | {CHANGE_RULE, MANAGE_ROAD_NETWORK}),
    Role.BUREAU_STAFF: frozenset(_BUREAU),
    Role.LEADER: frozenset(_READ | {DISPATCH, VIEW_RESERVE}),
    Role.TOWNSHIP_OFFICER: frozenset(_MANAGE | {VIEW_RESERVE}),
    Role.DEPARTMENT_OFFICER: frozenset(_READ),
    Role.ENTERPRISE_USER: frozenset(_MANAGE),
    Role.EXPERT: frozenset(_READ),
}
