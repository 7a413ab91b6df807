"""Forms of the call: the author's submission form and the organisers' settings forms.

The submission form validates at two levels: `strict=False` for a draft (anything may be
missing, only malformed input is refused) and `strict=True` for submitting (everything the call
requires). Errors are attached to the field they concern.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory

from . import deadlines
from .domain import AuthorData, SubmissionContent
from .enums import DeadlineZone, LengthUnit, PdfRequirement, QuestionKind
from .models import Call, ContributionType, Question, Submission, SubmissionFile, Track
from .pdf import PdfError, PdfInfo, inspect_pdf
from .text import clean_block, clean_line, word_count

ABSTRACT_HARD_LIMIT = 20_000  # characters, whatever the call's own limit
LONG_ANSWER_LIMIT = 5_000


class LineField(forms.CharField):
    """One line of text; control and bidi-override characters removed (cfp.text)."""

    def clean(self, value):
        value = super().clean(value)
        return clean_line(value) if value else value


class BlockField(forms.CharField):
    """Multi-line text with LF line ends; control and bidi-override characters removed."""

    widget = forms.Textarea

    def clean(self, value):
        value = super().clean(value)
        return clean_block(value) if value else value


class SubmissionForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    title = LineField(max_length=300, required=False)
    abstract = BlockField(
        max_length=ABSTRACT_HARD_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-preview": "abstract"}),
        help_text="Markdown; maths between $…$ (inline) or $$…$$ (display), in LaTeX.",
    )
    keywords = LineField(
        max_length=500,
        required=False,
        help_text="Separated by commas, e.g. optimal transport, GANs.",
    )
    contribution_type = forms.ModelChoiceField(
        queryset=ContributionType.objects.none(), required=False, empty_label="— choose —"
    )
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(), required=False, empty_label="— choose —", label="Track"
    )
    pdf = forms.FileField(required=False, label="PDF")
    remove_pdf = forms.BooleanField(required=False, label="Remove the current file")
    pending_file = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        call: Call,
        submission: Submission | None = None,
        strict: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.call = call
        self.event = call.event
        self.submission = submission
        self.strict = strict
        self.pdf_info: PdfInfo | None = None
        self.fields["contribution_type"].queryset = ContributionType.objects.filter(
            event=self.event, is_active=True
        )
        self.fields["contribution_type"].label = "Contribution type"
        self.fields["track"].queryset = Track.objects.filter(event=self.event)
        self.has_tracks = self.fields["track"].queryset.exists()
        if not self.has_tracks:
            del self.fields["track"]
        if call.pdf_requirement == PdfRequirement.NONE:
            del self.fields["pdf"]
            del self.fields["remove_pdf"]
        else:
            self.fields["pdf"].label = call.pdf_label
            self.fields["pdf"].help_text = f"PDF, at most {call.pdf_max_mb} MB."
            self.fields["pdf"].widget.attrs["accept"] = "application/pdf,.pdf"
            if submission is None or not submission.is_draft or submission.pdf_id is None:
                del self.fields["remove_pdf"]
        if call.abstract_limit:
            self.fields[
                "abstract"
            ].help_text += f" At most {call.abstract_limit} {call.get_abstract_unit_display()}."
            self.fields["abstract"].widget.attrs.update(
                {"data-limit": call.abstract_limit, "data-unit": call.abstract_unit}
            )
        self.questions = list(Question.objects.filter(event=self.event, is_active=True))
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = self._question_field(question)
        if strict:
            self.fields["title"].required = True
            self.fields["abstract"].required = True
            self.fields["contribution_type"].required = True
            if self.has_tracks:
                self.fields["track"].required = True
            for question in self.questions:
                if question.kind != QuestionKind.CHECKBOX or question.required:
                    self.fields[f"q_{question.pk}"].required = question.required

    @staticmethod
    def _question_field(question: Question) -> forms.Field:
        common = {"label": question.label, "help_text": question.help_text, "required": False}
        options = [(o, o) for o in question.options or []]
        if question.kind == QuestionKind.SHORT:
            return LineField(max_length=300, **common)
        if question.kind == QuestionKind.LONG:
            return BlockField(max_length=LONG_ANSWER_LIMIT, **common)
        if question.kind == QuestionKind.CHOICE:
            return forms.ChoiceField(
                choices=[("", "— choose —"), *options], widget=forms.RadioSelect, **common
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.BooleanField(**common)

    @property
    def question_fields(self):
        return [self[f"q_{q.pk}"] for q in self.questions]

    def clean_abstract(self):
        abstract = self.cleaned_data["abstract"]
        limit = self.call.abstract_limit
        if self.strict and limit and abstract:
            if self.call.abstract_unit == LengthUnit.WORDS:
                size = word_count(abstract)
            else:
                size = len(abstract)
            if size > limit:
                unit = self.call.get_abstract_unit_display()
                raise ValidationError(
                    f"The abstract has {size} {unit}; the limit is {limit} {unit}. "
                    "Shorten it to submit (a draft may be longer)."
                )
        return abstract

    def clean_keywords(self):
        words = [k.strip() for k in self.cleaned_data["keywords"].split(",") if k.strip()]
        if len(words) > 12:
            raise ValidationError("At most 12 keywords.")
        return ", ".join(words)

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if not upload:
            return None
        try:
            self.pdf_info = inspect_pdf(upload, max_bytes=self.call.pdf_max_bytes)
        except PdfError as exc:
            raise ValidationError(str(exc)) from None
        return upload

    def clean_pending_file(self):
        pk = self.cleaned_data.get("pending_file")
        if not pk or self.submission is None:
            return None
        return SubmissionFile.objects.filter(pk=pk, submission=self.submission).first()

    def clean(self):
        cleaned = super().clean()
        has_file = bool(
            cleaned.get("pdf")
            or cleaned.get("pending_file")
            or (self.submission and self.submission.pdf_id and not cleaned.get("remove_pdf"))
        )
        if (
            self.strict
            and self.call.pdf_requirement == PdfRequirement.REQUIRED
            and not has_file
            and "pdf" not in self.errors
        ):
            self.add_error("pdf", "A PDF is required.")
        return cleaned

    def answers(self) -> dict[int, object]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if question.kind == QuestionKind.MULTIPLE:
                value = list(value or [])
            elif question.kind == QuestionKind.CHECKBOX:
                value = bool(value)
            else:
                value = value or ""
            result[question.pk] = value
        return result


class AuthorForm(forms.Form):
    name = LineField(max_length=200)
    email = forms.EmailField(max_length=254)
    affiliation = LineField(max_length=300, required=False)
    country = LineField(max_length=100, required=False)
    is_presenting = forms.BooleanField(required=False, label="Presenting")


class BaseAuthorFormSet(forms.BaseFormSet):
    strict = False

    def clean(self):
        if any(self.errors):
            return
        rows = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
        ]
        emails = [f.cleaned_data["email"].lower() for f in rows]
        if len(emails) != len(set(emails)):
            raise ValidationError(
                "Each author is listed once: two rows have the same email address."
            )
        if self.strict:
            if not rows:
                raise ValidationError("List at least one author.")
            presenting = sum(bool(f.cleaned_data.get("is_presenting")) for f in rows)
            if presenting != 1:
                raise ValidationError("Mark exactly one author as presenting.")

    def authors(self) -> list[AuthorData]:
        rows = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
        ]
        position = {id(f): i for i, f in enumerate(rows)}
        rows.sort(key=lambda f: (f.cleaned_data.get("ORDER") or 10_000, position[id(f)]))
        return [
            AuthorData(
                name=f.cleaned_data["name"],
                email=f.cleaned_data["email"],
                affiliation=f.cleaned_data.get("affiliation", ""),
                country=f.cleaned_data.get("country", ""),
                is_presenting=bool(f.cleaned_data.get("is_presenting")),
            )
            for f in rows
        ]


AuthorFormSet = formset_factory(
    AuthorForm,
    formset=BaseAuthorFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=50,
    absolute_max=60,
    validate_max=True,
)


def author_initial(submission: Submission | None, user) -> list[dict]:
    """Rows for the author table: the submission's authors, or the signed-in user as first."""
    if submission is not None:
        rows = [
            {
                "name": a.name,
                "email": a.email,
                "affiliation": a.affiliation,
                "country": a.country,
                "is_presenting": a.is_presenting,
                "ORDER": i + 1,
            }
            for i, a in enumerate(submission.authors.all())
        ]
        if rows or not submission.is_draft:
            return rows
    return [
        {
            "name": user.display_name if user.name else "",
            "email": user.email,
            "affiliation": user.affiliation,
            "country": user.country,
            "is_presenting": True,
            "ORDER": 1,
        }
    ]


