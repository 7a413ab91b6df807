from django.contrib import admin

from .models import Item, Person, Publication, Release, Room, Session


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "affiliation", "country", "role", "event")
    list_filter = ("event", "role")
    search_fields = ("name", "affiliation", "email")


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "capacity", "position")
    list_filter = ("event",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("title", "event", "kind", "start", "end", "room", "chair")
    list_filter = ("event", "kind")
    raw_id_fields = ("chair", "room")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "event", "kind", "session", "start", "board_number")
    list_filter = ("event", "kind")
    raw_id_fields = ("session", "submission", "speakers")


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ("event", "published_at", "version")


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("event", "version", "published_at", "published_by")
    list_filter = ("event",)
