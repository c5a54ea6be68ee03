from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    BUREAU_STAFF = "bureau_staff", _("Bureau staff")
    LEADER = "leader", _("Leader")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")
    EXPERT = "expert", _("Expert")


#: The government roles that supervise enterprises: the home page shows them the statistics of their scope
#: beside their to-dos; an enterprise user and an expert see only their own to-dos (issue 10).
SUPERVISING_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER, Role.TOWNSHIP_OFFICER,
                               Role.DEPARTMENT_OFFICER})


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau")
    SECTION = "section", _("Section")
    SQUAD = "squad", _("Enforcement squad")
    DEPARTMENT = "department", _("Industry department")
    TOWNSHIP_OFFICE = "township_office", _("Township safety office")
    EXPERT_POOL = "expert_pool", _("Expert pool")
