"""Worked example for docs/testing-your-integration.md (run by tests/testing/test_pytest_plugin.py).

Needs: pip install openvoucher voucherify pytest — the fixtures come from openvoucher's plugin.
"""

from datetime import timedelta

from voucherify.api.customers_api import CustomersApi
from voucherify.api.loyalties_api import LoyaltiesApi
from voucherify.api.validations_api import ValidationsApi
from voucherify.api.vouchers_api import VouchersApi
from voucherify.models import (
    CustomersCreateRequestBody,
    LoyaltiesCreateCampaignRequestBody,
    LoyaltiesMembersBalanceUpdateRequestBody,
    LoyaltiesMembersCreateRequestBody,
    ValidationsValidateRequestBody,
    VouchersCreateWithSpecificCodeRequestBody,
)


def test_new_customer_webhook(voucherify_client, webhook_recorder):
    """Our signup code creates a customer; Voucherify tells us by a signed webhook."""
    created = CustomersApi(voucherify_client).create_customer(
        CustomersCreateRequestBody(source_id="ada", name="Ada", email="ada@example.com")
    )
    hook = webhook_recorder.wait_for("customer.created", timeout=10)
    assert hook.signature_valid
    assert hook.data["customer"]["id"] == created.id


def test_voucher_expires(voucherify_client, openvoucher_clock):
    """A voucher valid today is refused as voucher_expired after its expiration date."""
    today = openvoucher_clock.freeze()
    VouchersApi(voucherify_client).create_voucher(
        "SPRING-10",
        VouchersCreateWithSpecificCodeRequestBody.from_dict(
            {
                "type": "DISCOUNT_VOUCHER",
                "discount": {"type": "PERCENT", "percent_off": 10},
                "expiration_date": (today + timedelta(days=30)).isoformat(),
            }
        ),
    )
    check = ValidationsValidateRequestBody.from_dict(
        {"redeemables": [{"object": "voucher", "id": "SPRING-10"}], "order": {"amount": 5000}}
    )
    validations = ValidationsApi(voucherify_client)
    assert validations.validate_stacked_discounts(check).valid is True
    openvoucher_clock.advance("31d")
    late = validations.validate_stacked_discounts(check)
    assert late.valid is False
    assert late.inapplicable_redeemables[0].result.error.key == "voucher_expired"
    openvoucher_clock.unfreeze()


def test_points_expire_after_a_year(voucherify_client, webhook_recorder, openvoucher_clock):
    """Points earned today expire 12 months later: a POINTS_EXPIRATION transaction and a
    voucher.loyalty_card.points_expired webhook, stamped with the simulated time."""
    openvoucher_clock.freeze()
    loyalties = LoyaltiesApi(voucherify_client)
    programme = loyalties.create_loyalty_program(
        LoyaltiesCreateCampaignRequestBody.from_dict(
            {
                "name": "Stars",
                "voucher": {
                    "type": "LOYALTY_CARD",
                    "loyalty_card": {
                        "points": 0,
                        "expiration_rules": {"period_type": "MONTH", "period_value": 12},
                    },
                    "code_config": {"pattern": "STAR-#####"},
                },
            }
        )
    )
    card = loyalties.add_member(
        programme.id, LoyaltiesMembersCreateRequestBody.from_dict({"customer": {"source_id": "bo"}})
    )
    loyalties.update_loyalty_card_balance1(
        programme.id, card.code, LoyaltiesMembersBalanceUpdateRequestBody(points=120)
    )
    openvoucher_clock.advance("13mo")  # runs the expiration job at the exact expiry instant
    history = loyalties.list_loyalty_card_transactions1(programme.id, card.code)
    assert [t.type for t in history.data][0] == "POINTS_EXPIRATION"
    assert loyalties.get_member(card.code).loyalty_card.balance == 0
    hook = webhook_recorder.wait_for("voucher.loyalty_card.points_expired", timeout=15)
    assert hook.data["voucher"]["code"] == card.code
    openvoucher_clock.unfreeze()
