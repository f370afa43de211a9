"""Money on the production stack: buyers follow creators' links and pay at the same time
over HTTP (gunicorn), a real worker with two processes attributes and computes, with no
sweeper. Every attributed order must have its commission within seconds; refunds before
and after approval, the daily approval, a payout run and reconciliation all add up to
amounts computed here from the inputs."""

import contextlib
import random
import re
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import psycopg
import pytest
from django.utils import timezone

from common.money import format_money, money_round
from payouts import services as payout_services
from payouts.models import Commission, LedgerEntry, OpenCommissionChange, Payout, PayoutRun
from payouts.months import next_month
from payouts.owed import open_commissions_owed
from payouts.reconciliation import reconcile
from payouts.tasks import approve_due_commissions, compact_open_commissions
from shops.models import Order, ShopDailyStats
from tests.factories import (
    PASSWORD,
    ActiveShopFactory,
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
)
from tracking.models import Click, Conversion, DailyLinkStats
from tracking.tasks import flush_clicks

from .stack import Browser, database_url, production_stack, sending_to, wait_for, with_production_password

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
D = Decimal
BUYERS = 24
COMMISSION_SECONDS = 10  # "within a few seconds" of the last checkout


@pytest.fixture
def stack(static_root):
    """A stack per test: a transactional test ends with a flush that recreates content
    types under new ids, which long-lived processes would keep cached."""
    with production_stack(static_root=static_root) as running:
        yield running


@pytest.fixture
def program():
    """A USD shop whose commissions are due at once (no return window, no hold), two open
    products at different rates, three creators with links, and its seller."""
    shop = ActiveShopFactory(return_window_days=0, shipping_fee=D("4.90"), tax_rate=D("8.25"))
    program = ProgramFactory(shop=shop, default_rate=D("10"), hold_days=0)
    mug = ProductFactory(shop=shop, title="Stack Mug", price=D("33.33"), stock=1000)
    scarf = ProductFactory(shop=shop, title="Stack Scarf", price=D("49.95"), stock=1000)
    open_product(mug, D("12.5"))
    open_product(scarf)  # the program default, 10 %
    creators = [CreatorFactory() for _ in range(3)]
    links = [LinkFactory(creator=creator, product=product) for creator in creators for product in (mug, scarf)]
    seller = with_production_password(
        ShopMembershipFactory(shop=shop, user=UserFactory(email="stack.seller@example.com")).user, PASSWORD)
    return {"program": program, "shop": shop, "links": links, "seller": seller,
            "rates": {mug.pk: D("12.5"), scarf.pk: D("10")}}


def _commission(net: Decimal, rate: Decimal) -> Decimal:
    return money_round(net * rate / 100, "USD")


