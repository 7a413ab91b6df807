"""Organisers set registration up: settings, categories, questions, and add people by hand."""

from django.contrib import messages
from django.db.models import Count, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import domain
from ..enums import Role
from ..forms import CategoryForm, OrganiserAddForm, QuestionForm, SettingsForm
from ..models import Category, RegistrationQuestion
from .manage import organiser_view


@organiser_view
def settings_view(request, event):
    """`manage/settings/`: window (in the event's zone), capacity, offers, letters."""
    settings = domain.get_settings(event)
    form = SettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        promoted = domain.configure(event, values=form.cleaned_data)
        note = (
            f" {len(promoted)} {'person' if len(promoted) == 1 else 'people'} on the waitlist "
            f"{'was' if len(promoted) == 1 else 'were'} offered a place."
            if promoted
            else ""
        )
        messages.success(request, "Registration settings saved." + note)
        return redirect("registration:manage_settings", event=event.slug)
    return render(request, "attendance/manage/settings.html", {"form": form})


@organiser_view
def categories(request, event):
    """`manage/categories/`: the categories with their counts."""
    rows = Category.objects.filter(event=event).annotate(n=Count("registrations"))
    return render(request, "attendance/manage/categories.html", {"categories": rows})


@organiser_view
def category_form(request, event, pk: int | None = None):
    """Add (pk None) or change a category; a raised capacity promotes from the waitlist."""
    category = get_object_or_404(Category, event=event, pk=pk) if pk else Category(event=event)
    form = CategoryForm(request.POST or None, instance=category, event=event)
    if request.method == "POST" and form.is_valid():
        domain.save_category(event, values=form.cleaned_data, category=category if pk else None)
        messages.success(request, "Category saved.")
        return redirect("registration:manage_categories", event=event.slug)
    return render(
        request, "attendance/manage/category_form.html", {"form": form, "category": category}
    )


@organiser_view
@require_POST
def category_delete(request, event, pk: int):
    category = get_object_or_404(Category, event=event, pk=pk)
    try:
        category.delete()
    except ProtectedError:
        messages.error(
            request,
            f"“{category.name}” has registrations: untick “offered on the public form” instead.",
        )
    else:
        messages.success(request, f"Category “{category.name}” deleted.")
    return redirect("registration:manage_categories", event=event.slug)


@organiser_view
def questions(request, event):
    """`manage/questions/`: the custom questions of the form."""
    rows = RegistrationQuestion.objects.filter(event=event).annotate(n=Count("answers"))
    return render(request, "attendance/manage/questions.html", {"questions": rows})


@organiser_view
def question_form(request, event, pk: int | None = None):
    question = (
        get_object_or_404(RegistrationQuestion, event=event, pk=pk)
        if pk
        else RegistrationQuestion(event=event)
    )
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Question saved.")
        return redirect("registration:manage_questions", event=event.slug)
    return render(
        request, "attendance/manage/question_form.html", {"form": form, "question": question}
    )


@organiser_view
@require_POST
def question_delete(request, event, pk: int):
    question = get_object_or_404(RegistrationQuestion, event=event, pk=pk)
    question.delete()
    messages.success(request, "Question deleted, with its answers.")
    return redirect("registration:manage_questions", event=event.slug)


@organiser_view
def add(request, event):
    """`manage/add/`: register someone by hand, whatever the window; invited speakers and
    organisers outside capacity."""
    form = OrganiserAddForm(
        request.POST or None,
        event=event,
        questions=list(event.registration_questions.all()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["role"] == Role.PARTICIPANT:
                registration = domain.register(
                    event,
                    details=data,
                    answers=form.answers(),
                    enforce_window=False,
                    notify=data["notify"],
                )
            else:
                registration = domain.register_exempt(
                    event,
                    details=data,
                    role=data["role"],
                    answers=form.answers(),
                    notify=data["notify"],
                )
        except domain.AlreadyRegistered as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, f"{registration.name} registered ({registration.get_status_display()})."
            )
            return redirect("registration:manage_detail", event=event.slug, code=registration.code)
    return render(
        request,
        "attendance/manage/add.html",
        {"form": form, "settings": domain.get_settings(event)},
    )
