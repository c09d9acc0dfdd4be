"""The registry of texts the system writes: stored as English msgids, translated only
when shown and only when the stored value is exactly a registered msgid; the msgids
stay extractable and translated; the data migration converts stored translations."""

from __future__ import annotations

import importlib.util
import logging.config
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

from jobcenter.core import system_texts
from jobcenter.core.system_texts import MSGIDS, SystemText
from jobcenter.extensions import db
from jobcenter.hours.models import ActivityDay, AttendanceRecord
from jobcenter.scheduling.models import AssignmentEvent, AssignmentStatus, Shift, ShiftStatus
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "jobcenter" / "translations"
MIGRATION = next((ROOT / "migrations" / "versions").glob("*_81885eedd1bd_*.py"))

DAYS_CHANGED = "The days of the task changed."
DAY_UPDATED = "Attendance of the day was confirmed or corrected."


# ---------------------------------------------------------------- writing and showing


def test_a_writer_stores_the_english_msgid_whatever_the_language_of_the_request(app):
    with force_locale("fi"):
        assert system_texts.stored(SystemText.TASK_DAYS_CHANGED) == DAYS_CHANGED
    with force_locale("sv"):
        assert system_texts.stored(SystemText.ATTENDANCE_DAY_UPDATED) == DAY_UPDATED


def test_an_unknown_key_is_a_programming_error_not_a_stored_text(app):
    with pytest.raises(ValueError, match="no_such_text"):
        system_texts.stored("no_such_text")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fi", "Työtehtävän päivät muuttuivat."),
        ("sv", "Arbetsuppgiftens dagar har ändrats."),
        ("en", DAYS_CHANGED),
    ],
)
def test_a_stored_system_text_is_shown_in_the_readers_language(app, locale, expected):
    with force_locale(locale):
        assert system_texts.shown(DAYS_CHANGED) == expected


def test_a_persons_text_that_is_another_msgid_of_the_catalogue_is_shown_as_written(app):
    # "Reason:" is translated in the catalogue (sv "Orsak:") but it is not a system text.
    with force_locale("sv"):
        assert system_texts.shown("Reason:") == "Reason:"


def test_a_persons_text_is_shown_exactly_as_written(app):
    typed = "  Sade – the days of the task changed.  "
    with force_locale("fi"):
        assert system_texts.shown(typed) == typed


@pytest.mark.parametrize("value", [None, ""])
def test_nothing_stored_stays_nothing(app, value):
    with force_locale("sv"):
        assert system_texts.shown(value) == value


def test_shown_in_writes_a_system_text_in_the_given_language_whatever_the_request(app):
    with force_locale("fi"):
        assert system_texts.shown_in(DAY_UPDATED, "sv") == (
            "Närvaron för dagen har bekräftats eller korrigerats."
        )
        assert system_texts.shown_in("Korjattu", "sv") == "Korjattu"


def test_is_system_text_matches_registered_msgids_exactly(app):
    assert system_texts.is_system_text(DAYS_CHANGED)
    assert not system_texts.is_system_text(DAYS_CHANGED.lower())
    assert not system_texts.is_system_text(None)


def test_templates_translate_with_the_system_text_filter(app):
    template = "{{ a|system_text }} | {{ b|system_text }} | {{ c|system_text or '-' }}"
    with app.test_request_context("/?lang=sv"):
        html = render_template_string(template, a=DAYS_CHANGED, b="Reason:", c=None)

    assert html == "Arbetsuppgiftens dagar har ändrats. | Reason: | -"


# ---------------------------------------------------------------- the catalogues


