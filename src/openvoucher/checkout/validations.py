"""``POST /v1/validations``: evaluate a stack of redeemables against an order, change nothing
(except, with a LOCK session, holding the vouchers a valid validation would use)."""

from __future__ import annotations

from typing import Any

from openvoucher.checkout import evaluation, sessions, stacking_rules
from openvoucher.checkout.presenters.redemptions import validation
from openvoucher.kernel.ids import new_id
from openvoucher.kernel.unit_of_work import Tx, UnitOfWork


def validate(uow: UnitOfWork, project_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """The validation result; a LOCK session makes it a write (the holds are stored)."""
    session = sessions.session_of(body.get("session"))
    if session is None:
        with uow.read(project_id) as tx:
            return _validate(tx, body, None)
    with uow.write(project_id) as tx:
        return _validate(tx, body, session)


def _validate(tx: Tx, body: dict[str, Any], session: dict[str, Any] | None) -> dict[str, Any]:
    customer = evaluation.find_customer(tx, body.get("customer"))
    if session is not None:
        body = {**body, "session": session}
    context = evaluation.run(tx, body, customer, lock=session is not None)
    if session is not None and context.evaluation.valid:
        sessions.hold(tx, session, context.evaluation)
    return validation(
        new_id("validation"),
        context.evaluation,
        context.order,
        tracking_id=evaluation.tracking_id(body, customer),
        session=session if context.evaluation.valid else None,
        campaigns=evaluation.campaign_names(context.vouchers, context.tiers),
        stacking_rules=stacking_rules.reported(context.rules),
    )
