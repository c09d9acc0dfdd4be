"""unit names unique case-insensitively

Revision ID: 5b1e0c4d7a20
Revises: c3d5e7f90a12
Create Date: 2026-11-25 20:00:00

The operations refuse a unit name that differs from another only in case; this index
makes the database refuse it too, so two admins saving at once cannot both succeed.
"""

from alembic import op
import sqlalchemy as sa


revision = "5b1e0c4d7a20"
down_revision = "c3d5e7f90a12"
branch_labels = None
depends_on = None


def upgrade():
    duplicates = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(name) FROM units GROUP BY lower(name) HAVING count(*) > 1"
            )
        )
        .scalars()
        .all()
    )
    if duplicates:
        raise RuntimeError(
            "Units whose names differ only in case must be renamed before this upgrade: "
            + ", ".join(sorted(duplicates))
        )
    op.create_index("uq_units_name_lower", "units", [sa.text("lower(name)")], unique=True)


def downgrade():
    op.drop_index("uq_units_name_lower", table_name="units")
