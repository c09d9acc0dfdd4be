"""dashboard summaries

Daily and monthly summaries of the ledger that the manager's dashboard adds up, and
the log of stale days. Every day with shifts, hours or ratings is marked stale here,
so the first reader (or `flask jobcenter summaries rebuild`) builds the summaries.

Revision ID: c3d5e7f90a12
Revises: a811f08633ca
Create Date: 2026-11-25 19:30:00.000000

"""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d5e7f90a12'
down_revision = 'a811f08633ca'
branch_labels = None
depends_on = None


def _local_day(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo("Europe/Helsinki")).date()


def upgrade():
    op.create_table('dashboard_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('stream', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('task_kind_id', sa.Integer(), nullable=False),
    sa.Column('instructor_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('minutes', sa.BigInteger(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_hours'))
    )
    op.create_index('ix_dashboard_hours_grain_day', 'dashboard_hours', ['grain', 'day'], unique=False)
    op.create_table('dashboard_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('task_kind_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('shifts', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_tasks'))
    )
    op.create_index('ix_dashboard_tasks_grain_day', 'dashboard_tasks', ['grain', 'day'], unique=False)
    op.create_table('dashboard_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('stream', sa.String(length=20), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_people'))
    )
    op.create_index('ix_dashboard_people_month', 'dashboard_people', ['month'], unique=False)
    op.create_table('dashboard_earnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('earned_x60', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_earnings'))
    )
    op.create_index('ix_dashboard_earnings_month', 'dashboard_earnings', ['month'], unique=False)
    op.create_table('dashboard_fill',
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('shifts', sa.Integer(), nullable=False),
    sa.Column('shifts_filled', sa.Integer(), nullable=False),
    sa.Column('offered_minutes', sa.BigInteger(), nullable=False),
    sa.Column('filled_minutes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('grain', 'day', name=op.f('pk_dashboard_fill'))
    )
    op.create_table('dashboard_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('task_kind_id', sa.Integer(), nullable=False),
    sa.Column('absence_kind', sa.String(length=20), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_attendance'))
    )
    op.create_index('ix_dashboard_attendance_grain_day', 'dashboard_attendance', ['grain', 'day'], unique=False)
    op.create_table('dashboard_cancellations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('shifts', sa.Integer(), nullable=False),
    sa.Column('slot_minutes', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_cancellations'))
    )
    op.create_index('ix_dashboard_cancellations_grain_day', 'dashboard_cancellations', ['grain', 'day'], unique=False)
    op.create_table('dashboard_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('very', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_ratings'))
    )
    op.create_index('ix_dashboard_ratings_grain_day', 'dashboard_ratings', ['grain', 'day'], unique=False)
    op.create_table('dashboard_stale_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_stale_days'))
    )
    op.create_index('ix_dashboard_stale_days_day', 'dashboard_stale_days', ['day'], unique=False)

    # Existing data: every day from the first to the last with shifts, hours or
    # ratings is stale, so the summaries are built before anyone reads them.
    conn = op.get_bind()
    found = []
    for query in (
        "SELECT MIN(starts_at), MAX(starts_at) FROM shifts",
        "SELECT MIN(created_at), MAX(created_at) FROM task_feedback",
    ):
        found += [_local_day(v) for v in conn.execute(sa.text(query)).one() if v is not None]
    for value in conn.execute(sa.text("SELECT MIN(work_date), MAX(work_date) FROM hour_entries")).one():
        if value is not None:
            found.append(value if isinstance(value, date) else date.fromisoformat(str(value)))
    if found:
        first, last = min(found), max(found)
        stale = sa.table('dashboard_stale_days', sa.column('day', sa.Date()))
        op.bulk_insert(stale, [{'day': first + timedelta(days=i)} for i in range((last - first).days + 1)])


def downgrade():
    for table in ('dashboard_stale_days', 'dashboard_ratings', 'dashboard_cancellations',
                  'dashboard_attendance', 'dashboard_fill', 'dashboard_earnings',
                  'dashboard_people', 'dashboard_tasks', 'dashboard_hours'):
        op.drop_table(table)
