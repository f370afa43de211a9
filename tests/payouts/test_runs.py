"""Monthly payout runs, payouts, early payouts and reconciliation."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.utils import timezone

from payouts import selectors, services
from payouts.models import Commission, EarlyPayoutRequest, LedgerEntry, Payout, PayoutRun
from payouts.months import next_month, previous_month
from payouts.reconciliation import reconcile
from tests.factories import CreatorFactory, LinkFactory, ProductFactory, ProgramFactory, UserFactory, open_product
from tests.payouts.test_commissions import attributed_order

pytestmark = pytest.mark.django_db
D = Decimal
LAST_MONTH = previous_month(timezone.now().date())
IN_LAST_MONTH = datetime.combine(LAST_MONTH, datetime.min.time(), tzinfo=UTC) + timedelta(days=3)


def credit(creator, amount, currency="USD", at=IN_LAST_MONTH):
    """An approved commission's credit, as the daily approval writes it."""
    return LedgerEntry.objects.create(creator=creator, currency=currency, kind=LedgerEntry.Kind.COMMISSION,
                                      amount=D(amount), created_at=at)


def run_month(period=LAST_MONTH):
    run, _ = services.payout_run_start(period=period, by=UserFactory())
    return services.payout_run_compute(run=run)


def test_a_run_pays_balances_that_reach_the_minimum_and_carries_the_rest(django_capture_on_commit_callbacks):
    big, small, yen = CreatorFactory(), CreatorFactory(), CreatorFactory()
    credit(big, "7.00")
    credit(big, "5.50")
    credit(small, "9.99")
    credit(yen, "999", "JPY")
    credit(yen, "1200", "JPY")
    credit(big, "3.00", at=timezone.now())  # this month: the next run's
    with django_capture_on_commit_callbacks(execute=True):
        run, created = services.payout_run_start(period=LAST_MONTH, by=UserFactory())
    run.refresh_from_db()
    assert created and run.status == PayoutRun.Status.READY and run.progress == "2 of 2"
    payouts = {(p.creator_id, p.currency): p.amount for p in Payout.objects.all()}
    assert payouts == {(big.pk, "USD"): D("12.50"), (yen.pk, "JPY"): D("2199")}
    assert selectors.balances(creator=big) == {"USD": D("3.00")}
    assert selectors.balances(creator=small) == {"USD": D("9.99")}  # carried over


def test_a_month_that_is_not_over_cannot_be_run():
    with pytest.raises(ValidationError, match="not over"):
        services.payout_run_start(period=timezone.now().date())


def test_starting_and_computing_twice_pays_nobody_twice():
    creator = CreatorFactory()
    credit(creator, "50.00")
    run = run_month()
    services.payout_run_start(period=LAST_MONTH)
    PayoutRun.objects.filter(pk=run.pk).update(status=PayoutRun.Status.COMPUTING)
    services.payout_run_compute(run=run)
    assert Payout.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payout").count() == 1
    assert selectors.balances(creator=creator) == {"USD": D("0.00")}


def test_a_run_killed_half_way_finishes_on_rerun_with_the_same_result():
    creators = [CreatorFactory() for _ in range(5)]
    for creator in creators:
        credit(creator, "20.00")
    run, _ = services.payout_run_start(period=LAST_MONTH)
    real = LedgerEntry.objects.bulk_create
    calls = {"n": 0}

    def dies_on_third_chunk(*args, **kwargs):
        if kwargs.get("ignore_conflicts"):
            calls["n"] += 1
            if calls["n"] == 3:
                raise SystemExit("worker killed")
        return real(*args, **kwargs)

    with mock.patch.object(LedgerEntry.objects, "bulk_create", side_effect=dies_on_third_chunk), \
            pytest.raises(SystemExit):
        services.payout_run_compute(run=run, chunk=2)
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.COMPUTING and run.done == 4
    services.payout_run_compute(run=run, chunk=2)
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.READY and run.progress == "5 of 5"
    assert Payout.objects.count() == 5 and LedgerEntry.objects.filter(kind="payout").count() == 5
    assert all(selectors.balances(creator=c) == {"USD": D("0.00")} for c in creators)


def test_approve_export_and_mark_paid_makes_commissions_paid():
    creator = CreatorFactory(payout_method="paypal", payout_account="mika@example.com")
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop, price=D("200.00"))
    open_product(product)
    order = attributed_order(LinkFactory(product=product, creator=creator))
    services.commissions_create_for_orders(order_ids=[order.pk])
    # The hold ended last month, when the daily approval credited it.
    Commission.objects.update(hold_until=IN_LAST_MONTH - timedelta(days=1))
    services.commissions_approve_due(now=IN_LAST_MONTH)
    run = run_month()
    finance = UserFactory()
    with pytest.raises(ValidationError):
        services.payouts_mark_paid(payouts=run.payouts.all(), by=finance)  # not approved yet
    services.payout_run_approve(run=run, by=finance)
    services.payouts_mark_paid(payouts=run.payouts.all(), by=finance, reference="PP-123")
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.PAID
    assert Commission.objects.get().status == Commission.Status.PAID
    assert Payout.objects.get().reference == "PP-123"
    assert all(report.ok for report in reconcile())


