"""Account pages: sign-up, verification, log-in/out, password reset and change, profile, email.

Pages that take an email address answer the same way whether or not an account has it, and
links from mail that change something (verify, change of email) show a button to press rather
than acting on GET, so that mail scanners which open links change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from . import domain, ratelimit
from .forms import (
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignUpForm,
)
from .models import User
from .tokens import read_email_change_token, verification_token_generator

TOO_MANY_REQUESTS = 429


def safe_next(request) -> str:
    """The `next` parameter if it points into this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _form_response(request, template: str, context: dict):
    form = context["form"]
    status = TOO_MANY_REQUESTS if getattr(form, "rate_limited", False) else 200
    return render(request, template, {"next": safe_next(request), **context}, status=status)


def _check_mail(request, reason: str):
    query = urlencode({"reason": reason, **({"next": n} if (n := safe_next(request)) else {})})
    return redirect(f"{reverse('accounts:check_mail')}?{query}")


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        domain.sign_up(
            email=data["email"],
            password=data["password1"],
            name=data["name"],
            affiliation=data["affiliation"],
            country=data["country"],
            next_path=safe_next(request),
        )
        return _check_mail(request, "signup")
    return _form_response(request, "accounts/signup.html", {"form": form})


CHECK_MAIL_REASONS = {"signup", "resend", "email_change"}


def check_mail(request):
    reason = request.GET.get("reason", "signup")
    reason = reason if reason in CHECK_MAIL_REASONS else "signup"
    return render(
        request, "accounts/check_mail.html", {"reason": reason, "next": safe_next(request)}
    )


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None


@require_http_methods(["GET", "POST"])
def verify_email(request, uidb64: str, token: str):
    user = _user_from_uid(uidb64)
    valid = (
        user is not None
        and user.is_active
        and verification_token_generator.check_token(user, token)
    )
    next_url = safe_next(request)
    if valid and request.method == "POST":
        domain.verify_email(user)
        messages.success(request, f"Thank you: {user.email} is confirmed.")
        if request.user.is_authenticated:
            return redirect(next_url or "accounts:profile")
        query = {"email": user.email, **({"next": next_url} if next_url else {})}
        return redirect(f"{reverse('accounts:login')}?{urlencode(query)}")
    status = 200 if valid else 400
    return render(
        request,
        "accounts/verify_email.html",
        {"valid": valid, "target": user, "next": next_url},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    if request.user.is_authenticated:
        return _resend_for_user(request)
    form = ResendVerificationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        domain.resend_verification(email=form.cleaned_data["email"])
        return _check_mail(request, "resend")
    return _form_response(request, "accounts/resend_verification.html", {"form": form})


def _resend_for_user(request):
    """Logged in: a button, no fields; over the limit is a 429 page rather than a form error."""
    user = request.user
    if user.email_verified:
        messages.info(request, "Your email address is already confirmed.")
        return redirect(safe_next(request) or "accounts:profile")
    if request.method == "POST":
        decision = ratelimit.hit("resend_verification", request=request, account=user.email)
        if not decision.allowed:
            return render(
                request,
                "accounts/ratelimited.html",
                {"message": ratelimit.message(decision)},
                status=TOO_MANY_REQUESTS,
            )
        domain.send_verification(user)
        messages.success(request, f"A new confirmation link is on its way to {user.email}.")
        return redirect(safe_next(request) or "accounts:profile")
    return render(request, "accounts/resend_verification.html", {"form": None})


class RateLimitedFormViewMixin:
    """Answer 429 Too Many Requests when the form was refused by a rate limit."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "rate_limited", False):
            response.status_code = TOO_MANY_REQUESTS
        return response


class LoginView(RateLimitedFormViewMixin, auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_initial(self):
        return {"username": self.request.GET.get("email", "")}


class PasswordResetView(RateLimitedFormViewMixin, auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The reset link reached this mailbox: the address is confirmed too.
        domain.verify_email(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        domain.notify_password_changed(form.user)
        messages.success(self.request, "Your password has been changed.")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        domain.request_email_change(request.user, new_email=form.cleaned_data["new_email"])
        return _check_mail(request, "email_change")
    return _form_response(request, "accounts/email_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def email_change_confirm(request, token: str):
    change = read_email_change_token(token)
    error = "" if change else "This link is not valid or has expired (links last one day)."
    try:
        if change:
            domain.check_email_change(request.user, change=change)
            if request.method == "POST":
                domain.confirm_email_change(request.user, change=change)
                messages.success(request, f"Your email address is now {request.user.email}.")
                return redirect("accounts:profile")
    except domain.EmailChangeError as exc:
        error = str(exc)
    return render(
        request,
        "accounts/email_change_confirm.html",
        {"change": change, "error": error},
        status=400 if error else 200,
    )
