"""The enterprises app's verbs per role, registered in EnterprisesConfig.ready() and merged by the role table
(accounts/roles.py)."""

from shouye.accounts.choices import Role

_READ = {"enterprises.view_enterprise"}
_EXPORT = {"enterprises.export_enterprise"}
_EDIT = {"enterprises.add_enterprise", "enterprises.change_enterprise", "enterprises.import_enterprise",
         "enterprises.classify_enterprise"}
#: ID numbers and personal phones in clear (REGULATIONS.md §10.2: only for those who need them).
_PERSONAL = {"enterprises.view_personal_data"}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_READ | _EXPORT | _EDIT | _PERSONAL | {"enterprises.change_supervisiongrade"}),
    Role.BUREAU_STAFF: frozenset(_READ | _EXPORT | _EDIT | _PERSONAL),
    Role.LEADER: frozenset(_READ | _EXPORT),
    Role.TOWNSHIP_OFFICER: frozenset(_READ | _EXPORT | _EDIT),
    Role.DEPARTMENT_OFFICER: frozenset(_READ | _EXPORT | _EDIT),
    # An enterprise keeps its own registry entry up to date.
    Role.ENTERPRISE_USER: frozenset(_READ | {"enterprises.change_enterprise"} | _PERSONAL),
    Role.EXPERT: frozenset(_READ),
}
