"""Small template helpers for the shared form partials."""

from django import forms, template

register = template.Library()

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
