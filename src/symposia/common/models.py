"""Cross-cutting records: the mail outbox."""

from django.db import models


class OutboxMessage(models.Model):
    """One email, stored before it is sent so that nothing is lost while the worker is down.

    The background task `symposia.common.mail.deliver` sends it; failures are retried with
    exponential back-off (see `common.mail`) and shown to organisers. While a sender holds a
    message its status is "sending" and `next_attempt_at` is the end of its lease: a sender that
    dies mid-way leaves a message that is picked up again once the lease has passed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will retry)"
        GAVE_UP = "gave_up", "Failed (gave up)"

    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox"
    )
    to = models.JSONField(help_text="List of recipient addresses.")
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    reply_to = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=60, blank=True, help_text="What sent it, e.g. cfp.receipt")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} -> {', '.join(self.to)}"

    @property
    def can_retry(self) -> bool:
        """Whether an organiser may ask for an immediate new attempt."""
        return self.status in {self.Status.QUEUED, self.Status.FAILED, self.Status.GAVE_UP}
