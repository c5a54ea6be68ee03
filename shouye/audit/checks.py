"""Deployment checks of the audit trail (``manage.py check --deploy``; docs/decisions/0006): the chain is
verifiable against something the database's writer does not hold only when its key is configured outside
the database, is not the SECRET_KEY (which every Django process and many a config file holds), is long
enough not to be guessed, and when its anchors can be written."""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from . import keys

KEY_HINT = ("Set SHOUYE_AUDIT_KEY_FILE to a file readable only by the application's user (not by the "
            "database's administrators) holding one random line, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))' > /etc/shouye/audit-key`, or set "
            "SHOUYE_AUDIT_KEY. See docs/decisions/0006 for rotating it.")


@register(Tags.security, deploy=True)
def audit_key(app_configs, **kwargs):
    try:
        configured = keys.configured_keys()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint=KEY_HINT, id="audit.E002")]
    if not configured:
        return [Error(
            "No audit key is configured: the audit chain would be signed with the development key under "
            f"{keys.development_key_path()}, so whoever can write the database could re-hash it unseen.",
            hint=KEY_HINT, id="audit.E001")]
    problems = []
    secret_key = settings.SECRET_KEY.encode()
    for key in configured:
        if key.secret == secret_key:
            problems.append(Error(
                f"The audit key from {key.source} is the SECRET_KEY: the chain's key must be a secret of its own.",
                hint=KEY_HINT, id="audit.E003"))
        elif len(key.secret) < keys.MIN_KEY_LENGTH:
            problems.append(Error(
                f"The audit key from {key.source} has {len(key.secret)} characters; it needs at least "
                f"{keys.MIN_KEY_LENGTH} so that it cannot be guessed.", hint=KEY_HINT, id="audit.E004"))
    return problems


@register(Tags.security, deploy=True)
def audit_anchor_file(app_configs, **kwargs):
    path = Path(settings.SHOUYE_AUDIT_ANCHOR_FILE)
    writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK | os.X_OK)
    if writable:
        return []
    return [Error(
        f"The audit anchor file {path} cannot be written by this user: without anchors outside the database, "
        "deleting the newest audit events goes unnoticed.",
        hint="Create its directory and give the application's user the right to append to the file (e.g. "
             "/var/log/shouye/, with `chattr +a` on the file), or set SHOUYE_AUDIT_ANCHOR_FILE.",
        id="audit.E005")]
