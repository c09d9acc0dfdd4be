"""The one commit point: operations flush, the request or job commits once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from jobcenter.extensions import db


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit everything done inside, or roll all of it back on any error."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
