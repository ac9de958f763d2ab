"""national norms: relations confirmed by the source (SPIJ notes), apart from proposed ones

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-06 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('source_relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('by_canonical_id', sa.String(length=80), nullable=False),
    sa.Column('by_archive_key', sa.String(length=100), nullable=True),
    sa.Column('by_label', sa.String(length=300), nullable=False),
    sa.Column('by_document_id', sa.Integer(), nullable=True),
    sa.Column('part', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('effective_date', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'kind', 'by_canonical_id', 'part',
                        name='uq_source_relations_note')
    )
    op.create_index('ix_source_relations_document_id', 'source_relations', ['document_id'])
    op.create_index('ix_source_relations_by_archive_key', 'source_relations', ['by_archive_key'])
    op.create_index('ix_source_relations_by_document_id', 'source_relations', ['by_document_id'])


def downgrade() -> None:
    op.drop_index('ix_source_relations_by_document_id', table_name='source_relations')
    op.drop_index('ix_source_relations_by_archive_key', table_name='source_relations')
    op.drop_index('ix_source_relations_document_id', table_name='source_relations')
    op.drop_table('source_relations')
