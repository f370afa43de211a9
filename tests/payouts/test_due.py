"""The commissions-due stream on real Redis: orders queued one at a time as buyers pay are
computed in batches, once each, none lost when a drain dies, and a task per order when
Redis is away. (The production stack runs this path: tests/stack/test_money_on_the_stack.py.)"""

import uuid

import pytest
import redis
from django.conf import settings as django_settings

from common import streams
from payouts import due
from payouts.models import Commission
from tests.payouts.test_commissions import attributed_order, link  # noqa: F401 - the fixture

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def stream(settings):
    settings.COMMISSIONS_MICROBATCH = True
    settings.COMMISSIONS_DUE_STREAM = f"kinship-test:due:{uuid.uuid4().hex}"
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    yield client
    client.delete(settings.COMMISSIONS_DUE_STREAM, f"{settings.COMMISSIONS_DUE_STREAM}:drain-sent")


def test_orders_queued_one_at_a_time_are_computed_in_one_batch(link, stream, settings,  # noqa: F811
                                                                django_assert_max_num_queries):
    orders = [attributed_order(link, key=f"due{i}") for i in range(6)]
    assert [due.add([order.pk]) for order in orders] == [True] + [False] * 5  # one drain for the burst
    with django_assert_max_num_queries(30):  # as for one order: the batch costs the same queries
        assert due.drain() == (6, False)
    assert Commission.objects.filter(order__in=orders).count() == 6
    assert stream.xlen(settings.COMMISSIONS_DUE_STREAM) == 0
    # The drain cleared its flag before its last look: the next order sends a drain again.
    assert due.add([orders[0].pk]) is True
    assert due.drain() == (0, False)  # computed already: nothing twice
    assert Commission.objects.filter(order__in=orders).count() == 6


def test_what_a_dead_drain_read_is_claimed_by_the_next_and_computed_once(link, stream, settings):  # noqa: F811
    orders = [attributed_order(link, key=f"dead{i}") for i in range(3)]
    for order in orders:
        due.add([order.pk])
    streams.ensure_group(stream, settings.COMMISSIONS_DUE_STREAM, due.GROUP)
    stream.xreadgroup(due.GROUP, "a-drain-that-died", {settings.COMMISSIONS_DUE_STREAM: ">"}, count=10)
    # Not idle for long yet: left to the drain that read them (it may only be slow).
    assert due.drain(consumer="alive") == (0, False)
    assert due.drain(consumer="alive", reclaim_after_ms=0) == (3, False)
    assert stream.xpending(settings.COMMISSIONS_DUE_STREAM, due.GROUP)["pending"] == 0
    assert Commission.objects.filter(order__in=orders).count() == 3


def test_a_paid_order_goes_through_the_stream_or_a_task_when_redis_is_away(link, stream, settings,  # noqa: F811
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = attributed_order(link, key="via-stream")  # the receiver queues it; eager Celery drains
    assert Commission.objects.filter(order=order).count() == 1
    assert stream.xlen(settings.COMMISSIONS_DUE_STREAM) == 0

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        order = attributed_order(link, key="via-task")
    assert Commission.objects.filter(order=order).count() == 1
