from django.contrib import admin

from .models import (
    Assignment,
    AssignmentRun,
    Conflict,
    Criterion,
    Invitation,
    Review,
    Reviewer,
    ReviewSettings,
)


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "review_deadline", "reviewers_per_submission", "double_blind"]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "status"]
    list_filter = ["event", "status"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "event", "state", "created"]
    list_filter = ["event", "state"]
    exclude = ["token_hash"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "scale_min", "scale_max", "weight", "position"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "state", "weighted_score", "updated"]
    list_filter = ["state"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["submission", "user", "source", "status"]
    list_filter = ["source", "status"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "source", "created"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "created", "finished"]
