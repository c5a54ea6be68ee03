"""`manage.py check --deploy` refuses an audit chain that the database's writer could re-hash unseen
(issue 9, item 11; docs/decisions/0006): no key configured (the development key under var/ would sign), a
key file that cannot be read or holds no key, the SECRET_KEY as the key, a key short enough to guess, or an
anchor file that cannot be written. A proper key and anchor file pass."""

import pytest
from django.core.checks import run_checks

GOOD_KEY = "k" * 48


def audit_problems(settings, **overrides) -> list[str]:
    for name, value in {"SHOUYE_AUDIT_KEY": GOOD_KEY, "SHOUYE_AUDIT_KEY_FILE": "", **overrides}.items():
        setattr(settings, name, value)
    return [message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("audit.")]


def test_a_configured_key_and_a_writable_anchor_file_pass(settings):
    assert audit_problems(settings) == []


def test_no_key_is_an_error_naming_the_development_key(settings):
    assert audit_problems(settings, SHOUYE_AUDIT_KEY="") == ["audit.E001"]
    message = next(m for m in run_checks(include_deployment_checks=True) if m.id == "audit.E001")
    assert "development key" in message.msg and "SHOUYE_AUDIT_KEY_FILE" in message.hint


@pytest.mark.parametrize("text", [None, "# only a comment\n\n"], ids=["missing", "no key in it"])
def test_a_key_file_without_a_key_is_an_error(settings, tmp_path, text):
    path = tmp_path / "audit-key"
    if text is not None:
        path.write_text(text)
    assert audit_problems(settings, SHOUYE_AUDIT_KEY="", SHOUYE_AUDIT_KEY_FILE=str(path)) == ["audit.E002"]


def test_the_secret_key_as_the_audit_key_is_an_error(settings, tmp_path):
    assert audit_problems(settings, SHOUYE_AUDIT_KEY=settings.SECRET_KEY) == ["audit.E003"]
    path = tmp_path / "audit-keys"
    path.write_text(f"{GOOD_KEY}\n{settings.SECRET_KEY}\n")
    assert audit_problems(settings, SHOUYE_AUDIT_KEY="", SHOUYE_AUDIT_KEY_FILE=str(path)) == ["audit.E003"]


def test_a_short_key_is_an_error(settings):
    assert audit_problems(settings, SHOUYE_AUDIT_KEY="shouye2026") == ["audit.E004"]


def test_an_anchor_file_that_cannot_be_written_is_an_error(settings, tmp_path):
    assert audit_problems(settings, SHOUYE_AUDIT_ANCHOR_FILE=str(tmp_path / "missing" / "audit-anchor.log")) == [
        "audit.E005"]
