"""Django admin for events, their pages and their files (everything the site editor does not
cover, such as organisers and visibility)."""

from django.contrib import admin

from .models import Asset, Event, Page


class PageInline(admin.TabularInline):
    model = Page
    fields = ["slug", "title", "menu_title", "in_menu", "order"]
    extra = 0
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "start_date", "end_date", "venue", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["title", "short_title", "slug", "venue"]
    date_hierarchy = "start_date"
    filter_horizontal = ["organisers"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PageInline]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "description", "is_public"]}),
        ("When and where", {"fields": ["start_date", "end_date", "timezone", "venue"]}),
        (
            "Contact and branding",
            {"fields": ["contact_email", "logo", "primary_colour", "accent_colour"]},
        ),
        ("People", {"fields": ["organisers"]}),
    ]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "slug", "in_menu", "order", "updated"]
    list_filter = ["event", "in_menu"]
    list_select_related = ["event"]
    search_fields = ["title", "slug", "body", "event__title", "event__slug"]
    ordering = ["event", "order", "title"]


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["path", "event", "uploaded"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["path", "event__title", "event__slug"]
