"""The ops console's index: the review queues and platform figures (portal.dashboards)."""

from django import template

from portal import dashboards

register = template.Library()


@register.inclusion_tag("admin/partials/review_queues.html", takes_context=True)
def review_queues(context):
    """Each queue the signed-in staff member may see, with how many items wait in it."""
    return {"queues": dashboards.review_queues(user=context["request"].user)}


@register.inclusion_tag("admin/partials/platform_figures.html", takes_context=True)
def platform_figures(context):
    """The last 30 days of the platform, for staff who may see orders."""
    user = context["request"].user
    return {"figures": dashboards.platform_figures() if user.has_perm("shops.view_order") else []}
