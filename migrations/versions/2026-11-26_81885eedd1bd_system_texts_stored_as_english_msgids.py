"""system texts stored as English msgids

Revision ID: 81885eedd1bd
Revises: 5b1e0c4d7a20
Create Date: 2026-11-26 01:00:00

Reasons the system writes on its own (a shift cancelled because the task's days
changed; an activity day superseded when attendance was confirmed) used to be stored
translated into the language of whoever triggered the write, and then shown verbatim
to every reader. They are now stored as their English source text (msgid) and
translated when shown (jobcenter.core.system_texts). This migration rewrites rows that
hold the Finnish or Swedish translation of such a text to the msgid.

The texts are written here literally, from jobcenter/translations/{fi,sv}, so the
migration does not change when the application or its catalogues do. Only the columns
the system wrote each text into are touched; a person's own words elsewhere are left
alone.
"""

from alembic import op
import sqlalchemy as sa


revision = "81885eedd1bd"
down_revision = "5b1e0c4d7a20"
branch_labels = None
depends_on = None


# msgid -> (its translations as they were stored, the (table, column) pairs it was written to)
TEXTS = {
    "The days of the task changed.": (
        (
            "Työtehtävän päivät muuttuivat.",  # fi
            "Arbetsuppgiftens dagar har ändrats.",  # sv
        ),
        (
            ("shifts", "cancel_reason"),
            ("assignment_events", "reason"),
            # The dashboard's daily summary copies the shift's reason.
            ("dashboard_cancellations", "reason"),
        ),
    ),
    "Attendance of the day was confirmed or corrected.": (
        (
            "Päivän läsnäolo vahvistettiin tai korjattiin.",  # fi
            "Närvaron för dagen har bekräftats eller korrigerats.",  # sv
        ),
        (("activity_days", "correction_reason"),),
    ),
}


def convert(bind) -> dict[tuple[str, str], int]:
    """Rewrite stored translations of the system texts to their msgids; returns how
    many rows changed per (table, column)."""
    changed: dict[tuple[str, str], int] = {}
    for msgid, (translations, places) in TEXTS.items():
        for table_name, column_name in places:
            table = sa.table(table_name, sa.column(column_name, sa.Text))
            column = table.c[column_name]
            result = bind.execute(
                sa.update(table).where(column.in_(translations)).values({column_name: msgid})
            )
            key = (table_name, column_name)
            changed[key] = changed.get(key, 0) + (result.rowcount or 0)
    return changed


def upgrade():
    convert(op.get_bind())


def downgrade():
    # A no-op on purpose: which language each row was first written in is not recorded,
    # so the translations cannot be put back. The previous code shows the English text
    # as it is stored, which is no worse than the other reader's language it showed.
    pass
