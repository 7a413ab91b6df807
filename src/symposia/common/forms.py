"""Form rendering shared by every app: one accessible layout for all Django forms."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders `{{ form }}` with templates/includes/form.html and each field with
    templates/includes/form_field.html: label, help text and errors next to the field, the
    input described by them (`aria-describedby`, `aria-invalid`, as Django 5.2 sets them)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/form_field.html"
