from django.contrib import admin

from .models import Category, Registration, RegistrationQuestion, RegistrationSettings


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(admin.ModelAdmin):
    list_display = ("event", "opens_at", "closes_at", "capacity")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "event", "fee", "currency", "capacity", "is_public")
    list_filter = ("event",)


@admin.register(RegistrationQuestion)
class RegistrationQuestionAdmin(admin.ModelAdmin):
    list_display = ("label", "event", "kind", "required")
    list_filter = ("event",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    # Read-only here: transitions go through registration.domain (the organisers' pages).
    list_display = ("name", "email", "event", "status", "category", "checked_in_at")
    list_filter = ("event", "status")
    search_fields = ("name", "email", "code")
    readonly_fields = [field.name for field in Registration._meta.fields]

    def has_add_permission(self, request):
        return False
