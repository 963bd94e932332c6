"""oda: reference data (code lists, DAC recipients per year, Annex 2 coefficients),
classification results per transaction, overrides, the pending-work queue and
reporting years.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oda_classification_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oda_classification_runs'))
    )
    op.create_table('oda_explanations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oda_explanations')),
    sa.UniqueConstraint('digest', name=op.f('uq_oda_explanations_digest'))
    )
    op.create_table('oda_reference_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_name', sa.String(length=40), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.Column('loaded_by', sa.String(length=120), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oda_reference_sets'))
    )
    with op.batch_alter_table('oda_reference_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oda_reference_sets_list_name'), ['list_name'], unique=False)

    op.create_table('oda_reporting_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('remind_days', sa.Integer(), nullable=False),
    sa.Column('last_reminded_on', sa.Date(), nullable=True),
    sa.Column('last_export_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_oda_reporting_years'))
    )
    op.create_table('oda_aid_types',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_aid_types_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_aid_types'))
    )
    op.create_table('oda_annex2_coefficients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_code', sa.String(length=5), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('coefficient_e10', sa.BigInteger(), nullable=True),
    sa.Column('core_aid_type', sa.String(length=4), nullable=True),
    sa.Column('acronym', sa.String(length=60), nullable=True),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_annex2_coefficients_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oda_annex2_coefficients')),
    sa.UniqueConstraint('channel_code', 'year', 'origin', name=op.f('uq_oda_annex2_coefficients_channel_code_year_origin'))
    )
    with op.batch_alter_table('oda_annex2_coefficients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oda_annex2_coefficients_channel_code'), ['channel_code'], unique=False)

    op.create_table('oda_bi_multi_codes',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_bi_multi_codes_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_bi_multi_codes'))
    )
    op.create_table('oda_channels',
    sa.Column('acronym', sa.String(length=60), nullable=True),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_channels_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_channels'))
    )
    op.create_table('oda_finance_types',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_finance_types_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_finance_types'))
    )
    op.create_table('oda_flow_types',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_flow_types_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_flow_types'))
    )
    op.create_table('oda_policy_markers',
    sa.Column('activity_field', sa.String(length=40), nullable=True),
    sa.Column('max_score', sa.SmallInteger(), nullable=True),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_policy_markers_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_policy_markers'))
    )
    op.create_table('oda_policy_significance',
    sa.Column('applies_to', sa.String(length=120), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_policy_significance_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_policy_significance'))
    )
    op.create_table('oda_purpose_codes',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_purpose_codes_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_purpose_codes'))
    )
    op.create_table('oda_recipient_eligibility',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_code', sa.String(length=5), nullable=False),
    sa.Column('year_from', sa.Integer(), nullable=False),
    sa.Column('year_to', sa.Integer(), nullable=True),
    sa.Column('on_list', sa.Boolean(), nullable=False),
    sa.Column('income_group', sa.String(length=20), nullable=True),
    sa.Column('list_name', sa.String(length=60), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('confidence', sa.String(length=1), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_recipient_eligibility_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oda_recipient_eligibility')),
    sa.UniqueConstraint('recipient_code', 'year_from', 'origin', name=op.f('uq_oda_recipient_eligibility_recipient_code_year_from_origin'))
    )
    with op.batch_alter_table('oda_recipient_eligibility', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oda_recipient_eligibility_recipient_code'), ['recipient_code'], unique=False)

    op.create_table('oda_recipients',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('iso3', sa.String(length=3), nullable=True),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_fr', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('region', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_recipients_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_recipients'))
    )
    op.create_table('oda_sector_categories',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_fr', sa.String(length=300), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('activation_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reference_set_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reference_set_id'], ['oda_reference_sets.id'], name=op.f('fk_oda_sector_categories_reference_set_id_oda_reference_sets')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_oda_sector_categories'))
    )
    op.create_table('oda_evaluations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('share_e10', sa.BigInteger(), nullable=True),
    sa.Column('units_per_eur_e10', sa.BigInteger(), nullable=True),
    sa.Column('explanation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('inputs_hash', sa.String(length=64), nullable=False),
    sa.Column('reference_version', sa.Integer(), nullable=False),
    sa.Column('rules_version', sa.String(length=20), nullable=False),
    sa.Column('evaluated_at', sa.DateTime(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_oda_evaluations_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['explanation_id'], ['oda_explanations.id'], name=op.f('fk_oda_evaluations_explanation_id_oda_explanations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oda_evaluations')),
    sa.UniqueConstraint('activity_id', 'year', 'currency', name=op.f('uq_oda_evaluations_activity_id_year_currency'))
    )
    with op.batch_alter_table('oda_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oda_evaluations_run_id'), ['run_id'], unique=False)

    op.create_table('oda_pending_activities',
    sa.Column('activity_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_oda_pending_activities_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_oda_pending_activities'))
    )
    op.create_table('oda_classifications',
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('evaluation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('amount_eur_minor', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('computed_status', sa.String(length=20), nullable=False),
    sa.Column('share_e10', sa.BigInteger(), nullable=True),
    sa.Column('oda_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('oda_amount_eur_minor', sa.BigInteger(), nullable=True),
    sa.Column('units_per_eur_e10', sa.BigInteger(), nullable=True),
    sa.Column('override_id', sa.Integer(), nullable=True),
    sa.Column('reference_version', sa.Integer(), nullable=False),
    sa.Column('rules_version', sa.String(length=20), nullable=False),
    sa.Column('previous_status', sa.String(length=20), nullable=True),
    sa.Column('previous_oda_amount_eur_minor', sa.BigInteger(), nullable=True),
    sa.Column('classified_at', sa.DateTime(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_oda_classifications_transaction_id_transactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('transaction_id', name=op.f('pk_oda_classifications'))
    )
    with op.batch_alter_table('oda_classifications', schema=None) as batch_op:
        batch_op.create_index('ix_oda_classifications_year_status', ['year', 'status'], unique=False)

    op.create_table('oda_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('share_e10', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('basis_hash', sa.String(length=64), nullable=False),
    sa.Column('basis_evaluation_id', sa.BigInteger(), nullable=True),
    sa.Column('basis_reasons', sa.JSON(), nullable=False),
    sa.Column('computed_status', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('flagged_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_oda_overrides_transaction_id_transactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oda_overrides'))
    )
    with op.batch_alter_table('oda_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oda_overrides_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('oda_pending_transactions',
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_oda_pending_transactions_transaction_id_transactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('transaction_id', name=op.f('pk_oda_pending_transactions'))
    )


def downgrade() -> None:
    op.drop_table('oda_pending_transactions')
    with op.batch_alter_table('oda_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oda_overrides_transaction_id'))

    op.drop_table('oda_overrides')
    with op.batch_alter_table('oda_classifications', schema=None) as batch_op:
        batch_op.drop_index('ix_oda_classifications_year_status')

    op.drop_table('oda_classifications')
    op.drop_table('oda_pending_activities')
    with op.batch_alter_table('oda_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oda_evaluations_run_id'))

    op.drop_table('oda_evaluations')
    op.drop_table('oda_sector_categories')
    op.drop_table('oda_recipients')
    with op.batch_alter_table('oda_recipient_eligibility', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oda_recipient_eligibility_recipient_code'))

    op.drop_table('oda_recipient_eligibility')
    op.drop_table('oda_purpose_codes')
    op.drop_table('oda_policy_significance')
    op.drop_table('oda_policy_markers')
    op.drop_table('oda_flow_types')
    op.drop_table('oda_finance_types')
    op.drop_table('oda_channels')
    op.drop_table('oda_bi_multi_codes')
    with op.batch_alter_table('oda_annex2_coefficients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oda_annex2_coefficients_channel_code'))

    op.drop_table('oda_annex2_coefficients')
    op.drop_table('oda_aid_types')
    op.drop_table('oda_reporting_years')
    with op.batch_alter_table('oda_reference_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oda_reference_sets_list_name'))

    op.drop_table('oda_reference_sets')
    op.drop_table('oda_explanations')
    op.drop_table('oda_classification_runs')