def submission_initial(submission: Submission | None) -> dict:
    initial = {"idempotency_key": uuid.uuid4()}
    if submission is None:
        return initial
    initial.update(
        title=submission.title,
        abstract=submission.abstract,
        keywords=submission.keywords,
        contribution_type=submission.contribution_type_id,
        track=submission.track_id,
    )
    for answer in submission.answers.all():
        initial[f"q_{answer.question_id}"] = answer.value
    return initial


def content_from(form: SubmissionForm, authors: AuthorFormSet) -> SubmissionContent:
    data = form.cleaned_data
    return SubmissionContent(
        title=data.get("title") or "",
        abstract=data.get("abstract") or "",
        keywords=data.get("keywords") or "",
        contribution_type=data.get("contribution_type"),
        track=data.get("track"),
        authors=authors.authors(),
        answers=form.answers(),
    )


# --- Organisers -------------------------------------------------------------------------------

LOCAL_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S"
)
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]


def _plausible_year(value: dt.datetime) -> None:
    # A year such as 9999 (one digit too many) would overflow once converted to UTC or extended
    # by a grace period.
    if not 1970 <= value.year <= 2999:
        raise ValidationError("Enter a date between the years 1970 and 2999.")


def local_field(label: str, required: bool = False, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LOCAL_INPUT,
        input_formats=LOCAL_FORMATS,
        localize=False,
        help_text=help_text,
        validators=[_plausible_year],
    )


