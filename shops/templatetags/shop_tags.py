from django import template
from django.utils.safestring import mark_safe

from shops.html import sanitize_html
from shops.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ order.total|money:order.currency }} -> $12.50, ¥1,200."""
    return format_money(amount, currency) if currency else amount


@register.filter
def clean_html(text):
    """User-written HTML as the allow-list permits it. Descriptions are cleaned when saved;
    cleaning again here covers text that reached the database some other way."""
    return mark_safe(sanitize_html(text))  # noqa: S308 - nh3's output is the allow-list only
