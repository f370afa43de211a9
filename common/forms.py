"""Form pieces every app shares: the renderer of the shared Bootstrap partials, and the
reason staff give for an action (kept with the change; the person it concerns reads it)."""

from django import forms
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through the shared Bootstrap partials in templates/partials/."""

    form_template_name = "partials/form_fields.html"
    field_template_name = "partials/field.html"


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Kept with the change; the person it concerns reads it.")
