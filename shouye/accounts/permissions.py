"""The accounts app's verbs per role, and those of the apps below it (regions, audit), which cannot name a role
because ``Role`` lives here. The role table (roles.py) merges this bundle with those the apps above register."""

from .choices import Role

#: Every role reads the district's divisions (the township filters and the maps name them).
_REGIONS = {"regions.view_region"}
#: The audit trail is read by the bureau and its leaders (ARCHITECTURE.md §6).
_AUDIT = {"audit.view_auditevent"}

BUNDLE: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_REGIONS | _AUDIT | {"accounts.change_user"}),
    Role.BUREAU_STAFF: frozenset(_REGIONS | _AUDIT),
    Role.LEADER: frozenset(_REGIONS | _AUDIT),
    Role.TOWNSHIP_OFFICER: frozenset(_REGIONS),
    Role.DEPARTMENT_OFFICER: frozenset(_REGIONS),
    Role.ENTERPRISE_USER: frozenset(_REGIONS),
    Role.EXPERT: frozenset(_REGIONS),
}
