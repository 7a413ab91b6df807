"""The mail outbox on the event's overview (see symposia.events.navigation)."""

from symposia.events.navigation import ManageEntry

MANAGE = [
    ManageEntry(
        label="Mail outbox",
        url_name="outbox:list",
        description="Every message sent for the event, whether it left, and retries.",
        order=90,
    ),
]
