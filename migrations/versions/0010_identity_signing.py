"""identity and signing: each user's DNI (the identity certificates are matched against);
PDFs prepared for signing with the authority's own software

Revision ID: 0010
Revises: 0011
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('dni', sa.String(length=8), nullable=True))
        batch.create_unique_constraint('uq_users_dni', ['dni'])
    op.create_table('prepared_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('issue_date', sa.String(length=10), nullable=False),
    sa.Column('official_number', sa.String(length=200), nullable=False),
    sa.Column('verification_code', sa.String(length=32), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['pdf_sha256'], ['blobs.sha256'], ),
    sa.ForeignKeyConstraint(['signer_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id'),
    sa.UniqueConstraint('verification_code')
    )


def downgrade() -> None:
    op.drop_table('prepared_signatures')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_dni', type_='unique')
        batch.drop_column('dni')
