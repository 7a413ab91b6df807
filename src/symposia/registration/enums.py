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
    TEXT = "text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Number"
    BOOLEAN = "boolean", "Yes / no"
    CHOICE = "choice", "One choice"
    MULTIPLE_CHOICE = "multiple_choice", "Several choices"
    URL = "url", "Web address"
