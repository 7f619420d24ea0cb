"""Throwaway objects for ``openvoucher trigger``, created through the API of a running server."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from openvoucher.cli.remote import Remote, RemoteError

REMOVAL = {
    "customer": ("/v1/customers/{id}", "id"),
    "voucher": ("/v1/vouchers/{id}?force=true", "code"),
    "campaign": ("/v1/campaigns/{id}?force=true", "id"),
}
"""How each created object is removed afterwards: path and the field naming it (a loyalty
programme or promotion is a campaign; its cards, tiers and stacks go with it)."""


@dataclass
class Fixtures:
    """Throwaway objects on the server, named with a random suffix, removed afterwards."""

    remote: Remote
    suffix: str
    notes: list[str]
    created: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def on(cls, remote: Remote) -> Fixtures:
        """Fixtures with a fresh suffix."""
        return cls(remote, secrets.token_hex(3).upper(), [])

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """An API call as the project (objects a POST creates are remembered for removal)."""
        answer = self.remote.call(method, path, body)
        if method == "POST":
            for item in answer if isinstance(answer, list) else [answer]:
                self._remember(item)
        return answer

    def _remember(self, item: Any) -> None:
        if not isinstance(item, dict) or item.get("object") not in REMOVAL:
            return
        kind = str(item["object"])
        ident = item.get(REMOVAL[kind][1])
        if isinstance(ident, str) and (kind, ident) not in self.created:
            self.created.append((kind, ident))

    def remove(self) -> int:
        """Delete what was created, newest first; how many were removed (objects a campaign
        took with it, or the scenario removed itself, are skipped)."""
        removed = 0
        for kind, ident in reversed(self.created):
            try:
                self.remote.call("DELETE", REMOVAL[kind][0].format(id=ident))
                removed += 1
            except RemoteError as error:
                if error.status != 404:
                    self.notes.append(f"could not remove {kind} {ident}: {error.message}")
        self.created.clear()
        return removed

    def name(self, base: str) -> str:
        """A unique name like ``trigger-customer-1A2B3C``."""
        return f"trigger-{base}-{self.suffix}"

    def customer(self) -> dict[str, Any]:
        """A new customer (``customer.created``)."""
        body = {"source_id": self.name("customer"), "name": "Trigger Customer"}
        created: dict[str, Any] = self.call("POST", "/v1/customers", body)
        return created

    def voucher(self, **extra: Any) -> dict[str, Any]:
        """A standalone 10 % discount voucher (``voucher.created``)."""
        body = {"type": "DISCOUNT_VOUCHER", "discount": {"type": "PERCENT", "percent_off": 10}}
        code = self.name("voucher").upper()
        created: dict[str, Any] = self.call("POST", f"/v1/vouchers/{code}", {**body, **extra})
        return created

    def campaign(self, count: int = 0) -> dict[str, Any]:
        """A discount campaign with ``count`` generated codes (``campaign.created``)."""
        body = {
            "name": self.name("campaign"),
            "campaign_type": "DISCOUNT_COUPONS",
            "type": "AUTO_UPDATE",
            "vouchers_count": count,
            "voucher": {
                "type": "DISCOUNT_VOUCHER",
                "discount": {"type": "AMOUNT", "amount_off": 500},
                "code_config": {"pattern": f"T{self.suffix}-####"},
            },
        }
        created: dict[str, Any] = self.call("POST", "/v1/campaigns", body)
        return created

    def redeem(self, code: str, customer: dict[str, Any] | None) -> Any:
        """Redeem ``code`` on a 100.00 order."""
        body: dict[str, Any] = {
            "redeemables": [{"object": "voucher", "id": code}],
            "order": {"amount": 10000},
        }
        if customer is not None:
            body["customer"] = {"id": customer["id"]}
        return self.call("POST", "/v1/redemptions", body)

    def programme(self, months: int = 12) -> dict[str, Any]:
        """A loyalty programme whose points expire after ``months``."""
        card = {"points": 0, "expiration_rules": {"period_type": "MONTH", "period_value": months}}
        body = {
            "name": self.name("loyalty"),
            "voucher": {
                "type": "LOYALTY_CARD",
                "loyalty_card": card,
                "code_config": {"pattern": f"L{self.suffix}-#####"},
            },
        }
        created: dict[str, Any] = self.call("POST", "/v1/loyalties", body)
        return created

    def member(self, programme: dict[str, Any], customer: dict[str, Any]) -> dict[str, Any]:
        """The customer's new card in ``programme``."""
        path = f"/v1/loyalties/{programme['id']}/members"
        card: dict[str, Any] = self.call("POST", path, {"customer": {"id": customer["id"]}})
        return card

    def add_points(self, code: str, points: int, **extra: Any) -> Any:
        """Add points to a card."""
        return self.call(
            "POST", f"/v1/loyalties/members/{code}/balance", {"points": points, **extra}
        )

    def earning_rule(self, programme: dict[str, Any]) -> dict[str, Any]:
        """An order.paid rule: 1 point per 1.00 spent."""
        rule = {
            "event": "order.paid",
            "source": {"banner": "Trigger points"},
            "loyalty": {
                "type": "PROPORTIONAL",
                "calculation_type": "ORDER_TOTAL_AMOUNT",
                "order": {"total_amount": {"every": 100, "points": 1}},
            },
        }
        path = f"/v1/loyalties/{programme['id']}/earning-rules"
        (created,) = self.call("POST", path, [rule])
        return dict(created)
