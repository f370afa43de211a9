"""tracking listens to shops and affiliates: attribution on order_placed, links for showcases."""

from django.dispatch import receiver

from affiliates.signals import showcase_item_added
from shops.signals import order_placed

from . import services, tasks
from .redirect import ATTRIBUTION_COOKIE, read_attribution_cookie


@receiver(order_placed, dispatch_uid="tracking.attribute_on_order_placed")
def attribute_on_order_placed(sender, order, request=None, **kwargs):
    """Read the buyer's attribution cookie now (only the request has it), attribute in a task.

    An order placed without a request (a script, an import) says nothing about clicks:
    it is left for whoever placed it to attribute.
    """
    if request is None:
        return
    entries = read_attribution_cookie(request.COOKIES.get(ATTRIBUTION_COOKIE))
    if not entries:
        services.order_attribute(order=order, cookie_clicks=[])
        return
    tasks.attribute_order.delay(order.pk, [[e.click_id, e.link_id, e.at] for e in entries])


@receiver(showcase_item_added, dispatch_uid="tracking.link_for_showcase_item")
def link_for_showcase_item(sender, item, **kwargs):
    services.link_get_or_create(creator=item.creator, product=item.product, check=False)
