"""Choices of the timetable (TextChoices, stored as their value)."""

from django.db import models


class PersonRole(models.TextChoices):
    INVITED_SPEAKER = "invited_speaker", "Invited speaker"
    ORGANISER = "organiser", "Organiser"
    OTHER = "other", "Speaker or author"


class SessionKind(models.TextChoices):
    TALKS = "talks", "Talks"
    POSTERS = "posters", "Poster session"
    BREAK = "break", "Break"
    OTHER = "other", "Other"


class ItemKind(models.TextChoices):
    INVITED = "invited", "Invited talk"
    CONTRIBUTED = "contributed", "Contributed talk"
    POSTER = "poster", "Poster"
    BREAK = "break", "Break"


TALK_KINDS = frozenset({ItemKind.INVITED, ItemKind.CONTRIBUTED})
