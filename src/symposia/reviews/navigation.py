"""The reviews' organisers' tool on the event's overview (see symposia.events.navigation)."""

from symposia.events.navigation import ManageEntry

MANAGE = [
    ManageEntry(
        label="Reviewing",
        url_name="reviews:manage",
        description="The committee, review form, conflicts of interest, bids, assignment and "
        "progress of the reviews.",
        order=20,
    ),
]