def test_concurrent_buyers_refunds_approval_and_a_payout_run_add_up(stack, program):
    rng = random.Random(7)
    plan = [(i, rng.choice(program["links"]), rng.randint(1, 3)) for i in range(BUYERS)]

    def buyer(args):
        i, link, quantity = args
        browser = Browser(stack.base, ip=f"10.1.{i // 250}.{i % 250 + 1}")
        landed = browser.get(f"/r/{link.code}")
        assert landed.status == 200 and f"/p/{link.product_id}/" in landed.url
        page = browser.buy(product_id=link.product_id, shop_slug=program["shop"].slug, quantity=quantity,
                           email=f"stack.buyer{i}@example.net", name=f"Buyer {i}")
        assert page.status == 200 and "Thank you" in page.body, page.body[:1500]
        return i

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(buyer, plan)) == list(range(BUYERS))

    orders = {order.email: order for order in Order.objects.filter(shop=program["shop"])}
    assert len(orders) == BUYERS and {o.status for o in orders.values()} == {Order.Status.PAID}
    expected = {}  # order pk -> (creator id, commission)
    for i, link, quantity in plan:
        order = orders[f"stack.buyer{i}@example.net"]
        net = link.product.price * quantity
        expected[order.pk] = (link.creator_id, _commission(net, program["rates"][link.product_id]))

    # Attribution and commissions, with no sweeper: only the two events' own tasks.
    took = wait_for(lambda: Commission.objects.filter(shop=program["shop"]).count() == BUYERS,
                    seconds=COMMISSION_SECONDS, stack=stack, message=lambda: (
                        f"{Commission.objects.filter(shop=program['shop']).count()} of {BUYERS} commissions after "
                        f"{COMMISSION_SECONDS} s; conversions: "
                        f"{list(Conversion.objects.values_list('outcome', flat=True))}"))
    print(f"every commission within {took:.1f} s of the last checkout")
    assert set(Conversion.objects.values_list("outcome", flat=True)) == {Conversion.Outcome.ATTRIBUTED}
    got = {c.order_id: (c.creator_id, c.amount) for c in Commission.objects.all()}
    assert got == expected

    # A refund before approval: the whole of the first order; its commission is reversed.
    seller = Browser(stack.base, ip="10.9.9.9")
    assert seller.login(program["seller"].email, PASSWORD).status == 200
    refunded_early = orders["stack.buyer0@example.net"]
    _refund(seller, refunded_early, {line.pk: line.quantity for line in refunded_early.lines.all()})
    wait_for(lambda: Commission.objects.get(order=refunded_early).status == Commission.Status.REVERSED,
             seconds=10, stack=stack, message=lambda: "the early refund did not reverse the commission")
    creator, _ = expected[refunded_early.pk]
    expected[refunded_early.pk] = (creator, D("0"))

    # The daily approval, run by the worker: every commission left is credited once.
    with sending_to(stack):
        approve_due_commissions.delay()
    wait_for(lambda: LedgerEntry.objects.filter(kind="commission").count() == BUYERS - 1, seconds=10, stack=stack,
             message=lambda: f"{LedgerEntry.objects.filter(kind='commission').count()} credits of {BUYERS - 1}")

    # A refund after approval: one unit of an order of two or more; the creator is clawed back.
    late_i, late_link, late_quantity = next(p for p in plan[1:] if p[2] >= 2)
    late = orders[f"stack.buyer{late_i}@example.net"]
    _refund(seller, late, {late.lines.get().pk: 1})
    wait_for(lambda: LedgerEntry.objects.filter(kind="clawback").exists(), seconds=10, stack=stack,
             message=lambda: "the late refund made no clawback")
    net = late_link.product.price * late_quantity
    refunded_net = money_round(net / late_quantity, "USD")
    owed_now = _commission(net - refunded_net, program["rates"][late_link.product_id])
    assert LedgerEntry.objects.get(kind="clawback").amount == owed_now - expected[late.pk][1]
    expected[late.pk] = (expected[late.pk][0], owed_now)

    # Commissions owed on the seller home: the totals the database keeps, folded in by the worker.
    shop = program["shop"]
    raw = sum(((c.amount - c.clawed_back) for c in Commission.objects.filter(
        shop=shop, status__in=["pending", "approved", "frozen"])), D("0"))
    assert sum(open_commissions_owed(shop=shop).values(), D("0")) == raw
    with sending_to(stack):
        compact_open_commissions.delay()
    wait_for(lambda: not OpenCommissionChange.objects.exists(), seconds=10, stack=stack,
             message=lambda: f"{OpenCommissionChange.objects.count()} changes not folded in")
    assert sum(open_commissions_owed(shop=shop).values(), D("0")) == raw
    home = seller.get("/seller/")
    assert home.status == 200 and format_money(raw, "USD") in home.body

    # The payout run for this month, started on the 1st of the next one and computed by the worker.
    owed = defaultdict(Decimal)
    for creator_id, amount in expected.values():
        owed[creator_id] += amount
    this_month = timezone.now().date()
    first_of_next = next_month(this_month)
    with mock.patch("django.utils.timezone.now",
                    return_value=datetime.combine(first_of_next, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
                    ), sending_to(stack):
        run, created = payout_services.payout_run_start(period=this_month)
    assert created
    wait_for(lambda: PayoutRun.objects.get(pk=run.pk).status == PayoutRun.Status.READY, seconds=20, stack=stack,
             message=lambda: f"the run is {PayoutRun.objects.get(pk=run.pk).status}")
    assert {p.creator_id: p.amount for p in Payout.objects.filter(run=run)} == {
        creator_id: amount for creator_id, amount in owed.items() if amount >= D("10.00")}
    payout_services.payout_run_approve(run=run, by=UserFactory(is_staff=True))
    payout_services.payouts_mark_paid(payouts=list(run.payouts.all()), by=UserFactory(is_staff=True),
                                      reference="stack-test")
    reports = reconcile()
    assert reports and all(report.ok for report in reports), [r.problems for r in reports]


def _refund(seller: Browser, order: Order, quantities: dict[int, int]) -> None:
    page = seller.get(f"/seller/orders/{order.pk}/")
    assert page.status == 200, page.body[:1000]
    data = {"action": "refund", "refund-reason": "Arrived broken",
            **{f"refund-line_{line_id}": quantity for line_id, quantity in quantities.items()}}
    result = seller.post(f"/seller/orders/{order.pk}/", data, csrf_from=page)
    assert result.status == 200 and "Refunded" in result.body, result.body[:1500]


# --------------------------------------------------------------------------------------
# The interleaving that lost commissions, made to happen every time
# --------------------------------------------------------------------------------------


class RowHeld:
    """A row locked by another transaction (a long click batch holds its link's rollup
    row, another order's payment holds the shop's row of the day) until `release()`."""

    def __init__(self, sql: str, params: list):
        self.connection = psycopg.connect(database_url(), autocommit=False)
        self.connection.execute(sql, params)

    def release(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()


def _waiting_on_locks() -> int:
    with psycopg.connect(database_url(), autocommit=True) as connection:
        return connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND wait_event_type = 'Lock'").fetchone()[0]


def _compute_runs(stack) -> int:
    return len(re.findall(r"compute_commissions\[[^]]+\] succeeded", stack.log_tail("worker", 1_000_000)))


def test_a_payment_and_an_attribution_in_flight_together_still_make_the_commission(stack, program):
    """The buyer's payment and the worker's attribution of the same order are both held
    up, then the payment commits first and the attribution after it: today's order of
    events on a busy shop. The commission must come anyway, from the attribution's commit."""
    link, today = program["links"][0], timezone.now().date()
    buyer = Browser(stack.base, ip="10.2.0.1")
    assert buyer.get(f"/r/{link.code}").status == 200
    with sending_to(stack):
        flush_clicks.delay()
    wait_for(lambda: Click.objects.filter(link=link).exists(), seconds=10, stack=stack,
             message=lambda: "the click was never stored")
    ShopDailyStats.objects.get_or_create(shop=program["shop"], day=today)
    payment_blocked = RowHeld("SELECT 1 FROM shops_shopdailystats WHERE shop_id = %s AND day = %s FOR UPDATE",
                              [program["shop"].pk, today])
    attribution_blocked = RowHeld("SELECT 1 FROM tracking_dailylinkstats WHERE link_id = %s AND day = %s FOR UPDATE",
                                  [link.pk, DailyLinkStats.objects.get(link=link).day])
    try:
        checkout = threading.Thread(target=lambda: buyer.buy(
            product_id=link.product_id, shop_slug=program["shop"].slug, email="held@example.net"))
        checkout.start()
        wait_for(lambda: _waiting_on_locks() >= 2, seconds=15, stack=stack,
                 message=lambda: f"{_waiting_on_locks()} transactions wait; expected the payment and the attribution")
        runs = _compute_runs(stack)
        payment_blocked.release()  # the payment commits first...
        wait_for(lambda: Order.objects.filter(email="held@example.net", status=Order.Status.PAID).exists(),
                 seconds=10, stack=stack, message=lambda: "the payment did not commit")
        # ...and whatever its commit queued has run before the attribution commits (today's
        # code queues a computation that finds no attribution; the fix queues nothing yet).
        with contextlib.suppress(AssertionError):
            wait_for(lambda: _compute_runs(stack) > runs, seconds=2, message=lambda: "")
        assert not Commission.objects.exists()
    finally:
        payment_blocked.release()  # both, whatever failed above: a held row would stall the next flush
        attribution_blocked.release()
    checkout.join(timeout=30)
    order = Order.objects.get(email="held@example.net")
    wait_for(lambda: Commission.objects.filter(order=order).exists(), seconds=COMMISSION_SECONDS, stack=stack,
             message=lambda: f"no commission {COMMISSION_SECONDS} s after the attribution committed "
                             f"({order.conversion.get_outcome_display()})")
    net = link.product.price
    assert Commission.objects.get(order=order).amount == _commission(net, program["rates"][link.product_id])


def test_a_checkout_sent_twice_at_once_answers_both_with_the_one_paid_order(stack, program):
    """A double click on "Pay": two identical POSTs with the same checkout key at the same
    moment. One order, one charge, and both answers land on it; no error page."""
    link = program["links"][0]
    buyer = Browser(stack.base, ip="10.3.0.1")
    product = buyer.get(f"/p/{link.product_id}/")
    buyer.post(f"/cart/add/{link.product_id}/", {"quantity": 1}, csrf_from=product)
    checkout = buyer.get(f"/checkout/{program['shop'].slug}/")
    form = {**Browser.checkout_form(checkout, email="twice@example.net", name="Twice", card="4242 4242 4242 4242"),
            "csrfmiddlewaretoken": checkout.token()}
    barrier = threading.Barrier(2)

    def submit(_):
        barrier.wait()
        return buyer.post(f"/checkout/{program['shop'].slug}/", form)

    with ThreadPoolExecutor(max_workers=2) as pool:
        pages = list(pool.map(submit, range(2)))
    order = Order.objects.get(email="twice@example.net")
    assert [page.status for page in pages] == [200, 200], [page.body[:500] for page in pages]
    assert all(order.number in page.body and "Thank you" in page.body for page in pages)
    assert order.status == Order.Status.PAID
    assert order.audit_entries.filter(to_status=Order.Status.PAID).exclude(from_status=Order.Status.PAID).count() == 1
