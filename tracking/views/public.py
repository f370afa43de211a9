"""A creator's public showcase, /@handle."""

from django.shortcuts import get_object_or_404, render

from affiliates.models import Creator
from affiliates.selectors import showcase_of

from .. import selectors


def showcase(request, handle):
    """The creator's public showcase, /@handle: each product through the creator's own link."""
    creator = get_object_or_404(Creator, handle=handle.lower(), status=Creator.Status.APPROVED)
    items = list(showcase_of(creator=creator))
    codes = dict(selectors.links_of_creator(creator=creator).filter(
        product__in=[item.product_id for item in items]).values_list("product_id", "code"))
    return render(request, "tracking/showcase.html", {"creator": creator, "items": items, "codes": codes})
