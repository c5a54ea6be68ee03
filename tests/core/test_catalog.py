"""The zh_Hans catalogue is complete: every msgid in our code and templates has a Chinese translation
with the same placeholders, so no English leaks into the Chinese UI."""

import re

import polib

from shouye.core.i18n import extract_all, load_catalog, missing_translations, po_path

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def test_every_message_is_translated():
    missing = missing_translations("zh_Hans")
    assert not missing, (
        f"{len(missing)} messages have no zh_Hans translation; run `shouye makecatalog` and translate "
        f"them in {po_path('zh_Hans')}:\n" + "\n".join(msgid for _ctx, msgid in missing[:40])
    )


def test_translations_keep_their_placeholders():
    catalog = polib.pofile(str(po_path("zh_Hans")))
    wrong = [entry.msgid for entry in catalog if entry.msgstr and
             sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))]
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


def test_extraction_finds_python_and_template_strings():
    messages = {msgid for _ctx, msgid in extract_all()}
    assert "The user name or password is incorrect." in messages  # accounts/services.py
    assert "Licence expiry warnings" in messages  # a template {% translate %}
    assert "%(n)s inspections a year" in messages  # a {% blocktranslate %} with a variable


def test_the_catalogue_holds_no_string_the_source_no_longer_uses():
    """A deleted string leaves the catalogue with ``makecatalog`` (and does not come back with a merge)."""
    used = extract_all()
    stale = [entry.msgid for entry in load_catalog("zh_Hans") if (entry.msgctxt, entry.msgid) not in used]
    assert not stale, stale
