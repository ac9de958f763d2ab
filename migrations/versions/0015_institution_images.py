"""institution settings: the municipal shield and letterhead logo (blobs)

Revision ID: 0015
Revises: 0007
Create Date: 2026-12-06 18:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('institution_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blobs.sha256'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('institution_settings')
