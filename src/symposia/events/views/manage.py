"""The organisers' area under /<event>/manage/: settings, pages (editor, order, menu), assets.

Every view goes through `@event_view(organiser=True)`: anonymous visitors are sent to log in,
everyone else who does not organise the event gets a 404.
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import domain
from ..decorators import event_view
from ..forms import AssetUploadForm, EventSettingsForm, PageForm, PreviewForm
from ..models import Page
from ..navigation import manage_links
from ..templatetags.event_tags import page_name


@require_http_methods(["GET", "HEAD"])
@event_view(organiser=True)
def dashboard(request, event):
    """`/<event>/manage/`: links to the organisers' tools, with counts."""
    counts = event.pages.aggregate(pages=Count("pk"))
    counts["assets"] = event.assets.count()
    return render(
        request,
        "events/manage/dashboard.html",
        {"counts": counts, "section": "overview", "tools": manage_links(event)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(organiser=True)
def settings(request, event):
    """`/<event>/manage/settings/`: title, dates, zone, venue, contact, logo and colours."""
    # The form works on a copy so that invalid input does not show in the page's header.
    form = EventSettingsForm(request.POST or None, request.FILES or None, instance=copy.copy(event))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.update_event_settings(
                event, changes=data, logo=data.get("logo"), clear_logo=data.get("clear_logo")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Event settings saved.")
            return redirect("events:manage_settings", event=event.slug)
    return render(request, "events/manage/settings.html", {"form": form, "section": "settings"})


# --- Pages --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@event_view(organiser=True)
def page_list(request, event):
    """`/<event>/manage/pages/`: every page in menu order, with order and menu controls."""
    pages = list(event.pages.order_by("order", "title", "pk").defer("body", "front_matter"))
    return render(request, "events/manage/page_list.html", {"pages": pages, "section": "pages"})


def _page_form(request, event, page: Page | None):
    """Create or edit a page. action=preview shows the rendered text and keeps the input."""
    form = PageForm(request.POST or None, instance=page or Page(event=event), event=event)
    preview = None
    if request.method == "POST" and request.POST.get("action") == "preview":
        preview = domain.preview_page(
            event,
            body=request.POST.get("body", ""),
            slug=_preview_slug(request.POST, page),
            source_path=page.source_path if page else "",
        )
    elif request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ("slug", "title", "body", "menu_title")}
        try:
            if page is None:
                page = domain.create_page(event, in_menu=form.cleaned_data["in_menu"], **fields)
            else:
                domain.update_page(page, in_menu=form.cleaned_data["in_menu"], **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved “{page_name(page)}”.")
            return redirect("events:manage_page_edit", event=event.slug, pk=page.pk)
    elif page is not None:
        preview = domain.preview_page(
            event, body=page.body, slug=page.slug, source_path=page.source_path
        )
    return render(
        request,
        "events/manage/page_form.html",
        {"form": form, "page": page, "preview": preview, "section": "pages"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(organiser=True)
def page_create(request, event):
    """`/<event>/manage/pages/new/`."""
    return _page_form(request, event, None)


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(organiser=True)
def page_edit(request, event, pk: int):
    """`/<event>/manage/pages/<pk>/`: the Markdown editor with preview."""
    return _page_form(request, event, get_object_or_404(Page, event=event, pk=pk))


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(organiser=True)
def page_delete(request, event, pk: int):
    """`/<event>/manage/pages/<pk>/delete/`: confirm, then delete (not the home page)."""
    page = get_object_or_404(Page, event=event, pk=pk)
    error = None
    if request.method == "POST":
        try:
            domain.delete_page(page)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"Deleted “{page_name(page)}”.")
            return redirect("events:manage_pages", event=event.slug)
    return render(
        request,
        "events/manage/page_delete.html",
        {"page": page, "error": error, "section": "pages"},
    )


@require_POST
@event_view(organiser=True)
def page_move(request, event, pk: int):
    """POST `/<event>/manage/pages/<pk>/move/` with direction=up|down."""
    page = get_object_or_404(Page, event=event, pk=pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    if offset:
        domain.move_page(page, offset=offset)
    return redirect(f"{_pages_url(event)}#page-{page.pk}")


@require_POST
@event_view(organiser=True)
def page_menu(request, event, pk: int):
    """POST `/<event>/manage/pages/<pk>/menu/` with in_menu=1|0."""
    page = get_object_or_404(Page, event=event, pk=pk)
    domain.set_in_menu(page, in_menu=request.POST.get("in_menu") == "1")
    return redirect(f"{_pages_url(event)}#page-{page.pk}")


@require_POST
@event_view(organiser=True)
def page_preview(request, event):
    """POST `/<event>/manage/pages/preview/` body=...&slug=...&page=<pk>: the page's HTML.

    Used by editor.js for the live preview. The HTML is rendered and sanitised like the
    public page (`domain.preview_page`), so the script can insert it as is.
    """
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse("<p>The text is too long to preview.</p>", status=400)
    data = form.cleaned_data
    page = event.pages.filter(pk=data["page"]).first() if data["page"] else None
    html = domain.preview_page(
        event,
        body=data["body"],
        slug=data["slug"],
        source_path=page.source_path if page else "",
    )
    response = HttpResponse(html)
    response["Cache-Control"] = "no-store"
    return response


def _preview_slug(data, page: Page | None) -> str:
    """The address a page being edited would have; an invalid one previews as the home page."""
    if page is not None and page.slug == domain.HOME_SLUG:
        return domain.HOME_SLUG
    form = PreviewForm({"slug": data.get("slug", "")})
    return form.cleaned_data["slug"] if form.is_valid() else ""


def _pages_url(event) -> str:
    return reverse("events:manage_pages", kwargs={"event": event.slug})


# --- Assets -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(organiser=True)
def asset_list(request, event):
    """`/<event>/manage/assets/`: the event's files, and a form to upload one."""
    form = AssetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asset = domain.save_asset(
                event, path=data["path"], upload=data["file"], replace=data["replace"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Uploaded {asset.path}.")
            return redirect("events:manage_assets", event=event.slug)
    assets = list(event.assets.all())
    for item in assets:
        try:
            item.size = item.file.size if item.file else None
        except OSError:  # a file lost from storage is listed so it can be deleted
            item.size = None
    return render(
        request,
        "events/manage/asset_list.html",
        {"form": form, "assets": assets, "section": "assets"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@event_view(organiser=True)
def asset_delete(request, event, pk: int):
    """`/<event>/manage/assets/<pk>/delete/`: confirm, then delete the file."""
    asset = get_object_or_404(event.assets, pk=pk)
    if request.method == "POST":
        domain.delete_asset(asset)
        messages.success(request, f"Deleted {asset.path}.")
        return redirect("events:manage_assets", event=event.slug)
    return render(request, "events/manage/asset_delete.html", {"asset": asset, "section": "assets"})
