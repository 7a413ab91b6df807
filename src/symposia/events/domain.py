"""State changes of an event's site: settings, pages, page order and menu, assets.

Views call these functions after a form has validated the input; each function re-checks the
rules that protect the site (reserved slugs, unique slugs and paths, the home page) and raises
`ValidationError` keyed by field, so a form can show the message next to the field.

A page's `front_matter` is left as imported: the export (events.exporting) writes the keys
that make the page's current fields come back on import.
"""

from __future__ import annotations

import mimetypes
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, UnidentifiedImageError

from .models import RESERVED_PAGE_SLUGS, Asset, Event, Page
from .rendering import render_page

HOME_SLUG = "index"
ORDER_STEP = 10

MAX_ASSET_BYTES = 10 * 1024 * 1024
MAX_LOGO_BYTES = 2 * 1024 * 1024

# What organisers may upload, by file name extension -> the content type it is served with.
# SVG is left out on purpose: it can carry scripts and would run with the site's origin.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
DOCUMENT_TYPES = {".pdf": "application/pdf"}
UPLOAD_TYPES = {**IMAGE_TYPES, **DOCUMENT_TYPES}
# Pillow's format name for each image extension, to check the bytes match the name.
_PILLOW_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}

_ASSET_PATH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
# First path segments the site's own URLs use (see events/urls.py); "assets/" stays allowed
# because Jekyll sites keep their images there.
RESERVED_ASSET_PREFIXES = RESERVED_PAGE_SLUGS - {"assets"}


# --- Event settings -----------------------------------------------------------------------


SETTINGS_FIELDS = (
    "title",
    "short_title",
    "description",
    "start_date",
    "end_date",
    "timezone",
    "venue",
    "contact_email",
    "primary_colour",
    "accent_colour",
)


def update_event_settings(event: Event, *, changes: dict[str, Any], logo=None, clear_logo=False):
    """Apply the settings form's `changes` (keys from SETTINGS_FIELDS) to `event` and save.

    `logo` (an uploaded file, already checked with `check_upload(images_only=True)`) replaces
    the logo; `clear_logo` removes it. Side effects: saves the event; deletes a replaced or
    cleared logo file from storage. Raises ValidationError from the model's rules.
    """
    for name in SETTINGS_FIELDS:
        if name in changes:
            setattr(event, name, changes[name])
    old_logo = event.logo.name if event.logo else ""
    if logo is not None:
        event.logo = logo
    elif clear_logo:
        event.logo = ""
    event.full_clean(exclude=["slug", "logo"])
    event.save()
    if old_logo and old_logo != (event.logo.name if event.logo else ""):
        event.logo.storage.delete(old_logo)
    return event


# --- Pages --------------------------------------------------------------------------------


def validate_page_slug(event: Event, slug: str, *, page: Page | None = None) -> None:
    """Raise ValidationError({'slug': ...}) if `slug` is reserved or used by another page."""
    if slug in RESERVED_PAGE_SLUGS:
        raise ValidationError(
            {"slug": f"“{slug}” is used by the site itself; choose another address."}
        )
    others = event.pages.filter(slug=slug)
    if page is not None and page.pk:
        others = others.exclude(pk=page.pk)
    if others.exists():
        raise ValidationError({"slug": f"Another page already has the address “{slug}”."})


@transaction.atomic
def create_page(
    event: Event,
    *,
    slug: str,
    title: str,
    body: str,
    menu_title: str = "",
    in_menu: bool = True,
) -> Page:
    """Add a page to `event`, last in the menu. Side effects: saves the page.

    Raises ValidationError on a reserved or taken slug.
    """
    validate_page_slug(event, slug)
    last = event.pages.aggregate(last=Max("order"))["last"]
    page = Page(
        event=event,
        slug=slug,
        title=title,
        body=body,
        menu_title=menu_title,
        in_menu=in_menu,
        order=(last or 0) + ORDER_STEP if last is not None else 0,
    )
    page.save()
    return page


@transaction.atomic
def update_page(
    page: Page,
    *,
    slug: str,
    title: str,
    body: str,
    menu_title: str = "",
    in_menu: bool = True,
) -> Page:
    """Change a page's address, title, menu entry and text. Side effects: saves the page.

    The home page keeps its slug ('index'). Raises ValidationError on a reserved or taken slug.
    """
    if page.slug == HOME_SLUG and slug != HOME_SLUG:
        raise ValidationError({"slug": "The home page’s address cannot change."})
    validate_page_slug(page.event, slug, page=page)
    page.slug = slug
    page.title = title
    page.body = body
    page.menu_title = menu_title
    page.in_menu = in_menu
    page.save()
    return page


def delete_page(page: Page) -> None:
    """Delete a page. The home page cannot be deleted (ValidationError). Side effects: deletes."""
    if page.slug == HOME_SLUG:
        raise ValidationError("The home page cannot be deleted; edit it instead.")
    page.delete()


@transaction.atomic
def move_page(page: Page, *, offset: int) -> None:
    """Move `page` `offset` places in the event's page order (-1: up, +1: down).

    Renumbers every page of the event 0, 10, 20, ... so that pages imported with equal orders
    get distinct ones. A move past either end is a no-op. Side effects: saves the pages'
    `order`.
    """
    pages = list(page.event.pages.select_for_update().order_by("order", "title", "pk"))
    index = next(i for i, p in enumerate(pages) if p.pk == page.pk)
    target = max(0, min(len(pages) - 1, index + offset))
    pages.insert(target, pages.pop(index))
    for position, item in enumerate(pages):
        item.order = position * ORDER_STEP
    Page.objects.bulk_update(pages, ["order"])


