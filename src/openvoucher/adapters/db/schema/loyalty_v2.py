"""Loyalty v2 (``/v2/loyalties``): reusable components, programmes, members and their cards.

One table holds every component (card definitions, earning rules, …, programmes) by ``kind``;
its Voucherify fields live in ``attrs``. A member's card is a v1 ``LOYALTY_CARD`` voucher
(``voucher_id``) of the backing ``LOYALTY_PROGRAM`` campaign the programme keeps per card
definition (the assignment's ``attrs.campaign_id``): points, buckets, expiry and pending
points are the one ledger of ``docs/adr/0008``.
"""

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, UniqueConstraint

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime


def _seq() -> Column[int]:
    return Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )


loyalty_v2_objects = Table(
    "loyalty_v2_objects",
    metadata,
    _seq(),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    # card_definition, earning_rule, tier_structure, tier, benefit, reward, program
    Column("kind", String(20), nullable=False),
    Column("parent_id", String(40)),
    Column("status", String(10), nullable=False),
    Column("name", String(300), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_loyalty_v2_objects_kind", "project_id", "kind", "seq"),
    Index("ix_loyalty_v2_objects_parent", "project_id", "parent_id"),
)

loyalty_v2_activities = Table(
    "loyalty_v2_activities",
    metadata,
    _seq(),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    Column("subject_id", String(40), nullable=False),
    Column("type", String(80), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_loyalty_v2_activities_subject", "project_id", "subject_id", "seq"),
)

loyalty_v2_assignments = Table(
    "loyalty_v2_assignments",
    metadata,
    _seq(),
    project_column(),
    Column("program_id", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("component_id", String(40), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("project_id", "program_id", "component_id", name="uq_loyalty_v2_assignment"),
    Index("ix_loyalty_v2_assignments_component", "project_id", "component_id"),
)

loyalty_v2_members = Table(
    "loyalty_v2_members",
    metadata,
    _seq(),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    Column("program_id", String(40), nullable=False),
    Column("customer_id", String(40), nullable=False),
    Column("status", String(10), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("project_id", "program_id", "customer_id", name="uq_loyalty_v2_member"),
    Index("ix_loyalty_v2_members_customer", "project_id", "customer_id"),
)

loyalty_v2_cards = Table(
    "loyalty_v2_cards",
    metadata,
    _seq(),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    Column("member_id", String(40), nullable=False),
    Column("program_id", String(40), nullable=False),
    Column("card_definition_id", String(40), nullable=False),
    Column("voucher_id", String(40), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_loyalty_v2_cards_member", "project_id", "member_id", "seq"),
)

loyalty_v2_transactions = Table(
    "loyalty_v2_transactions",
    metadata,
    _seq(),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    # order_payment (reward purchases next)
    Column("kind", String(20), nullable=False),
    Column("member_id", String(40), nullable=False),
    Column("card_id", String(40), nullable=False),
    Column("order_id", String(40)),
    Column("points", BigInteger, nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_loyalty_v2_transactions_member", "project_id", "member_id", "kind", "seq"),
    Index("ix_loyalty_v2_transactions_order", "project_id", "order_id"),
)

loyalty_v2_earnings = Table(
    "loyalty_v2_earnings",
    metadata,
    _seq(),
    project_column(),
    # One row per thing a v2 earning rule gave a member when it fired (append-only):
    # POINTS (a ledger credit, ``reference_id`` its vtx_), PENDING_POINTS (a pending entry,
    # lopp_) or BENEFIT (a benefit transaction, lbtx_). ``fire_id`` names the firing (the
    # customer event), ``earning_item_id`` the rule's earning that produced it.
    Column("program_id", String(40), nullable=False),
    Column("member_id", String(40), nullable=False),
    Column("earning_rule_id", String(40), nullable=False),
    Column("earning_item_id", String(40)),
    Column("fire_id", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("card_definition_id", String(40)),
    Column("points", BigInteger, nullable=False),
    Column("reference_id", String(40), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_loyalty_v2_earnings_program", "project_id", "program_id", "created_at"),
    Index("ix_loyalty_v2_earnings_member", "project_id", "member_id", "earning_rule_id"),
)

loyalty_v2_benefit_transactions = Table(
    "loyalty_v2_benefit_transactions",
    metadata,
    _seq(),
    Column("id", String(40), nullable=False, unique=True),
    project_column(),
    Column("program_id", String(40), nullable=False),
    Column("member_id", String(40), nullable=False),
    Column("benefit_id", String(40), nullable=False),
    Column("earning_rule_id", String(40), nullable=False),
    # APPROVED (granted) or REJECTED (out of stock, not active, no card of its wallet)
    Column("status", String(10), nullable=False),
    Column("attrs", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_loyalty_v2_benefit_transactions_member", "project_id", "member_id", "seq"),
    Index("ix_loyalty_v2_benefit_transactions_benefit", "project_id", "benefit_id", "status"),
)

__all__ = [
    "loyalty_v2_activities",
    "loyalty_v2_assignments",
    "loyalty_v2_benefit_transactions",
    "loyalty_v2_cards",
    "loyalty_v2_earnings",
    "loyalty_v2_members",
    "loyalty_v2_objects",
    "loyalty_v2_transactions",
]
