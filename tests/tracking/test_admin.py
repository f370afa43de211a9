"""Tracking in /ops/: every page opens, nothing is editable, changelists do not query per row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import LinkFactory, UserFactory, paid_order
from tracking.models import Click, Conversion

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))


def _data(n):
    links = [LinkFactory() for _ in range(n)]
    for link in links:
        Click.objects.create(link=link, at=timezone.now() - timedelta(hours=1), visitor_id="v", ip_hash="h")
        order = paid_order((link.product, 1))
        Conversion.objects.create(order=order, outcome="attributed", link=link, creator=link.creator,
                                  created_at=timezone.now())


@pytest.mark.parametrize("model", ["link", "click", "conversion"])
def test_changelists_open_search_and_do_not_grow_with_rows(client, staff, model):
    url = reverse(f"admin:tracking_{model}_changelist")
    _data(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _data(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert client.get(url, {"q": "abc"}).status_code == 200


def test_tracking_rows_cannot_be_changed(client, staff):
    link = LinkFactory()
    response = client.post(reverse("admin:tracking_link_change", args=[link.pk]), {"code": "hijacked"})
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.code != "hijacked"
