"""weekly tasks' last day from their repeat

Revision ID: 4f2a9c1d7e63
Revises: 81885eedd1bd
Create Date: 2026-11-26 02:10:00

Until this revision, saving a weekly task from its edit page stored no last day
(`tasks.last_date` NULL) although its repeat rule still ended (UNTIL or COUNT), so task
lists and the API showed only the first day. Posting now keeps the last day in step
with the rule; this fills it in for the rows saved before: a bounded repeat with a first
day and no last day gets the rule's last working day. Open-ended repeats are left as
they are (NULL means "goes on").

The rule is read with the application's own RRULE reader: it is what wrote and reads
these rules, and computing the last day of a COUNT rule by hand here would be a second
copy of it.
"""

import sqlalchemy as sa
from alembic import op

revision = "4f2a9c1d7e63"
down_revision = "81885eedd1bd"
branch_labels = None
depends_on = None


def fill_last_dates(bind) -> int:
    """Set the last day of bounded weekly tasks that have none; returns how many."""
    from jobcenter.scheduling import recurrence

    tasks = sa.table(
        "tasks",
        sa.column("id", sa.Integer),
        sa.column("recurrence", sa.String),
        sa.column("first_date", sa.Date),
        sa.column("last_date", sa.Date),
    )
    rows = bind.execute(
        sa.select(tasks.c.id, tasks.c.recurrence, tasks.c.first_date).where(
            tasks.c.recurrence.is_not(None),
            tasks.c.first_date.is_not(None),
            tasks.c.last_date.is_(None),
        )
    ).all()
    changed = 0
    for task_id, rule, first in rows:
        try:
            last = recurrence.last_date(recurrence.parse(rule), first)
        except ValueError:  # a rule the reader refuses is left for a person to fix
            continue
        if last is not None and last >= first:
            bind.execute(sa.update(tasks).where(tasks.c.id == task_id).values(last_date=last))
            changed += 1
    return changed


def upgrade():
    fill_last_dates(op.get_bind())


def downgrade():
    # Nothing to undo: the filled-in days are what the rules say, and the schema is the same.
    pass