def test_a_failed_payout_returns_the_amount_to_the_balance():
    creator = CreatorFactory()
    credit(creator, "30.00")
    run = run_month()
    services.payout_run_approve(run=run, by=UserFactory())
    payout = run.payouts.get()
    with pytest.raises(ValidationError):
        services.payout_mark_failed(payout=payout, by=UserFactory(), reason="")
    services.payout_mark_failed(payout=payout, by=UserFactory(), reason="PayPal account closed")
    assert selectors.balances(creator=creator) == {"USD": D("30.00")}
    with pytest.raises(ValidationError):
        services.payouts_mark_paid(payouts=[payout], by=UserFactory())
    assert all(report.ok for report in reconcile())


def test_a_clawback_after_payout_can_make_the_balance_negative():
    creator = CreatorFactory()
    credit(creator, "30.00")
    run_month()
    LedgerEntry.objects.create(creator=creator, currency="USD", kind=LedgerEntry.Kind.CLAWBACK, amount=D("-12.00"),
                               created_at=timezone.now())
    assert selectors.balances(creator=creator) == {"USD": D("-12.00")}
    assert all(report.ok for report in reconcile())


def test_reconciliation_finds_a_payout_without_its_debit():
    creator = CreatorFactory()
    credit(creator, "30.00")
    run_month()
    assert all(report.ok for report in reconcile())
    Payout.objects.create(kind="early", creator=creator, period=LAST_MONTH, currency="USD", amount=D("5.00"),
                          covers_through=0, created_at=timezone.now())
    report = reconcile()[0]
    assert not report.ok and report.problems


def test_early_payout_request_approve_and_decline():
    creator = CreatorFactory()
    with pytest.raises(ValidationError, match="start at"):
        services.early_payout_request(creator=creator, currency="USD")
    credit(creator, "25.00", at=timezone.now())
    request = services.early_payout_request(creator=creator, currency="USD")
    with pytest.raises(ValidationError):
        services.early_payout_request(creator=creator, currency="USD")
    payout = services.early_payout_approve(request=request, by=UserFactory())
    assert (payout.kind, payout.amount) == ("early", D("25.00"))
    assert selectors.balances(creator=creator) == {"USD": D("0.00")}
    credit(creator, "40.00", at=timezone.now())
    second = services.early_payout_request(creator=creator, currency="USD")
    services.early_payout_decline(request=second, by=UserFactory(), reason="Wait for the monthly run")
    assert EarlyPayoutRequest.objects.get(pk=second.pk).status == "declined"
    assert all(report.ok for report in reconcile())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_started_twice_at_once_pays_once():
    creators = [CreatorFactory() for _ in range(30)]
    for creator in creators:
        credit(creator, "15.00")
    run, _ = services.payout_run_start(period=LAST_MONTH)
    barrier = threading.Barrier(2)
    errors = []

    def compute():
        close_old_connections()
        try:
            barrier.wait()
            services.payout_run_compute(run=run, chunk=7)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=compute) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Payout.objects.count() == 30
    assert LedgerEntry.objects.filter(kind="payout").count() == 30
    assert all(selectors.balances(creator=c) == {"USD": D("0.00")} for c in creators)
    assert all(report.ok for report in reconcile())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_early_payout_requests_at_once_make_one_and_a_clear_refusal():
    """A double click on "Ask for an early payout": the unique constraint on open requests
    refuses the second insert, which the creator reads as a sentence, never a 500."""
    creator = CreatorFactory()
    credit(creator, "25.00", at=timezone.now())
    barrier, outcomes = threading.Barrier(2), []

    def ask():
        close_old_connections()
        try:
            barrier.wait()
            outcomes.append(services.early_payout_request(creator=creator, currency="USD").status)
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            close_old_connections()

    with mock.patch.object(EarlyPayoutRequest.objects, "filter", wraps=EarlyPayoutRequest.objects.filter) as check:
        # Both requests pass the friendly check before either inserts: the race the constraint decides.
        check.side_effect = lambda *a, **kw: EarlyPayoutRequest.objects.none()
        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["requested", "You already asked for an early payout in this currency; "
                                                    "finance answers it soon."])
    assert EarlyPayoutRequest.objects.filter(creator=creator).count() == 1


def test_month_helpers():
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)


def test_a_run_cannot_be_approved_before_it_is_computed():
    run, _ = services.payout_run_start(period=LAST_MONTH)
    with pytest.raises(ValidationError, match="cannot become approved"):
        services.payout_run_approve(run=run, by=UserFactory())
