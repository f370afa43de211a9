"""The replica router's rules, in one process (the real replica: tests/stack/test_replica.py)."""

import re

import pytest
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from common import db
from shops.models import Shop

# Not inside a test transaction: the router keeps every read of a transaction on the primary.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
router = db.ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """A replica alias that 'exists' and answers, without a second server: the tests look
    at the router's choices, not at query results."""
    monkeypatch.setattr(db, "replica_configured", lambda: True)
    monkeypatch.setattr(db, "_replica_answers", lambda: True)
    monkeypatch.setattr(db, "_down_until", 0.0)


@db.replica_read
def _choice():
    return router.db_for_read(Shop), router.db_for_write(Shop)


@db.replica_read
def _shops():
    return Shop.objects.all()


def test_without_a_replica_everything_is_the_primary():
    assert _choice() == ("default", "default")
    assert _shops().db == "default"


def test_marked_reads_go_to_the_replica_writes_never(replica):
    assert _choice() == ("replica", "default")
    assert _shops().db == "replica"  # bound when built, wherever it is evaluated
    assert router.db_for_read(Shop) == "default"  # unmarked reads: the primary
    assert router.allow_migrate("replica", "shops") is False
    assert router.allow_migrate("default", "shops") is True


def test_inside_a_transaction_reads_stay_on_the_primary(replica):
    with transaction.atomic():
        assert _choice() == ("default", "default")


def test_a_replica_that_fails_is_left_alone_and_the_read_runs_on_the_primary(replica, monkeypatch):
    monkeypatch.setattr(db, "_mark_down", lambda: setattr(db, "_down_until", float("inf")))
    seen = []

    @db.replica_read
    def flaky():
        seen.append(router.db_for_read(Shop))
        if seen[-1] == "replica":
            raise DatabaseError("the replica went away")
        return "from the primary"

    assert flaky() == "from the primary"
    assert seen == ["replica", "default"]
    assert _choice() == ("default", "default")  # for a while, nothing tries it


def _middleware(view):
    return db.PrimaryAfterWriteMiddleware(view)


def test_a_write_leaves_the_primarys_position_and_pins_the_person_until_the_replica_has_it(replica, monkeypatch):
    choices = []

    def view(request):
        choices.append(_choice()[0])
        return HttpResponse("ok")

    middleware, requests = _middleware(view), RequestFactory()
    posted = middleware(requests.post("/seller/products/1/"))
    position = posted.cookies[db.COOKIE].value
    assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+", position)  # the primary's real WAL position
    assert posted.cookies[db.COOKIE]["httponly"]

    replayed = {"value": False}
    monkeypatch.setattr(db, "replica_has_replayed", lambda seen: seen == position and replayed["value"])
    behind = requests.get("/seller/")
    behind.COOKIES[db.COOKIE] = position
    assert db.COOKIE not in middleware(behind).cookies  # kept while behind
    replayed["value"] = True
    caught_up = requests.get("/seller/")
    caught_up.COOKIES[db.COOKIE] = position
    assert middleware(caught_up).cookies[db.COOKIE].value == ""  # gone once replayed
    assert choices == ["replica", "default", "replica"]


def test_a_forged_position_is_ignored(replica, monkeypatch):
    monkeypatch.setattr(db, "replica_has_replayed", lambda seen: pytest.fail("asked the replica about a forgery"))
    request = RequestFactory().get("/seller/")
    request.COOKIES[db.COOKIE] = "0/1'; DROP TABLE x; --"
    assert _middleware(lambda r: HttpResponse(_choice()[0]))(request).content == b"replica"
