"""What each role may do (verbs), as Django permission names. Which objects a role reaches is the
scope (regions/scoping.py); the two are kept apart (ARCHITECTURE.md §5).

Each app declares its verbs per role in its own ``permissions.py`` and registers that bundle in its
AppConfig.ready(); the role table is this app's bundle merged with the registered ones, so a new app edits
neither this module nor the other apps (ARCHITECTURE.md §1, "permissions")."""

from django.contrib.auth.backends import ModelBackend

from shouye.core.registry import permission_bundles

from .permissions import BUNDLE


def role_permissions(role: str) -> frozenset[str]:
    """The verbs of one role: the accounts bundle and every registered app's, merged."""
    return BUNDLE.get(role, frozenset()) | permission_bundles.for_role(role)


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
                cached |= role_permissions(role)
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


class AuthenticationBackend(ModelBackend):
    """Django's password check. Per-user and group permissions are not used (a user's verbs come from its
    roles, RoleBackend above), so this backend grants none and spends no queries looking for them;
    superusers keep every permission."""

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        if user_obj.is_active and user_obj.is_superuser and obj is None:
            return super().get_all_permissions(user_obj, obj)
        return set()
