"""common.transitions: the one way to change status, and its audit trail."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction

from common.models import AuditEntry
from common.signals import status_changed
from common.transitions import allowed, record, record_many, sources, transition
from shops.models import Order, Shop
from tests.factories import ActiveShopFactory, ProductFactory, UserFactory, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    got = []

    def listen(sender, **kwargs):
        got.append((sender, kwargs["obj"].pk, kwargs["from_status"], kwargs["to_status"], kwargs["reason"]))

    status_changed.connect(listen, weak=False, dispatch_uid="test")
    yield got
    status_changed.disconnect(dispatch_uid="test")


def test_a_move_stamps_audits_and_is_told_after_commit(django_capture_on_commit_callbacks, heard):
    shop = ActiveShopFactory(status=Shop.Status.PENDING)
    staff = UserFactory()
    before = Shop.objects.get(pk=shop.pk).updated_at
    with django_capture_on_commit_callbacks(execute=True):
        moved = transition(shop, to=Shop.Status.REJECTED, by=staff, reason="Blurry logo", status_reason="Blurry logo")
        assert heard == []  # not before commit
    shop.refresh_from_db()
    assert (shop.status, shop.status_reason) == ("rejected", "Blurry logo") and moved.status == "rejected"
    assert shop.updated_at > before  # auto_now fields are saved too
    entry = shop.audit_entries.get()
    assert (entry.from_status, entry.to_status, entry.by, entry.reason) == ("pending", "rejected", staff,
                                                                           "Blurry logo")
    assert (entry.from_label, entry.to_label, entry.is_move) == ("Waiting for approval", "Rejected", True)
    assert heard == [(Shop, shop.pk, "pending", "rejected", "Blurry logo")]


def test_a_move_the_table_does_not_allow_is_refused_in_words_and_changes_nothing(heard):
    order = paid_order((ProductFactory(), 1))
    with pytest.raises(ValidationError, match="An order that is paid cannot become awaiting payment."):
        transition(order, to=Order.Status.PENDING_PAYMENT)
    with pytest.raises(ValidationError, match="A shop that is active cannot become rejected."):
        transition(order.shop, to=Shop.Status.REJECTED)
    assert Order.objects.get(pk=order.pk).status == "paid" and not order.shop.audit_entries.exists()
    assert allowed(order, Order.Status.SHIPPED) and not allowed(order, Order.Status.PAYMENT_FAILED)


def test_nothing_is_told_or_kept_for_a_move_that_rolled_back(django_capture_on_commit_callbacks, heard):
    shop = ActiveShopFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transition(shop, to=Shop.Status.SUSPENDED, reason="x")
        transaction.set_rollback(True)
    assert heard == [] and not AuditEntry.objects.exists()
    assert Shop.objects.get(pk=shop.pk).status == "active"


def test_notes_and_set_based_entries():
    order = paid_order((ProductFactory(), 1))
    note = record(order, by=UserFactory(), reason="Held for review", amount_change=Decimal("-1.50"))
    assert (note.from_status, note.to_status, note.is_move, note.amount_change) == ("paid", "paid", False,
                                                                                    Decimal("-1.50"))
    record_many(Order, [{"object_id": order.pk, "from_status": "paid", "to_status": "shipped", "reason": "bulk"}])
    assert list(order.audit_entries.values_list("reason", flat=True)).count("bulk") == 1
    assert sources(Order, Order.Status.REFUNDED) == ["paid", "shipped", "delivered"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_moving_the_same_row_at_once_cannot_both_win():
    shop = ActiveShopFactory(status=Shop.Status.PENDING)
    barrier, outcomes = threading.Barrier(2), []

    def move(to):
        close_old_connections()
        try:
            barrier.wait()
            outcomes.append(transition(shop, to=to).status)
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=move, args=(to,)) for to in (Shop.Status.ACTIVE, Shop.Status.REJECTED)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    moved = [outcome for outcome in outcomes if outcome in ("active", "rejected")]
    assert len(moved) == 1 and len(outcomes) == 2
    assert Shop.objects.get(pk=shop.pk).status == moved[0]
    assert AuditEntry.objects.filter(shop=shop).count() == 1