def _naive_in(moment: dt.datetime | None, zone: dt.tzinfo) -> dt.datetime | None:
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def _aware(form: forms.Form, field: str, zone: dt.tzinfo) -> dt.datetime | None:
    value = form.cleaned_data.get(field)
    if value is None:
        return None
    if value.tzinfo is not None:  # USE_TZ makes DateTimeField aware in the current zone
        value = value.replace(tzinfo=None)
    try:
        return deadlines.make_aware_in(value, zone)
    except ValueError as exc:
        form.add_error(field, str(exc))
        return None


class CallForm(forms.ModelForm):
    """The call's settings; times are typed as wall-clock times in the chosen zone."""

    opens_local = local_field("Opens at", required=True)
    closes_local = local_field(
        "Deadline",
        required=True,
        help_text="The last accepted second, e.g. 23:59:59 (shown as 23:59).",
    )

    class Meta:
        model = Call
        fields = [
            "intro",
            "deadline_zone",
            "grace_minutes",
            "abstract_limit",
            "abstract_unit",
            "pdf_requirement",
            "pdf_label",
            "pdf_max_mb",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        zone = deadlines.zone_for(self.instance.deadline_zone, event.timezone)
        self.initial.setdefault("opens_local", _naive_in(self.instance.opens_at, zone))
        self.initial.setdefault("closes_local", _naive_in(self.instance.closes_at, zone))
        self.fields["deadline_zone"].choices = [
            (DeadlineZone.EVENT, f"The event's time zone ({event.timezone})"),
            (DeadlineZone.AOE, DeadlineZone.AOE.label),
        ]

    def clean_grace_minutes(self):
        value = self.cleaned_data["grace_minutes"]
        if value > deadlines.MAX_GRACE_MINUTES:
            raise ValidationError(
                f"At most {deadlines.MAX_GRACE_MINUTES} minutes (a week); usually a few minutes."
            )
        return value

    def clean_pdf_max_mb(self):
        value = self.cleaned_data["pdf_max_mb"]
        if not 1 <= value <= 50:
            raise ValidationError("Between 1 and 50 MB.")
        return value

    def clean(self):
        cleaned = super().clean()
        zone = deadlines.zone_for(cleaned.get("deadline_zone") or "aoe", self.event.timezone)
        opens = _aware(self, "opens_local", zone)
        closes = _aware(self, "closes_local", zone)
        if opens and closes and closes <= opens:
            self.add_error("closes_local", "The deadline must be after the opening.")
        self.instance.opens_at = opens
        self.instance.closes_at = closes
        return cleaned


class ContributionTypeForm(forms.ModelForm):
    name = LineField(max_length=100)
    closes_local = local_field("Own deadline", help_text="Empty: the call's deadline.")

    class Meta:
        model = ContributionType
        fields = [
            "name",
            "description",
            "duration_minutes",
            "reviewers_per_submission",
            "position",
            "is_active",
        ]

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.initial.setdefault("closes_local", _naive_in(self.instance.closes_at, call.zone))

    def clean(self):
        cleaned = super().clean()
        self.instance.closes_at = _aware(self, "closes_local", self.call.zone)
        return cleaned


class TrackForm(forms.ModelForm):
    name = LineField(max_length=100)

    class Meta:
        model = Track
        fields = ["name", "description", "position"]


class QuestionForm(forms.ModelForm):
    label = LineField(max_length=300)
    options_text = BlockField(
        required=False,
        label="Options",
        help_text="One per line (choice questions only).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Question
        fields = ["label", "help_text", "kind", "required", "visibility", "position", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("options_text", "\n".join(self.instance.options or []))

    def clean(self):
        cleaned = super().clean()
        options = [clean_line(o) for o in (cleaned.get("options_text") or "").split("\n")]
        options = [o for o in options if o]
        if cleaned.get("kind") in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) and len(options) < 2:
            self.add_error("options_text", "A choice question needs at least two options.")
        self.instance.options = options
        return cleaned


class ExtensionForm(forms.Form):
    email = forms.EmailField(help_text="The link is sent to this address.")
    until_local = local_field("New deadline", required=True)
    submission_code = forms.CharField(
        max_length=16, required=False, label="Submission code", help_text="Empty: any submission."
    )
    note = LineField(max_length=300, required=False)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["until_local"].help_text = f"In {call.zone_label}."

    def clean(self):
        cleaned = super().clean()
        cleaned["until"] = _aware(self, "until_local", self.call.zone)
        code = (cleaned.get("submission_code") or "").strip().upper()
        cleaned["submission"] = None
        if code:
            submission = Submission.objects.filter(event=self.call.event, code=code).first()
            if submission is None:
                self.add_error("submission_code", "No submission of this event has this code.")
            cleaned["submission"] = submission
        return cleaned


class SubmissionFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    type = forms.ModelChoiceField(
        ContributionType.objects.none(), required=False, label="Type", empty_label="Any"
    )
    track = forms.ModelChoiceField(
        Track.objects.none(), required=False, label="Track", empty_label="Any"
    )
    state = forms.ChoiceField(required=False, label="State")
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-submitted", "Newest first"),
            ("submitted", "Oldest first"),
            ("title", "Title"),
            ("code", "Code"),
            ("state", "State"),
        ],
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        from .enums import SubmissionState

        self.fields["type"].queryset = ContributionType.objects.filter(event=event)
        self.fields["track"].queryset = Track.objects.filter(event=event)
        self.fields["state"].choices = [("", "Any (except drafts)"), *SubmissionState.choices]
