"""Hostile input for the bad-input matrix (tests/test_bad_input_matrix.py), and a small
reader of the forms on a page, so the matrix fills in exactly the fields people see.

Kept apart from the matrix so feature tests can reuse the values:

    from tests.bad_input import FORM_VALUES
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

# Bytes a form may carry that are not UTF-8 at all (a lone surrogate as CESU-8, an
# overlong slash): sent percent-encoded, as a browser or a script could.
FORM_BYTES: dict[str, bytes] = {
    "lone-surrogate-bytes": b"\xed\xa0\x80x",
    "overlong-utf8": b"\xc0\xafx",
}

# What a person (or a script posing as a browser) can type into any form field.
FORM_VALUES: dict[str, str] = {
    "empty": "",
    "whitespace": " \t \u00a0 ",
    "5k": "x" * 5_000,
    "100k": "y" * 100_000,
    "nul": "abc\x00def",
    "1e309": "1e309",
    "minus-one": "-1",
    "nan": "NaN",
    "huge-int": "9999999999999999999999",
    "script": "<script>alert(1)</script>",
    # A lone surrogate cannot be sent as UTF-8, so a browser sends its replacement
    # character; with it right-to-left overrides, zero-width and combining marks.
    "unicode": "\ufffd\u202eevil\u202c\u200b\u0301\U0001f600",
    "bad-date": "2026-02-30",
}

# The JSON API: what replaces one documented property's value.
JSON_WRONG_TYPES: dict[str, Any] = {
    "list": ["a", 1],
    "object": {"a": 1},
    "number": 12345,
    "float": 1.5,
    "string": "not a number",
    "null": None,
    "huge-number": 10**30,
    # Python's JSON reads 1e309 (and the non-standard Infinity, NaN) as float inf / nan.
    "infinity": float("inf"),
    "nan": float("nan"),
    "negative": -1,
    "true": True,
    "false": False,
    "nul-string": "abc\x00def",
    "long-string": "z" * 100_000,
    "bad-date": "2026-02-30",
    # JSON may escape half of a surrogate pair; Python then holds a string that no
    # database encoding (UTF-8) can store.
    "lone-surrogate": "\ud800 half",
}

# Whole bodies that are not what any endpoint takes: (name, raw bytes, content type).
RAW_BODIES: list[tuple[str, bytes, str | None]] = [
    ("empty-body", b"", "application/json"),
    ("null-body", b"null", "application/json"),
    ("list-body", b"[1, 2]", "application/json"),
    ("string-body", b'"text"', "application/json"),
    ("number-body", b"42", "application/json"),
    ("malformed", b'{"title": ', "application/json"),
    ("not-utf8", b'{"title": "\xff\xfe"}', "application/json"),
    ("nan-literal", b'{"a": NaN}', "application/json"),
    ("deep-nesting", b"[" * 5_000 + b"]" * 5_000, "application/json"),
    ("form-encoded", b"title=x", "application/x-www-form-urlencoded"),
    ("text-plain", b'{"a": 1}', "text/plain"),
    ("no-content-type", b'{"a": 1}', None),
]


TYPED_KINDS = frozenset(
    {"text", "textarea", "date", "time", "datetime-local", "month", "week", "email", "tel",
     "number", "password", "search", "url"}
)  # fmt: skip


@dataclass
class Form:
    """One <form method="post"> of a page: where it posts and what it sends."""

    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → default values
    kinds: dict[str, str] = field(default_factory=dict)  # name → input type / tag
    first_choice: dict[str, str] = field(default_factory=dict)  # radio name → first value

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    def editable(self) -> list[str]:
        """Every field a person or a script can change (the CSRF token is not one)."""
        return [name for name in self.fields if name != "csrf_token"]

    def typed(self) -> list[str]:
        """The fields a person types into (not chosen from what the page offers)."""
        return [name for name in self.editable() if self.kinds[name] in TYPED_KINDS]

    def shape(self) -> tuple[str, ...]:
        return tuple(sorted(self.editable()))

    def data(self, hostile: str, names: list[str]) -> list[tuple[str, str]]:
        """What the form sends with `names` set to `hostile` and the rest as a person
        leaves them (a radio group with nothing chosen gets its first choice)."""
        pairs = [(name, hostile) for name in names]
        for name, values in self.fields.items():
            if name not in names:
                values = values or ([self.first_choice[name]] if name in self.first_choice else [])
                pairs += [(name, value) for value in values]
        return pairs


class _FormReader(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action") or self.page_path)
                self.forms.append(self._form)
            else:
                self._form = None
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form.kinds.setdefault(name, kind)
            values = form.fields.setdefault(name, [])
            if kind == "radio":
                form.first_choice.setdefault(name, a.get("value", "on"))
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    values.append(a.get("value", "on"))
            elif kind not in ("submit", "image", "reset", "button"):
                values.append(a.get("value", ""))
        elif tag == "button" and name:
            # The first button stands for the one a person presses.
            if name not in form.fields:
                form.kinds[name] = "button"
                form.fields[name] = [a.get("value", "")]
        elif tag == "select" and name:
            form.kinds.setdefault(name, "select")
            form.fields.setdefault(name, [])
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form.fields[self._select].append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            form.kinds.setdefault(name, "textarea")
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields.setdefault(self._textarea, []).append("".join(self._text))
            self._textarea = None


def read_forms(html: str, page_path: str) -> list[Form]:
    """The POST forms of a page, with the values they would send unchanged."""
    reader = _FormReader(page_path)
    reader.feed(html)
    reader.close()
    return reader.forms
