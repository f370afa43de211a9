"""A real PostgreSQL streaming replica (a second cluster, `pg_basebackup -R`) behind the
production stack: the seller home's rollup reads go to it, writes never do, and a seller
whose own write the replica has not replayed yet reads the primary instead, so a lagging
replica never shows them a page missing what they just did."""

import json
import re

import pytest

from bench.common import manage
from bench.pgreplica import replica_pair
from tests.factories import PASSWORD

from .stack import Browser, production_stack

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SEED = """
import json
from django.urls import reverse
from django.utils import timezone
from affiliates.services import application_submit
from tests.factories import ActiveShopFactory, CreatorFactory, ProgramFactory, ShopMembershipFactory, UserFactory
from tracking.models import ShopAffiliateDaily

shop = ActiveShopFactory(name="Replica Teas")
program = ProgramFactory(shop=shop)
ShopMembershipFactory(shop=shop, user=UserFactory(email="replica.seller@example.com"))
application = application_submit(creator=CreatorFactory(), program=program)
ShopAffiliateDaily.objects.create(shop=shop, day=timezone.now().date(), clicks=4321, unique_clicks=4000)
print(json.dumps({"approve": reverse("seller:application_decide", args=[application.pk, "approve"]),
                  "applications": reverse("seller:applications")}))
"""
ROLLUP_READ = 'FROM "tracking_shopaffiliatedaily"'


def _waiting(page) -> int:
    return int(re.search(r"Applications waiting<span[^>]*>(\d+)</span>", page.body).group(1))


def _has_cookie(browser, name: str) -> bool:
    return any(cookie.name == name for cookie in browser.jar)


def test_dashboards_read_the_replica_and_a_person_always_sees_their_own_write(static_root):
    with replica_pair(log_statements=True) as pair:
        pair.primary_sql("CREATE DATABASE kinship")
        databases = {"DATABASE_URL": pair.primary_url("kinship"), "DATABASE_REPLICA_URL": pair.replica_url("kinship")}
        with production_stack(static_root=static_root, web_workers=2, extra_env=databases) as stack:
            manage(stack.env, "migrate", "-v0")
            urls = json.loads(manage(stack.env, "shell", "-c", SEED).strip().splitlines()[-1])
            seller = Browser(stack.base)
            assert seller.login("replica.seller@example.com", PASSWORD).status == 200
            pair.wait_caught_up()

            # Caught up: the seller home's rollups come from the replica, none from the primary.
            primary_mark, replica_mark = len(pair.log("primary")), len(pair.log("replica"))
            home = seller.get("/seller/")
            assert home.status == 200 and "4,321" in home.body and _waiting(home) == 1
            assert ROLLUP_READ in pair.log("replica")[replica_mark:]
            assert ROLLUP_READ not in pair.log("primary")[primary_mark:]
            assert not _has_cookie(seller, "kinship_wal")

            # The replica stops replaying. New clicks reach the primary; the seller, who did
            # nothing, is shown the replica's figures: the page really is read there.
            pair.pause_replay()
            pair.primary_sql("UPDATE tracking_shopaffiliatedaily SET clicks = 9876", "kinship")
            assert "4,321" in seller.get("/seller/").body

            # The seller approves the application. The replica has not replayed it, so their
            # next pages read the primary: the application is no longer waiting.
            applications = seller.get(urls["applications"])
            assert seller.post(urls["approve"], {"message": "Welcome"}, csrf_from=applications).status == 200
            assert _has_cookie(seller, "kinship_wal")
            primary_mark = len(pair.log("primary"))
            fresh = seller.get("/seller/")
            assert _waiting(fresh) == 0 and "9,876" in fresh.body
            assert ROLLUP_READ in pair.log("primary")[primary_mark:]

            # Replay resumes; once caught up the cookie goes and the replica serves again.
            pair.resume_replay()
            pair.wait_caught_up()
            replica_mark = len(pair.log("replica"))
            again = seller.get("/seller/")
            assert _waiting(again) == 0 and "9,876" in again.body
            assert ROLLUP_READ in pair.log("replica")[replica_mark:]
            assert not _has_cookie(seller, "kinship_wal")

            # No write ever went to the replica (a hot standby would have refused it, too).
            assert not re.search(r"statement: (INSERT|UPDATE|DELETE)", pair.log("replica"))

            # A replica that goes away: pages still answer, from the primary.
            pair.stop_replica()
            assert seller.get("/seller/").status == 200
            assert seller.get("/seller/").status == 200
