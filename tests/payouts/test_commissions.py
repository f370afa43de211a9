"""Commissions: computed once per attributed line, held, approved, shrunk or clawed back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from common.models import AuditEntry
from common.money import money_round
from payouts import selectors, services
from payouts.models import Commission, LedgerEntry
from payouts.rules import commission_amount
from shops import services as shop_services
from tests.factories import BUYER, LinkFactory, ProductFactory, ProgramFactory, UserFactory, open_product
from tracking import services as tracking_services
from tracking.models import Click, DailyLinkStats
from tracking.redirect import CookieClick

pytestmark = pytest.mark.django_db
D = Decimal


def attributed_order(link, quantity=1, *, pay=True, key=None):
    """A buyer clicks the link and buys: the order is attributed (and paid)."""
    click = Click.objects.create(link=link, at=timezone.now() - timedelta(hours=1), visitor_id="v", ip_hash="h")
    order = shop_services.order_place(shop=link.product.shop, items={link.product_id: quantity},
                                      buyer=shop_services.BuyerDetails(**BUYER),
                                      checkout_key=key or f"k{click.pk.hex}")
    tracking_services.order_attribute(order=order, cookie_clicks=[
        CookieClick(click_id=click.pk.hex, link_id=link.pk, at=int(click.at.timestamp()))])
    if pay:
        order = shop_services.order_pay(order=order, card_number="4242424242424242")
    return order


@pytest.fixture
def link():
    program = ProgramFactory(default_rate=D("10"), hold_days=30)
    product = ProductFactory(shop=program.shop, price=D("33.33"))
    open_product(product, D("12.5"))
    return LinkFactory(product=product)


def test_one_pending_commission_per_attributed_line_with_its_rate_and_reason(link):
    order = attributed_order(link, 3)
    assert services.commissions_create_for_orders(order_ids=[order.pk]) == 1
    commission = Commission.objects.get()
    assert commission.base == D("99.99") and commission.rate == D("12.50")
    assert commission.amount == D("12.50")  # 99.99 x 12.5 % = 12.49875, rounded once, half-up
    assert commission.status == Commission.Status.PENDING
    assert commission.rate_source == "open" and "open rate" in commission.rate_reason
    assert commission.hold_until == order.paid_at + timedelta(days=30)
    assert DailyLinkStats.objects.get(link=link).commission == D("12.50")


def test_computing_twice_makes_nothing_more(link):
    order = attributed_order(link)
    services.commissions_create_for_orders(order_ids=[order.pk])
    assert services.commissions_create_for_orders(order_ids=[order.pk]) == 0
    assert Commission.objects.count() == 1
    assert DailyLinkStats.objects.get(link=link).commission == Commission.objects.get().amount


def test_unpaid_and_unattributed_orders_earn_nothing(link):
    unpaid = attributed_order(link, pay=False)
    organic = shop_services.order_pay(order=shop_services.order_place(
        shop=link.product.shop, items={link.product_id: 1}, buyer=shop_services.BuyerDetails(**BUYER),
        checkout_key="organic"), card_number="4242424242424242")
    tracking_services.order_attribute(order=organic, cookie_clicks=[])
    assert services.commissions_create_for_orders(order_ids=[unpaid.pk, organic.pk]) == 0


def test_the_paid_signal_computes_commissions_after_commit(link, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attributed_order(link)
    assert Commission.objects.count() == 1


def test_jpy_commissions_are_whole_yen():
    program = ProgramFactory(default_rate=D("7"), shop__currency="JPY", shop__shipping_fee=D("500"))
    product = ProductFactory(shop=program.shop, price=D("1333"))
    open_product(product)
    order = attributed_order(LinkFactory(product=product))
    services.commissions_create_for_orders(order_ids=[order.pk])
    assert Commission.objects.get().amount == D("93")  # 93.31 -> 93


@settings(max_examples=300, deadline=None)
@given(base=st.decimals(min_value=0, max_value=D("99999999.99"), places=2),
       rate=st.decimals(min_value=1, max_value=80, places=2),
       currency=st.sampled_from(["USD", "EUR", "JPY", "KRW", "GBP"]))
def test_commission_is_between_zero_and_the_base_and_rounded_once(base, rate, currency):
    base = money_round(base, currency)
    amount = commission_amount(base=base, rate=rate, currency=currency)
    assert D(0) <= amount <= base
    assert amount == money_round(base * rate / 100, currency)
    assert abs(amount - base * rate / 100) <= D("0.5") * (D(1) if currency in ("JPY", "KRW") else D("0.01"))
    if currency in ("JPY", "KRW"):
        assert amount == amount.to_integral_value()


# --------------------------------------------------------------------------------------
# Hold and approval
# --------------------------------------------------------------------------------------


def test_approval_waits_for_the_hold_then_credits_the_ledger(link):
    services.commissions_create_for_orders(order_ids=[attributed_order(link).pk])
    commission = Commission.objects.get()
    assert services.commissions_approve_due(now=commission.hold_until - timedelta(seconds=1)) == 0
    assert services.commissions_approve_due(now=commission.hold_until) == 1
    commission.refresh_from_db()
    assert commission.status == Commission.Status.APPROVED
    assert selectors.balances(creator=link.creator) == {"USD": commission.amount}
    assert services.commissions_approve_due(now=commission.hold_until + timedelta(days=1)) == 0
    assert LedgerEntry.objects.count() == 1


def test_frozen_commissions_are_not_approved_until_released(link):
    order = attributed_order(link)
    services.commissions_create_for_orders(order_ids=[order.pk])
    staff = UserFactory(is_staff=True)
    services.commissions_freeze_for_order(order=order, by=staff)
    later = timezone.now() + timedelta(days=40)
    assert services.commissions_approve_due(now=later) == 0
    services.commissions_release_for_order(order=order, by=staff)
    assert services.commissions_approve_due(now=later) == 1
    assert list(Commission.objects.get().audit_entries.values_list("to_status", flat=True)) == [
        "pending", "frozen", "pending", "approved"]


# --------------------------------------------------------------------------------------
# Refunds: before approval the commission shrinks; after, the ledger takes it back
# --------------------------------------------------------------------------------------


def _refund(order, quantity):
    line = order.lines.get()
    refund = shop_services.order_refund(order=order, by=UserFactory(), quantities={line.pk: quantity}, reason="r")
    return services.commissions_apply_refund(refund_line_ids=list(refund.lines.values_list("pk", flat=True)))


def test_partial_refund_before_approval_shrinks_in_proportion(link):
    order = attributed_order(link, 3)
    services.commissions_create_for_orders(order_ids=[order.pk])
    assert _refund(order, 1) == D("-4.17")  # 12.50 -> round(66.66 x 12.5 %) = 8.33
    commission = Commission.objects.get()
    assert (commission.amount, commission.refunded_base, commission.status) == (D("8.33"), D("33.33"), "pending")
    assert LedgerEntry.objects.count() == 0
    assert DailyLinkStats.objects.get(link=link).commission == D("8.33")


def test_full_refund_before_approval_reverses(link):
    order = attributed_order(link, 2)
    services.commissions_create_for_orders(order_ids=[order.pk])
    _refund(order, 2)
    commission = Commission.objects.get()
    assert (commission.amount, commission.status) == (D("0"), "reversed")
    assert services.commissions_approve_due(now=timezone.now() + timedelta(days=60)) == 0


def test_refund_after_approval_is_a_clawback_debit(link):
    order = attributed_order(link, 3)
    services.commissions_create_for_orders(order_ids=[order.pk])
    services.commissions_approve_due(now=timezone.now() + timedelta(days=31))
    _refund(order, 1)
    commission = Commission.objects.get()
    assert (commission.amount, commission.clawed_back, commission.status) == (D("12.50"), D("4.17"), "approved")
    entries = list(LedgerEntry.objects.order_by("pk").values_list("kind", "amount"))
    assert entries == [("commission", D("12.50")), ("clawback", D("-4.17"))]
    _refund(order, 2)
    commission.refresh_from_db()
    assert (commission.clawed_back, commission.status) == (D("12.50"), "reversed")
    assert selectors.balances(creator=link.creator) == {"USD": D("0.00")}


def test_cancelling_a_paid_order_reverses_its_commissions(link):
    order = attributed_order(link)
    services.commissions_create_for_orders(order_ids=[order.pk])
    shop_services.order_cancel(order=order, by=UserFactory(), reason="oops")
    services.commissions_apply_cancellation(order=order)
    assert Commission.objects.get().status == "reversed"


def test_staff_reversal_needs_a_reason_and_claws_back(link):
    order = attributed_order(link)
    services.commissions_create_for_orders(order_ids=[order.pk])
    services.commissions_approve_due(now=timezone.now() + timedelta(days=31))
    commission = Commission.objects.get()
    with pytest.raises(ValidationError):
        services.commission_reverse(commission=commission, by=UserFactory(), reason=" ")
    services.commission_reverse(commission=commission, by=UserFactory(), reason="Fake order")
    commission.refresh_from_db()
    assert commission.status == "reversed"
    assert selectors.balances(creator=link.creator) == {"USD": D("0.00")}
    with pytest.raises(ValidationError):
        services.commission_reverse(commission=commission, by=UserFactory(), reason="again")


def test_the_sweeper_repairs_a_lost_enqueue(link):
    attributed_order(link)  # paid, but no task ever ran
    assert Commission.objects.count() == 0
    assert services.commissions_sweep(older_than=timedelta(0)) == 1
    assert services.commissions_sweep(older_than=timedelta(0)) == 0


# --------------------------------------------------------------------------------------
# The ledger is append-only
# --------------------------------------------------------------------------------------


def test_ledger_entries_cannot_be_changed_or_deleted(link):
    entry = services.ledger_adjust(creator=link.creator, currency="USD", amount=D("5.00"), reason="Goodwill",
                                   by=UserFactory())
    entry.amount = D("500.00")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("1"))
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get().amount == D("5.00")


@pytest.mark.parametrize(("amount", "reason"), [(D("0"), "x"), (D("1.005"), "x"), (D("5"), "")])
def test_bad_adjustments_are_refused(link, amount, reason):
    with pytest.raises(ValidationError):
        services.ledger_adjust(creator=link.creator, currency="USD", amount=amount, reason=reason, by=UserFactory())
    assert not LedgerEntry.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_computations_make_one_commission_per_line_and_count_it_once(link):
    import threading

    from django.db import close_old_connections

    link.product.__class__.objects.filter(pk=link.product_id).update(stock=1000)
    orders = [attributed_order(link, key=f"c{n}") for n in range(20)]  # the paid signal computes them...
    AuditEntry.objects.filter(commission__isnull=False).delete()  # ...so start again from none, three at once
    Commission.objects.all().delete()
    from tracking.models import DailyLinkStats as Stats

    Stats.objects.update(commission=0)
    barrier = threading.Barrier(3)
    made = []

    def compute():
        close_old_connections()
        try:
            barrier.wait()
            made.append(services.commissions_create_for_orders(order_ids=[o.pk for o in orders]))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=compute) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Commission.objects.count() == 20 and sum(made) == 20
    assert AuditEntry.objects.filter(commission__isnull=False).count() == 20
    assert Stats.objects.get(link=link).commission == sum(Commission.objects.values_list("amount", flat=True))


def test_holding_an_order_for_review_freezes_its_commissions_and_release_resumes(
        link, client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    order = attributed_order(link)
    services.commissions_create_for_orders(order_ids=[order.pk])
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:shops_order_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "order_hold_for_review", "_selected_action": [order.pk], "apply": "1",
                          "reason": "Same card as 40 other orders"})
    assert Commission.objects.get().status == "frozen"
    assert services.commissions_approve_due(now=timezone.now() + timedelta(days=60)) == 0
    with pytest.raises(ValidationError):
        shop_services.order_hold_for_review(order=order, by=staff, reason="again")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "order_release_review", "_selected_action": [order.pk], "apply": "1",
                          "reason": "Card owner confirmed"})
    assert Commission.objects.get().status == "pending"
    order.refresh_from_db()
    assert not order.under_review
    assert "Held for review: Same card" in " ".join(order.audit_entries.values_list("reason", flat=True))


def test_commissions_of_an_order_already_under_review_start_frozen(link):
    order = attributed_order(link)
    shop_services.order_hold_for_review(order=order, by=UserFactory(), reason="Suspicious")
    services.commissions_create_for_orders(order_ids=[order.pk])
    assert Commission.objects.get().status == "frozen"
