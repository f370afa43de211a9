"""Every write of the tracking app: links, content pieces with their links, and
attribution (creator codes first, then link clicks). Clicks are written by clicks.py."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from affiliates import services as affiliate_services
from affiliates.models import AffiliateProgram, Content, Creator, CreatorCode
from affiliates.rates import rate_for
from common.money import money_sum
from shops.models import Order, Product

from . import partitions, signals
from .models import Click, Conversion, CreatorPerformance, DailyLinkStats, Link
from .redirect import CookieClick
from .rollups import Increment, rollup_add

logger = logging.getLogger(__name__)


def link_get_or_create(*, creator: Creator, product: Product, check: bool = True) -> Link:
    """The creator's one link for this product, made on first request.

    With `check`, only an approved creator who may promote the product gets one.
    """
    link = Link.objects.filter(creator=creator, product=product).first()
    if link is not None:
        return link
    if check:
        if not creator.is_approved:
            raise ValidationError("Your creator account must be approved before you get links.")
        quote = rate_for(creator=creator, product=product)
        if quote is None or not quote.allowed:
            raise ValidationError("You cannot promote this product yet: apply to the shop first.")
    try:
        with transaction.atomic():
            return Link.objects.create(creator=creator, product=product, created_at=timezone.now())
    except IntegrityError:  # made by a parallel request a moment ago
        return Link.objects.get(creator=creator, product=product)


@transaction.atomic
def content_register(*, creator: Creator, url: str, title: str, products: list[Product]) -> Content:
    """Register a post with the products it features, and make the creator's link for each
    (its address for the post is the link with the post's tag). Every product must be one
    they may promote now; samples of those products waiting for content are fulfilled."""
    for product in products:
        quote = rate_for(creator=creator, product=product)
        if quote is None or not quote.allowed:
            raise ValidationError({"products": f"You cannot promote {product.title} yet: apply to the shop first."})
    content = affiliate_services.content_register(creator=creator, url=url, title=title, products=products)
    for product in products:
        link_get_or_create(creator=creator, product=product, check=False)
    return content


def _uuid(value: str):
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


class ClicksNotStoredYet(Exception):
    """A click in the buyer's cookie is still on its way from the Redis stream to the
    database: attributing now could credit an older click, or nobody."""


@transaction.atomic
def order_attribute(*, order: Order, cookie_clicks: list[CookieClick], wait_for_clicks: bool = False) -> Conversion:
    """Decide who, if anyone, gets the credit for an order.

    A creator code the buyer entered at checkout wins: the buyer chose that creator. If
    its creator may not be credited (the buyer is the creator, a suspended creator, a
    product they may not promote), the links decide, and the note says so. Otherwise
    the last eligible click in the buyer's cookie on a link of this shop, within the
    program's attribution window, gets it; a click through a content piece's link
    credits that content piece too.

    Not eligible: flagged clicks (bot, prefetch, burst), the buyer being the creator (same
    user or same email), a suspended creator, a link that attributed nothing at the time
    of the click (collaboration ended, program left, not allowed). The outcome and its
    reason are stored either way; calling it again returns the first answer.

    With `wait_for_clicks`, a click of the window that is not stored yet (still in the
    click stream) raises ClicksNotStoredYet instead of being passed over; the caller
    tries again shortly. Without the stream, clicks are stored as they happen. An order
    with a code that credits its creator does not wait.

    When the order is attributed, `conversion_created` goes out after commit, saying
    whether the order was already paid: the order's row is locked to read that, and the
    payment holds the same lock until it commits, so exactly one of the two commits
    second and knows it (payouts computes the commissions then).
    """
    existing = Conversion.objects.filter(order=order).first()
    if existing is not None:
        return existing
    now = timezone.now()
    code = (CreatorCode.objects.filter(program__shop_id=order.shop_id, code=order.code)
            .select_related("creator__user").first()) if order.code else None
    credit = _code_credit(order, code) if code is not None else None
    content_id = None
    if credit is not None and credit[0] == Conversion.Outcome.ATTRIBUTED:
        outcome, winner, winner_click = credit[0], credit[1], None
        note = f"Creator code {code.code}, entered at checkout: it wins over any link click"
        # The buyer came through one of the same creator's posts: that post sold too.
        _, clicked, click = _click_winner(order, cookie_clicks, wait_for_clicks=False)
        if clicked is not None and clicked.creator_id == code.creator_id:
            content_id = click.content_id
    else:
        outcome, winner, winner_click = _click_winner(order, cookie_clicks, wait_for_clicks=wait_for_clicks)
        note = (f"Creator code {code.code} was entered but credits nobody ({credit[0].label.lower()}); "
                "the links decided") if credit is not None else ""
    via = Conversion.Via.CODE if winner is not None and winner_click is None else Conversion.Via.LINK
    if winner_click is not None:
        content_id = winner_click.content_id
    conversion = Conversion.objects.create(
        order=order, outcome=outcome, link=winner, click=winner_click, creator=winner.creator if winner else None,
        click_at=winner_click.at if winner_click else None, via=via, code=code if via == Conversion.Via.CODE else None,
        content_id=content_id, note=note[:200],
        link_created_at=winner.created_at if winner else None, created_at=now,
    )
    if winner is not None:
        totals = order.lines.aggregate(items=Sum("quantity"), gmv=Sum("net_amount"))
        values = {"orders": 1, "items": totals["items"] or 0, "gmv": totals["gmv"] or 0}
        if via == Conversion.Via.CODE:
            values.update(code_orders=1, code_gmv=values["gmv"])
        rollup_add([Increment(day=order.placed_at.date(), link_id=winner.pk, content_id=content_id, values=values)])
        # Last, so the lock is held only until commit: the payment's own lock on this row
        # means the status read here is final for whichever of the two commits second.
        status = Order.objects.select_for_update().values_list("status", flat=True).get(pk=order.pk)
        paid = status in Order.PAID_STATUSES
        transaction.on_commit(lambda: signals.conversion_created.send(
            sender=Conversion, conversion=conversion, order_paid=paid))
    logger.info("order %s attribution: %s via %s", order.pk, outcome, via)
    return conversion


def _is_self_referral(creator: Creator, order: Order) -> bool:
    return creator.user_id == order.buyer_id or creator.user.email.lower() == order.email.lower()


def _code_credit(order: Order, code: CreatorCode) -> tuple[str, Link | None]:
    """(outcome, link) for an order placed with a creator's code. The credit goes to the
    creator's link for the order's largest line (made now if they have none), so the
    commission, the rollups and the reports treat it like any attributed order."""
    creator = code.creator
    if _is_self_referral(creator, order):
        return Conversion.Outcome.SELF_REFERRAL, None
    if not creator.is_approved:
        return Conversion.Outcome.NOT_ELIGIBLE, None
    line = order.lines.select_related("product__shop").order_by("-net_amount", "pk").first()
    quote = rate_for(creator=creator, product=line.product, at=order.placed_at)
    if quote is None or not quote.allowed:
        return Conversion.Outcome.NOT_ELIGIBLE, None
    return Conversion.Outcome.ATTRIBUTED, link_get_or_create(creator=creator, product=line.product, check=False)


def _click_winner(order: Order, cookie_clicks: list[CookieClick], *, wait_for_clicks: bool):
    """(outcome, link, click): the last eligible click of the cookie, or why there is none."""
    links = {
        link.pk: link
        for link in Link.objects.filter(pk__in={c.link_id for c in cookie_clicks}, product__shop_id=order.shop_id)
        .select_related("creator__user", "product__shop")
    }
    candidates = [c for c in cookie_clicks if c.link_id in links]
    if not candidates:
        return Conversion.Outcome.NO_CLICK, None, None
    program = AffiliateProgram.objects.filter(shop_id=order.shop_id).first()
    window = timedelta(days=program.attribution_window_days if program else 0)
    oldest = (order.placed_at - window).timestamp()
    stored = Click.objects.in_bulk([u for u in (_uuid(c.click_id) for c in candidates) if u])
    refusals = []
    for candidate in sorted(candidates, key=lambda c: c.at, reverse=True):
        click = stored.get(_uuid(candidate.click_id))
        if click is None:
            if wait_for_clicks and candidate.at >= oldest and settings.TRACKING_REDIS:
                raise ClicksNotStoredYet(candidate.click_id)
            continue
        if click.link_id != candidate.link_id or click.at > order.placed_at:
            continue
        if click.at < order.placed_at - window:
            break  # older clicks are further outside
        link = links[candidate.link_id]
        creator = link.creator
        if click.is_flagged:
            refusals.append(Conversion.Outcome.FLAGGED)
        elif _is_self_referral(creator, order):
            refusals.append(Conversion.Outcome.SELF_REFERRAL)
        elif not creator.is_approved:
            refusals.append(Conversion.Outcome.NOT_ELIGIBLE)
        else:
            quote = rate_for(creator=creator, product=link.product, at=click.at, link_since=link.created_at)
            if quote is None or not quote.allowed:
                refusals.append(Conversion.Outcome.NOT_ELIGIBLE)
            else:
                return Conversion.Outcome.ATTRIBUTED, link, click
    # The reason of the latest click in the window, else: all were outside it.
    return (refusals[0] if refusals else Conversion.Outcome.OUTSIDE_WINDOW), None, None


def clicks_prune(*, now=None) -> int:
    """Remove raw clicks older than the retention setting; their rollups stay. On
    PostgreSQL whole months go (a month is dropped once all of it is past retention);
    elsewhere the rows are deleted. Returns how many clicks went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRACKING_CLICK_RETENTION_DAYS)
    if partitions.is_partitioned():
        return partitions.partitions_drop_before(cutoff)[1]
    deleted, _ = Click.objects.filter(at__lt=cutoff).delete()
    return deleted


