"""One wording for each absence kind: the attendance sheet, the allowance report (page and
download) and the dashboard's attendance table all say the same, in every language."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.dashboard import queries as q
from jobcenter.dashboard import tables
from jobcenter.hours.forms import ABSENCE_LABELS
from jobcenter.hours.models import AbsenceKind
from tests import factories

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)
ENGLISH = {
    AbsenceKind.OWN_ILLNESS: "Own illness",
    AbsenceKind.SICK_CHILD: "Sick child",
    AbsenceKind.JOB_INTERVIEW: "Job interview",
    AbsenceKind.PUBLIC_OFFICE: "Public office",
    AbsenceKind.OTHER_EXCUSED: "Other excused absence",
    AbsenceKind.UNEXCUSED: "Unexcused absence",
}


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    factories.make_activity_day(w.participant, DAY, absence_kind=AbsenceKind.UNEXCUSED)
    session.commit()
    yield w
    clock.freeze(None)


def test_every_absence_kind_has_exactly_one_label_in_english(app):
    with force_locale("en"):
        assert {kind: str(label) for kind, label in ABSENCE_LABELS.items()} == ENGLISH


@pytest.mark.parametrize("locale", ["fi", "sv"])
def test_every_absence_label_is_translated(app, locale):
    with force_locale(locale):
        for kind, label in ABSENCE_LABELS.items():
            assert str(label) != ENGLISH[kind], (locale, kind)


def test_attendance_sheet_offers_each_absence_kind_in_the_one_wording(client, login, world):
    login(world.instructor.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}?lang=en").get_data(as_text=True)

    for label in ENGLISH.values():
        assert f">{label}</option>" in page
    assert "did not come" not in page


def test_allowance_report_names_an_unexcused_absence_as_the_sheet_does(client, login, world):
    login(world.instructor.user)
    page = client.get("/reports/allowance?kind=month&start=2026-11-01&lang=en").get_data(
        as_text=True
    )

    assert ">Unexcused absence</th>" in page
    assert ">Unexcused absence</td>" in page


def test_allowance_download_names_an_unexcused_absence_as_the_sheet_does(client, login, world):
    login(world.instructor.user)
    response = client.get("/reports/allowance?kind=month&start=2026-11-01&format=csv&lang=en")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))

    assert any("Unexcused absence" in row[:5] for row in rows if len(row) >= 5)
    assert "Unexcused absence" in rows[1]


def test_dashboard_attendance_table_names_each_kind_as_the_sheet_does(app):
    figures = q.Attendance(
        records=4,
        by_kind=[
            q.AbsenceRow(AbsenceKind.OWN_ILLNESS, 1),
            q.AbsenceRow(AbsenceKind.UNEXCUSED, 1),
        ],
    )
    with force_locale("en"):
        table = tables.absence_table(figures).table

    assert [row[0] for row in table.rows] == ["Present", "Own illness", "Unexcused absence"]


def test_dashboard_attendance_table_keeps_the_finnish_words_of_the_sheet(app):
    figures = q.Attendance(records=1, by_kind=[q.AbsenceRow(AbsenceKind.UNEXCUSED, 1)])
    with force_locale("fi"):
        table = tables.absence_table(figures).table
        expected = str(ABSENCE_LABELS[AbsenceKind.UNEXCUSED])

    assert expected == "Luvaton poissaolo"
    assert table.rows[-1][0] == expected
