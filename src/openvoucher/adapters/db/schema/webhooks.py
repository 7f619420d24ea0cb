"""Webhook endpoints, distributions, and the delivery log (sendouts and their attempts).

A sendout is one event for one channel (a project webhook endpoint or one webhook channel of
a distribution). Its body is rendered once, at fan-out, and stored, so every retry sends the
same bytes under the same ``whs_`` id.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from openvoucher.adapters.db.schema.base import metadata
from openvoucher.adapters.db.schema.catalog import project_column
from openvoucher.adapters.db.types import JSONType, UTCDateTime

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("target_url", String(2000), nullable=False),
    Column("events", JSONType, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("headers", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_webhook_endpoints_project_created", "project_id", "created_at"),
)

distributions = Table(
    "distributions",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("name", String(300)),
    Column("trigger", String(120), nullable=False),
    Column("active", Boolean, nullable=False),
    # [{type, url, headers, event_name, payload, raw_payload}]
    Column("channels", JSONType, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Index("ix_distributions_project_trigger", "project_id", "trigger"),
    Index("ix_distributions_project_created", "project_id", "created_at"),
)

webhook_sendouts = Table(
    "webhook_sendouts",
    metadata,
    Column("id", String(40), primary_key=True),
    project_column(),
    Column("event_id", String(60), nullable=False),
    Column("event_type", String(120), nullable=False),
    # "webhook" (project endpoint) or "distribution"
    Column("source_object", String(20), nullable=False),
    Column("source_id", String(40), nullable=False),
    # The unit of per-endpoint concurrency: the endpoint id, or "<distribution id>#<index>".
    Column("channel", String(60), nullable=False),
    Column("target_url", String(2000), nullable=False),
    Column("headers", JSONType, nullable=False),
    Column("body", LargeBinary, nullable=False),
    # PENDING (due at next_attempt_at) · DELIVERED · FAILED
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime),
    # Set by a relay when it claims the sendout; its result is recorded only under the same token.
    Column("claim_token", String(40)),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    UniqueConstraint("event_id", "channel"),
    Index("ix_webhook_sendouts_due", "status", "next_attempt_at"),
    Index("ix_webhook_sendouts_project_created", "project_id", "created_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column(
        "sendout_id",
        String(40),
        ForeignKey("webhook_sendouts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("attempt", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("status_code", Integer),
    Column("response_excerpt", Text),
    Column("error", Text),
    Index("ix_webhook_attempts_sendout", "sendout_id", "attempt"),
)

__all__ = ["distributions", "webhook_attempts", "webhook_endpoints", "webhook_sendouts"]
