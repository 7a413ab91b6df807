"""Forms of the registration app: the registration form with custom questions, organiser forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .domain import DETAIL_FIELDS, SETTINGS_FIELDS
from .enums import Diet, QuestionKind, Role, Status
from .models import Category, Registration, RegistrationQuestion, RegistrationSettings
from .text import clean_typed

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
#: Years a registration window may start or end in.
FIRST_YEAR, LAST_YEAR = 1970, 2200


class CategoryChoiceField(forms.ModelChoiceField):
    #: Categories without a free place (while the event has some), labelled as such.
    full: frozenset[int] = frozenset()

    def label_from_instance(self, obj: Category) -> str:
        label = f"{obj.name} ({obj.fee_display})" if obj.fee is not None else obj.name
        return f"{label} — full: you would join the waitlist" if obj.pk in self.full else label


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def question_field(question: RegistrationQuestion) -> forms.Field:
    """The form field asking `question` (its kind decides the widget)."""
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    kind = question.kind
    if kind == QuestionKind.LONG:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
    if kind == QuestionKind.CHECKBOX:
        return forms.BooleanField(**common)
    if kind == QuestionKind.NUMBER:
        return forms.FloatField(**common)
    if kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            choices=[("yes", "Yes"), ("no", "No")],
            coerce=_yes_no,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.CHOICE:
        options = [(option, option) for option in question.option_list]
        return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.MULTIPLE:
        options = [(option, option) for option in question.option_list]
        return forms.MultipleChoiceField(
            choices=options, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.URL:
        return forms.URLField(max_length=500, assume_scheme="https", **common)
    return forms.CharField(max_length=300, **common)


def submission_of(event, code: str):
    """The contribution submitted (not a draft, not withdrawn) to `event` with `code`, or None."""
    from symposia.cfp.enums import SubmissionState
    from symposia.cfp.models import Submission

    return (
        Submission.objects.filter(event=event, code=code.strip().upper())
        .exclude(state__in=(SubmissionState.DRAFT, SubmissionState.WITHDRAWN))
        .first()
    )


def _is_free_text(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(
        field, forms.EmailField | forms.URLField
    )


def _answer_initial(question: RegistrationQuestion, value: Any) -> Any:
    if question.kind == QuestionKind.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    return value


class RegistrationForm(forms.ModelForm):
    """The registration form: details, category, needs, consent and the event's questions.

    `organiser=True` offers every category (public or not); `editing=True` leaves out the email
    and category, which cannot change once registered; a signed-in `user` registers with the
    account's email address; `full_categories` (ids) are labelled as full.
    """

    class Meta:
        model = Registration
        fields = DETAIL_FIELDS
        field_classes = {"category": CategoryChoiceField}
        widgets = {
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            "diet": forms.Select,
        }

    def __init__(
        self,
        *args,
        event,
        questions: list[RegistrationQuestion],
        user=None,
        organiser: bool = False,
        editing: bool = False,
        full_categories: Iterable[int] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = questions
        categories = Category.objects.filter(event=event)
        if not organiser:
            categories = categories.filter(is_public=True)
        if editing:
            del self.fields["email"]
            del self.fields["category"]
        elif not categories.exists():
            del self.fields["category"]
        else:
            self.fields["category"].queryset = categories
            self.fields["category"].full = frozenset(full_categories)
            self.fields["category"].required = True
            self.fields["category"].empty_label = None
            self.fields["category"].widget = forms.RadioSelect(
                choices=self.fields["category"].choices
            )
        if user is not None and user.is_authenticated and "email" in self.fields:
            self.fields["email"].initial = user.email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = "The address of your account."
        self.fields["diet"].choices = Diet.choices
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["affiliation"].widget.attrs["autocomplete"] = "organization"
        self.fields["country"].widget.attrs["autocomplete"] = "country-name"
        if "email" in self.fields:
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        existing = {}
        if self.instance.pk:
            existing = {a.question_id: a.value for a in self.instance.answers.all()}
        for question in questions:
            field = question_field(question)
            if question.pk in existing:
                field.initial = _answer_initial(question, existing[question.pk])
            self.fields[f"q_{question.pk}"] = field

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            value = data.get(name)
            if not isinstance(value, str) or not _is_free_text(field):
                continue
            data[name] = clean_typed(value, multiline=isinstance(field.widget, forms.Textarea))
            if field.required and not data[name]:
                self.add_error(name, field.error_messages["required"])
        if data.get("needs_visa_letter"):
            for name in ("passport_name", "nationality"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, "Needed for the invitation letter.")
        return data

    def clean_submission_code(self):
        if not self.cleaned_data.get("presents_poster"):
            return ""  # typed, then the poster box unticked
        code = self.cleaned_data.get("submission_code", "").strip().upper()
        if code and not submission_of(self.event, code):
            raise ValidationError(
                "No contribution submitted to this event has this code. It is in the mail "
                "that acknowledged your submission (8 letters and digits, e.g. K7QX2MPA)."
            )
        return code

    def _post_clean(self):
        # The domain saves; skip the model's validation of fields the form does not set
        # (status, sequence) while keeping field-level checks.
        pass

    def question_fields(self):
        return [self[f"q_{question.pk}"] for question in self.questions]

    def answers(self) -> dict[RegistrationQuestion, Any]:
        return {question: self.cleaned_data.get(f"q_{question.pk}") for question in self.questions}


class OrganiserAddForm(RegistrationForm):
    """Organisers add someone: a participant (counted, may be waitlisted) or, outside
    capacity, an invited speaker or organiser."""

    role = forms.ChoiceField(choices=Role.choices, initial=Role.INVITED_SPEAKER)
    notify = forms.BooleanField(
        label="Send the confirmation mail with the link", required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        kwargs["organiser"] = True
        super().__init__(*args, **kwargs)
        if "category" in self.fields:
            # Invited speakers and organisers often belong to no category (their badge names
            # the role); participants still need one.
            self.fields["category"].required = False
            self.fields[
                "category"
            ].help_text = "Needed for participants; optional for invited speakers and organisers."

    def clean(self):
        data = super().clean()
        if (
            "category" in self.fields
            and data.get("role") == Role.PARTICIPANT
            and not data.get("category")
        ):
            self.add_error("category", "Choose a category for a participant.")
        return data


class SettingsForm(forms.ModelForm):
    """The event's registration settings; dates are read in the current (event's) time zone."""

    class Meta:
        model = RegistrationSettings
        fields = SETTINGS_FIELDS
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "information": forms.Textarea(attrs={"rows": 5}),
            "letter_signatory": forms.Textarea(attrs={"rows": 3}),
        }

    def _clean_moment(self, name: str):
        value = self.cleaned_data.get(name)
        # Far-off years overflow when converted to UTC for storage (year 1 in Tokyo is year 0
        # in UTC); no registration window needs them.
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}.")
        return value

    def clean_opens_at(self):
        return self._clean_moment("opens_at")

    def clean_closes_at(self):
        return self._clean_moment("closes_at")

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Registration must close after it opens.")
        if closes and not opens:
            self.add_error("opens_at", "Set when registration opens.")
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("name", "description", "fee", "currency", "capacity", "is_public", "order")

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Category.objects.filter(event=self.event, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("There is already a category with this name.")
        return name

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if currency and not (len(currency) == 3 and currency.isalpha() and currency.isascii()):
            raise ValidationError("Use a three-letter code such as GBP or EUR.")
        return currency


class QuestionForm(forms.ModelForm):
    class Meta:
        model = RegistrationQuestion
        fields = ("label", "help_text", "kind", "options", "required", "order")
        widgets = {"options": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        choices = (QuestionKind.CHOICE, QuestionKind.MULTIPLE)
        options = [line.strip() for line in (data.get("options") or "").splitlines()]
        options = [option for option in options if option]
        repeated = sorted({option for option in options if options.count(option) > 1})
        if data.get("kind") in choices and len(options) < 2:
            self.add_error("options", "Give at least two options, one per line.")
        elif data.get("kind") in choices and repeated:
            self.add_error("options", f"Give each option once: {', '.join(repeated)}.")
        return data


class ListFilterForm(forms.Form):
    """Filters of the organisers' list of registrations (GET)."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        choices=[("", "Active (all but cancelled)"), ("all", "All")] + Status.choices,
        required=False,
    )
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False)
    diet = forms.ChoiceField(choices=[("", "Any diet")] + Diet.choices, required=False)
    checked_in = forms.ChoiceField(
        label="Arrived", choices=[("", "Any"), ("yes", "Yes"), ("no", "No")], required=False
    )
    paid = forms.ChoiceField(
        choices=[("", "Any"), ("yes", "Paid"), ("no", "Not paid")], required=False
    )
    letter = forms.ChoiceField(
        label="Visa letter",
        choices=[("", "Any"), ("yes", "Asked for a letter")],
        required=False,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(event=event)
        self.fields["category"].empty_label = "Any category"


class SearchForm(forms.Form):
    q = forms.CharField(label="Name, email or code", required=False, max_length=100)


class PromoteForm(forms.Form):
    confirm_now = forms.BooleanField(
        label="Confirm at once instead of offering the place", required=False
    )


class PaidForm(forms.Form):
    paid = forms.BooleanField(required=False)


class ResendLinkForm(forms.Form):
    email = forms.EmailField(label="Your email address")
