"""Payouts' status moves, against tables written here; set-based moves follow the same tables."""

from decimal import Decimal

import pytest
from django.utils import timezone

from common.transitions import sources
from payouts import services
from payouts.models import Commission, PayoutRun
from tests.factories import CreatorFactory, LinkFactory, ProductFactory, ProgramFactory, open_product
from tests.payouts.test_commissions import attributed_order
from tests.payouts.test_runs import credit, run_month
from tests.transition_tables import check_moves

pytestmark = pytest.mark.django_db
COMMISSION = {
    "pending": {"approved", "reversed", "frozen"},
    "frozen": {"pending", "reversed"},
    "approved": {"paid", "reversed"},
    "paid": {"reversed"},
}
RUN = {"computing": {"ready"}, "ready": {"approved"}, "approved": {"paid"}}


def test_commission_moves():
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop)
    open_product(product, Decimal("10"))
    order = attributed_order(LinkFactory(product=product))
    services.commissions_create_for_orders(order_ids=[order.pk])
    check_moves(Commission.objects.get(), COMMISSION)


def test_payout_run_and_payout_moves():
    credit(CreatorFactory(), "30.00")
    run = run_month()
    check_moves(run, RUN)
    check_moves(run.payouts.get(), {"pending": {"paid", "failed"}})


def test_early_payout_request_moves():
    creator = CreatorFactory()
    credit(creator, "30.00", at=timezone.now())
    check_moves(services.early_payout_request(creator=creator, currency="USD"),
                {"requested": {"approved", "declined"}})


@pytest.mark.parametrize(("model", "table", "to"), [
    (Commission, COMMISSION, "approved"), (Commission, COMMISSION, "paid"), (Commission, COMMISSION, "frozen"),
    (Commission, COMMISSION, "pending"), (PayoutRun, RUN, "paid"), (PayoutRun, RUN, "ready"),
])
def test_set_based_moves_leave_from_the_same_statuses(model, table, to):
    assert sorted(sources(model, to)) == sorted(start for start, targets in table.items() if to in targets)
