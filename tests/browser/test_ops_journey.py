"""Staff in /ops/: support works the product review queue and sees no money; finance
starts, approves, exports and pays a payout run; both show in the history."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from payouts.models import LedgerEntry, PayoutRun
from shops.models import Product
from tests import data_rows
from tests.browser.conftest import admin_action, log_in
from tests.factories import CreatorFactory, ProductFactory, UserFactory
from tests.payouts.test_runs import IN_LAST_MONTH, LAST_MONTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff(group_name):
    data_rows.restore()  # transactional tests flush the rows data migrations made
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_support_and_finance(new_page, screenshots):
    product = ProductFactory(status=Product.Status.IN_REVIEW, title="Suspicious Sunglasses")
    creator = CreatorFactory(payout_method="paypal", payout_account="mika@example.com")
    LedgerEntry.objects.create(creator=creator, currency="USD", kind="commission", amount=Decimal("42.00"),
                               created_at=IN_LAST_MONTH)
    support, finance = _staff("support"), _staff("finance")

    page = new_page()
    log_in(page, support.email)
    page.goto("/ops/")
    assert page.get_by_role("link", name="Products in review (oldest first)").is_visible()
    assert page.get_by_text("Payout runs to review or pay").count() == 0  # finance's queue
    screenshots(page, "support-index")
    page.get_by_role("link", name="Products in review (oldest first)").click()
    admin_action(page, page.url, [product.pk], "Approve selected products")
    assert page.get_by_text("1 changed").is_visible()
    # "Where is my money?": support reads payouts, and can do nothing to them.
    assert page.goto("/ops/payouts/payout/").status == 200
    assert page.locator("select[name=action] option", has_text="Mark selected payouts paid").count() == 0

    page = new_page()
    log_in(page, finance.email)
    page.goto("/ops/payouts/payoutrun/add/")
    page.locator("#id_period").fill(LAST_MONTH.isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    run = PayoutRun.objects.get()
    admin_action(page, "/ops/payouts/payoutrun/", [run.pk], "Approve selected runs")
    with page.expect_download() as download:
        page.get_by_role("link", name="PayPal USD: 1 payout(s)").click()
    assert open(download.value.path()).read().startswith("mika@example.com,42.00,USD,kinship-")  # noqa: PTH123, SIM115
    admin_action(page, "/ops/payouts/payout/", [run.payouts.get().pk],
                 "Mark selected payouts paid (reference as reason)", reason="BATCH-7")
    screenshots(page, "finance-paid")
    page.goto(f"/ops/payouts/payoutrun/{run.pk}/history/")
    assert page.get_by_text(finance.email).first.is_visible()
    screenshots(page, "finance-history")

    record = product.history.order_by("-history_date").first()
    assert (record.status, record.history_user) == ("live", support)
    run.refresh_from_db()
    assert run.status == "paid"
