"""Statements add up: opening + movements = closing, and the payout pays what was owed.

Two months of a creator's and a shop's life in USD and in JPY, on a test clock: orders
paid and approved in the first month, the run for it on the 1st, a refund of a paid
order (a clawback) in the second month with new earnings and an adjustment, the run for
the second month carrying the clawback. Every expected figure is computed here from the
prices, quantities and rates, not read back from the code under test."""

import csv
import io
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from common.money import money_round
from payouts import selectors, services, statements
from payouts.models import Commission
from payouts.months import next_month, previous_month
from payouts.reconciliation import reconcile
from shops import services as shop_services
from tests.factories import (
    ActiveShopFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
)
from tests.payouts.test_commissions import attributed_order

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.now(tz=UTC)
M1 = previous_month(previous_month(previous_month(TODAY.date())))
M2, M3 = next_month(M1), next_month(next_month(M1))


def moment(month, day, hour=12):
    return datetime(month.year, month.month, day, hour, tzinfo=UTC)


@contextmanager
def clock(at):
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


CASES = {
    # currency: (price, rate %, shop settings)
    "USD": (D("133.33"), D("12.5"), {"currency": "USD", "shipping_fee": D("4.90"), "tax_rate": D("8.25")}),
    "JPY": (D("13330"), D("7"), {"currency": "JPY", "shipping_fee": D("600"), "tax_rate": D("10")}),
}


def _commission(net, rate, currency):
    return money_round(net * rate / 100, currency)


@pytest.fixture(params=list(CASES))
def history(request):
    """Run the two months; return what happened and the figures expected from the inputs."""
    currency = request.param
    price, rate, shop_settings = CASES[currency]
    shop = ActiveShopFactory(return_window_days=0, **shop_settings)
    ProgramFactory(shop=shop, hold_days=7, joined_at=moment(M1, 1) - timedelta(days=30))
    product = ProductFactory(shop=shop, price=price, stock=1000)
    open_product(product, rate, at=moment(M1, 1) - timedelta(days=30))
    link = LinkFactory(product=product, created_at=moment(M1, 1) - timedelta(days=20))
    creator, seller = link.creator, ShopMembershipFactory(shop=shop).user
    finance = UserFactory(is_staff=True)

    with clock(moment(M1, 5)):
        first = attributed_order(link, 3)
        second = attributed_order(link, 1)
        services.commissions_create_for_orders(order_ids=[first.pk, second.pk])
    with clock(moment(M1, 20)):
        services.commissions_approve_due(now=moment(M1, 20))
    with clock(moment(M2, 1, 2)):
        run1, _ = services.payout_run_start(period=M1)
        run1 = services.payout_run_compute(run=run1)
    with clock(moment(M2, 3)):
        services.payout_run_approve(run=run1, by=finance)
        services.payouts_mark_paid(payouts=list(run1.payouts.all()), by=finance, reference="PP-M1")
    with clock(moment(M2, 10)):  # the buyer of three returns two: a clawback after payout
        refund = shop_services.order_refund(order=first, by=seller, quantities={first.lines.get().pk: 2},
                                            reason="Two arrived broken")
        services.commissions_apply_refund(refund_line_ids=[line.pk for line in refund.lines.all()])
        third = attributed_order(link, 4)
        services.commissions_create_for_orders(order_ids=[third.pk])
    with clock(moment(M2, 20)):
        services.commissions_approve_due(now=moment(M2, 20))
        adjustment = D("5") if currency == "JPY" else D("1.25")
        services.ledger_adjust(creator=creator, currency=currency, amount=adjustment, reason="Goodwill", by=finance)
    with clock(moment(M3, 1, 2)):
        run2, _ = services.payout_run_start(period=M2)
        run2 = services.payout_run_compute(run=run2)

    # Expected, from the inputs only.
    c_first, c_second, c_third = (_commission(price * q, rate, currency) for q in (3, 1, 4))
    refunded_net = money_round(price * 3 * 2 / 3, currency)  # two of three units, rounded once
    c_first_after = _commission(price * 3 - refunded_net, rate, currency)
    clawback = c_first_after - c_first  # negative
    paid_m1 = c_first + c_second
    expected = {
        "M1": {"opening": D(0), "movements": [c_first, c_second], "closing": paid_m1},
        "M2": {"opening": paid_m1, "movements": [-paid_m1, clawback, c_third, adjustment],
               "closing": clawback + c_third + adjustment},
        "payouts": {M1: paid_m1, M2: clawback + c_third + adjustment},
        "seller": {
            M1: {"opening": D(0), "computed": paid_m1, "reductions": D(0), "paid_out": D(0), "closing": paid_m1},
            M2: {"opening": paid_m1, "computed": c_third, "reductions": clawback, "paid_out": paid_m1,
                 "closing": c_third + clawback},
        },
    }
    return {"currency": currency, "creator": creator, "shop": shop, "seller": seller, "runs": (run1, run2),
            "expected": expected}


