"""What each role may do (verbs), as Django permission names. Which objects a role reaches is the
scope (regions/scoping.py); the two are kept apart (ARCHITECTURE.md §5)."""

from .choices import Role

_READ = {"enterprises.view_enterprise", "regions.view_region"}
_EXPORT = {"enterprises.export_enterprise"}
_EDIT = {"enterprises.add_enterprise", "enterprises.change_enterprise", "enterprises.import_enterprise"}
#: ID numbers and personal phones in clear (REGULATIONS.md §10.2: only for those who need them).
_PERSONAL = {"enterprises.view_personal_data"}
_AUDIT = {"audit.view_auditevent"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_READ | _EXPORT | _EDIT | _PERSONAL | _AUDIT | {
        "enterprises.change_supervisiongrade", "accounts.change_user"}),
    Role.BUREAU_STAFF: frozenset(_READ | _EXPORT | _EDIT | _PERSONAL | _AUDIT),
    Role.LEADER: frozenset(_READ | _EXPORT | _AUDIT),
    Role.TOWNSHIP_OFFICER: frozenset(_READ | _EXPORT | _EDIT),
    Role.DEPARTMENT_OFFICER: frozenset(_READ | _EXPORT | _EDIT),
    Role.ENTERPRISE_USER: frozenset(_READ | {"enterprises.change_enterprise"} | _PERSONAL),
    Role.EXPERT: frozenset(_READ),
}


class RoleBackend:
    """Grants the permissions of the user's active memberships; authentication stays with ModelBackend."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached = getattr(user_obj, "_shouye_role_perms", None)
        if cached is None:
            cached = set()
            for role in user_obj.active_roles():
                cached |= ROLE_PERMISSIONS.get(role, frozenset())
            user_obj._shouye_role_perms = cached
        return cached

    def get_user_permissions(self, user_obj, obj=None):
        return self.get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj))
