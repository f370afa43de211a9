"""Exports finance and payment providers read: PayPal's bulk format, numbers as numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from payouts import exports, services
from payouts.models import PayoutRun
from tests.factories import CreatorFactory, UserFactory
from tests.payouts.test_runs import credit, run_month

pytestmark = pytest.mark.django_db
D = Decimal


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def approved_run():
    """An approved run: PayPal creators in USD and JPY, one by bank, one without details."""
    paypal_usd = CreatorFactory(payout_method="paypal", payout_account="mika@example.com")
    paypal_jpy = CreatorFactory(payout_method="paypal", payout_account="kenji@example.jp")
    bank = CreatorFactory(payout_method="bank", payout_account="DE89 3704 0044 0532 0130 00")
    nowhere = CreatorFactory()
    credit(paypal_usd, "1086.00")
    credit(paypal_usd, "-0.5")  # a clawback: 1085.50 is paid
    credit(paypal_jpy, "1086", "JPY")
    credit(bank, "40.00", "EUR")
    credit(nowhere, "25.00")
    run = run_month()
    services.payout_run_approve(run=run, by=UserFactory())
    return run, {"usd": paypal_usd, "jpy": paypal_jpy, "bank": bank, "nowhere": nowhere}


def test_paypal_files_are_per_currency_without_header_in_the_currencys_own_unit(approved_run):
    run, creators = approved_run
    files = exports.export_files(run=run)
    assert [(f.method, f.currency, f.payouts, f.total) for f in files] == [
        ("paypal", "JPY", 1, D("1086")), ("paypal", "USD", 1, D("1085.50")), ("bank", "", 1, D("40.00"))]
    usd = run.payouts.get(creator=creators["usd"])
    assert exports.paypal_rows(run=run, currency="USD") == [
        ["mika@example.com", D("1085.50"), "USD", f"kinship-{usd.pk}", f"Kinship Shop commissions {run.period:%Y-%m}",
         "PAYPAL"]]
    [row] = exports.paypal_rows(run=run, currency="JPY")
    assert (row[1], str(row[1])) == (D("1086"), "1086")  # never 1086.00: PayPal refuses decimals for JPY
    assert len(row[3]) <= 30 and " " not in row[3]
    assert list(exports.missing_details(run=run)) == [run.payouts.get(creator=creators["nowhere"])]


def test_finance_downloads_each_file_from_the_run(client, approved_run):
    run, creators = approved_run
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:payouts_payoutrun_changelist")).content.decode()
    assert "PayPal USD: 1 payout(s)" in page and "PayPal JPY: 1 payout(s)" in page
    assert "Bank transfers: 1 payout(s)" in page and "1 payout(s) without payout details" in page
    url = reverse("admin:payouts_payoutrun_export", args=[run.pk])
    response = client.get(url, {"method": "paypal", "currency": "JPY"})
    assert response["Content-Disposition"] == f'attachment; filename="paypal-payouts-{run.period:%Y-%m}-JPY.csv"'
    assert _csv(response)[0][:3] == ["kenji@example.jp", "1086", "JPY"]
    bank = _csv(client.get(url, {"method": "bank"}))
    assert bank[0][:5] == ["payout", "creator", "account", "amount", "currency"]
    assert bank[1][2:5] == ["DE89 3704 0044 0532 0130 00", "40.00", "EUR"]


@pytest.mark.parametrize("query", [{}, {"method": "paypal"}, {"method": "paypal", "currency": "XXX"},
                                   {"method": "venmo"}])
def test_a_bad_export_request_is_a_404(client, approved_run, query):
    run, _ = approved_run
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:payouts_payoutrun_export", args=[run.pk]), query).status_code == 404


def test_a_run_that_is_missing_or_not_approved_has_no_export(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:payouts_payoutrun_export", args=[999_999]), {"method": "bank"}).status_code == 404
    credit(CreatorFactory(payout_method="bank", payout_account="X1"), "30.00")
    run = run_month()
    assert run.status == PayoutRun.Status.READY
    assert client.get(reverse("admin:payouts_payoutrun_export", args=[run.pk]), {"method": "bank"}).status_code == 404


def test_support_staff_cannot_download_payment_files(client, approved_run):
    from django.contrib.auth.models import Group

    run, _ = approved_run
    support = UserFactory(is_staff=True)
    support.groups.add(Group.objects.get(name="support"))
    client.force_login(support)
    assert client.get(reverse("admin:payouts_payoutrun_export", args=[run.pk]), {"method": "bank"}).status_code == 403
