"""grants: schemes, calls, applications, assessments, decisions, tranches, payments, reports, persons

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('grants_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('crs_defaults', sa.JSON(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('four_eyes', sa.Boolean(), nullable=False),
    sa.Column('requires_assessment', sa.Boolean(), nullable=False),
    sa.Column('final_report_required', sa.Boolean(), nullable=False),
    sa.Column('final_report_days', sa.Integer(), nullable=False),
    sa.Column('reminder_days', sa.Integer(), nullable=False),
    sa.Column('min_months', sa.Integer(), nullable=True),
    sa.Column('max_months', sa.Integer(), nullable=True),
    sa.Column('travel_europe_minor', sa.BigInteger(), nullable=True),
    sa.Column('travel_outside_europe_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_grants_schemes_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_schemes')),
    sa.UniqueConstraint('code', name=op.f('uq_grants_schemes_code'))
    )
    with op.batch_alter_table('grants_schemes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_schemes_programme_id'), ['programme_id'], unique=False)

    op.create_table('grants_allowance_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('destination', sa.String(length=80), nullable=False),
    sa.Column('in_europe', sa.Boolean(), nullable=False),
    sa.Column('monthly_allowance_minor', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['grants_schemes.id'], name=op.f('fk_grants_allowance_rates_scheme_id_grants_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_allowance_rates')),
    sa.UniqueConstraint('scheme_id', 'destination', name=op.f('uq_grants_allowance_rates_scheme_id_destination'))
    )
    with op.batch_alter_table('grants_allowance_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_allowance_rates_scheme_id'), ['scheme_id'], unique=False)

    op.create_table('grants_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('budget_ceiling_minor', sa.BigInteger(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['grants_schemes.id'], name=op.f('fk_grants_calls_scheme_id_grants_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_calls')),
    sa.UniqueConstraint('code', name=op.f('uq_grants_calls_code'))
    )
    with op.batch_alter_table('grants_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_calls_scheme_id'), ['scheme_id'], unique=False)

    op.create_table('grants_persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scheme_id'], ['grants_schemes.id'], name=op.f('fk_grants_persons_scheme_id_grants_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_persons'))
    )
    with op.batch_alter_table('grants_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_persons_scheme_id'), ['scheme_id'], unique=False)

    op.create_table('grants_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('host_organisation', sa.String(length=200), nullable=True),
    sa.Column('destination', sa.String(length=80), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('recipient_code', sa.String(length=5), nullable=True),
    sa.Column('crs_overrides', sa.JSON(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_requested_minor', sa.BigInteger(), nullable=False),
    sa.Column('approved_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('decreased_amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('paid_amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('commitment_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_grants_applications_activity_id_activities')),
    sa.ForeignKeyConstraint(['call_id'], ['grants_calls.id'], name=op.f('fk_grants_applications_call_id_grants_calls')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_grants_applications_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['grants_persons.id'], name=op.f('fk_grants_applications_person_id_grants_persons')),
    sa.ForeignKeyConstraint(['scheme_id'], ['grants_schemes.id'], name=op.f('fk_grants_applications_scheme_id_grants_schemes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_applications')),
    sa.UniqueConstraint('reference', name=op.f('uq_grants_applications_reference'))
    )
    with op.batch_alter_table('grants_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_applications_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_applications_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_applications_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_applications_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_applications_scheme_id'), ['scheme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_applications_status'), ['status'], unique=False)

    op.create_table('grants_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=False),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('total_score', sa.Integer(), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.Column('recommendation', sa.String(length=10), nullable=False),
    sa.Column('recommended_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('main_objective', sa.String(length=30), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_assessments_application_id_grants_applications')),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_grants_assessments_assessor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_assessments'))
    )
    with op.batch_alter_table('grants_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_assessments_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_assessments_assessor_id'), ['assessor_id'], unique=False)

    op.create_table('grants_commitment_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_commitment_changes_application_id_grants_applications')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_grants_commitment_changes_created_by_users')),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_grants_commitment_changes_transaction_id_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_commitment_changes'))
    )
    with op.batch_alter_table('grants_commitment_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_commitment_changes_application_id'), ['application_id'], unique=False)

    op.create_table('grants_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('main_objective', sa.String(length=30), nullable=True),
    sa.Column('budget_override', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_decisions_application_id_grants_applications')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_grants_decisions_decided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_decisions'))
    )
    with op.batch_alter_table('grants_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_decisions_application_id'), ['application_id'], unique=False)

    op.create_table('grants_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('received_by', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('overdue_since', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_reports_application_id_grants_applications')),
    sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_grants_reports_received_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_reports'))
    )
    with op.batch_alter_table('grants_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_reports_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_reports_due_date'), ['due_date'], unique=False)

    op.create_table('grants_tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('condition', sa.String(length=30), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('paid_amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_tranches_application_id_grants_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_tranches')),
    sa.UniqueConstraint('application_id', 'number', name=op.f('uq_grants_tranches_application_id_number'))
    )
    with op.batch_alter_table('grants_tranches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_tranches_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_tranches_document_number'), ['document_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_tranches_due_date'), ['due_date'], unique=False)

    op.create_table('grants_ledger_mismatches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tranche_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_ledger_mismatches_application_id_grants_applications')),
    sa.ForeignKeyConstraint(['tranche_id'], ['grants_tranches.id'], name=op.f('fk_grants_ledger_mismatches_tranche_id_grants_tranches')),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_grants_ledger_mismatches_transaction_id_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_ledger_mismatches')),
    sa.UniqueConstraint('transaction_id', name=op.f('uq_grants_ledger_mismatches_transaction_id'))
    )
    with op.batch_alter_table('grants_ledger_mismatches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_ledger_mismatches_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_ledger_mismatches_tranche_id'), ['tranche_id'], unique=False)

    op.create_table('grants_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('tranche_id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_payments_application_id_grants_applications')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_grants_payments_recorded_by_users')),
    sa.ForeignKeyConstraint(['tranche_id'], ['grants_tranches.id'], name=op.f('fk_grants_payments_tranche_id_grants_tranches')),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_grants_payments_transaction_id_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_payments')),
    sa.UniqueConstraint('transaction_id', name=op.f('uq_grants_payments_transaction_id'))
    )
    with op.batch_alter_table('grants_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_payments_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_payments_tranche_id'), ['tranche_id'], unique=False)

    op.create_table('grants_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('tranche_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('dismissed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['grants_applications.id'], name=op.f('fk_grants_reminders_application_id_grants_applications')),
    sa.ForeignKeyConstraint(['report_id'], ['grants_reports.id'], name=op.f('fk_grants_reminders_report_id_grants_reports')),
    sa.ForeignKeyConstraint(['tranche_id'], ['grants_tranches.id'], name=op.f('fk_grants_reminders_tranche_id_grants_tranches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants_reminders')),
    sa.UniqueConstraint('key', name=op.f('uq_grants_reminders_key'))
    )
    with op.batch_alter_table('grants_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_reminders_application_id'), ['application_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('grants_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_reminders_application_id'))

    op.drop_table('grants_reminders')
    with op.batch_alter_table('grants_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_payments_tranche_id'))
        batch_op.drop_index(batch_op.f('ix_grants_payments_application_id'))

    op.drop_table('grants_payments')
    with op.batch_alter_table('grants_ledger_mismatches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_ledger_mismatches_tranche_id'))
        batch_op.drop_index(batch_op.f('ix_grants_ledger_mismatches_application_id'))

    op.drop_table('grants_ledger_mismatches')
    with op.batch_alter_table('grants_tranches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_tranches_due_date'))
        batch_op.drop_index(batch_op.f('ix_grants_tranches_document_number'))
        batch_op.drop_index(batch_op.f('ix_grants_tranches_application_id'))

    op.drop_table('grants_tranches')
    with op.batch_alter_table('grants_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_reports_due_date'))
        batch_op.drop_index(batch_op.f('ix_grants_reports_application_id'))

    op.drop_table('grants_reports')
    with op.batch_alter_table('grants_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_decisions_application_id'))

    op.drop_table('grants_decisions')
    with op.batch_alter_table('grants_commitment_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_commitment_changes_application_id'))

    op.drop_table('grants_commitment_changes')
    with op.batch_alter_table('grants_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_assessments_assessor_id'))
        batch_op.drop_index(batch_op.f('ix_grants_assessments_application_id'))

    op.drop_table('grants_assessments')
    with op.batch_alter_table('grants_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_applications_status'))
        batch_op.drop_index(batch_op.f('ix_grants_applications_scheme_id'))
        batch_op.drop_index(batch_op.f('ix_grants_applications_person_id'))
        batch_op.drop_index(batch_op.f('ix_grants_applications_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_grants_applications_call_id'))
        batch_op.drop_index(batch_op.f('ix_grants_applications_activity_id'))

    op.drop_table('grants_applications')
    with op.batch_alter_table('grants_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_persons_scheme_id'))

    op.drop_table('grants_persons')
    with op.batch_alter_table('grants_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_calls_scheme_id'))

    op.drop_table('grants_calls')
    with op.batch_alter_table('grants_allowance_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_allowance_rates_scheme_id'))

    op.drop_table('grants_allowance_rates')
    with op.batch_alter_table('grants_schemes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_schemes_programme_id'))

    op.drop_table('grants_schemes')
