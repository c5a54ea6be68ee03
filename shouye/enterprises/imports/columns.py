"""The columns of the enterprise import and the words its coded columns accept."""

from django.utils.translation import gettext_lazy

from shouye.core.importkit import Column, Columns

from ..choices import OperatingStatus, PersonRole

_PHONE_HINT = gettext_lazy("A mobile number of 11 digits or a landline such as 0531-87654321.")
_DATE_HINT = gettext_lazy("A date as YYYY-MM-DD.")

COLUMNS = Columns([
    Column("name", gettext_lazy("Name"), True, gettext_lazy("The registered name."), width=30),
    Column("credit_code", gettext_lazy("Credit code"), True,
           gettext_lazy("The 18-character unified social credit code (GB 32100-2015)."), True, 22, ascii_forms=True,
           text_only=True),
    Column("township", gettext_lazy("Township"), True,
           gettext_lazy("A township name or its 9-digit code, from the Instructions sheet.")),
    Column("industry", gettext_lazy("Industry"), True,
           gettext_lazy("An industry name or code, from the Instructions sheet.")),
    Column("legal_representative", gettext_lazy("Legal representative"), True),
    Column("address", gettext_lazy("Address"), width=30),
    Column("longitude", gettext_lazy("Longitude"), hint=gettext_lazy("Decimal degrees, for example 116.75.")),
    Column("latitude", gettext_lazy("Latitude"), hint=gettext_lazy("Decimal degrees, for example 36.50.")),
    Column("scale", gettext_lazy("Scale"), hint=gettext_lazy("One of the scales below; empty means small.")),
    Column("employees", gettext_lazy("Employees"), hint=gettext_lazy("A whole number.")),
    Column("status", gettext_lazy("Operating status"),
           hint=gettext_lazy("One of the statuses below; empty means operating.")),
    Column("supervision_grade", gettext_lazy("Supervision grade"), True,
           gettext_lazy("A, B, C or D, from the Instructions sheet."), ascii_forms=True),
    Column("tags", gettext_lazy("Tags"),
           hint=gettext_lazy("Tag names or codes from the Instructions sheet, separated by 、 or , or ；.")),
    Column("principal_name", gettext_lazy("Principal")),
    Column("principal_phone", gettext_lazy("Principal's phone"), hint=_PHONE_HINT, text_format=True,
           ascii_forms=True),
    Column("safety_director_name", gettext_lazy("Safety director")),
    Column("safety_director_phone", gettext_lazy("Safety director's phone"), hint=_PHONE_HINT, text_format=True,
           ascii_forms=True),
    Column("safety_officer_name", gettext_lazy("Safety officer")),
    Column("safety_officer_phone", gettext_lazy("Safety officer's phone"), hint=_PHONE_HINT, text_format=True,
           ascii_forms=True),
    Column("safety_officer_id_number", gettext_lazy("Safety officer's ID number"),
           hint=gettext_lazy("The 18-character resident ID number (GB 11643-1999)."), text_format=True, width=22,
           ascii_forms=True, text_only=True),
    Column("safety_officer_certificate_number", gettext_lazy("Safety officer's certificate number"),
           text_format=True, width=22, ascii_forms=True),
    Column("safety_officer_certificate_expiry", gettext_lazy("Safety officer's certificate expiry"),
           hint=_DATE_HINT),
    Column("licence_kind", gettext_lazy("Licence kind"),
           hint=gettext_lazy("One of the licence kinds below; kind, number and dates are needed when a licence is given."),
           width=24),
    Column("licence_number", gettext_lazy("Licence number"), text_format=True, width=24, ascii_forms=True),
    Column("licence_issuer", gettext_lazy("Licence issuer"), width=20),
    Column("licence_valid_from", gettext_lazy("Licence valid from"), hint=_DATE_HINT),
    Column("licence_valid_to", gettext_lazy("Licence valid to"), hint=_DATE_HINT),
])
COLUMNS_BY_KEY = COLUMNS.by_key
#: (role, column prefix, fields) of the key people a row may carry.
PERSON_GROUPS = [
    (PersonRole.PRINCIPAL, "principal", ["name", "phone"]),
    (PersonRole.SAFETY_DIRECTOR, "safety_director", ["name", "phone"]),
    (PersonRole.SAFETY_OFFICER, "safety_officer",
     ["name", "phone", "id_number", "certificate_number", "certificate_expiry"]),
]
LICENCE_COLUMN_FIELDS = ["kind", "number", "issuer", "valid_from", "valid_to"]
LICENCE_REQUIRED = ["kind", "number", "valid_from", "valid_to"]
#: Words registries and ledgers use for an operating status, accepted besides the labels: the registration
#: states of the national enterprise credit publicity system (存续、在营、开业 · 注销) and 歇业 of the
#: 市场主体登记管理条例.
STATUS_ALIASES = {
    "在营": OperatingStatus.OPERATING, "存续": OperatingStatus.OPERATING, "开业": OperatingStatus.OPERATING,
    "停产": OperatingStatus.SUSPENDED, "停业": OperatingStatus.SUSPENDED, "歇业": OperatingStatus.SUSPENDED,
    "关闭": OperatingStatus.CLOSED, "关停": OperatingStatus.CLOSED, "注销": OperatingStatus.CLOSED,
}
DATA_SHEET_TITLE = gettext_lazy("Enterprises")
NO_ROWS = gettext_lazy("“%(name)s” has no enterprise rows: fill in the first sheet from row 2 on.")
