"""Article and paragraph fields without a column of their own (e.g. ``Article.withheld``,
``Paragraph.quotes``) kept in an ``extra`` JSON column.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("articles", "paragraphs"):
        with op.batch_alter_table(table) as batch_op:
            # rows stored before this revision had no such fields: an empty object
            batch_op.add_column(
                sa.Column("extra", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
            )


def downgrade() -> None:
    for table in ("articles", "paragraphs"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("extra")