def click_partitions_make(*, now=None, ahead: int = partitions.MONTHS_AHEAD) -> list[str]:
    """Make the click table's partitions from this month to `ahead` months on (PostgreSQL)."""
    today = end = (now or timezone.now()).date()
    for _ in range(ahead):
        end = partitions.next_month(end)
    return partitions.partitions_ensure(start=today, end=end)


@transaction.atomic
def creators_performance_refresh(*, today=None) -> int:
    """Recompute every creator's orders and GMV of the last 90 days, per currency, from the
    rollups, for the sellers' directory. Set-based: one aggregate, one replace. Returns
    how many (creator, currency) rows there are now."""
    today = today or timezone.now().date()
    rows = (
        DailyLinkStats.objects.filter(day__gt=today - timedelta(days=90), day__lte=today)
        .values("creator_id", currency=F("shop__currency")).annotate(orders=Sum("orders"), gmv=Sum("gmv"))
        .filter(Q(orders__gt=0) | Q(gmv__gt=0))
    )
    fresh = [CreatorPerformance(creator_id=row["creator_id"], currency=row["currency"], orders=row["orders"] or 0,
                                gmv=money_sum(row["gmv"], row["currency"]), refreshed_on=today) for row in rows]
    CreatorPerformance.objects.all().delete()
    CreatorPerformance.objects.bulk_create(fresh, batch_size=5000)
    return len(fresh)
