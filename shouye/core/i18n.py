"""The translation catalogue without GNU gettext: extraction of every msgid from our Python code and
templates, an update of the zh_Hans .po file, and compilation to .mo with polib (so `make run` works on a
machine without gettext installed). A test fails when any msgid lacks a translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
from django.template.base import Lexer, TokenType

PACKAGE = Path(__file__).resolve().parent.parent
LOCALE_DIR = PACKAGE / "locale"
CATALOG_LANGUAGES = ["zh_Hans"]

_GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop"}
_PGETTEXT = {"pgettext", "pgettext_lazy"}
_NGETTEXT = {"ngettext", "ngettext_lazy"}
_TRANS_TAG = re.compile(r"""^(?:translate|trans)\s+(?P<q>["'])(?P<msg>.*?)(?P=q)(?:\s+context\s+(?P<cq>["'])(?P<ctx>.*?)(?P=cq))?""")
_VAR_UNDERSCORE = re.compile(r"""_\((?P<q>["'])(?P<msg>.*?)(?P=q)\)""")
_BLOCK_START = re.compile(r"^(?:blocktranslate|blocktrans)\b(?P<args>.*)$")
#: msgid_plural of every (context, msgid) extracted from an ngettext call or a {% blocktranslate count %}:
#: gettext finds a plural translation only under the pair (msgid, msgid_plural).
PLURALS: dict[tuple[str | None, str], str] = {}


def _name(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _const(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract_python(path: Path) -> set[tuple[str | None, str]]:
    """(context, msgid) pairs of every gettext call with literal arguments in one Python file."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = node.args
        if name in _GETTEXT and args and _const(args[0]) is not None:
            found.add((None, _const(args[0])))
        elif name in _PGETTEXT and len(args) >= 2 and _const(args[0]) is not None and _const(args[1]) is not None:
            found.add((_const(args[0]), _const(args[1])))
        elif name in _NGETTEXT and len(args) >= 2 and _const(args[0]) is not None:
            found.add((None, _const(args[0])))
            if _const(args[1]) is not None:
                PLURALS[(None, _const(args[0]))] = _const(args[1])
    return found


def extract_template(path: Path) -> set[tuple[str | None, str]]:
    found = set()
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.token_type == TokenType.BLOCK:
            match = _TRANS_TAG.match(token.contents)
            block = _BLOCK_START.match(token.contents)
            if match:
                found.add((match.group("ctx"), match.group("msg")))
            elif block:
                index, msgid, plural = _collect_block(tokens, index + 1, trimmed="trimmed" in block.group("args"))
                context = re.search(r"""context\s+["'](.*?)["']""", block.group("args"))
                found.add((context.group(1) if context else None, msgid))
                if plural is not None:
                    PLURALS[(context.group(1) if context else None, msgid)] = plural
                continue
        for match in _VAR_UNDERSCORE.finditer(token.contents if token.token_type != TokenType.TEXT else ""):
            found.add((None, match.group("msg")))
        index += 1
    return found


def _collect_block(tokens, index: int, trimmed: bool) -> tuple[int, str, str | None]:
    """The block's msgid and, after a {% plural %}, its msgid_plural (None without one)."""
    texts, parts = [], []
    while index < len(tokens):
        token = tokens[index]
        if token.token_type == TokenType.BLOCK and token.contents.split()[0] in ("endblocktranslate", "endblocktrans"):
            break
        if token.token_type == TokenType.BLOCK and token.contents.split()[0] == "plural":
            texts.append(parts)
            parts = []
        elif token.token_type == TokenType.VAR:
            parts.append(f"%({token.contents.strip()})s")
        else:
            parts.append(token.contents.replace("%", "%%"))
        index += 1
    texts.append(parts)
    texts = ["".join(text) for text in texts]
    if trimmed:
        texts = [" ".join(line.strip() for line in text.strip().splitlines() if line.strip()) for text in texts]
    return index + 1, texts[0], texts[1] if len(texts) > 1 else None


def extract_all() -> set[tuple[str | None, str]]:
    PLURALS.clear()
    messages = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or "rules" in path.relative_to(PACKAGE).parts[:1]:
            continue
        messages |= extract_python(path)
    for path in sorted(PACKAGE.rglob("*.html")):
        if "static" in path.parts:
            continue
        messages |= extract_template(path)
    return {(ctx, msg) for ctx, msg in messages if msg}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def load_catalog(language: str) -> polib.POFile:
    path = po_path(language)
    if path.exists():
        return polib.pofile(str(path))
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language,
                        "Plural-Forms": "nplurals=1; plural=0;"}
    return catalog


def missing_translations(language: str) -> list[tuple[str | None, str]]:
    catalog = load_catalog(language)
    translated = {(e.msgctxt, e.msgid) for e in catalog if _translated(e) and "fuzzy" not in e.flags and not e.obsolete}
    return sorted(extract_all() - translated, key=lambda item: (item[0] or "", item[1]))


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def update_catalog(language: str) -> int:
    """Add every extracted msgid missing from the .po (untranslated), remove the entries no source uses any
    more (a merge of two branches would otherwise bring back a string one of them deleted), and give each
    plural message its msgid_plural (keeping a translation it already has); returns how many were added."""
    catalog = load_catalog(language)
    messages = extract_all()
    for entry in [e for e in catalog if (e.msgctxt, e.msgid) not in messages]:
        catalog.remove(entry)
    for entry in catalog:
        plural = PLURALS.get((entry.msgctxt, entry.msgid))
        if plural and entry.msgid_plural != plural:
            entry.msgid_plural = plural
            entry.msgstr_plural = {0: entry.msgstr or entry.msgstr_plural.get(0, "")}
            entry.msgstr = ""
    present = {(e.msgctxt, e.msgid) for e in catalog}
    added = 0
    for context, msgid in sorted(messages - present, key=lambda item: (item[0] or "", item[1])):
        plural = PLURALS.get((context, msgid))
        if plural:
            catalog.append(polib.POEntry(msgctxt=context, msgid=msgid, msgid_plural=plural, msgstr_plural={0: ""}))
        else:
            catalog.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=""))
        added += 1
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))
    return added


def compile_catalogs() -> list[Path]:
    written = []
    for language in CATALOG_LANGUAGES:
        path = po_path(language)
        if path.exists():
            target = path.with_suffix(".mo")
            polib.pofile(str(path)).save_as_mofile(str(target))
            written.append(target)
    return written
