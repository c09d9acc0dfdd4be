"""Every message shown to people exists in Finnish and Swedish, and the compiled
catalogues match their sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "jobcenter" / "translations"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,  # texts the system stores (core/system_texts.py), translated on display
}


def _source_messages() -> set[str]:
    found: set[str] = set()
    methods = [
        ("jobcenter/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=methods, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog(lang: str, kind: str):
    path = TRANSLATIONS / lang / "LC_MESSAGES" / f"messages.{kind}"
    with path.open("rb") as fh:
        return read_po(fh) if kind == "po" else read_mo(fh)


@pytest.fixture(scope="module")
def source_messages() -> set[str]:
    return _source_messages()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_message_is_translated(lang: str, source_messages: set[str]) -> None:
    catalog = _catalog(lang, "po")
    missing = sorted(
        msgid
        for msgid in source_messages
        if not (m := catalog.get(msgid))
        or not m.string
        or m.fuzzy
        or (isinstance(m.string, tuple) and not all(m.string))
    )
    assert not missing, f"{len(missing)} messages lack a {lang} translation: {missing[:20]}"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_compiled_catalog_matches_its_source(lang: str) -> None:
    def key(value):  # plural messages come back as lists from .mo, tuples from .po
        return tuple(value) if isinstance(value, list) else value

    po = {
        key(m.id): key(m.string) for m in _catalog(lang, "po") if m.id and m.string and not m.fuzzy
    }
    mo = {key(m.id): key(m.string) for m in _catalog(lang, "mo") if m.id}
    assert po == mo, "run ./dev.sh translations to recompile the catalogues"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]")
    for m in _catalog(lang, "po"):
        if not m.id or not m.string or isinstance(m.id, tuple):
            continue
        assert sorted(placeholder.findall(m.id)) == sorted(placeholder.findall(m.string)), m.id
