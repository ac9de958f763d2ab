"""compliance: citations stored per norm, and relations between norms

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'norm_citations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('canonical_id', sa.String(length=80), nullable=False),
        sa.Column('archive_key', sa.String(length=100), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('label', sa.String(length=300), nullable=False),
        sa.Column('articles', sa.JSON(), nullable=False),
        sa.Column('text', sa.String(length=500), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_norm_citations_archive_key', 'norm_citations', ['archive_key'])
    op.create_index('ix_norm_citations_canonical_id', 'norm_citations', ['canonical_id'])
    op.create_index('ix_norm_citations_document_id', 'norm_citations', ['document_id'])
    op.create_table(
        'norm_relations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_document_id', sa.Integer(), nullable=False),
        sa.Column('target_document_id', sa.Integer(), nullable=True),
        sa.Column('target_canonical_id', sa.String(length=80), nullable=False),
        sa.Column('target_archive_key', sa.String(length=100), nullable=True),
        sa.Column('target_label', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('articles', sa.JSON(), nullable=False),
        sa.Column('articles_key', sa.String(length=200), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('effective_date', sa.String(length=10), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['source_document_id'], ['documents.id']),
        sa.ForeignKeyConstraint(['target_document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source_document_id', 'kind', 'target_canonical_id', 'articles_key',
                            name='uq_norm_relations_clause'),
    )
    op.create_index('ix_norm_relations_source_document_id', 'norm_relations',
                    ['source_document_id'])
    op.create_index('ix_norm_relations_status', 'norm_relations', ['status'])
    op.create_index('ix_norm_relations_target_archive_key', 'norm_relations',
                    ['target_archive_key'])
    op.create_index('ix_norm_relations_target_document_id', 'norm_relations',
                    ['target_document_id'])


def downgrade() -> None:
    for name in ('ix_norm_relations_target_document_id', 'ix_norm_relations_target_archive_key',
                 'ix_norm_relations_status', 'ix_norm_relations_source_document_id'):
        op.drop_index(name, table_name='norm_relations')
    op.drop_table('norm_relations')
    for name in ('ix_norm_citations_document_id', 'ix_norm_citations_canonical_id',
                 'ix_norm_citations_archive_key'):
        op.drop_index(name, table_name='norm_citations')
    op.drop_table('norm_citations')
