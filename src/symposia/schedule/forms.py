"""Forms of the timetable editor and of the slides page.

Times are entered in the event's zone: views activate it (`timezone.override`) so Django reads
`datetime-local` values as local times of the event and shows stored ones the same way. Every
choice of a session, room or person is limited to the event's own.
"""

from __future__ import annotations

from django import forms

from symposia.accounts.models import User
from symposia.cfp.pdf import PdfError, PdfInfo, inspect_pdf
from symposia.cfp.text import clean_block, clean_line

from .enums import ItemKind, PersonRole, SessionKind
from .models import Person, Room, Session

SLIDES_MAX_MB = 50


class LineField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return clean_line(value) if value else value


class BlockField(forms.CharField):
    widget = forms.Textarea

    def clean(self, value):
        value = super().clean(value)
        return clean_block(value) if value else value


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input, read in the current (the event's) zone.

    Years are limited to FIRST_YEAR..LAST_YEAR: a mistyped year (0001, 9999) would otherwise
    publish a session centuries away, and shifting a session or talk near year 9999 overflows
    Python's datetime (a server error instead of a message).
    """

    FIRST_YEAR, LAST_YEAR = 1900, 2999
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "")
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not self.FIRST_YEAR <= value.year <= self.LAST_YEAR:
            raise forms.ValidationError(
                f"Enter a time between the years {self.FIRST_YEAR} and {self.LAST_YEAR}.",
                code="year_out_of_range",
            )
        return value


class EventScopedForm(forms.Form):
    """Limits session, room and person choices to the event's."""

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if queryset.model is Session:
                field.queryset = Session.objects.filter(event=event).select_related("room")
                field.label_from_instance = self._session_label
            elif queryset.model in (Room, Person):
                field.queryset = queryset.model.objects.filter(event=event)

    def _session_label(self, session: Session) -> str:
        zone = self.event.tzinfo
        start = session.start.astimezone(zone)
        room = f", {session.room.name}" if session.room else ""
        return f"{start:%a %d %b %H:%M}–{session.end.astimezone(zone):%H:%M} {session.title}{room}"


class SessionForm(EventScopedForm):
    title = LineField(max_length=200)
    kind = forms.ChoiceField(choices=SessionKind.choices, initial=SessionKind.TALKS)
    start = LocalDateTimeField(label="Starts")
    end = LocalDateTimeField(label="Ends")
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False)
    chair = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    description = BlockField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown; maths between $…$.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The session must end after it starts.")
        return data


class MoveSessionForm(EventScopedForm):
    start = LocalDateTimeField(label="New start")
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False)


class ItemForm(EventScopedForm):
    """An invited talk or a break."""

    kind = forms.ChoiceField(
        choices=[(ItemKind.INVITED, ItemKind.INVITED.label), (ItemKind.BREAK, ItemKind.BREAK.label)]
    )
    title = LineField(max_length=300)
    abstract = BlockField(
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown; maths between $…$ (inline) or $$…$$ (display), in LaTeX.",
    )
    speakers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class PlaceForm(EventScopedForm):
    """Where an item goes: a session and a start (a poster spans its session)."""

    session = forms.ModelChoiceField(queryset=Session.objects.none())
    start = LocalDateTimeField(
        label="Starts", required=False, help_text="Empty: at the start of the session."
    )

    def clean(self):
        data = super().clean()
        if data.get("session") and not data.get("start"):
            data["start"] = data["session"].start
        return data


class MediaForm(forms.Form):
    slides = forms.FileField(required=False, label="Slides (PDF)")
    remove_slides = forms.BooleanField(required=False, label="Remove the uploaded slides")
    slides_url = forms.URLField(
        max_length=500, required=False, label="Link to slides", assume_scheme="https"
    )
    video_url = forms.URLField(
        max_length=500, required=False, label="Link to the video", assume_scheme="https"
    )
    recorded = forms.BooleanField(required=False, label="This talk was recorded")

    pdf_info: PdfInfo | None = None

    def clean_slides(self):
        upload = self.cleaned_data.get("slides")
        if upload:
            try:
                self.pdf_info = inspect_pdf(upload, max_bytes=SLIDES_MAX_MB * 1024 * 1024)
            except PdfError as error:
                raise forms.ValidationError(str(error)) from None
        return upload


class BoardForm(forms.Form):
    board_number = forms.IntegerField(min_value=1, max_value=100_000, required=False)


class PersonForm(forms.Form):
    name = LineField(max_length=200)
    affiliation = LineField(max_length=300, required=False)
    country = LineField(max_length=100, required=False)
    role = forms.ChoiceField(choices=PersonRole.choices, initial=PersonRole.INVITED_SPEAKER)
    email = forms.EmailField(
        required=False,
        help_text="Private. With an account at this address, the person may attach slides "
        "and video to their talks.",
    )
    bio = BlockField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def account(self):
        email = self.cleaned_data.get("email")
        if not email:
            return None
        return User.objects.filter(email__iexact=email, email_verified=True).first()


class RoomForm(forms.Form):
    name = LineField(max_length=100)
    capacity = forms.IntegerField(min_value=0, required=False)
    position = forms.IntegerField(min_value=0, initial=0, required=False)


class GroupPostersForm(EventScopedForm):
    sessions = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Poster sessions",
    )
    seed = forms.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        required=False,
        help_text="Another number gives another grouping of equal quality.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = self.fields["sessions"].queryset.filter(
            kind=SessionKind.POSTERS
        )


class PublishForm(forms.Form):
    note = LineField(max_length=300, required=False, label="Note (optional)")
