from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "status", "attempts", "created", "sent_at")
    list_filter = ("status", "kind", "event")
    search_fields = ("subject", "to")
    readonly_fields = ("created", "sent_at", "attempts", "last_error")
