"""Creator earnings, statements and early payouts; seller statements; finance in /ops/."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from payouts import services
from payouts.models import Commission, EarlyPayoutRequest, LedgerEntry, Payout, PayoutRun
from shops import services as shop_services
from tests.factories import (
    CreatorFactory,
    LinkFactory,
    ProductFactory,
    ProgramFactory,
    ShopMembershipFactory,
    UserFactory,
    open_product,
)
from tests.payouts.test_commissions import attributed_order
from tests.payouts.test_runs import IN_LAST_MONTH, LAST_MONTH, credit, run_month

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def earned():
    """A creator with one pending and one approved commission at a USD shop."""
    program = ProgramFactory()
    product = ProductFactory(shop=program.shop, price=D("50.00"))
    open_product(product, D("20"))
    link = LinkFactory(product=product)
    first, second = attributed_order(link), attributed_order(link)
    services.commissions_create_for_orders(order_ids=[first.pk, second.pk])
    Commission.objects.filter(order=first).update(hold_until=timezone.now() - timedelta(days=1))
    services.commissions_approve_due()
    return link


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_earnings_show_pending_approved_and_the_balance(client, earned):
    client.force_login(earned.creator.user)
    response = client.get(reverse("creator:earnings"))
    summary = response.context["summary"]["USD"]
    assert (summary["pending"], summary["approved"]) == (D("10.00"), D("10.00"))
    assert response.context["balances"][0][:3] == ("USD", D("10.00"), True)
    assert "Your collaboration" in response.content.decode() or "open rate" in response.content.decode()


def test_earnings_need_the_creator_role(client, earned):
    url = reverse("creator:earnings")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(ShopMembershipFactory().user)
    assert client.get(url).status_code == 403


def test_early_payout_request_from_the_page(client, earned):
    client.force_login(earned.creator.user)
    client.post(reverse("creator:early_payout"), {"currency": "XXX"})
    assert not EarlyPayoutRequest.objects.exists()
    client.post(reverse("creator:early_payout"), {"currency": "USD"})
    assert EarlyPayoutRequest.objects.get().status == "requested"
    response = client.post(reverse("creator:early_payout"), {"currency": "USD"}, follow=True)
    assert "already asked" in response.content.decode()


def test_a_payout_statement_lists_what_it_paid_and_is_private(client):
    creator = CreatorFactory()
    credit(creator, "12.00")
    credit(creator, "8.00")
    run = run_month()
    payout = run.payouts.get()
    client.force_login(creator.user)
    rows = _csv(client.get(reverse("creator:payout_statement", args=[payout.pk])))
    assert [row[1] for row in rows[1:]] == ["opening balance", "Commission approved", "Commission approved",
                                            "closing balance"]
    assert [row[3] for row in rows[2:4]] == ["12.00", "8.00"] and rows[-1][4] == "20.00" == str(payout.amount)
    client.force_login(CreatorFactory().user)
    assert client.get(reverse("creator:payout_statement", args=[payout.pk])).status_code == 404


def test_seller_statement_by_creator_product_and_reductions(client, earned):
    seller = ShopMembershipFactory(shop=earned.product.shop).user
    client.force_login(seller)
    order = Commission.objects.filter(status="pending").get().order
    line = order.lines.get()
    refund = shop_services.order_refund(order=order, by=seller, quantities={line.pk: 1}, reason="Broken")
    services.commissions_apply_refund(refund_line_ids=list(refund.lines.values_list("pk", flat=True)))
    month = timezone.now().strftime("%Y-%m")
    response = client.get(reverse("seller:statement"), {"month": month})
    statement = response.context["statement"]
    assert statement["by_creator"][0]["commission"] == D("20.00")
    assert statement["reduction_total"] == D("-10.00") and statement["owed"] == D("10.00")
    rows = _csv(client.get(reverse("seller:statement"), {"month": month, "export": "csv"}))
    closing = next(row for row in rows if row[1] == "owed at the end")
    assert closing[rows[0].index("balance")] == "10.00" and closing[rows[0].index("currency")] == "USD"
    assert next(row for row in rows if row[1] == "reduction")[rows[0].index("change")] == "-10.00"


@pytest.mark.parametrize("month", ["2026-13", "nonsense", "", "1999-01"])
def test_seller_statement_survives_bad_months(client, earned, month):
    client.force_login(ShopMembershipFactory(shop=earned.product.shop).user)
    assert client.get(reverse("seller:statement"), {"month": month}).status_code == 200


@pytest.mark.parametrize("query", [{}, {"export": "csv"}])
def test_a_shop_without_a_currency_yet_is_sent_to_its_profile_for_statements(client, query):
    user = UserFactory()
    shop_services.seller_register(user=user)  # a draft shop: no currency chosen yet
    client.force_login(user)
    response = client.get(reverse("seller:statement"), query)
    assert response.status_code == 302 and response["Location"] == reverse("seller:shop_profile")


def test_seller_statement_shows_only_the_own_shop(client, earned):
    client.force_login(ShopMembershipFactory().user)
    response = client.get(reverse("seller:statement"), {"month": timezone.now().strftime("%Y-%m")})
    assert response.context["statement"]["by_creator"] == []


# --------------------------------------------------------------------------------------
# Finance in /ops/
# --------------------------------------------------------------------------------------


@pytest.fixture
def finance(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_finance_starts_approves_exports_and_pays_a_run(client, finance, django_capture_on_commit_callbacks):
    creator = CreatorFactory(payout_method="bank", payout_account="=cmd|' /C calc'!A0")
    credit(creator, "30.00")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:payouts_payoutrun_add"), {"period": LAST_MONTH.isoformat()})
    run = PayoutRun.objects.get()
    assert run.status == "ready"
    client.post(reverse("admin:payouts_payoutrun_changelist"),
                {"action": "payout_run_approve", "_selected_action": [run.pk]})
    run.refresh_from_db()
    assert run.status == "approved"
    rows = _csv(client.get(reverse("admin:payouts_payoutrun_export", args=[run.pk]), {"method": "bank"}))
    assert rows[1][2].startswith("'=")  # formula-like cells are escaped
    payout = run.payouts.get()
    mark_paid = {"action": "payouts_mark_paid", "_selected_action": [payout.pk], "apply": "1"}
    response = client.post(reverse("admin:payouts_payout_changelist"), {**mark_paid, "reason": "P" * 101}, follow=True)
    assert "at most 100 characters" in response.content.decode()
    payout.refresh_from_db()
    assert payout.status == "pending"
    client.post(reverse("admin:payouts_payout_changelist"), {**mark_paid, "reason": "PP-1"})
    payout.refresh_from_db()
    assert (payout.status, payout.reference) == ("paid", "PP-1")


def test_a_run_for_a_month_not_over_is_refused_in_the_admin(client, finance):
    response = client.post(reverse("admin:payouts_payoutrun_add"), {"period": timezone.now().date().isoformat()},
                           follow=True)
    assert "is not over yet" in response.content.decode()
    assert not PayoutRun.objects.exists()


def test_finance_adds_a_ledger_adjustment_with_a_reason(client, finance):
    creator = CreatorFactory()
    client.post(reverse("admin:payouts_ledgerentry_add"),
                {"creator": creator.pk, "currency": "USD", "amount": "15.00", "note": "Goodwill"})
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.created_by) == ("adjustment", D("15.00"), finance)
    response = client.post(reverse("admin:payouts_ledgerentry_change", args=[entry.pk]), {"amount": "999"})
    assert response.status_code == 403


def test_reverse_a_commission_from_the_admin(client, finance, earned):
    commission = Commission.objects.get(status="approved")
    client.post(reverse("admin:payouts_commission_changelist"),
                {"action": "commission_reverse", "_selected_action": [commission.pk], "apply": "1",
                 "reason": "Fraud"})
    commission.refresh_from_db()
    assert commission.status == "reversed"


@pytest.mark.parametrize("model", ["commission", "ledgerentry", "payoutrun", "payout", "earlypayoutrequest"])
def test_every_payouts_admin_page_opens(client, finance, earned, model):
    credit(earned.creator, "30.00")
    run_month()
    assert client.get(reverse(f"admin:payouts_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:payouts_{model}_changelist"), {"q": "x"}).status_code == 200


def test_reconcile_command(capsys):
    creator = CreatorFactory()
    credit(creator, "30.00")
    run_month()
    call_command("reconcile")
    assert "USD: reconciled" in capsys.readouterr().out
    Payout.objects.create(kind="early", creator=creator, period=LAST_MONTH, currency="USD", amount=D("1"),
                          covers_through=0, created_at=IN_LAST_MONTH)
    with pytest.raises(Exception, match="does not reconcile"):
        call_command("reconcile")


def test_approve_commissions_command_with_a_date(earned):
    from io import StringIO

    out = StringIO()
    call_command("approve_commissions", "--at", (timezone.now() + timedelta(days=45)).strftime("%Y-%m-%d"),
                 stdout=out)
    assert "Approved 1 commission(s)." in out.getvalue()
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("approve_commissions", "--at", "tomorrow")


def test_ledger_and_early_payout_changelists_do_not_query_per_row(client, finance):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import LinkFactory as Links

    def counts():
        result = []
        for name in ("payouts_ledgerentry", "payouts_earlypayoutrequest"):
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse(f"admin:{name}_changelist"))
            result.append(len(queries))
        return result

    def one_more():
        link = Links()
        order = attributed_order(link)
        services.commissions_create_for_orders(order_ids=[order.pk])
        Commission.objects.filter(order=order).update(hold_until=timezone.now() - timedelta(days=1))
        services.commissions_approve_due()
        credit(link.creator, "20.00", at=timezone.now())
        services.early_payout_approve(request=services.early_payout_request(creator=link.creator, currency="USD"),
                                      by=UserFactory())

    one_more()
    before = counts()
    one_more()
    one_more()
    assert counts() == before
