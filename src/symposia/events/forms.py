"""Forms of the organisers' area: event settings, pages, assets, Markdown preview."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape

from . import domain
from .models import RESERVED_PAGE_SLUGS, Event, Page


def _timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [(zone, zone.replace("_", " ")) for zone in zones]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ColourInput(forms.TextInput):
    input_type = "color"


class EventSettingsForm(forms.ModelForm):
    """Title, dates, time zone, venue, contact, logo and colours of an event."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    timezone = forms.ChoiceField(
        label="Time zone",
        choices=_timezone_choices,
        help_text="Deadlines and the timetable are shown in this zone.",
    )
    logo = forms.FileField(
        required=False,
        help_text="PNG, JPEG, GIF or WebP, at most 2 MB; shown in the header on a white tile.",
    )
    clear_logo = forms.BooleanField(label="Remove the logo", required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "short_title",
            "description",
            "start_date",
            "end_date",
            "timezone",
            "venue",
            "contact_email",
            "logo",
            "primary_colour",
            "accent_colour",
        ]
        labels = {
            "short_title": "Short title",
            "start_date": "First day",
            "end_date": "Last day",
            "contact_email": "Contact email",
            "primary_colour": "Main colour",
            "accent_colour": "Accent colour",
        }
        help_texts = {
            "short_title": "Used where space is short, e.g. MathML 2020.",
            "venue": "Institution and city, e.g. University of Bath, UK.",
            "contact_email": "Shown in the footer of every page.",
            "primary_colour": "Header background; links use a darker shade if needed for contrast.",
            "accent_colour": "Underlines and highlights.",
        }
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "primary_colour": ColourInput(),
            "accent_colour": ColourInput(),
            "logo": forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        }

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if upload and upload is not self.instance.logo and hasattr(upload, "content_type"):
            domain.check_upload(upload, images_only=True)
            return upload
        return None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The event cannot end before it starts.")
        return cleaned

    def _post_clean(self):
        # The logo is saved by domain.update_event_settings, not by construct_instance.
        logo = self.cleaned_data.pop("logo", None)
        super()._post_clean()
        self.cleaned_data["logo"] = logo


class PageForm(forms.ModelForm):
    """A page's address, title, menu entry and Markdown text."""

    class Meta:
        model = Page
        fields = ["title", "slug", "menu_title", "in_menu", "body"]
        labels = {
            "slug": "Address",
            "menu_title": "Menu label",
            "in_menu": "Show in the menu",
            "body": "Text",
        }
        help_texts = {
            "slug": "Lower-case letters, digits and hyphens.",
            "menu_title": "Shorter label for the menu; the title is used when empty.",
            "body": "Markdown; maths between $…$ (inline) or $$…$$ (display).",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        }

    def __init__(self, *args, event: Event, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.event = event
        slug = self.fields["slug"]
        slug.widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})
        # Help texts are rendered as HTML by Django's templates: escape the event's slug.
        slug.help_text = escape(
            f"Lower-case letters, digits and hyphens: the page will be at /{event.slug}/address/."
        )
        if self.instance.pk and self.instance.slug == domain.HOME_SLUG:
            slug.disabled = True
            slug.help_text = escape(f"The home page is always at /{event.slug}/.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_PAGE_SLUGS:
            raise ValidationError(f"“{slug}” is used by the site itself; choose another address.")
        try:
            domain.validate_page_slug(self.event, slug, page=self.instance)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["slug"]) from exc
        return slug

    def _post_clean(self):
        # Event-scoped rules are checked in clean_slug; Page.event is not a form field.
        pass


class PreviewForm(forms.Form):
    """The editor's text for the live preview, and the page's address for relative links."""

    body = forms.CharField(required=False, strip=False, max_length=200_000)
    slug = forms.SlugField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1)


class AssetUploadForm(forms.Form):
    """One file for the site, at a path pages can reference (e.g. `logo_imi.png`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    file = forms.FileField(
        help_text="PNG, JPEG, GIF, WebP or PDF, at most 10 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp,application/pdf"}
        ),
    )
    path = forms.CharField(
        required=False,
        max_length=300,
        help_text="Name pages use for it, e.g. logo_imi.png or img/photo.jpg. "
        "Empty: the file’s own name.",
    )
    replace = forms.BooleanField(label="Replace an existing file with this name", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        domain.check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        raw = cleaned.get("path") or (upload.name if upload else "")
        if not raw:
            return cleaned
        try:
            cleaned["path"] = path = domain.normalise_asset_path(raw)
        except ValidationError as exc:
            self.add_error("path", exc)
            return cleaned
        if upload and domain.content_type_for(path) != domain.content_type_for(upload.name):
            suffix = upload.name.rsplit(".", 1)[-1].lower()
            self.add_error("path", f"The name must end in .{suffix}, like the file.")
        return cleaned
