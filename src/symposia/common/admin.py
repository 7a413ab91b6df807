from django.contrib import admin, messages

from .mail import retry_message
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox of every event (and of account mail) for superusers."""

    list_display = (
        "subject",
        "recipients",
        "kind",
        "event",
        "status",
        "attempts",
        "created",
        "sent_at",
    )
    list_filter = ("status", "kind", "event")
    search_fields = ("subject", "to")
    date_hierarchy = "created"
    list_select_related = ("event",)
    readonly_fields = (
        "event",
        "to",
        "subject",
        "body_text",
        "body_html",
        "reply_to",
        "kind",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created",
        "sent_at",
    )
    actions = ["retry"]

    @admin.display(description="To")
    def recipients(self, message: OutboxMessage) -> str:
        return ", ".join(message.to)

    def has_add_permission(self, request) -> bool:
        # Mail enters the outbox only through common.mail.queue_mail.
        return False

    @admin.action(description="Retry the selected messages now")
    def retry(self, request, queryset):
        count = sum(retry_message(message) for message in queryset)
        self.message_user(request, f"New attempt for {count} message(s).", messages.SUCCESS)