def test_each_creator_statement_adds_up_and_its_payout_pays_the_closing_balance(history):
    currency, creator, expected = history["currency"], history["creator"], history["expected"]
    for month, key in ((M1, "M1"), (M2, "M2")):
        statement = statements.creator_statement(creator=creator, currency=currency, month=month)
        want = expected[key]
        assert statement.opening == want["opening"]
        assert sorted(m.entry.amount for m in statement.movements) == sorted(want["movements"])
        assert statement.closing == want["closing"] == want["opening"] + sum(want["movements"])
        assert statement.run_payout.amount == expected["payouts"][month] == statement.closing
    assert statements.creator_statement(creator=creator, currency=currency, month=M3).opening == (
        expected["M2"]["closing"])


def test_the_clawback_is_carried_into_the_next_payout(history):
    run1, run2 = history["runs"]
    expected = history["expected"]
    opening, movements = expected["M2"]["opening"], expected["M2"]["movements"]
    clawback = movements[1]
    assert clawback < 0
    assert run1.payouts.get().amount == expected["payouts"][M1] == opening
    assert run2.payouts.get().amount == sum(movements[1:]) == expected["payouts"][M2]
    assert selectors.balances(creator=history["creator"]) == {history["currency"]: D(0)}
    assert all(report.ok for report in reconcile())


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_creator_statement_csv_sums_to_its_balances_in_the_minor_unit(client, history):
    currency, expected = history["currency"], history["expected"]["M2"]
    client.force_login(history["creator"].user)
    url = reverse("creator:statement", args=[f"{M2:%Y-%m}", currency])
    rows = _csv(client.get(url, {"export": "csv"}))
    assert rows[0] == ["date", "kind", "description", "amount", "balance", "currency"]
    assert rows[1][:2] == [f"{M2:%Y-%m-%d}", "opening balance"] and D(rows[1][4]) == expected["opening"]
    assert rows[-1][1] == "closing balance" and D(rows[-1][4]) == expected["closing"]
    movements = [D(row[3]) for row in rows[2:-1]]
    assert sorted(movements) == sorted(expected["movements"])
    assert D(rows[1][4]) + sum(movements) == D(rows[-1][4])
    places = 0 if currency == "JPY" else 2
    assert all(len(row[3].partition(".")[2]) == places for row in rows[2:-1])  # 1086, never 1086.00
    assert any(row[3].startswith("-") for row in rows[2:-1])  # negatives are numbers, not escaped text
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[0]) for row in rows[2:-1])  # UTC, whole seconds
    page = client.get(url)
    assert page.status_code == 200 and "Clawback" in page.content.decode()


def test_the_seller_statement_says_what_was_owed_what_changed_and_what_is_owed(client, history):
    shop, want = history["shop"], history["expected"]["seller"]
    for month in (M1, M2):
        statement = statements.seller_statement(shop=shop, month=month)
        got = {"opening": statement["opening"], "computed": statement["totals"]["commission"] or D(0),
               "reductions": statement["reduction_total"], "paid_out": statement["paid_out"],
               "closing": statement["closing"]}
        assert got == want[month]
        assert got["opening"] + got["computed"] + got["reductions"] - got["paid_out"] == got["closing"]
    client.force_login(history["seller"])
    rows = _csv(client.get(reverse("seller:statement"), {"month": f"{M2:%Y-%m}", "export": "csv"}))
    header = rows[0]
    change, balance = header.index("change"), header.index("balance")
    opening = D(next(row for row in rows if row[1] == "owed at the start")[balance])
    closing = D(next(row for row in rows if row[1] == "owed at the end")[balance])
    assert (opening, closing) == (want[M2]["opening"], want[M2]["closing"])
    assert opening + sum(D(row[change]) for row in rows[1:] if row[change]) == closing


@pytest.mark.parametrize(("month", "currency"), [("2026-13", "USD"), ("nonsense", "USD"), ("2026-01", "XXX"),
                                                 ("2026-01", "usd")])
def test_a_bad_statement_address_is_a_404(client, month, currency):
    from tests.factories import CreatorFactory

    client.force_login(CreatorFactory().user)
    response = client.get(reverse("creator:statement", args=[month, currency]))
    assert response.status_code == 404


def test_statements_are_the_signed_in_creators_own(client, history):
    from tests.factories import CreatorFactory

    url = reverse("creator:statement", args=[f"{M1:%Y-%m}", history["currency"]])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(ShopMembershipFactory().user)
    assert client.get(url).status_code == 403
    other = CreatorFactory()
    client.force_login(other.user)
    response = client.get(url)  # another creator sees their own (empty) account, never this one's
    assert response.context["statement"].creator == other and response.context["statement"].movements == []


def test_an_early_payout_after_the_month_ends_is_not_paid_again_by_the_run():
    from tests.factories import CreatorFactory
    from tests.payouts.test_runs import credit, run_month

    creator = CreatorFactory()
    credit(creator, "30.00")  # last month
    request = services.early_payout_request(creator=creator, currency="USD")  # on the 1st, before the run
    services.early_payout_approve(request=request, by=UserFactory())
    run = run_month()
    assert not run.payouts.exists()
    assert selectors.balances(creator=creator) == {"USD": D("0")}
    assert Commission.objects.count() == 0 and all(report.ok for report in reconcile())
