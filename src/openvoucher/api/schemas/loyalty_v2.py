"""Loyalty v2 request bodies (``/v2/loyalties``). Nested settings arrive as objects the
loyalty context checks (``loyalty/domain/v2_*.py``): unknown top-level fields are 400."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Obj = dict[str, Any]
Created = Literal["DRAFT", "ACTIVE"]
BenefitType = Literal["POINTS", "POINTS_PROPORTIONAL", "MATERIAL", "DIGITAL"]


class CardDefinitionUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT /v2/loyalties/card-definitions/{id}``; absent fields stay."""

    name: Name | UnsetType = UNSET
    code_config: Obj | UnsetType | None = UNSET
    points_expiration: Obj | UnsetType | None = UNSET
    pending_points: Obj | UnsetType | None = UNSET
    earning_limits: Obj | UnsetType | None = UNSET
    spending_limits: Obj | UnsetType | None = UNSET
    refunds: Obj | UnsetType | None = UNSET
    balance_settings: Obj | UnsetType | None = UNSET
    pay_with_points: Obj | UnsetType | None = UNSET
    metadata: Obj | UnsetType | None = UNSET


class CardDefinitionCreate(CardDefinitionUpdate, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/card-definitions``."""

    type: Literal["INDIVIDUAL"] = "INDIVIDUAL"
    status: Created | UnsetType | None = UNSET


class EarningRuleUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT /v2/loyalties/earning-rules/{id}``; absent fields stay."""

    name: Name | UnsetType = UNSET
    trigger: Obj | UnsetType = UNSET
    earnings: list[Obj] | UnsetType = UNSET
    error: Obj | UnsetType | None = UNSET
    validity_hours: Obj | UnsetType | None = UNSET
    start_date: Text | UnsetType | None = UNSET
    end_date: Text | UnsetType | None = UNSET
    metadata: Obj | UnsetType | None = UNSET
    trigger_limits: Obj | UnsetType | None = UNSET


class EarningRuleCreate(EarningRuleUpdate, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/earning-rules``."""

    status: Created | UnsetType = UNSET


class IdRef(msgspec.Struct, forbid_unknown_fields=True):
    """A component named by id (programme assignments)."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]


Refs = Annotated[list[IdRef], msgspec.Meta(min_length=1, max_length=10)]


class RewardRef(msgspec.Struct, forbid_unknown_fields=True):
    """A reward assigned to a programme, with its stock."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    stock: Obj


class ProgramUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT /v2/loyalties/programs/{id}``; absent fields stay."""

    name: Name | UnsetType = UNSET
    start_date: Text | UnsetType | None = UNSET
    end_date: Text | UnsetType | None = UNSET
    validity_hours: Obj | UnsetType | None = UNSET
    metadata: Obj | UnsetType | None = UNSET


class ProgramCreate(ProgramUpdate, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/programs`` (components assigned in the same transaction)."""

    status: Created | UnsetType | None = UNSET
    card_definitions: Refs | UnsetType | None = UNSET
    earning_rules: Refs | UnsetType | None = UNSET
    rewards: (
        Annotated[list[RewardRef], msgspec.Meta(min_length=1, max_length=10)] | UnsetType | None
    ) = UNSET
    tier_structures: Refs | UnsetType | None = UNSET


class Batch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST …/programs/{id}/<components>/batch``."""

    assign: Annotated[list[IdRef], msgspec.Meta(max_length=10)] | None = None
    unassign: Annotated[list[IdRef], msgspec.Meta(max_length=10)] | None = None


class CustomerIdentification(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Who becomes a member: a customer id or source id."""

    type: Literal["customer_id", "customer_source_id"]
    customer_id: Text | None = None
    customer_source_id: Text | None = None


class MemberCreate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST …/programs/{id}/members``."""

    customer_id: Text | None = None
    customer_identification: CustomerIdentification | None = None
    status: Literal["ACTIVE", "INACTIVE"] | None = None
    metadata: Obj | None = None


MemberBatch = Annotated[list[MemberCreate], msgspec.Meta(min_length=1)]
"""``POST …/members/batch`` (at most 1 000 members: 413 past that)."""


class MemberUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT …/members/{id}``."""

    metadata: Obj | UnsetType | None = UNSET


class AdjustPoints(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST …/cards/{id}/points``: add (> 0) or remove (< 0) points."""

    points: int
    reason: Text | None = None


class LimitMax(msgspec.Struct, forbid_unknown_fields=True):
    """A payment limit's ``max``."""

    max: Annotated[int, msgspec.Meta(ge=1)]


class PaymentLimit(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """How much of the card a payment may use."""

    type: Literal["CARD_BALANCE", "POINTS_LIMIT", "AMOUNT_LIMIT"]
    points_limit: LimitMax | None = None
    amount_limit: LimitMax | None = None


class OrderRef(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """The order paid: by id or source id."""

    id: Text | None = None
    source_id: Text | None = None


class OrderPayment(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST …/members/{id}/orders/payments``."""

    card_id: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    order: OrderRef
    payment_limit: PaymentLimit | None = None
    mode: Literal["TRANSACTION", "DRY_RUN"] | None = None


class RewardBatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST …/programs/{id}/rewards/batch``."""

    assign: Annotated[list[RewardRef], msgspec.Meta(max_length=10)] | None = None
    unassign: Annotated[list[IdRef], msgspec.Meta(max_length=10)] | None = None


class RewardAssignmentUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """``PUT …/programs/{id}/rewards/{rewardId}``."""

    stock: Obj


class RewardUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT /v2/loyalties/rewards/{id}``; absent fields stay."""

    name: Name | UnsetType = UNSET
    validity_hours: Obj | UnsetType | None = UNSET
    start_date: Text | UnsetType | None = UNSET
    end_date: Text | UnsetType | None = UNSET
    material: Obj | UnsetType | None = UNSET
    digital: Obj | UnsetType | None = UNSET
    costs: list[Obj] | UnsetType = UNSET
    purchase_limits: Obj | UnsetType | None = UNSET
    refunds: Obj | UnsetType | None = UNSET
    metadata: Obj | UnsetType | None = UNSET


class RewardCreate(RewardUpdate, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/rewards``."""

    type: Literal["MATERIAL", "DIGITAL"] | UnsetType = UNSET
    status: Created | UnsetType = UNSET


class BenefitUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT /v2/loyalties/benefits/{id}``; absent fields stay."""

    name: Name | UnsetType = UNSET
    type: BenefitType | UnsetType = UNSET
    points: Obj | UnsetType | None = UNSET
    points_proportional: Obj | UnsetType | None = UNSET
    material: Obj | UnsetType | None = UNSET
    digital: Obj | UnsetType | None = UNSET
    stock: Obj | UnsetType | None = UNSET


class BenefitCreate(BenefitUpdate, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/benefits``."""

    status: Created | UnsetType = UNSET


class TierStructureUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT /v2/loyalties/tier-structures/{id}``; absent fields stay."""

    name: Name | UnsetType = UNSET
    type: Literal["POINT_BALANCE", "POINT_EARNED"] | UnsetType = UNSET
    point_balance: Obj | UnsetType | None = UNSET
    point_earned: Obj | UnsetType | None = UNSET
    expiration: Obj | UnsetType | None = UNSET
    downgrade: Obj | UnsetType | None = UNSET
    metadata: Obj | UnsetType | None = UNSET


class TierStructureCreate(TierStructureUpdate, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/tier-structures``."""

    status: Created | UnsetType = UNSET


class TierUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``PUT …/tier-structures/{id}/tiers/{tierId}``; absent fields stay."""

    name: Name | UnsetType = UNSET
    qualification_rules: Obj | UnsetType | None = UNSET
    downgrade: Obj | UnsetType | None = UNSET
    metadata: Obj | UnsetType | None = UNSET


class RewardPurchase(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST …/members/{id}/rewards/purchases``."""

    reward_id: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    mode: Literal["TRANSACTION", "DRY_RUN"] | None = None


class RefundPolicies(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Whether to refund a reward that says NONE, and whether its stock comes back."""

    refund: Literal["DEFAULT", "ALLOW"] | None = None
    stock: Literal["DEFAULT", "WRITE_OFF"] | None = None


class PurchaseRefund(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST …/rewards/purchases/{id}/refund``."""

    policies: RefundPolicies | None = None


class ExamineIdentification(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Whose rewards to examine: a customer id, source id or member id."""

    type: Literal["customer_id", "customer_source_id", "member_id"]
    customer_id: Text | None = None
    customer_source_id: Text | int | float | None = None
    member_id: Text | None = None


class ExamineRewards(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/examine/rewards``."""

    customer_identification: ExamineIdentification
    customer: Obj | None = None
    member: Obj | None = None


class ExamineTrigger(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Which trigger's rules to examine: ALL, or one SPECIFIC event."""

    type: Literal["ALL", "SPECIFIC"]
    specific: Obj | None = None


class ExamineEarningRules(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """``POST /v2/loyalties/examine/earning-rules``."""

    trigger: ExamineTrigger
    customer_identification: ExamineIdentification
    customer_order_paid: Obj | None = None
    customer_segment_entered: Obj | None = None
    customer_custom_event: Obj | None = None
