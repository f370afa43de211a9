"""The money flow in a browser: an attributed order is paid, the creator sees a pending
commission; past the hold it is approved; finance runs, approves and pays the month in
/ops/; the creator sees it paid; a later refund shows as a clawback on the statements."""

from decimal import Decimal

import pytest

from payouts import selectors, services
from payouts.models import Commission, LedgerEntry, PayoutRun
from payouts.reconciliation import reconcile
from tests.browser.conftest import admin_action, log_in
from tests.factories import (
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
)
from tests.payouts.test_commissions import attributed_order
from tests.payouts.test_runs import IN_LAST_MONTH, LAST_MONTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commission_from_pending_to_paid_to_clawback(new_page, screenshots):
    program = ProgramFactory()
    seller_user = ShopMembershipFactory(shop=program.shop).user
    product = ProductFactory(shop=program.shop, title="Copper Kettle", price=Decimal("80.00"))
    open_product(product, Decimal("15"))
    link = LinkFactory(product=product)
    link.creator.payout_account = "mika@example.com"
    link.creator.save()
    order = attributed_order(link, 2)
    services.commissions_create_for_orders(order_ids=[order.pk])

    creator = new_page(375, 812)
    log_in(creator, link.creator.user.email)
    creator.goto("/creator/earnings/")
    creator.get_by_text("pending (in hold)", exact=True).wait_for()
    assert creator.get_by_text("$24.00").first.is_visible()
    screenshots(creator, "creator-pending")

    # Test clock: the order was paid early last month and its hold ended within it.
    Commission.objects.update(hold_until=IN_LAST_MONTH)
    services.commissions_approve_due(now=IN_LAST_MONTH)

    finance = new_page()
    log_in(finance, UserFactory(is_staff=True, is_superuser=True).email)
    finance.goto("/ops/payouts/payoutrun/add/")
    finance.locator("#id_period").fill(LAST_MONTH.isoformat())
    finance.get_by_role("button", name="Save", exact=True).click()
    run = PayoutRun.objects.get()
    assert run.status == "ready" and run.progress == "1 of 1"
    admin_action(finance, "/ops/payouts/payoutrun/", [run.pk], "Approve selected runs")
    payout = run.payouts.get()
    admin_action(finance, "/ops/payouts/payout/", [payout.pk], "Mark selected payouts paid (reference as reason)",
                 reason="PAYPAL-BATCH-42")
    screenshots(finance, "ops-paid")
    assert Commission.objects.get().status == "paid"

    creator.goto("/creator/earnings/")
    assert creator.get_by_text("Paid", exact=True).first.is_visible()
    screenshots(creator, "creator-paid")

    seller = new_page()
    log_in(seller, seller_user.email)
    seller.goto(f"/seller/orders/{order.pk}/")
    line = order.lines.get()
    seller.locator(f"#id_refund-line_{line.pk}").fill("1")
    seller.locator("#id_refund-reason").fill("Dented")
    seller.get_by_role("button", name="Refund").click()
    seller.get_by_text("Refunded").first.wait_for()
    seller.goto("/seller/affiliates/statements/?month=" + order.placed_at.strftime("%Y-%m"))
    assert seller.get_by_text("Refund: Dented").is_visible()
    screenshots(seller, "seller-statement-clawback")
    clawback = LedgerEntry.objects.get(kind="clawback")
    assert clawback.amount == Decimal("-12.00")
    assert selectors.balances(creator=link.creator) == {"USD": Decimal("-12.00")}
    assert all(report.ok for report in reconcile())