def test_pybabel_extraction_finds_every_registered_msgid():
    """./dev.sh translations extracts with pybabel's default keywords plus _l and
    lazy_gettext; N_ is one of the defaults."""
    keywords = DEFAULT_KEYWORDS | {"_l": None, "lazy_gettext": None}
    found = {
        message
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / "jobcenter" / "core"), method_map=[("**.py", "python")], keywords=keywords
        )
        if filename.endswith("system_texts.py")
    }
    assert found == set(MSGIDS.values())


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_registered_msgid_keeps_its_translation(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    untranslated = [
        msgid
        for msgid in MSGIDS.values()
        if (m := catalog.get(msgid)) is None or not m.string or m.fuzzy
    ]
    assert untranslated == []


# ---------------------------------------------------------------- the data migration


@pytest.fixture(autouse=True)
def _keep_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """migrations/env.py calls fileConfig(), which would disable the app's loggers."""
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_database(request, tmp_path, make_app) -> Iterator[None]:
    """A brand-new database (a SQLite file, or a PostgreSQL database when DATABASE_URL
    points to one) upgraded to the head, with an app context on it."""
    admin = name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'texts.sqlite3'}"
    else:
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith("postgres"):
            pytest.skip("DATABASE_URL does not point to PostgreSQL")
        base_url = sa.engine.make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
        name = f"{base_url.database}_texts_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(base_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = base_url.set(database=name).render_as_string(hide_password=False)
    application = make_app(SQLALCHEMY_DATABASE_URI=url)
    try:
        with application.app_context():
            flask_migrate.upgrade()
            factories.reset_sequence()
            yield
            db.session.remove()
            db.engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _migration_module():
    spec = importlib.util.spec_from_file_location("system_texts_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _run_this_migration_again() -> None:
    """Back to the revision before this one (the schema is unchanged by it) and up."""
    module = _migration_module()
    flask_migrate.stamp(revision=module.down_revision)
    flask_migrate.upgrade(revision=module.revision)


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_the_migration_turns_stored_finnish_and_swedish_system_texts_into_msgids(
    migrated_database,
):
    session = db.session
    finnish = factories.make_shift(
        status=ShiftStatus.CANCELLED, cancel_reason="Työtehtävän päivät muuttuivat."
    )
    swedish = factories.make_shift(
        status=ShiftStatus.CANCELLED, cancel_reason="Arbetsuppgiftens dagar har ändrats."
    )
    assignment = factories.make_assignment(finnish, status=AssignmentStatus.CANCELLED)
    session.add(
        AssignmentEvent(
            assignment_id=assignment.id,
            from_status=AssignmentStatus.CONFIRMED,
            to_status=AssignmentStatus.CANCELLED,
            reason="Työtehtävän päivät muuttuivat.",
        )
    )
    day = factories.make_activity_day(assignment.participant, absence_kind="unexcused")
    factories.correct_activity_day(
        day, correction_reason="Närvaron för dagen har bekräftats eller korrigerats."
    )
    session.commit()

    _run_this_migration_again()

    session.expire_all()
    assert (finnish.cancel_reason, swedish.cancel_reason) == (DAYS_CHANGED, DAYS_CHANGED)
    assert session.scalars(sa.select(AssignmentEvent.reason)).all() == [DAYS_CHANGED]
    assert session.scalars(
        sa.select(ActivityDay.correction_reason).where(ActivityDay.supersedes_id.is_not(None))
    ).all() == [DAY_UPDATED]


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_the_migration_leaves_what_people_wrote_alone(migrated_database):
    session = db.session
    typed = factories.make_shift(status=ShiftStatus.CANCELLED, cancel_reason="Sali suljettu.")
    assignment = factories.make_assignment(typed)
    record = factories.make_attendance_record(assignment)
    # The words of a system text, but in a column the system never wrote it to.
    correction = factories.make_attendance_record(
        assignment,
        supersedes_id=record.id,
        correction_reason="Päivän läsnäolo vahvistettiin tai korjattiin.",
    )
    session.commit()

    _run_this_migration_again()

    session.expire_all()
    assert typed.cancel_reason == "Sali suljettu."
    assert correction.correction_reason == "Päivän läsnäolo vahvistettiin tai korjattiin."
    assert session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 2
