"""corrections: the draft that corrects an issued norm, its kind and reason

An issued norm is corrected only by another norm (rectificación de error material,
"déjese sin efecto", modificación). ``norm_corrections`` keeps which draft corrects which
norm; when the draft is issued the confirmed relation it recorded is linked here.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 19:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('norm_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('corrected_document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('relation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['corrected_document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['relation_id'], ['norm_relations.id'], ),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id')
    )
    op.create_index(op.f('ix_norm_corrections_corrected_document_id'), 'norm_corrections',
                    ['corrected_document_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_norm_corrections_corrected_document_id'),
                  table_name='norm_corrections')
    op.drop_table('norm_corrections')
