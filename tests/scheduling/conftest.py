"""What the scheduling tests share: a unit contact, a group, and an accepted task whose
shifts were generated at T0 (Monday 2.3.2026, 10:00 in Helsinki) on the days a module
names in its own `task_dates` fixture; `shift_on` finds the task's shift of a March day.
A module that reads messages in English says `pytestmark = pytest.mark.usefixtures("english")`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.scheduling.models import Shift
from tests import factories

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2.3.2026 10:00 Helsinki
# Thursday 5.3.2026 12:00 Helsinki: the shifts of 3.3. and 4.3. are over.
LATER = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def contact(session):
    return factories.make_unit_contact()


@pytest.fixture
def group(session):
    return factories.make_group()


@pytest.fixture
def task(session, contact, group, task_dates):
    """Accepted at T0 for `group`, 09:00 on each of `task_dates` (the module's fixture)."""
    with clock.frozen(T0):
        return factories.make_accepted_task(
            contact, group, dates=task_dates, preferred_start="09:00"
        )


def shift_on(session, task, day: int) -> Shift:
    """The task's shift on `day`.3.2026 (Helsinki)."""
    for shift in session.scalars(sa.select(Shift).where(Shift.task_id == task.id)):
        if clock.to_local(shift.starts_at).date() == date(2026, 3, day):
            return shift
    raise AssertionError(f"no shift on {day}.3.")
