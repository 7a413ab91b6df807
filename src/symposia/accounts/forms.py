"""Account forms. Rate limits are checked in `clean()`; a refused form has `rate_limited` set
so the view can answer 429, and shows the same message whether or not the account exists."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse

from symposia.common.mail import queue_templated_mail

from . import ratelimit
from .domain import absolute_url
from .models import User, normalise_email
from .validators import normalise_orcid, validate_orcid


class RateLimitedForm:
    """Mixin: `limit(action, account)` adds the rate-limit error and sets `rate_limited`."""

    rate_limited = False

    def limit(self, action: str, *, account: str, count: bool = True) -> bool:
        """True (and a form error) when `action` is over its limit; counts the try if `count`."""
        decide = ratelimit.hit if count else ratelimit.check
        decision = decide(action, request=self.request, account=account)
        if decision.allowed:
            return False
        self.rate_limited = True
        self.add_error(None, ValidationError(ratelimit.message(decision), code="rate_limited"))
        return True


def _email_field(label: str = "Email address", help_text: str = "", **attrs) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        help_text=help_text,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", **attrs}),
    )


class SignUpForm(RateLimitedForm, forms.Form):
    email = _email_field(help_text="You will log in with it; a confirmation link is sent there.")
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="As it should appear in the programme, in any script.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    affiliation = forms.CharField(
        label="Affiliation",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    country = forms.CharField(
        label="Country",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "country-name"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1 and cleaned.get("email"):
            candidate = User(email=cleaned["email"], name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        if not self.errors:
            self.limit("signup", account=cleaned["email"])
        return cleaned


class LoginForm(RateLimitedForm, auth_forms.AuthenticationForm):
    """Email and password. Every failure gets the same message, known account or not."""

    username = forms.CharField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "The email address or password is incorrect.",
        "inactive": "The email address or password is incorrect.",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        if self.limit("login", account=username, count=False):
            return self.cleaned_data
        try:
            cleaned = super().clean()
        except ValidationError:
            ratelimit.record("login", request=self.request, account=username)
            raise
        ratelimit.clear_account("login", account=username)
        return cleaned


class PasswordResetForm(RateLimitedForm, auth_forms.PasswordResetForm):
    """Django's reset form, rate-limited, with its mail going through the outbox."""

    email = _email_field()

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.limit("password_reset", account=cleaned["email"])
        return cleaned

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        queue_templated_mail(
            "accounts/password_reset",
            {"user": context["user"], "reset_url": absolute_url(path)},
            to=to_email,
            kind="accounts.password_reset",
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a new password from a reset link (the labels are the only change)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"


class ResendVerificationForm(RateLimitedForm, forms.Form):
    """For someone not logged in; a logged-in person uses their account's address."""

    email = _email_field()

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.limit("resend_verification", account=cleaned["email"])
        return cleaned


class ProfileForm(forms.ModelForm):
    # Wider than the stored 19 characters: a pasted https://orcid.org/ link is accepted.
    orcid = forms.CharField(
        label="ORCID iD",
        required=False,
        max_length=60,
        help_text="16 characters like 0000-0002-1825-0097; a link to orcid.org works too.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = User
        fields = ["name", "affiliation", "country", "orcid"]
        help_texts = {"name": "As it should appear in the programme, in any script."}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "affiliation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "country": forms.TextInput(attrs={"autocomplete": "country-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True

    def clean_orcid(self) -> str:
        orcid = normalise_orcid(self.cleaned_data.get("orcid", ""))
        validate_orcid(orcid)
        return orcid


class EmailChangeForm(RateLimitedForm, forms.Form):
    new_email = _email_field("New email address", autofocus=True)
    password = forms.CharField(
        label="Current password",
        strip=False,
        help_text="To make sure it is you.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_new_email(self) -> str:
        email = normalise_email(self.cleaned_data["new_email"])
        if email == self.user.email:
            raise ValidationError("This is already your address.", code="unchanged")
        return email

    def clean(self):
        cleaned = super().clean()
        if self.limit("email_change", account=self.user.email):
            return cleaned
        password = cleaned.get("password")
        if password and not self.user.check_password(password):
            self.add_error("password", "The password is incorrect.")
        return cleaned
