"""A document without a number key holds NULL, never "" (imports and the archive's
review stored either, so every look-up had to ask for both)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 15:30:00
"""
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE documents SET number_key = NULL WHERE number_key = ''")


def downgrade() -> None:
    pass  # NULL is what "" meant: nothing to restore
