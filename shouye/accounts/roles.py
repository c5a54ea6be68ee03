"""What each role may do (verbs), as Django permission names. Which objects a role reaches is the
scope (regions/scoping.py); the two are kept apart (ARCHITECTURE.md §5)."""

from django.contrib.auth.backends import ModelBackend

from .choices import Role

_READ = {"enterprises.view_enterprise", "regions.view_region"}
_EXPORT = {"enterprises.export_enterprise"}
_EDIT = {"enterprises.add_enterprise", "enterprises.change_enterprise", "enterprises.import_enterprise",
         "enterprises.classify_enterprise"}
#: ID numbers and personal phones in clear (REGULATIONS.md §10.2: only for those who need them).
_PERSONAL = {"enterprises.view_personal_data"}
_AUDIT = {"audit.view_auditevent"}
_HAZARD_READ = {"hazards.view_hazard", "hazards.export_hazard"}
#: Officers who order rectification, re-inspect and close within their scope (16号令 Art. 16–17).
_HAZARD_OFFICER = _HAZARD_READ | {"hazards.report_hazard", "hazards.assign_hazard", "hazards.verify_hazard"}
_TIPOFF = {"hazards.view_tipoff", "hazards.triage_tipoff"}
_INSPECTION_READ = {"inspections.view_inspection", "inspections.view_document"}
_INSPECTION_PLAN_READ = {"inspections.view_inspectionplan"}
#: Officers (bureau, township, department) inspect within their scope, issue the documents and plan the year.
_INSPECTION_OFFICER = _INSPECTION_READ | _INSPECTION_PLAN_READ | {
    "inspections.add_inspection", "inspections.change_inspection", "inspections.issue_inspection_document",
    "inspections.add_inspectionplan", "inspections.change_inspectionplan"}
#: Enforcement inspections are the bureau's enforcement squads' (行政处罚法 Art. 42: two enforcement officers).
_INSPECTION_ENFORCEMENT = {"inspections.conduct_enforcement_inspection"}
#: Checklist templates and document numbering, edited in the admin.
_INSPECTION_ADMIN = {"inspections.view_checklist", "inspections.add_checklist", "inspections.change_checklist",
                     "inspections.view_checklistitem", "inspections.add_checklistitem",
                     "inspections.change_checklistitem", "inspections.delete_checklistitem",
                     "inspections.view_documentsequence", "inspections.change_documentsequence"}
#: Experts record the expert inspections they take part in (the service checks that they do).
_INSPECTION_EXPERT = _INSPECTION_READ | {"inspections.add_inspection", "inspections.change_inspection"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(_READ | _EXPORT | _EDIT | _PERSONAL | _AUDIT | _HAZARD_OFFICER | _TIPOFF | {
        "enterprises.change_supervisiongrade", "accounts.change_user",
        "workcalendar.add_workcalendaryear"} | _INSPECTION_OFFICER | _INSPECTION_ENFORCEMENT | _INSPECTION_ADMIN),
    Role.BUREAU_STAFF: frozenset(_READ | _EXPORT | _EDIT | _PERSONAL | _AUDIT | _HAZARD_OFFICER | _TIPOFF
                                 | _INSPECTION_OFFICER | _INSPECTION_ENFORCEMENT),
    Role.LEADER: frozenset(_READ | _EXPORT | _AUDIT | _HAZARD_READ | {"hazards.view_tipoff"} | _INSPECTION_READ
                           | _INSPECTION_PLAN_READ),
    Role.TOWNSHIP_OFFICER: frozenset(_READ | _EXPORT | _EDIT | _HAZARD_OFFICER | _INSPECTION_OFFICER),
    Role.DEPARTMENT_OFFICER: frozenset(_READ | _EXPORT | _EDIT | _HAZARD_OFFICER | _INSPECTION_OFFICER),
    Role.ENTERPRISE_USER: frozenset(_READ | {"enterprises.change_enterprise"} | _PERSONAL | {
        "hazards.view_hazard", "hazards.report_hazard", "hazards.rectify_hazard"} | _INSPECTION_READ),
    Role.EXPERT: frozenset(_READ | {"hazards.view_hazard", "hazards.report_hazard", "hazards.expert_verify_hazard"}
                           | _INSPECTION_EXPERT),
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
