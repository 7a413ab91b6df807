"""Forms of decisions, notifications and the confirmation of participation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from symposia.common import mail_templates as sandbox

from . import notifications
from .enums import Audience, BulkAction, NotificationKind, Participation
from .forms import BlockField, LineField, SubmissionFilterForm
from .models import NotificationTemplate, Submission


class DecisionFilterForm(SubmissionFilterForm):
    """The submissions list's filters, plus the notification and participation status."""

    NOTIFIED_CHOICES = [
        ("", "Any"),
        ("pending", "Decided, not notified"),
        ("notified", "Notified"),
    ]
    notified = forms.ChoiceField(required=False, choices=NOTIFIED_CHOICES, label="Notification")
    participation = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), *Participation.choices],
        label="Participation",
    )


class _CodesField(forms.MultipleChoiceField):
    default_error_messages = {
        "invalid_choice": "%(value)s is not a submission of this event.",
    }


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(choices=BulkAction.choices, label="Decision")
    codes = _CodesField(label="Submissions", error_messages={"required": "Tick submissions."})

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return  # the list page renders its own checkboxes; choices matter only on POST
        self.fields["codes"].choices = [
            (code, code)
            for code in Submission.objects.filter(event=event).values_list("code", flat=True)
        ]


class DecideForm(forms.Form):
    action = forms.ChoiceField(choices=BulkAction.choices)


def _check(source: str) -> None:
    try:
        sandbox.render(source, sandbox.sample_data(notifications.documented_variables()))
    except sandbox.MailTemplateError as exc:
        raise ValidationError(str(exc), code="template") from None


class NotificationTemplateForm(forms.ModelForm):
    """Subject and body of a notification; both are checked in the sandbox with the
    documented variables' examples, so errors show here, never when sending."""

    subject = LineField(max_length=300)
    body = BlockField(
        max_length=sandbox.MAX_SOURCE,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
    )

    class Meta:
        model = NotificationTemplate
        fields = ["subject", "body"]

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        _check(subject)
        return subject

    def clean_body(self):
        body = self.cleaned_data["body"]
        _check(body)
        return body


class TemplatePreviewForm(forms.Form):
    """Which submission's data the template editor's preview uses."""

    preview_code = forms.ChoiceField(required=False, label="Preview with the data of")

    def __init__(self, *args, codes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preview_code"].choices = [("", "Example data"), *codes]


class NotifyForm(forms.Form):
    """What to send: the template kind, to whom, for which submissions; and a preview."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=NotificationKind.choices, widget=forms.HiddenInput)
    audience = forms.ChoiceField(
        choices=Audience.choices,
        initial=Audience.PRESENTING,
        widget=forms.RadioSelect,
        label="Send to",
    )
    codes = _CodesField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Submissions",
        error_messages={
            "invalid_choice": "%(value)s is no longer among these submissions "
            "(its decision may have changed); reload the page."
        },
    )
    preview = forms.ChoiceField(required=False, label="Preview the mail to")
    resend = forms.BooleanField(
        required=False,
        label="Send again to the authors already notified of this decision",
    )

    def __init__(self, *args, candidates: list[Submission], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["codes"].choices = [(s.code, s.code) for s in candidates]
        self.fields["preview"].choices = [
            (f"{s.code} {r.email}", f"{s.code} — {r.name} <{r.email}>")
            for s in candidates
            for r in notifications.recipients(s, Audience.ALL)
        ]

    def selected(self) -> list[Submission]:
        codes = set(self.cleaned_data.get("codes") or [])
        return [s for s in self.candidates if s.code in codes]

    def preview_target(self):
        """(submission, recipient) chosen for the preview, or (None, None)."""
        value = self.cleaned_data.get("preview") or ""
        code, _space, email = value.partition(" ")
        for submission in self.candidates:
            if submission.code == code:
                for recipient in notifications.recipients(submission, Audience.ALL):
                    if recipient.email == email:
                        return submission, recipient
        return None, None


class ParticipationForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("confirm", "I will present it"), ("decline", "I cannot present it")],
        widget=forms.RadioSelect,
        label="Your answer",
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
