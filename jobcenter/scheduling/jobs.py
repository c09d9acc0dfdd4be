"""Scheduled work of the scheduling module (run by jobcenter.scheduler).

Jobs take a session (and plain IDs, never ORM objects), flush only, and are
idempotent: the scheduler's wrapper commits once, in the job's own app context.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from jobcenter.scheduling import generation


def horizon_weeks() -> int:
    return int(current_app.config.get("SHIFT_HORIZON_WEEKS", generation.DEFAULT_HORIZON_WEEKS))


def extend_horizon(session: Session) -> dict[str, Any]:
    """Daily: make the shifts of accepted and scheduled tasks up to SHIFT_HORIZON_WEEKS
    (default 8) weeks ahead. Running it twice makes nothing twice."""
    until = generation.horizon_end(horizon_weeks())
    counts = generation.extend_horizon(session, until)
    return {"until": until.isoformat(), **counts}
