"""Affiliate programs: joining, the terms, leaving, and the open collaboration (which
products every creator may promote, at which rate)."""

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.transitions import transition
from common.updates import model_update
from shops.models import Product, Shop

from ..models import RATE_CUT_NOTICE, AffiliateProgram, OpenProduct, RateChange
from .rules import check_rate as _check_rate

logger = logging.getLogger(__name__)
User = AbstractBaseUser


PROGRAM_FIELDS = ("default_rate", "attribution_window_days", "hold_days", "requires_approval", "min_followers",
                  "terms", "all_products_open")


def _check_program(program: AffiliateProgram) -> None:
    _check_rate(program.default_rate, field="default_rate")
    if program.hold_days < program.shop.return_window_days:
        raise ValidationError({"hold_days": (
            f"The hold period cannot be shorter than your return window ({program.shop.return_window_days} days): "
            "a refund could arrive after the commission was approved.")})
    program.full_clean()


@transaction.atomic
def program_join(*, shop: Shop, by: User, **fields) -> AffiliateProgram:
    """Join the affiliate program (or rejoin after leaving). The default rate starts its history."""
    if not shop.is_active:
        raise ValidationError("Your shop must be approved before it joins the affiliate program.")
    now = timezone.now()
    program = AffiliateProgram.objects.select_for_update().filter(shop=shop).first()
    old_rate = None
    if program is None:
        program = AffiliateProgram(shop=shop, joined_at=now)
    else:
        if program.is_active:
            raise ValidationError("Your shop is already in the affiliate program.")
        old_rate = program.default_rate
        program = transition(program, to=AffiliateProgram.Status.ACTIVE, by=by, reason="Rejoined", left_at=None)
    fields.setdefault("hold_days", max(30, shop.return_window_days))
    model_update(program, data=fields, fields=PROGRAM_FIELDS)
    _check_program(program)
    program.save()
    if old_rate != program.default_rate:
        RateChange.objects.create(program=program, old_rate=old_rate, new_rate=program.default_rate,
                                  changed_at=now, changed_by=by)
    logger.info("shop %s joined the affiliate program at %s%% by user %s", shop.pk, program.default_rate, by.pk)
    return program


@transaction.atomic
def program_update(*, program: AffiliateProgram, by: User, **fields) -> AffiliateProgram:
    """Change the terms. A lower default rate reaches current link holders 30 days later."""
    program = AffiliateProgram.objects.select_for_update().get(pk=program.pk)
    old_rate = program.default_rate
    model_update(program, data=fields, fields=PROGRAM_FIELDS)
    _check_program(program)
    program.save()
    if program.default_rate != old_rate:
        RateChange.objects.create(program=program, old_rate=old_rate, new_rate=program.default_rate,
                                  changed_at=timezone.now(), changed_by=by)
    return program


def program_leave(*, program: AffiliateProgram, by: User) -> AffiliateProgram:
    """Stop new attribution. Everything already earned stays owed and is paid as usual."""
    program = transition(program, to=AffiliateProgram.Status.LEFT, by=by, left_at=timezone.now())
    logger.info("shop %s left the affiliate program by user %s", program.shop_id, by.pk)
    return program


@transaction.atomic
def open_products_set(*, program: AffiliateProgram, by: User, rates: dict[int, Decimal | None],
                      close: Iterable[int] = ()) -> list[RateChange]:
    """Open products to every creator at a rate (None: the program default), or close them.

    Returns the cuts made, so the seller can be told when they reach current link holders.
    """
    if not program.is_active:
        raise ValidationError("Join the affiliate program first.")
    now = timezone.now()
    live = set(Product.objects.filter(shop=program.shop, status=Product.Status.LIVE, pk__in=rates)
               .values_list("pk", flat=True))
    if set(rates) - live:
        raise ValidationError("Only your live products can be opened to creators.")
    existing = {item.product_id: item for item in OpenProduct.objects.select_for_update().filter(program=program)}
    changes = []
    for product_id, rate in rates.items():
        _check_rate(rate)
        current = existing.get(product_id)
        if current is None:
            OpenProduct.objects.create(program=program, product_id=product_id, rate=rate, opened_at=now)
            old = None
        elif current.rate != rate:
            old = current.rate
            current.rate = rate
            current.save(update_fields=["rate"])
        else:
            continue
        if old is not None or rate is not None:
            changes.append(RateChange(program=program, product_id=product_id, old_rate=old, new_rate=rate,
                                      changed_at=now, changed_by=by))
    for product_id in close:
        current = existing.get(product_id)
        if current is not None:
            if current.rate is not None:
                changes.append(RateChange(program=program, product_id=product_id, old_rate=current.rate,
                                          new_rate=None, changed_at=now, changed_by=by))
            current.delete()
    RateChange.objects.bulk_create(changes)
    return [change for change in changes if change.is_cut]


def rate_cut_reaches_link_holders_at(change: RateChange):
    """When a rate cut reaches creators who held a link before it (RATE_CUT_NOTICE later)."""
    return change.changed_at + RATE_CUT_NOTICE
