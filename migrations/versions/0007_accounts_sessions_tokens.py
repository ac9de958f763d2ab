"""accounts: server-side sessions, login attempts, TOTP and password state, token expiry

Revision ID: 0007
Revises: 0009
Create Date: 2026-12-06 17:00:00
"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_reason', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    op.create_index('ix_user_sessions_user_open', 'user_sessions', ['user_id', 'ended_at'],
                    unique=False)
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_login_attempts_at'), 'login_attempts', ['at'], unique=False)
    op.create_index('ix_login_attempts_username', 'login_attempts', ['username', 'kind', 'at'],
                    unique=False)
    op.create_index('ix_login_attempts_ip', 'login_attempts', ['ip', 'kind', 'at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('totp_secret_sealed', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))

    # Tokens made before expiry existed get the default lifetime from now; revoked ones
    # keep being revoked (the moment is unknown: the migration's).
    now = datetime.now(timezone.utc)
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=40), nullable=False,
                                      server_default=''))
    tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime(timezone=True)),
                      sa.column('revoked_at', sa.DateTime(timezone=True)),
                      sa.column('revoked_reason', sa.String()), sa.column('revoked', sa.Boolean()))
    op.execute(tokens.update().values(expires_at=now + timedelta(days=90)))
    op.execute(tokens.update().where(tokens.c.revoked.is_(True))
               .values(revoked_at=now, revoked_reason='owner'))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.drop_column('revoked')


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    tokens = sa.table('api_tokens', sa.column('revoked_at', sa.DateTime(timezone=True)),
                      sa.column('revoked', sa.Boolean()))
    op.execute(tokens.update().where(tokens.c.revoked_at.is_not(None)).values(revoked=True))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('revoked_reason')
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret_sealed')
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('must_change_password')
    op.drop_index('ix_login_attempts_ip', table_name='login_attempts')
    op.drop_index('ix_login_attempts_username', table_name='login_attempts')
    op.drop_index(op.f('ix_login_attempts_at'), table_name='login_attempts')
    op.drop_table('login_attempts')
    op.drop_index('ix_user_sessions_user_open', table_name='user_sessions')
    op.drop_table('user_sessions')
