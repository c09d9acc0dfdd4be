"""How a recorded absence reads on the attendance sheet (templates/attendance/_sheet.html,
the wording the allowance report's absences are checked against): each kind in one
natural phrase in Finnish, Swedish and English, never "Absent: Unexcused absence"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import get_template_attribute

from jobcenter.hours.forms import ABSENCE_LABELS
from jobcenter.hours.models import AbsenceKind


def status_of(app, kind: AbsenceKind, lang: str) -> str:
    record = SimpleNamespace(present=False, absence_kind=kind)
    with app.test_request_context(f"/?lang={lang}"):
        macro = get_template_attribute("attendance/_sheet.html", "status_text")
        return " ".join(str(macro(record, ABSENCE_LABELS)).split())


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (AbsenceKind.UNEXCUSED, "Absent: No valid reason"),
        (AbsenceKind.OTHER_EXCUSED, "Absent: Other excused reason"),
        (AbsenceKind.OWN_ILLNESS, "Absent: Own illness"),
        (AbsenceKind.SICK_CHILD, "Absent: Sick child"),
        (AbsenceKind.JOB_INTERVIEW, "Absent: Job interview"),
        (AbsenceKind.PUBLIC_OFFICE, "Absent: Public office"),
    ],
)
def test_an_absence_reads_as_one_phrase(app, kind, text):
    assert status_of(app, kind, "en") == text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("kind", list(AbsenceKind))
def test_no_absence_says_absent_twice(app, lang, kind):
    text = status_of(app, kind, lang).casefold()
    for word in ("absen", "poissa", "frånvar"):
        assert text.count(word) <= 1, text
