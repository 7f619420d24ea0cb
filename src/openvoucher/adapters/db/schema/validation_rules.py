"""Validation rules and their assignments to vouchers and campaigns.

A rule's Voucherify shape (``rules``, ``error``, ``applicable_to``, ``type``,
``context_type``, ``bundle_rules``) lives in ``attrs``; an assignment is looked up by the
object it is assigned to (every evaluation) and by its rule (the rule's assignment lists).
"""

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

validation_rules = Table(
    "validation_rules",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_validation_rules_project_created", "project_id", "created_at"),
)

validation_rule_assignments = Table(
    "validation_rule_assignments",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column(
        "rule_id",
        String(40),
        ForeignKey("validation_rules.id", ondelete="CASCADE"),
        nullable=False,
    ),
    # voucher | campaign
    Column("related_object_type", String(30), nullable=False),
    Column("related_object_id", String(40), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("project_id", "rule_id", "related_object_type", "related_object_id"),
    Index("ix_validation_rule_assignments_related", "project_id", "related_object_id"),
    Index("ix_validation_rule_assignments_rule", "project_id", "rule_id", "created_at"),
)
