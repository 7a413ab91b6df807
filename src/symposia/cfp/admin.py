from django.contrib import admin

from .models import (
    Call,
    ContributionType,
    Extension,
    Question,
    Submission,
    SubmissionAuthor,
    SubmissionVersion,
    Track,
)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("event", "opens_at", "closes_at", "deadline_zone", "grace_minutes")


@admin.register(ContributionType)
class ContributionTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "closes_at", "is_active")
    list_filter = ("event",)


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "position")
    list_filter = ("event",)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("label", "event", "kind", "required", "visibility")
    list_filter = ("event",)


class AuthorInline(admin.TabularInline):
    model = SubmissionAuthor
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "event", "state", "last_submitted_at")
    list_filter = ("event", "state")
    search_fields = ("code", "title")
    raw_id_fields = ("owner", "pdf")
    # State changes go through cfp.domain, never through the admin.
    readonly_fields = ("state", "submitted_at", "last_submitted_at", "withdrawn_at")
    inlines = [AuthorInline]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(admin.ModelAdmin):
    list_display = ("submission", "number", "created")
    readonly_fields = ("snapshot", "abstract_sha256", "pdf_sha256")


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ("email", "event", "until", "submission", "revoked")
