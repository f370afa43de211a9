from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through the shared Bootstrap partials in templates/partials/."""

    form_template_name = "partials/form_fields.html"
    field_template_name = "partials/field.html"
