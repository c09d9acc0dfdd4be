"""Fixtures for the home page tests."""

from __future__ import annotations

import pytest
import sqlalchemy as sa


@pytest.fixture
def ledger(app, session):
    """For tests that write hour-ledger reversals: the shared clean-up empties tables
    with one DELETE each, which an ON DELETE RESTRICT self-reference (a reversal
    pointing at the entry it reverses) refuses, so reversals are removed first."""
    yield
    from jobcenter.hours.models import HourEntry

    session.rollback()
    session.execute(sa.delete(HourEntry).where(HourEntry.reverses_id.is_not(None)))
    session.commit()
