from django import template

from shops.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ order.total|money:order.currency }} -> $12.50, ¥1,200."""
    return format_money(amount, currency) if currency else amount
