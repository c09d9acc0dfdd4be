"""The data migration that gives weekly tasks saved without a last day the last day
their repeat rule ends on (edits before the fix stored NULL)."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from jobcenter.extensions import db
from jobcenter.units.models import Task
from tests import factories

MIGRATION = next(
    (Path(__file__).parents[2] / "migrations" / "versions").glob("*_4f2a9c1d7e63_*.py")
)


def _fill_last_dates() -> int:
    spec = importlib.util.spec_from_file_location("last_date_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    changed = module.fill_last_dates(db.session.connection())
    db.session.commit()
    db.session.expire_all()
    return changed


def _weekly(session, rule: str, last: date | None = None) -> Task:
    task = factories.make_task(recurrence=rule, first_date=date(2026, 8, 4), last_date=last)
    session.commit()
    return task


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270121", date(2027, 1, 19)),
        ("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=3", date(2026, 8, 11)),
    ],
)
def test_a_bounded_weekly_task_without_a_last_day_gets_the_rules_last_day(session, rule, expected):
    task = _weekly(session, rule)

    assert _fill_last_dates() == 1
    assert session.get(Task, task.id).last_date == expected


def test_an_open_ended_repeat_and_a_task_with_a_last_day_are_left_alone(session):
    open_ended = _weekly(session, "FREQ=WEEKLY;BYDAY=TU")
    dated = _weekly(session, "FREQ=WEEKLY;BYDAY=TU;COUNT=3", last=date(2026, 8, 11))

    assert _fill_last_dates() == 0
    assert session.get(Task, open_ended.id).last_date is None
    assert session.get(Task, dated.id).last_date == date(2026, 8, 11)
