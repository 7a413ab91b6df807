"""Choices of the registration app."""

from django.db import models


class Status(models.TextChoices):
    """Where a registration stands.

    CONFIRMED and OFFERED hold a place (an offer keeps its place until it is confirmed or its
    deadline passes); WAITLISTED waits in order; CANCELLED and EXPIRED are final.
    """

    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the waitlist"
    OFFERED = "offered", "Place offered, awaiting confirmation"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Offer expired"


#: Statuses that occupy a place when the registration is counted toward capacity.
HOLDING = (Status.CONFIRMED, Status.OFFERED)
#: Statuses of a registration that is still alive (one per email address and event).
ACTIVE = (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)


class Role(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    INVITED_SPEAKER = "invited_speaker", "Invited speaker"
    ORGANISER = "organiser", "Organiser"


class Diet(models.TextChoices):
    NONE = "none", "No particular requirements"
    VEGETARIAN = "vegetarian", "Vegetarian"
    VEGAN = "vegan", "Vegan"
    PESCATARIAN = "pescatarian", "Pescatarian"
    HALAL = "halal", "Halal"
    KOSHER = "kosher", "Kosher"
    GLUTEN_FREE = "gluten_free", "Gluten-free"
    OTHER = "other", "Other (see notes)"


class QuestionKind(models.TextChoices):
    """The call for contributions' kinds (same values), plus yes/no, number and web address."""

    SHORT = "short", "Short text"
    LONG = "long", "Long text"
    CHOICE = "choice", "Choice (one option)"
    MULTIPLE = "multiple", "Multiple choice"
    CHECKBOX = "checkbox", "Checkbox"
    YES_NO = "yes_no", "Yes / no"
    NUMBER = "number", "Number"
    URL = "url", "Web address"
