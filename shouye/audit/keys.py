"""The keys of the audit chain (docs/decisions/0006).

Each event's hash is an HMAC-SHA256 under a key kept outside the database, so whoever can write the
database but does not hold the key cannot re-hash the chain after rewriting it. The keys come from the
settings, never from the database:

- ``SHOUYE_AUDIT_KEY``: the signing key itself (from the environment);
- ``SHOUYE_AUDIT_KEY_FILE``: a file with one key per line (``#`` starts a comment). Without
  ``SHOUYE_AUDIT_KEY`` its first key signs; every key in it verifies. Rotating a key means putting the new
  key first and keeping the old ones below it, so the events they signed keep verifying;
- neither: a development key generated once into ``VAR_DIR/audit-key`` — beside the SQLite database, so it
  protects nothing, which is why ``check --deploy`` refuses it (shouye/audit/checks.py).

Every event records the id of the key that signed it (a fingerprint of the key, which reveals nothing of
it), so verification picks the right key after a rotation."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

#: Keys shorter than this are refused by ``check --deploy``: the key is the one secret the chain rests on.
MIN_KEY_LENGTH = 32
DEVELOPMENT_KEY_FILE = "audit-key"
#: The settings this module reads; changing one (tests, rotation in a shell) drops the cached keys.
SETTINGS = ("SHOUYE_AUDIT_KEY", "SHOUYE_AUDIT_KEY_FILE", "VAR_DIR")


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes
    #: Where the key came from, for messages: a setting's name or a file's path.
    source: str

    def mac(self, message: bytes) -> str:
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Keyring:
    signing: AuditKey
    by_id: dict[str, AuditKey]
    #: True when no key is configured and the development key under VAR_DIR signs.
    development: bool


def key_id(secret: bytes) -> str:
    """A short fingerprint naming the key in each event: an HMAC of a fixed text, so it tells nothing
    about the key to someone who does not hold it."""
    return hmac.new(secret, b"shouye audit key id", hashlib.sha256).hexdigest()[:8]


def _key(text: str, source: str) -> AuditKey:
    secret = text.strip().encode()
    return AuditKey(id=key_id(secret), secret=secret, source=source)


def configured_keys() -> list[AuditKey]:
    """The keys the settings name, the signing key first; empty when none is configured. Raises
    ImproperlyConfigured when the key file cannot be read or holds no key."""
    found = []
    if settings.SHOUYE_AUDIT_KEY.strip():
        found.append(_key(settings.SHOUYE_AUDIT_KEY, "SHOUYE_AUDIT_KEY"))
    if settings.SHOUYE_AUDIT_KEY_FILE:
        path = Path(settings.SHOUYE_AUDIT_KEY_FILE)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise ImproperlyConfigured(
                f"SHOUYE_AUDIT_KEY_FILE {path} cannot be read ({error}): the audit chain cannot be sealed "
                "or verified without its keys.") from error
        keys = [_key(line, str(path)) for line in lines if line.strip() and not line.lstrip().startswith("#")]
        if not keys:
            raise ImproperlyConfigured(f"SHOUYE_AUDIT_KEY_FILE {path} holds no key (one key per line).")
        found.extend(keys)
    return found


def development_key_path() -> Path:
    return Path(settings.VAR_DIR) / DEVELOPMENT_KEY_FILE


def _development_key() -> AuditKey:
    """The development key, generated on first use. Written to a temporary file and linked into place, so
    that two processes starting together never read a half-written key: the second link fails and that
    process reads the first one's key."""
    path = development_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return _key(path.read_text(encoding="utf-8"), str(path))


@functools.cache
def keyring() -> Keyring:
    """The signing key and every key that verifies, read once per process (restart the processes after
    changing a key)."""
    found = configured_keys()
    development = not found
    if development:
        found = [_development_key()]
    by_id = {}
    for key in found:
        by_id.setdefault(key.id, key)
    return Keyring(signing=found[0], by_id=by_id, development=development)


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in SETTINGS:
        keyring.cache_clear()
