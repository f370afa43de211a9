"""Events the apps below send, turned into webhook deliveries for the sellers and
creators concerned (only endpoints that asked for the event get one)."""

from django.dispatch import receiver

from affiliates.models import Invitation, SampleRequest
from affiliates.signals import invitations_sent
from common.money import format_money
from common.signals import status_changed
from payouts.models import Commission, Payout
from payouts.signals import commissions_approved, commissions_created, payouts_created
from shops.models import ShopMembership
from tracking.signals import conversion_created

from .models import WebhookEndpoint
from .serializers import money
from .services import events_queue


def _sellers(shop_id) -> list[tuple[int, str]]:
    return [(user_id, "seller") for user_id in
            ShopMembership.objects.filter(shop_id=shop_id).values_list("user_id", flat=True)]


def _commission_data(commission: Commission) -> dict:
    return {"commission_id": commission.pk, "order": commission.order.number, "creator": commission.creator.handle,
            "shop": commission.shop.name, "status": commission.status, "rate": f"{commission.rate}",
            "amount": money(commission.amount - commission.clawed_back, commission.currency)}


def _listening() -> bool:
    """Is any endpoint active at all? A batch (thousands of commissions, a payout run's
    payouts) then costs this one query when nobody listens, not one per object."""
    return WebhookEndpoint.objects.filter(is_active=True).exists()


def _commissions(event: str, ids) -> None:
    if not _listening():
        return
    for commission in Commission.objects.filter(pk__in=list(ids)).select_related("order", "creator__user", "shop"):
        events_queue(event=event, users_areas=[*_sellers(commission.shop_id), (commission.creator.user_id, "creator")],
                     data=_commission_data(commission))


@receiver(conversion_created, dispatch_uid="api.order_attributed")
def order_attributed(sender, conversion, **kwargs):
    if not _listening():
        return
    order = conversion.order
    events_queue(event="order.attributed",
                 users_areas=[*_sellers(order.shop_id), (conversion.creator.user_id, "creator")],
                 data={"order": order.number, "creator": conversion.creator.handle, "via": conversion.via,
                       "code": conversion.code.code if conversion.code_id else None,
                       "total": money(order.total, order.currency)})


@receiver(commissions_created, dispatch_uid="api.commissions_created")
def on_commissions_created(sender, ids, **kwargs):
    _commissions("commission.created", ids)


@receiver(commissions_approved, dispatch_uid="api.commissions_approved")
def on_commissions_approved(sender, ids, **kwargs):
    _commissions("commission.approved", ids)


@receiver(payouts_created, dispatch_uid="api.payouts_created")
def on_payouts_created(sender, ids, **kwargs):
    if not _listening():
        return
    for payout in Payout.objects.filter(pk__in=list(ids)).select_related("creator"):
        events_queue(event="payout.created", users_areas=[(payout.creator.user_id, "creator")],
                     data=_payout_data(payout))


def _payout_data(payout: Payout) -> dict:
    return {"payout_id": payout.pk, "period": payout.period.isoformat(), "kind": payout.kind,
            "status": payout.status, "amount": money(payout.amount, payout.currency),
            "amount_text": format_money(payout.amount, payout.currency)}


@receiver(status_changed, dispatch_uid="api.status_changed")
def on_status_changed(sender, obj, from_status, to_status, **kwargs):
    if sender not in (Commission, Payout, SampleRequest) or not _listening():
        return
    if sender is Commission and to_status == Commission.Status.REVERSED:
        _commissions("commission.reversed", [obj.pk])
    elif sender is Payout and to_status == Payout.Status.PAID:
        payout = Payout.objects.select_related("creator").get(pk=obj.pk)
        events_queue(event="payout.paid", users_areas=[(payout.creator.user_id, "creator")],
                     data=_payout_data(payout))
    elif sender is SampleRequest:
        sample = SampleRequest.objects.select_related("creator", "product", "program").get(pk=obj.pk)
        events_queue(event="sample.updated",
                     users_areas=[*_sellers(sample.program.shop_id), (sample.creator.user_id, "creator")],
                     data={"sample_id": sample.pk, "product": sample.product.title, "creator": sample.creator.handle,
                           "from": from_status, "to": to_status, "content_url": sample.content_url or None})


@receiver(invitations_sent, dispatch_uid="api.invitations_sent")
def on_invitations_sent(sender, ids, **kwargs):
    if not _listening():
        return
    for invitation in Invitation.objects.filter(pk__in=list(ids)).select_related("creator", "program__shop"):
        events_queue(event="invitation.received", users_areas=[(invitation.creator.user_id, "creator")],
                     data={"invitation_id": invitation.pk, "shop": invitation.program.shop.name,
                           "expires_at": invitation.expires_at.isoformat()})
