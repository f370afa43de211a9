"""A task queued inside a transaction that rolls back never runs: side effects go out
with transaction.on_commit, so a failed checkout computes nothing and sends nothing."""

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from payouts.models import Commission
from shops.models import Order
from tests.factories import LinkFactory
from tests.payouts.test_commissions import attributed_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_nothing_queued_in_a_rolled_back_transaction_runs():
    link = LinkFactory()
    with (mock.patch("payouts.tasks.compute_commissions.delay") as compute, pytest.raises(RuntimeError),
          transaction.atomic()):
        attributed_order(link)  # pays: order_paid queues the commission task on commit
        assert Order.objects.count() == 1
        raise RuntimeError("the request failed after payment was recorded")
    compute.assert_not_called()
    assert Order.objects.count() == 0
    assert Commission.objects.count() == 0
    assert mail.outbox == []  # no confirmation email either


def test_the_same_order_committed_queues_the_task_once_and_computes_it():
    link = LinkFactory()
    with transaction.atomic():
        attributed_order(link)
    assert Commission.objects.count() == 1
    assert len(mail.outbox) == 1
