"""Pending analyses: norms imported in bulk whose citations and relations are read after
the import's transactions (docsys.compliance.pending)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 19:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_analyses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending_analyses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_analyses_document_id'), ['document_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pending_analyses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_analyses_document_id'))
    op.drop_table('pending_analyses')
