"""One rule for typed text: no control characters; line breaks and tabs in long text."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from marshmallow import Schema, ValidationError
from wtforms import Form, TextAreaField

from jobcenter.core.schemas import Text
from jobcenter.core.text import NoControlCharacters, control_character_message


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.mark.parametrize("text", ["abc\x00def", "bell\x07", "escape\x1b[31m", "del\x7f"])
def test_text_with_a_control_character_gets_a_message(text):
    assert control_character_message(text, multiline=True) == (
        "Remove control characters from the text."
    )


def test_line_breaks_and_tabs_are_fine_in_text_of_several_lines():
    assert control_character_message("first line\r\nsecond\tline", multiline=True) is None


def test_a_line_break_in_a_one_line_field_gets_a_message():
    assert control_character_message("one\nline", multiline=False) == (
        "Remove line breaks, tabs and other control characters."
    )


@pytest.mark.parametrize("text", ["", None, "<script>", "\u202eevil\u202c \U0001f600 Åsa"])
def test_ordinary_and_unusual_but_printable_text_passes(text):
    assert control_character_message(text, multiline=False) is None


class _NoteForm(Form):
    note = TextAreaField(validators=[NoControlCharacters()])


class _Formdata(dict):
    def getlist(self, key):
        return [self[key]] if key in self else []


def test_the_form_validator_refuses_a_nul_byte_beside_the_field():
    form = _NoteForm(formdata=_Formdata(note="abc\x00"))

    assert not form.validate()
    assert form.errors == {"note": ["Remove control characters from the text."]}


def test_the_api_text_field_uses_the_same_rule():
    class NoteSchema(Schema):
        note = Text(multiline=True)

    with pytest.raises(ValidationError) as refused:
        NoteSchema().load({"note": "abc\x00"})

    assert refused.value.messages == {"note": ["Remove control characters from the text."]}


def test_half_of_a_surrogate_pair_is_a_broken_character():
    assert control_character_message("ok \ud800", multiline=True) == (
        "The text has a broken character. Type it again."
    )


def test_a_whole_emoji_is_not_broken():
    assert control_character_message("ok \U0001f600", multiline=False) is None
