"""An imported norm keeps where its text was taken from, as its structured export says
(the front matter's ``source`` address and ``identifier``): the archive and the portal
show it, and the notes read from the text are named after it (SPIJ's, LP's). Norms
imported before have none until ``flask docsys init`` reads their originals again
(docsys.archive.provenance).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 23:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("archived_norms") as batch:
        batch.add_column(sa.Column("source_url", sa.String(1000), nullable=True))
        batch.add_column(sa.Column("source_identifier", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("archived_norms") as batch:
        batch.drop_column("source_identifier")
        batch.drop_column("source_url")
