"""Template helpers every page may load: `{% load ui %}`. Money as people read it,
user-written HTML as the allow-list permits it, and the shared form partials' helpers."""

from django import forms, template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

from common.html import sanitize_html
from common.money import format_money

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

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def is_check(bound_field) -> bool:
    """True for checkboxes and radio lists, which Bootstrap lays out differently."""
    return isinstance(bound_field.field.widget, _CHECK_WIDGETS)


@register.simple_tag
def widget(bound_field):
    """Render a field's widget with Bootstrap's class and the error and help wiring."""
    w = bound_field.field.widget
    if isinstance(w, (forms.Select, forms.SelectMultiple)) and not isinstance(w, _CHECK_WIDGETS):
        css = "form-select"
    elif isinstance(w, _CHECK_WIDGETS):
        css = "form-check-input"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def get_item(mapping, key):
    """{{ codes|get_item:product.pk }}: a dict lookup by a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def link_url(code) -> str:
    """The /r/ path of a link code, or empty."""
    return f"/r/{code}" if code else ""


@register.filter
def describe_discount(code, currency):
    """What a creator code gives the buyer, in words ("10 % off (at most $20.00)")."""
    return code.describe_discount(currency)


@register.simple_tag(takes_context=True)
def table_cells(context, row):
    """A table row's cells, as tables2's own template writes them: each cell rendered as
    `{{ cell }}` would be (localised, escaped) in a <td> with its column's attributes, which
    BaseTable.before_render worked out once per column. Written here, not by a template
    loop, which costs more than the cell itself (a 25-row report has 175 of them)."""
    return mark_safe("".join(  # noqa: S308 - every cell is escaped by render_value_in_context; attributes by as_html
        f"<td {column.td_html}>{render_value_in_context(cell, context)}</td>" for column, cell in row.items()))
