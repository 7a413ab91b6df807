from django.contrib import admin

from .models import BookBuild


@admin.register(BookBuild)
class BookBuildAdmin(admin.ModelAdmin):
    list_display = ("event", "status", "progress", "pages", "created", "finished_at")
    list_filter = ("event", "status")