def set_in_menu(page: Page, *, in_menu: bool) -> None:
    """Show or hide `page` in the event's navigation menu. Side effects: saves the page."""
    page.in_menu = in_menu
    page.save(update_fields=["in_menu", "updated"])


# A src/href that is relative: no scheme, not from the root, not a fragment or query.
_RELATIVE_URL = re.compile(r'(\s(?:src|href)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?)')


def preview_page(event: Event, *, body: str, slug: str = "", source_path: str = "") -> SafeString:
    """The HTML a page with `body` would show, for the editor's preview.

    Rendered exactly as the public page (events.rendering.render_page); `source_path` is the
    page's file in an imported site, against which its relative links resolve. Relative
    links and images left in the HTML are made absolute from the event's site root, so
    `![IMI](logo_imi.png)` shows the file `/<event>/logo_imi.png` in the editor too, not a
    file under the editor's own address. No side effects; nothing is saved.
    """
    page = Page(event=event, slug=slug or HOME_SLUG, body=body, source_path=source_path)
    html = render_page(page).html
    root = reverse("events:page", kwargs={"event": event.slug})
    # The HTML comes out of the sanitiser, which always quotes attributes with '"'.
    return mark_safe(_RELATIVE_URL.sub(lambda m: m.group(1) + root, html))  # noqa: S308


# --- Assets -------------------------------------------------------------------------------


def content_type_for(path: str) -> str | None:
    """The content type an asset at `path` is served with, or None if it is not one we serve
    inline (the asset view then sends it as a download)."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix in UPLOAD_TYPES:
        return UPLOAD_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path)
    if guessed in {"text/css", "font/woff2", "font/woff", "text/plain"}:
        return guessed
    return None


def check_upload(upload: UploadedFile, *, images_only: bool = False) -> str:
    """Check an uploaded file's size, name and bytes; return its content type.

    Accepts PNG, JPEG, GIF and WebP images (decoded with Pillow, so a renamed file is refused)
    and, unless `images_only`, PDF documents (which must start with '%PDF-'). Raises
    ValidationError with a message for the organiser. No side effects.
    """
    limit = MAX_LOGO_BYTES if images_only else MAX_ASSET_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {upload.size / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB."
        )
    name = upload.name or ""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = IMAGE_TYPES if images_only else UPLOAD_TYPES
    if suffix not in allowed:
        kinds = "PNG, JPEG, GIF or WebP" if images_only else "PNG, JPEG, GIF, WebP or PDF"
        raise ValidationError(f"Upload a {kinds} file (this one is “{name}”).")
    upload.seek(0)
    if suffix in DOCUMENT_TYPES:
        if upload.read(5) != b"%PDF-":
            raise ValidationError("This file is not a PDF document.")
    else:
        try:
            with Image.open(upload) as image:
                image.verify()
                actual = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError("This file is not a readable image.") from exc
        if actual != _PILLOW_FORMATS[suffix]:
            raise ValidationError(
                f"The file is named {suffix} but holds a {actual} image; rename or convert it."
            )
    upload.seek(0)
    return allowed[suffix]


def normalise_asset_path(path: str) -> str:
    """'/img/Logo.png ' -> 'img/Logo.png'; raises ValidationError on an unsafe or reserved path.

    A path is segments of letters, digits, '.', '_' and '-' separated by '/', none starting
    with '.', and not starting with a segment the site uses for its own pages.
    """
    value = path.strip().strip("/")
    if not value or not _ASSET_PATH.match(value):
        raise ValidationError(
            "Use letters, digits, “.”, “_”, “-” and “/” only, e.g. logo_imi.png or img/photo.jpg."
        )
    if value.split("/", 1)[0] in RESERVED_ASSET_PREFIXES:
        raise ValidationError(f"Paths starting with “{value.split('/', 1)[0]}/” are reserved.")
    return value


@transaction.atomic
def save_asset(event: Event, *, path: str, upload: UploadedFile, replace: bool = False) -> Asset:
    """Store `upload` as the event's asset at `path` (checked with `normalise_asset_path`).

    An existing asset at the same path is replaced only when `replace` is true, otherwise
    ValidationError({'path': ...}). Side effects: writes the file to storage, saves the Asset,
    deletes the replaced file.
    """
    path = normalise_asset_path(path)
    asset = event.assets.filter(path=path).first()
    if asset is not None and not replace:
        raise ValidationError(
            {"path": f"A file named “{path}” exists; tick “Replace” to overwrite it."}
        )
    old_name = asset.file.name if asset is not None and asset.file else ""
    if asset is None:
        asset = Asset(event=event, path=path)
    asset.file.save(path.rsplit("/", 1)[-1], upload, save=False)
    asset.save()
    if old_name and old_name != asset.file.name:
        asset.file.storage.delete(old_name)
    return asset


def delete_asset(asset: Asset) -> None:
    """Delete an asset and its file. Side effects: deletes the row and the stored file."""
    name = asset.file.name if asset.file else ""
    storage = asset.file.storage
    asset.delete()
    if name:
        storage.delete(name)
