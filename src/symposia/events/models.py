"""Events (editions of a conference) and their public site: pages and assets."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from symposia.common.fields import OrderedJSONField

# Page slugs that would collide with an app's URL prefix under /<event>/.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "cfp",
        "reviews",
        "registration",
        "programme",
        "publishing",
        "manage",
        "assets",
        "static",
        "mail",
    }
)

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1d4e89.")


def validate_timezone(value: str) -> None:
    """Accept an IANA time zone name such as 'Europe/London' (raises ValidationError)."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/London).")


class Event(models.Model):
    """One edition of a conference or workshop, served at /<slug>/."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True, help_text="One paragraph; Markdown and maths.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    timezone = models.CharField(
        max_length=64, default="UTC", validators=[validate_timezone], help_text="IANA zone name."
    )
    venue = models.CharField(max_length=300, blank=True)
    contact_email = models.EmailField(blank=True)
    logo = models.FileField(upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        max_length=7, default="#1d3f72", validators=[colour_validator]
    )
    accent_colour = models.CharField(max_length=7, default="#b8860b", validators=[colour_validator])
    is_public = models.BooleanField(default=True)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_events", blank=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:page", kwargs={"event": self.slug})

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The event cannot end before it starts."})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Page(models.Model):
    """A Markdown page of the event's public site; slug 'index' is the event's home page.

    `front_matter` keeps the page's YAML front matter as imported (including keys Symposia does
    not use), so that an export writes it back unchanged.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pages")
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, help_text="Markdown with $LaTeX$ maths.")
    layout = models.CharField(max_length=50, default="default")
    front_matter = OrderedJSONField(default=dict, blank=True)
    menu_title = models.CharField(max_length=60, blank=True)
    in_menu = models.BooleanField(default=True)
    order = models.IntegerField(default=0)
    source_path = models.CharField(
        max_length=300, blank=True, help_text="Path in the imported site."
    )
    import_warnings = models.JSONField(default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="events_page_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        if self.slug == "index":
            return reverse("events:page", kwargs={"event": self.event.slug})
        return reverse("events:page", kwargs={"event": self.event.slug, "page": self.slug})

    def clean(self) -> None:
        if self.slug in RESERVED_PAGE_SLUGS:
            raise ValidationError({"slug": f"'{self.slug}' is reserved; choose another slug."})


class Asset(models.Model):
    """A file of the event's site (image, PDF) served at /<event>/<path>.

    `path` is the name pages use to reference it, relative to the site root (e.g. 'logo_imi.png'
    or 'assets/img/photo.jpg').
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="assets")
    path = models.CharField(max_length=300)
    file = models.FileField(upload_to="assets/")
    uploaded = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["event", "path"], name="events_asset_unique_path"),
        ]

    def __str__(self) -> str:
        return self.path
