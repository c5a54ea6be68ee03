from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
