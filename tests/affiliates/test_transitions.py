"""The affiliate program's status moves, against tables written here."""

from decimal import Decimal

import pytest
from django.utils import timezone

from affiliates import services
from affiliates.models import Application
from tests.factories import CreatorFactory, ProductFactory, ProgramFactory, UserFactory, collaboration
from tests.transition_tables import check_moves

pytestmark = pytest.mark.django_db


def test_creator_moves():
    check_moves(CreatorFactory(), {
        "pending": {"approved", "rejected"},
        "rejected": {"pending"},
        "approved": {"suspended"},
        "suspended": {"approved"},
    })


def test_program_moves():
    check_moves(ProgramFactory(), {"active": {"left"}, "left": {"active"}})


def test_collaboration_moves():
    check_moves(collaboration(CreatorFactory(), ProgramFactory(), all_products_rate=Decimal("15")),
                {"active": {"ended"}})


def test_invitation_moves():
    invitation = services.invitation_send(program=ProgramFactory(), creators=[CreatorFactory()], by=UserFactory(),
                                          all_products_rate=Decimal("12"))[0]
    check_moves(invitation, {"pending": {"accepted", "declined", "withdrawn", "expired"}})


def test_application_moves():
    check_moves(Application.objects.create(program=ProgramFactory(), creator=CreatorFactory(),
                                           created_at=timezone.now()),
                {"pending": {"approved", "declined", "withdrawn"}})


def test_sample_request_moves():
    program = ProgramFactory()
    sample = services.sample_request_create(creator=CreatorFactory(), product=ProductFactory(shop=program.shop),
                                            shipping_address="1 Way")
    check_moves(sample, {
        "requested": {"approved", "declined", "expired"},
        "approved": {"shipped"},
        "shipped": {"delivered"},
        "delivered": {"fulfilled", "overdue"},
        "overdue": {"fulfilled"},
    })
