"""The event's mail outbox for its organisers: what was sent, what failed, and a retry button."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from symposia.events.decorators import event_view

from .mail import retry_failed, retry_message
from .models import OutboxMessage

PAGE_SIZE = 50


@event_view(organiser=True)
def outbox(request, event):
    all_messages = OutboxMessage.objects.filter(event=event)
    status = request.GET.get("status", "")
    shown = (
        all_messages.filter(status=status)
        if status in OutboxMessage.Status.values
        else all_messages
    )
    counts = dict(all_messages.order_by().values_list("status").annotate(n=Count("pk")))
    page = Paginator(shown.defer("body_text", "body_html"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "common/outbox.html",
        {
            "page": page,
            "status": status if status in OutboxMessage.Status.values else "",
            "statuses": [
                (value, label, counts.get(value, 0))
                for value, label in OutboxMessage.Status.choices
            ],
            "total": sum(counts.values()),
            "failed_count": counts.get("failed", 0) + counts.get("gave_up", 0),
        },
    )


@require_POST
@event_view(organiser=True)
def retry(request, event, pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk, event=event)
    if retry_message(message):
        message.refresh_from_db()
        messages.success(
            request, f"New attempt for “{message.subject}”: {message.get_status_display()}."
        )
    else:
        messages.error(request, "This message cannot be retried (it is sent or being sent).")
    return redirect("outbox:list", event=event.slug)


@require_POST
@event_view(organiser=True)
def retry_all(request, event):
    count = retry_failed(event)
    messages.success(request, f"New attempt for {count} failed message(s).")
    return redirect("outbox:list", event=event.slug)
