"""Forms of peer review. Every input of the reviews app comes through one of these."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from symposia.cfp.deadlines import make_aware_in
from symposia.cfp.enums import SubmissionState
from symposia.cfp.forms import local_field
from symposia.cfp.models import ContributionType, Submission, Track

from . import papers as paper_formats
from .domain import ReviewData
from .enums import BidValue, Confidence, ConflictStatus, Recommendation
from .models import Criterion, Review, Reviewer, ReviewSettings

MAX_UPLOAD = 2 * 1024 * 1024


class ReviewSettingsForm(forms.ModelForm):
    """The event's review settings; the deadline is typed in the event's time zone."""

    deadline_local = local_field(
        "Review deadline",
        help_text="The last second reviewers may change their reviews, in the event's time zone.",
    )

    class Meta:
        model = ReviewSettings
        fields = [
            "reviewers_per_submission",
            "min_load",
            "max_load",
            "double_blind",
            "reviews_released_to_authors",
            "bid_bonus_eager",
            "bid_bonus_willing",
            "bid_bonus_not_willing",
            "top_n",
            "fairness",
            "guidelines",
        ]
        widgets = {"guidelines": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["deadline_local"].help_text += f" ({event.timezone})"
        if self.instance.review_deadline:
            self.initial.setdefault(
                "deadline_local",
                self.instance.review_deadline.astimezone(event.tzinfo).replace(tzinfo=None),
            )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("min_load") or 0) > (cleaned.get("max_load") or 0):
            self.add_error("max_load", "The maximum load cannot be below the minimum load.")
        value = cleaned.get("deadline_local")
        if value is not None:
            try:
                cleaned["review_deadline"] = make_aware_in(
                    value.replace(tzinfo=None), self.event.tzinfo
                )
            except ValueError as exc:
                self.add_error("deadline_local", str(exc))
        else:
            cleaned["review_deadline"] = None
        return cleaned

    def save(self, commit=True):
        self.instance.review_deadline = self.cleaned_data.get("review_deadline")
        return super().save(commit)


def _labels_text(labels: dict) -> str:
    return "\n".join(f"{k} = {v}" for k, v in sorted(labels.items(), key=lambda kv: int(kv[0])))


#: The largest weight of a criterion: enough for any ratio, and no overflow in the means.
MAX_WEIGHT = 1000


def scores_outside(criterion: Criterion, low: int, high: int) -> list[int]:
    """The scores reviews of the event gave `criterion` that fall outside `low`..`high`
    (one entry per review, drafts included)."""
    key = str(criterion.pk)
    values = []
    for scores in Review.objects.filter(submission__event=criterion.event_id).values_list(
        "scores", flat=True
    ):
        value = (scores or {}).get(key)
        if value is not None and not low <= int(value) <= high:
            values.append(int(value))
    return values


class CriterionForm(forms.ModelForm):
    """One criterion; value labels typed one per line as '1 = poor'."""

    labels_text = forms.CharField(
        label="Labels of values",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. “1 = poor” … “5 = excellent”.",
    )

    class Meta:
        model = Criterion
        fields = ["label", "description", "scale_min", "scale_max", "weight", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("labels_text", _labels_text(self.instance.labels or {}))

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None:
            if high <= low:
                self.add_error("scale_max", "The top of the scale must be above its bottom.")
            elif high - low > 20:
                self.add_error("scale_max", "A scale has at most 21 points.")
        if cleaned.get("weight") is not None and cleaned["weight"] < 0:
            self.add_error("weight", "Weights are zero or positive.")
        elif cleaned.get("weight") is not None and cleaned["weight"] > MAX_WEIGHT:
            self.add_error("weight", f"Weights are at most {MAX_WEIGHT}.")
        if self.instance.pk and low is not None and high is not None and low < high:
            outside = scores_outside(self.instance, low, high)
            if outside:
                values = ", ".join(str(v) for v in sorted(set(outside)))
                self.add_error(
                    "scale_max" if max(outside) > high else "scale_min",
                    f"{len(outside)} review{'s' if len(outside) != 1 else ''} already "
                    f"score{'' if len(outside) != 1 else 's'} {self.instance.label} {values}, "
                    f"outside {low}–{high}: keep those values on the scale, or ask the "
                    "reviewers to change their scores first.",
                )
        labels = {}
        for number, line in enumerate((cleaned.get("labels_text") or "").splitlines(), 1):
            if not line.strip():
                continue
            value, sep, text = line.partition("=")
            try:
                value = int(value.strip())
            except ValueError:
                value = None
            if not sep or value is None or not text.strip():
                self.add_error("labels_text", f"Line {number}: write “value = label”.")
                continue
            if low is not None and high is not None and not low <= value <= high:
                self.add_error("labels_text", f"Line {number}: {value} is outside the scale.")
                continue
            labels[str(value)] = text.strip()[:100]
        cleaned["labels"] = labels
        return cleaned

    def save(self, commit=True):
        self.instance.labels = self.cleaned_data.get("labels", {})
        return super().save(commit)


class InviteForm(forms.Form):
    people = forms.CharField(
        label="Reviewers to invite",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One per line: email address, then optionally a comma and the name.",
        max_length=50_000,
    )

    def clean_people(self) -> list[tuple[str, str]]:
        out, errors, seen = [], [], set()
        for number, line in enumerate(self.cleaned_data["people"].splitlines(), 1):
            if not line.strip():
                continue
            email, _, name = line.partition(",")
            email = email.strip().strip("<>")
            try:
                validate_email(email)
            except ValidationError:
                errors.append(f"Line {number}: “{email[:80]}” is not an email address.")
                continue
            if email.lower() in seen:
                continue
            seen.add(email.lower())
            out.append((email, " ".join(name.split())[:200]))
        if errors:
            raise ValidationError(errors)
        if not out:
            raise ValidationError("Give at least one email address.")
        if len(out) > 500:
            raise ValidationError("Invite at most 500 people at a time.")
        return out


class ProfileForm(forms.Form):
    """The reviewer's expertise: keywords and papers (pasted or uploaded)."""

    keywords = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Your fields of expertise, comma-separated.",
    )
    pasted = forms.CharField(
        label="Add papers by pasting",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One paper per block, blocks separated by an empty line: "
        "the title on the first line, the abstract below it.",
    )
    upload = forms.FileField(
        label="Or upload a BibTeX (.bib) or CSV file",
        required=False,
        help_text="CSV needs a header row with “title” and “abstract” columns. At most 2 MB.",
    )
    remove = forms.MultipleChoiceField(
        label="Remove papers", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, reviewer: Reviewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [(str(p.pk), p.title) for p in reviewer.papers.all()]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return []
        if upload.size > MAX_UPLOAD:
            raise ValidationError("The file is larger than 2 MB.")
        try:
            return paper_formats.parse_upload(upload.name, upload.read())
        except paper_formats.PaperFormatError as exc:
            raise ValidationError(str(exc)) from None

    def clean(self):
        cleaned = super().clean()
        cleaned["papers"] = paper_formats.parse_pasted(cleaned.get("pasted") or "") + (
            cleaned.get("upload") or []
        )
        cleaned["remove_ids"] = [int(x) for x in cleaned.get("remove") or []]
        return cleaned


class BidListForm(forms.Form):
    """Search, filters and sort of the reviewer's list of submissions."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    track = forms.ModelChoiceField(Track.objects.none(), required=False, label="Track")
    type = forms.ModelChoiceField(ContributionType.objects.none(), required=False, label="Type")
    bid = forms.ChoiceField(required=False, label="My bid")
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[
            ("affinity", "Best match first"),
            ("title", "Title"),
            ("code", "Code"),
            ("-submitted", "Newest first"),
        ],
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(event=event)
        self.fields["type"].queryset = ContributionType.objects.filter(event=event)
        self.fields["bid"].choices = [
            ("", "Any"),
            ("none", "Not yet bid"),
            *[(v, label) for v, label in BidValue.choices if v != BidValue.CONFLICT],
        ]


BID_CHOICES = [("", "No bid"), *BidValue.choices]


class ReviewForm(forms.Form):
    """The review form of an event: one radio group per criterion, recommendation, confidence,
    comments to authors and confidential comments. Drafts may be incomplete."""

    recommendation = forms.TypedChoiceField(
        label="Overall recommendation",
        coerce=int,
        required=False,
        empty_value=None,
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )
    confidence = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        choices=Confidence.choices,
        widget=forms.RadioSelect,
    )
    comments_to_authors = forms.CharField(
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Shown to the authors if the organisers release reviews (never your name). "
        "Markdown and $LaTeX$ maths.",
    )
    confidential_comments = forms.CharField(
        label="Confidential comments to the committee",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only organisers and the other reviewers of this submission read these.",
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scored = {}
        for criterion in criteria:
            name = f"criterion_{criterion.pk}"
            scored[name] = forms.TypedChoiceField(
                label=criterion.label,
                help_text=criterion.description,
                coerce=int,
                required=False,
                empty_value=None,
                choices=criterion.choices(),
                widget=forms.RadioSelect,
            )
        # Criteria first, in their order, then the fixed fields.
        self.fields = {**scored, **self.fields}

    def criterion_fields(self):
        return [self[f"criterion_{c.pk}"] for c in self.criteria]

    def data_for_domain(self) -> ReviewData:
        c = self.cleaned_data
        return ReviewData(
            scores={cr.pk: c.get(f"criterion_{cr.pk}") for cr in self.criteria},
            recommendation=c.get("recommendation"),
            confidence=c.get("confidence"),
            comments_to_authors=c.get("comments_to_authors", ""),
            confidential_comments=c.get("confidential_comments", ""),
        )

    def require_complete(self) -> bool:
        """Mark every missing field for a submission; True when complete."""
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            if self.cleaned_data.get(name) is None:
                self.add_error(name, "Choose a score to submit the review.")
        for name in ("recommendation", "confidence"):
            if self.cleaned_data.get(name) is None:
                self.add_error(name, "Choose one to submit the review.")
        return not self.errors


def review_initial(review) -> dict:
    if review is None:
        return {}
    initial = {
        "recommendation": review.recommendation,
        "confidence": review.confidence,
        "comments_to_authors": review.comments_to_authors,
        "confidential_comments": review.confidential_comments,
    }
    for key, value in (review.scores or {}).items():
        initial[f"criterion_{key}"] = value
    return initial


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Your message",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown and $LaTeX$ maths. Read by the organisers and this submission's "
        "reviewers.",
    )


class CommitteeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        # Names only: authors never see the committee's addresses.
        return obj.user.name or obj.user.get_full_name() or "Committee member"


class AuthorConflictForm(forms.Form):
    reviewers = CommitteeChoiceField(
        Reviewer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Committee members you have a conflict of interest with",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = members


class ParametersForm(forms.Form):
    k = forms.IntegerField(label="Reviewers per submission", min_value=0, max_value=50)
    min_load = forms.IntegerField(label="Minimum load per reviewer", min_value=0, max_value=1000)
    max_load = forms.IntegerField(label="Maximum load per reviewer", min_value=0, max_value=1000)
    top_n = forms.IntegerField(
        label="Candidates per submission", min_value=1, max_value=100_000, initial=200
    )
    fairness = forms.BooleanField(
        label="Fairness: raise the worst-off submission's affinity first", required=False
    )
    bonus_eager = forms.FloatField(label="Bonus for “eager”", min_value=-10, max_value=10)
    bonus_willing = forms.FloatField(label="Bonus for “willing”", min_value=-10, max_value=10)
    bonus_not_willing = forms.FloatField(
        label="Bonus for “not willing”", min_value=-10, max_value=10
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("min_load") is not None
            and cleaned.get("max_load") is not None
            and cleaned["min_load"] > cleaned["max_load"]
        ):
            self.add_error("max_load", "The maximum load cannot be below the minimum load.")
        return cleaned


class ManualAssignForm(forms.Form):
    """A committee member to add, by id (a select) or by email address (a text field)."""

    reviewer = forms.CharField(label="Add reviewer", max_length=254)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewers = reviewers

    def clean_reviewer(self) -> Reviewer:
        value = self.cleaned_data["reviewer"].strip()
        found = None
        if value.isdigit():
            found = self.reviewers.filter(pk=int(value)).first()
        if found is None:
            found = self.reviewers.filter(user__email__iexact=value).first()
        if found is None:
            raise ValidationError("Choose a member of the committee (by email address).")
        return found


class AddConflictForm(forms.Form):
    """A conflict typed in by an organiser: a submission code and a committee member."""

    code = forms.CharField(label="Submission code", max_length=16)
    reviewer = forms.EmailField(label="Committee member's email address", max_length=254)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_code(self) -> Submission:
        code = self.cleaned_data["code"].strip().upper()
        found = (
            Submission.objects.filter(event=self.event, code=code)
            .exclude(state=SubmissionState.DRAFT)
            .first()
        )
        if found is None:
            raise ValidationError(f"No submission of this event has the code “{code}”.")
        return found

    def clean_reviewer(self) -> Reviewer:
        email = self.cleaned_data["reviewer"]
        found = Reviewer.objects.filter(event=self.event, user__email__iexact=email).first()
        if found is None:
            raise ValidationError(f"{email} is not on this event's committee.")
        return found


class ReviewerLoadForm(forms.Form):
    min_load = forms.IntegerField(required=False, min_value=0, max_value=1000)
    max_load = forms.IntegerField(required=False, min_value=0, max_value=1000)


class ConflictDecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(ConflictStatus.CONFIRMED, "Confirm"), (ConflictStatus.DISMISSED, "Dismiss")]
    )


class ConflictFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *ConflictStatus.choices], label="Status"
    )
