"""Shouye settings. Everything that differs between a laptop and a bureau's server comes from the
environment (see README, "Configuration"). Defaults give the one-command run: SQLite under var/,
Celery on an SQLite-backed broker, DEBUG on."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHOUYE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def syslog_address(value: str) -> str | tuple[str, int]:
    """A local syslog socket ("/dev/log") as it is, or "host[:port]" as a UDP address (port 514 by default)."""
    if value.startswith("/"):
        return value
    host, _, port = value.partition(":")
    return host, int(port or 514)


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = os.environ.get("SECRET_KEY") or _DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "shouye.core",
    "shouye.regions",
    "shouye.accounts",
    "shouye.audit",
    "shouye.enterprises",
    "shouye.workcalendar",
    "shouye.calculators",
    "shouye.notifications",
    "shouye.hazards",
    "shouye.inspections",
    "shouye.major_hazards",
    "shouye.risks",
    "shouye.workareas",
    "shouye.permits",
    "shouye.monitoring",
    "shouye.duty",
    "shouye.incidents",
    "shouye.resources",
    "shouye.plans",
    "shouye.warnings",
    "shouye.dashboards",
]


MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files carry the policy too.
    "shouye.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shouye.core.request_context.RequestContextMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: signing an idle session out leaves a message for the sign-in page.
    "shouye.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shouye" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "shouye.core.context_processors.shouye",
                "shouye.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'shouye.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server, the worker and beat read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["shouye.accounts.roles.AuthenticationBackend", "shouye.accounts.roles.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "shouye.accounts.validators.ComplexityValidator"},
]

# Login security (等保 2.0 level 3): lock-out and idle timeout, all configurable. A user name is locked after
# SHOUYE_LOGIN_MAX_FAILURES failures in a row; a client address after SHOUYE_LOGIN_ADDRESS_MAX_FAILURES
# failures (over any names) within SHOUYE_LOGIN_ADDRESS_WINDOW_MINUTES, which stops one password being tried
# against many names. Counted in the shared cache (shouye.core.ratelimit).
SHOUYE_LOGIN_MAX_FAILURES = env_int("SHOUYE_LOGIN_MAX_FAILURES", 5)
SHOUYE_LOGIN_LOCKOUT_MINUTES = env_int("SHOUYE_LOGIN_LOCKOUT_MINUTES", 15)
SHOUYE_LOGIN_ADDRESS_MAX_FAILURES = env_int("SHOUYE_LOGIN_ADDRESS_MAX_FAILURES", 20)
SHOUYE_LOGIN_ADDRESS_WINDOW_MINUTES = env_int("SHOUYE_LOGIN_ADDRESS_WINDOW_MINUTES", 15)
SHOUYE_LOGIN_ADDRESS_LOCKOUT_MINUTES = env_int("SHOUYE_LOGIN_ADDRESS_LOCKOUT_MINUTES", 15)
# Token requests (POST /api/v1/auth/token/) accepted per client address per minute.
SHOUYE_TOKEN_RATE_PER_MINUTE = env_int("SHOUYE_TOKEN_RATE_PER_MINUTE", 30)
SHOUYE_IDLE_TIMEOUT_MINUTES = env_int("SHOUYE_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Licences expiring within this many days are flagged (issue: "expiring within 90 days").
SHOUYE_LICENCE_WARNING_DAYS = env_int("SHOUYE_LICENCE_WARNING_DAYS", 90)
# Imports with more data rows than this run in the background with a progress bar.
SHOUYE_IMPORT_SYNC_MAX_ROWS = env_int("SHOUYE_IMPORT_SYNC_MAX_ROWS", 200)
SHOUYE_IMPORT_MAX_BYTES = env_int("SHOUYE_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Photos: JPEG, PNG or WebP recognised by content, at most this size each (configurable).
#: Days the files of an import or export (uploaded workbook, error copy, downloaded ledger) are kept
#: (shouye.core.retention).
SHOUYE_FILE_RETENTION_DAYS = env_int("SHOUYE_FILE_RETENTION_DAYS", 7)
#: Days a finished permit keeps the link to its full-process video (GB 30871-2022 B.3: video kept at least one
#: month; shouye.permits.retention). At least 31: the deployment check refuses less. Permits themselves (B.3:
#: at least one year) are never deleted.
SHOUYE_PERMIT_VIDEO_RETENTION_DAYS = env_int("SHOUYE_PERMIT_VIDEO_RETENTION_DAYS", 31)
SHOUYE_PHOTO_MAX_BYTES = env_int("SHOUYE_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
#: Documents (a plan's text, its filing receipt, an evaluation report: PDF, Word, Excel or OFD recognised by
#: content, shouye.core.uploads), at most this size each.
SHOUYE_DOCUMENT_MAX_BYTES = env_int("SHOUYE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
#: The largest body a video-AI vendor may post to the alarm intake (shouye.monitoring.intake): an event with its
#: snapshot inline as base64 (a third larger than the photo itself); larger bodies are refused with 413 unread.
SHOUYE_VIDEO_INTAKE_MAX_BYTES = env_int("SHOUYE_VIDEO_INTAKE_MAX_BYTES", 4 * 1024 * 1024)
#: The road network of nearest dispatch (shouye.resources.roads): the largest GeoJSON file the bureau may upload
#: (a district's roads from OpenStreetMap are a few MB), and the most nodes it may make (each process holds the
#: active network in memory: about 300 bytes a node).
SHOUYE_ROAD_NETWORK_MAX_BYTES = env_int("SHOUYE_ROAD_NETWORK_MAX_BYTES", 50 * 1024 * 1024)
SHOUYE_ROAD_NETWORK_MAX_NODES = env_int("SHOUYE_ROAD_NETWORK_MAX_NODES", 200_000)
# Hazards (16号令): how often a deadline may be extended, when overdue hazards escalate to the bureau, and
# how many days before a deadline the reminder goes out. Local practice, editable [U].
SHOUYE_HAZARD_MAX_EXTENSIONS = env_int("SHOUYE_HAZARD_MAX_EXTENSIONS", 2)
SHOUYE_HAZARD_ESCALATE_AFTER_DAYS = env_int("SHOUYE_HAZARD_ESCALATE_AFTER_DAYS", 7)
SHOUYE_HAZARD_REMINDER_DAYS = env_int("SHOUYE_HAZARD_REMINDER_DAYS", 3)
# Dual-prevention liveness (shouye.risks.selectors.liveness): an enterprise is "inactive" below this completion
# rate of its investigation tasks over the last 30 days, or after this many days without a completed task. The
# bureau's own supervision policy, not a regulation's figure.
SHOUYE_LIVENESS_MIN_COMPLETION_PERCENT = env_int("SHOUYE_LIVENESS_MIN_COMPLETION_PERCENT", 60)
SHOUYE_LIVENESS_MAX_IDLE_DAYS = env_int("SHOUYE_LIVENESS_MAX_IDLE_DAYS", 7)
# Enforcement documents (PDF): the issuing authority printed on them (default: the bureau's name) and an
# optional seal image file; number prefixes per kind and year are editable in the admin.
SHOUYE_DOCUMENT_ISSUER = os.environ.get("SHOUYE_DOCUMENT_ISSUER", "")
SHOUYE_DOCUMENT_SEAL_IMAGE = os.environ.get("SHOUYE_DOCUMENT_SEAL_IMAGE", "")
# Ledger exports with more rows than this run in the background with a progress bar.
SHOUYE_LEDGER_SYNC_MAX_ROWS = env_int("SHOUYE_LEDGER_SYNC_MAX_ROWS", 5000)
# Public tip-off form: submissions allowed per client address per hour.
SHOUYE_TIPOFF_RATE_PER_HOUR = env_int("SHOUYE_TIPOFF_RATE_PER_HOUR", 5)
# The cockpit (/cockpit/) redraws its charts from fresh data this often, without reloading the page.
SHOUYE_COCKPIT_REFRESH_SECONDS = env_int("SHOUYE_COCKPIT_REFRESH_SECONDS", 60)
# Optional map tiles on the intranet (empty: the map shows the pin on a plain background). Its host is the
# one image source besides the site in the Content-Security-Policy (shouye.core.csp).
SHOUYE_MAP_TILE_URL = os.environ.get("SHOUYE_MAP_TILE_URL", "")
# The reverse proxies in front of the application (addresses or networks, e.g. nginx on 127.0.0.1): only when
# a request arrives from one of them is X-Forwarded-For read for the client's address (shouye.core
# .request_context.client_ip). None by default: the address is the connection's peer.
SHOUYE_TRUSTED_PROXIES = env_list("SHOUYE_TRUSTED_PROXIES", [])
if "SHOUYE_TRUST_X_FORWARDED_FOR" in os.environ:
    # It trusted the header from anyone; silently dropping it would make every client look like nginx.
    raise ImproperlyConfigured(
        "SHOUYE_TRUST_X_FORWARDED_FOR is no longer read: remove it and set SHOUYE_TRUSTED_PROXIES to the "
        "address of your reverse proxy (for nginx on the same machine: SHOUYE_TRUSTED_PROXIES=127.0.0.1,::1)."
    )
# Audit trail (docs/decisions/0006): the key of the chain's HMAC, kept outside the database — the key itself,
# or a file of keys (the first signs, all verify; rotation puts the new one first). Without either, a
# development key under VAR_DIR, which `check --deploy` refuses. Each seal appends the chain's position and
# hash to the anchor file, and to syslog when an address is given ("/dev/log" or "host:port", UDP).
SHOUYE_AUDIT_KEY = os.environ.get("SHOUYE_AUDIT_KEY", "")
SHOUYE_AUDIT_KEY_FILE = os.environ.get("SHOUYE_AUDIT_KEY_FILE", "")
SHOUYE_AUDIT_ANCHOR_FILE = os.environ.get("SHOUYE_AUDIT_ANCHOR_FILE") or str(VAR_DIR / "audit-anchor.log")
SHOUYE_AUDIT_ANCHOR_SYSLOG = os.environ.get("SHOUYE_AUDIT_ANCHOR_SYSLOG", "")
SHOUYE_BUREAU_NAME = os.environ.get("SHOUYE_BUREAU_NAME", "济南市长清区应急管理局")
# The bureau's supervision phone printed on every major hazard installation's public notice board (empty: left
# out). Days ahead of a major hazard installation's next safety assessment when it becomes a to-do (local
# practice, not a clause: 90 by default).
SHOUYE_BUREAU_PHONE = os.environ.get("SHOUYE_BUREAU_PHONE", "")
SHOUYE_MHI_ASSESSMENT_WARNING_DAYS = env_int("SHOUYE_MHI_ASSESSMENT_WARNING_DAYS", 90)
# The technical responsible person's investigation before a public holiday or a special period the bureau declares
# (应急厅〔2021〕12号 Art. 5(5)): the task engine adds an instance due within this many days before the period starts,
# unless the duty was done within them ([U]: "before" is not quantified).
SHOUYE_MHI_PRE_HOLIDAY_DAYS = env_int("SHOUYE_MHI_PRE_HOLIDAY_DAYS", 7)
# The special-operation board flags a permit in progress whose validity ends within this many minutes (issue 12:
# "validity running out"; [U]: no rule sets the margin).
SHOUYE_PERMIT_EXPIRY_WARNING_MINUTES = env_int("SHOUYE_PERMIT_EXPIRY_WARNING_MINUTES", 60)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "shouye" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "shouye" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
#: When set (e.g. "/protected-media/"), uploaded files are sent by nginx from that internal location after
#: Django has checked who may see them (shouye.core.media); otherwise Django sends them itself.
SHOUYE_MEDIA_ACCEL_REDIRECT = os.environ.get("SHOUYE_MEDIA_ACCEL_REDIRECT", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "shouye.core.staticfiles.ManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
#: The largest request body apart from uploaded files (a form's fields, a JSON body): the largest real input,
#: an enterprise with its key people and licences, is a few kilobytes. The API answers 413 beyond it
#: (shouye.core.api.parsers); files have their own limits (SHOUYE_IMPORT_MAX_BYTES, SHOUYE_PHOTO_MAX_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SHOUYE_BODY_MAX_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated request answers 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bounded body size and JSON depth (issue 9); tests/core/test_bounds.py refuses any other parser.
    "DEFAULT_PARSER_CLASSES": [
        "shouye.core.api.parsers.JSONParser",
        "shouye.core.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "shouye.core.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "shouye.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "shouye.core.api.errors.exception_handler",
    # Throttles derive from shouye.core.api.throttling.AddressRateThrottle (counted per client address).
    "DEFAULT_THROTTLE_RATES": {"token": f"{SHOUYE_TOKEN_RATE_PER_MINUTE}/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "守夜 Shouye API",
    "DESCRIPTION": (
        "区县应急管理局安全生产监管与应急管理平台接口。"
        " REST API of Shouye, the work-safety supervision platform of a district Emergency Management Bureau."
        " 认证 Authentication: session (browser) or `Authorization: Token <key>` from `POST /api/v1/auth/token/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several choice sets share a field name (state, level, source); name their enums after the choices.
    "ENUM_NAME_OVERRIDES": {
        "AlarmSourceEnum": "shouye.monitoring.choices.AlarmSource",
        "AlarmKindEnum": "shouye.monitoring.choices.AlarmKind",
        "AlarmLevelEnum": "shouye.monitoring.choices.AlarmLevel",
        "AlarmStateEnum": "shouye.monitoring.choices.AlarmState",
        "HazardStateEnum": "shouye.hazards.choices.HazardState",
        "HazardLevelEnum": "shouye.hazards.choices.HazardLevel",
        "HazardSourceEnum": "shouye.hazards.choices.HazardSource",
        "ExtensionStateEnum": "shouye.hazards.choices.ExtensionState",
        "TipOffStateEnum": "shouye.hazards.choices.TipOffState",
        "RiskPointKindEnum": "shouye.risks.choices.RiskPointKind",
        "MeasureCategoryEnum": "shouye.risks.choices.MeasureCategory",
        "HazardCategoryEnum": "shouye.hazards.choices.HazardCategory",
        "InspectionKindEnum": "shouye.inspections.choices.InspectionKind",
        "InspectionStateEnum": "shouye.inspections.choices.InspectionState",
        "DocumentKindEnum": "shouye.inspections.choices.DocumentKind",
        "InstanceStateEnum": "shouye.risks.choices.InstanceState",
        "CycleUnitEnum": "shouye.risks.choices.CycleUnit",
        "InstallationKindEnum": "shouye.major_hazards.choices.InstallationKind",
        "InstallationStateEnum": "shouye.major_hazards.choices.InstallationState",
        "ResponsiblePersonRoleEnum": "shouye.major_hazards.choices.PersonRole",
        "PermitKindEnum": "shouye.workcalendar.choices.PermitKind",
        "PermitStateEnum": "shouye.permits.choices.PermitState",
        "PermitSourceEnum": "shouye.permits.choices.PermitSource",
        "PermitPersonRoleEnum": "shouye.permits.choices.PermitPersonRole",
        "ApproverLevelEnum": "shouye.permits.choices.ApproverLevel",
        "PermitProblemCodeEnum": "shouye.permits.choices.ProblemCode",
        # The inspection item's result keeps the name it had when the duty records had a "result" too.
        "ResultEnum": "shouye.inspections.choices.ItemResult",
        # Monitoring (issue 13): the alarm levels, the roles a rule notifies, the point kinds and conditions.
        "NotifyRoleEnum": "shouye.monitoring.choices.NotifyRole",
        "PointKindEnum": "shouye.monitoring.choices.PointKind",
        "PointConditionEnum": "shouye.monitoring.choices.Condition",
        # Duty (issue 14): the roster, swap, log entry and handover states; the log entry's kind.
        "RosterStateEnum": "shouye.duty.choices.RosterState",
        "SwapStateEnum": "shouye.duty.choices.SwapState",
        "LogEntryStateEnum": "shouye.duty.choices.EntryState",
        "HandoverStateEnum": "shouye.duty.choices.HandoverState",
        "LogKindEnum": "shouye.duty.choices.LogKind",
        "DutyUnitKindEnum": "shouye.duty.choices.UnitKind",
        # Incidents (issue 14); the risk level keeps the name it had before the incident's grade came.
        "GradeEnum": "shouye.risks.choices.RiskLevel",
        "IncidentKindEnum": "shouye.incidents.choices.IncidentKind",
        "IncidentStateEnum": "shouye.incidents.choices.IncidentState",
        "IncidentSourceEnum": "shouye.incidents.choices.IncidentSource",
        "IncidentGradeEnum": "shouye.incidents.choices.Grade",
        "AccidentKindEnum": "shouye.incidents.choices.AccidentKind",
        "ClockKindEnum": "shouye.incidents.choices.ClockKind",
        "ClockStateEnum": "shouye.incidents.choices.ClockState",
        "ReportKindEnum": "shouye.incidents.choices.ReportKind",
        "TeamKindEnum": "shouye.resources.choices.TeamKind",
        "TeamReadinessEnum": "shouye.resources.choices.Readiness",
        "WarehouseStateEnum": "shouye.resources.choices.WarehouseState",
        "StockMovementKindEnum": "shouye.resources.choices.MovementKind",
        # Emergency plans and drills (issue 14).
        "UnitKindEnum": "shouye.plans.choices.UnitKind",
        "DrillCategoryEnum": "shouye.plans.choices.DrillCategory",
        "EnterpriseDrillCategoryEnum": "shouye.plans.choices.ENTERPRISE_CATEGORIES",
        "PlanKindEnum": "shouye.plans.choices.PlanKind",
        "PlanStateEnum": "shouye.plans.choices.PlanState",
        "PlanAudienceEnum": "shouye.plans.choices.Audience",
        "RevisionTriggerEnum": "shouye.plans.choices.RevisionTrigger",
        "DrillKindEnum": "shouye.plans.choices.DrillKind",
        "DrillStateEnum": "shouye.plans.choices.DrillState",
        "DrillProblemOutcomeEnum": "shouye.plans.choices.ProblemOutcome",
        # A drill problem's outcome beside the investigation check's: the latter keeps the name it had.
        "OutcomeEnum": "shouye.risks.choices.CheckOutcome",
        # Warnings and seasons (issue 14).
        "WarningKindEnum": "shouye.warnings.choices.WarningKind",
        "WarningSourceEnum": "shouye.warnings.choices.WarningSource",
        "WarningStateEnum": "shouye.warnings.choices.WarningState",
        "WarningLevelEnum": "shouye.warnings.choices.LEVEL_CHOICES",
        "FireDangerLevelEnum": "shouye.warnings.choices.FIRE_DANGER_CHOICES",
        "SeasonKindEnum": "shouye.warnings.choices.SeasonKind",
        # Agreement and capacity reserves (issue 14).
        "ReserveKindEnum": "shouye.resources.choices.ReserveKind",
        "ReserveStateEnum": "shouye.resources.choices.ReserveState",
        # A plan's documents (issue 14).
        "PlanDocumentKindEnum": "shouye.plans.choices.DocumentKind",
    },
}

# Monitoring (issue 13, decision 0014). The MQTT broker `shouye ingest` subscribes to: empty runs the embedded
# broker of `make run` on SHOUYE_MQTT_EMBEDDED_PORT; production names Mosquitto or EMQX (mqtt://host:1883).
SHOUYE_MQTT_URL = os.environ.get("SHOUYE_MQTT_URL", "")
SHOUYE_MQTT_EMBEDDED_PORT = env_int("SHOUYE_MQTT_EMBEDDED_PORT", 18830)
#: The readings' topic filter; several ingest processes share the load with "$share/<group>/shouye/v1/+/readings".
SHOUYE_MQTT_TOPIC = os.environ.get("SHOUYE_MQTT_TOPIC", "shouye/v1/+/readings")
#: Days raw readings are kept (40号令 Art. 13: at least 30; the deployment check refuses less) and years the minute
#: aggregates are kept.
SHOUYE_READING_RETENTION_DAYS = env_int("SHOUYE_READING_RETENTION_DAYS", 30)
SHOUYE_AGGREGATE_RETENTION_YEARS = env_int("SHOUYE_AGGREGATE_RETENTION_YEARS", 3)

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or f"sqla+sqlite:///{VAR_DIR / 'celery.sqlite3'}"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_CACHE_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                         "LOCATION": os.environ["REDIS_CACHE_URL"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"quiet_refusals": {"()": "shouye.core.log.QuietRefusals"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # A 403 or 404 a view raised is logged as one warning line, without its traceback (shouye.core.log).
        "django.request": {"filters": ["quiet_refusals"]},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs eight progress lines per PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # The audit anchors (shouye.audit.anchors) go to syslog only, when configured; never to the console.
        "shouye.audit.anchor": {"handlers": [], "level": "INFO", "propagate": False},
    },
}
if SHOUYE_AUDIT_ANCHOR_SYSLOG:
    LOGGING["handlers"]["audit_anchor_syslog"] = {"class": "logging.handlers.SysLogHandler", "facility": "auth",
                                                  "address": syslog_address(SHOUYE_AUDIT_ANCHOR_SYSLOG)}
    LOGGING["loggers"]["shouye.audit.anchor"]["handlers"] = ["audit_anchor_syslog"]

# Production hardening (manage.py check --deploy passes with DEBUG=false and HTTPS behind nginx).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_SSL_HOST = os.environ.get("SECURE_SSL_HOST") or None

