"""Model fields shared by the apps."""

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class OrderedJSONField(models.TextField):
    """JSON stored as text, so the order of a mapping's keys survives on every database.

    PostgreSQL's jsonb (Django's JSONField there) sorts object keys, which would reorder an
    imported page's front matter on export. Values are any JSON-serialisable Python data;
    no database-side JSON lookups are offered.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return models.Field.formfield(self, form_class=forms.JSONField, **kwargs)
