from django.db import models
from django.utils.translation import gettext_lazy as _


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Scale(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class PersonRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    SAFETY_DIRECTOR = "safety_director", _("Safety director")
    SAFETY_OFFICER = "safety_officer", _("Safety officer")


class LicenceKind(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", _("Safety production licence")
    HAZCHEM_OPERATION = "hazchem_operation", _("Hazardous chemicals business licence")
    HAZCHEM_USE = "hazchem_use", _("Hazardous chemicals use licence")
    HAZCHEM_REGISTRATION = "hazchem_registration", _("Hazardous chemicals registration certificate")
    MINING = "mining", _("Mining licence")
    FIREWORKS = "fireworks", _("Fireworks business licence")
    GAS_OPERATION = "gas_operation", _("Gas business licence")
    CONSTRUCTION = "construction", _("Construction enterprise safety licence")
    OTHER = "other", _("Other licence")


class LicenceState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Excel import")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")
