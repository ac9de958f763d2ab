"""A Constitution is a norm of the archive: filed under its type's code (CONST), with its
name and year as its official number ("Constitución Política del Perú de 1993"), so
citations of it find it (docsys.archive.norms.single_norm_number). An archive imported
before holds them without either. The readers' revision changed with this release, so
``flask docsys init`` then analyses the archive again: the Constitution's own citations,
and the citations of it, which now carry its key.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

NAME = "Constitución Política del Perú"


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, issue_date FROM documents WHERE doc_type = 'CONST' "
        "AND official_number IS NULL ORDER BY id")).all()
    for document_id, issue_date in rows:
        year = (issue_date or "")[:4]
        official = f"{NAME} de {year}" if year.isdigit() else NAME
        taken = bind.execute(sa.text("SELECT 1 FROM documents WHERE official_number = :o"),
                             {"o": official}).first()
        if taken is None:   # a second copy of one Constitution keeps waiting for review
            bind.execute(sa.text("UPDATE documents SET official_number = :o, number_key = "
                                 "'CONST' WHERE id = :id"), {"o": official, "id": document_id})


def downgrade() -> None:
    op.execute("UPDATE documents SET official_number = NULL, number_key = NULL "
               "WHERE number_key = 'CONST'")
