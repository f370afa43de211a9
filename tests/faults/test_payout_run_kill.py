"""A Celery worker killed with SIGKILL in the middle of a payout run: after a new worker
takes over, every creator is paid once, the right amount, and debited once, exactly as an
uninterrupted run would leave them.

The kill lands at a known point. The test holds an uncommitted payout for one creator of
the third chunk, so the worker's insert of that chunk waits on it: two chunks are
committed, the third is open in the worker's transaction, and then the worker dies."""

import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from affiliates.models import Creator
from payouts.models import LedgerEntry, Payout, PayoutRun
from payouts.months import next_month
from payouts.tasks import compute_payout_run
from tests.payouts.test_runs import IN_LAST_MONTH, LAST_MONTH

from .workers import kill, private_queue, sending_to_redis, start_worker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
CREATORS = 10_000  # five chunks of the run's 2,000
OWED = Decimal("20.00")


def _creators_with_balances():
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"kill{i}", email=f"kill{i}@example.net") for i in range(CREATORS))
    creators = Creator.objects.bulk_create(
        Creator(user=user, handle=f"kill{i}", display_name=f"Kill {i}", status=Creator.Status.APPROVED)
        for i, user in enumerate(users))
    LedgerEntry.objects.bulk_create(
        LedgerEntry(creator=creator, currency="USD", kind=LedgerEntry.Kind.COMMISSION, amount=OWED,
                    created_at=IN_LAST_MONTH) for creator in creators)
    return creators


def _hold_payout(run, creator, held, release):
    """In its own connection: an uncommitted payout for `creator`, rolled back on `release`."""
    try:
        with transaction.atomic():
            Payout.objects.create(run=run, creator=creator, period=run.period, currency="USD", amount=OWED,
                                  covers_through=0, created_at=timezone.now())
            held.set()
            release.wait(60)
            transaction.set_rollback(True)
    finally:
        connection.close()


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_run_leaves_the_same_result_as_an_uninterrupted_run():
    creators = _creators_with_balances()
    run = PayoutRun.objects.create(period=LAST_MONTH, started_at=timezone.now(),
                                   cutoff=datetime.combine(next_month(LAST_MONTH), datetime.min.time(), tzinfo=UTC))
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_payout, args=(run, creators[2 * 2000 + 7], held, release))
    holder.start()
    with private_queue("run") as queue, sending_to_redis():
        try:
            assert held.wait(10)
            compute_payout_run.apply_async((run.pk,), queue=queue)
            first = start_worker(queue)
            wait_for(_someone_waits_on_a_lock, seconds=60, queue=queue,
                     message=lambda: "the worker never reached the third chunk")
            kill(first)
            run.refresh_from_db()
            assert (run.status, run.done, run.total) == (PayoutRun.Status.COMPUTING, 4000, CREATORS)
            assert Payout.objects.count() == 4000  # the third chunk died uncommitted
        finally:
            release.set()
            holder.join(10)

        second = start_worker(queue)  # gets the unacknowledged task back
        try:
            wait_for(lambda: PayoutRun.objects.get(pk=run.pk).status == PayoutRun.Status.READY, seconds=90,
                     queue=queue, message=lambda: "the run did not finish after the restart")
            time.sleep(1)  # anything redelivered twice would show now
        finally:
            kill(second)

    run.refresh_from_db()
    assert (run.done, run.total) == (CREATORS, CREATORS)
    payouts = Payout.objects.aggregate(n=Count("id"), people=Count("creator", distinct=True), total=Sum("amount"))
    assert payouts == {"n": CREATORS, "people": CREATORS, "total": OWED * CREATORS}
    debits = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYOUT)
    assert debits.count() == CREATORS and debits.values("payout").distinct().count() == CREATORS
    assert not (LedgerEntry.objects.values("creator").annotate(balance=Sum("amount"))
                .exclude(balance=0).exists()), "someone was paid twice or not at all"
