"""initial book

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("record", sa.String(length=60), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=80), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_client_id"), ["client_id"], unique=False)

    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("occupation", sa.String(length=200), nullable=True),
        sa.Column("employer", sa.String(length=200), nullable=True),
        sa.Column("hobbies", sa.Text(), nullable=True),
        sa.Column("annual_income", sa.BigInteger(), nullable=True),
        sa.Column(
            "marital_status",
            sa.Enum(
                "single",
                "married",
                "divorced",
                "widowed",
                name="maritalstatus",
                native_enum=False,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column(
            "tier",
            sa.Enum("key", "standard", name="tier", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column(
            "review_cadence",
            sa.Enum("monthly", "quarterly", name="cadence", native_enum=False, length=24),
            nullable=True,
        ),
        sa.Column("contact_cadence_days", sa.Integer(), nullable=True),
        sa.Column("report_currency", sa.String(length=3), nullable=False),
        sa.Column(
            "language",
            sa.Enum("zh", "en", name="language", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("contact_preferences", sa.Text(), nullable=True),
        sa.Column("special_notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
        sa.UniqueConstraint("code", name=op.f("uq_client_code")),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_name"), ["name"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "client_tag",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_client_tag_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "tag", name=op.f("pk_client_tag")),
    )
    with op.batch_alter_table("client_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_tag_tag"), ["tag"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("contact_date", sa.Date(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("T", "E", "M", "S", "C", "O", name="channel", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column(
            "feedback_topic",
            sa.Enum(
                "product", "service", "other", name="feedbacktopic", native_enum=False, length=24
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_contact_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_client_date", ["client_id", "contact_date"], unique=False)
        batch_op.create_index("ix_contact_date", ["contact_date"], unique=False)

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("stored_path", sa.String(length=1000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_document_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_client_id"), ["client_id"], unique=False)

    op.create_table(
        "family_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "relation",
            sa.Enum(
                "spouse",
                "son",
                "daughter",
                "father",
                "mother",
                "other",
                name="relation",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("school_or_employer", sa.String(length=200), nullable=True),
        sa.Column("annual_income", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_family_member_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_member")),
    )
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_member_client_id"), ["client_id"], unique=False)

    op.create_table(
        "pack_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("produced_at", sa.DateTime(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "saved",
                "printed",
                "emailed",
                "shown",
                name="packaction",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("recipient", sa.String(length=300), nullable=True),
        sa.Column("file_name", sa.String(length=1000), nullable=True),
        sa.Column(
            "language",
            sa.Enum("zh", "en", name="language", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_pack_record_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_record")),
    )
    with op.batch_alter_table("pack_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_record_client_id"), ["client_id"], unique=False)

    op.create_table(
        "risk_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column(
            "level",
            sa.Enum(
                "C1", "C2", "C3", "C4", "C5", name="clientrisklevel", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_risk_assessment_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessment")),
    )
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_assessment_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_snapshot_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot")),
        sa.UniqueConstraint("client_id", "review_date", name=op.f("uq_snapshot_client_id")),
    )
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_snapshot_client_date",
            ["client_id", sa.literal_column("review_date DESC")],
            unique=False,
        )

    op.create_table(
        "fx_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("from_currency", sa.String(length=3), nullable=False),
        sa.Column("to_currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_fx_rate_snapshot_id_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fx_rate")),
        sa.UniqueConstraint(
            "snapshot_id", "from_currency", "to_currency", name=op.f("uq_fx_rate_snapshot_id")
        ),
    )
    op.create_table(
        "holding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("product_name", sa.String(length=300), nullable=False),
        sa.Column("product_code", sa.String(length=60), nullable=True),
        sa.Column(
            "asset_class",
            sa.Enum(
                "deposit",
                "fund",
                "bond",
                "stock",
                "wealth_product",
                "insurance",
                "property",
                "loan",
                "cash",
                "other",
                name="assetclass",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("institution", sa.String(length=200), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("market_value", sa.BigInteger(), nullable=False),
        sa.Column("principal", sa.BigInteger(), nullable=True),
        sa.Column("held_since", sa.Date(), nullable=True),
        sa.Column("maturity_date", sa.Date(), nullable=True),
        sa.Column(
            "risk_level",
            sa.Enum("R1", "R2", "R3", "R4", "R5", name="risklevel", native_enum=False, length=24),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshot.id"],
            name=op.f("fk_holding_snapshot_id_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holding")),
    )
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holding_snapshot_id"), ["snapshot_id"], unique=False)

    op.create_table(
        "insurance_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("insured_member_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "life",
                "critical_illness",
                "medical",
                "accident",
                "annuity",
                "property",
                "other",
                name="policykind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("insurer", sa.String(length=200), nullable=True),
        sa.Column("policy_number", sa.String(length=80), nullable=True),
        sa.Column("sum_assured", sa.BigInteger(), nullable=False),
        sa.Column("annual_premium", sa.BigInteger(), nullable=False),
        sa.Column("payment_years", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_insurance_policy_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["insured_member_id"],
            ["family_member.id"],
            name=op.f("fk_insurance_policy_insured_member_id_family_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_policy")),
    )
    with op.batch_alter_table("insurance_policy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insurance_policy_client_id"), ["client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("insurance_policy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insurance_policy_client_id"))

    op.drop_table("insurance_policy")
    with op.batch_alter_table("holding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holding_snapshot_id"))

    op.drop_table("holding")
    op.drop_table("fx_rate")
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_snapshot_client_date")

    op.drop_table("snapshot")
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessment_client_id"))

    op.drop_table("risk_assessment")
    with op.batch_alter_table("pack_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_record_client_id"))

    op.drop_table("pack_record")
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_member_client_id"))

    op.drop_table("family_member")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_client_id"))

    op.drop_table("document")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_date")
        batch_op.drop_index("ix_contact_client_date")

    op.drop_table("contact")
    with op.batch_alter_table("client_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_tag_tag"))

    op.drop_table("client_tag")
    op.drop_table("setting")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_name"))

    op.drop_table("client")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_client_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))

    op.drop_table("audit_entry")
