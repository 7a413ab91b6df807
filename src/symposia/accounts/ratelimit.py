"""Rate limits for log-in, sign-up, password reset and the other mail-sending account forms.

Each action is limited twice: per account (the email address as typed, normalised, whether or
not an account has it, so that a refusal tells nothing about which accounts exist) and per
client address. Counts live in Django's cache (the database cache in production, shared by all
processes) as a sliding-window counter: the current fixed window's count plus the previous
window's count weighted by how much of it still overlaps the sliding window, the approximation
described in Cloudflare's "How we built rate limiting capable of scaling to millions of
domains" (2017). Counts are approximate under concurrent requests (cache increments are not
atomic on every backend), which is enough to stop guessing and mail flooding.

The client address is REMOTE_ADDR. Behind N reverse proxies (setting TRUSTED_PROXY_COUNT=N), it
is the N-th address from the right of X-Forwarded-For, the one the outermost trusted proxy saw;
addresses a client put there itself are further left and ignored. IPv6 clients are counted per
/64 network, the block one subscriber usually holds.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .models import normalise_email


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window` seconds."""

    count: int
    window: int


@dataclass(frozen=True)
class Policy:
    per_account: Limit
    per_address: Limit


# Per address limits are generous: a university or a conference venue shares one address.
POLICIES: dict[str, Policy] = {
    # Log-in counts failed attempts only, so people who type their password right never wait.
    "login": Policy(per_account=Limit(10, 15 * 60), per_address=Limit(50, 15 * 60)),
    "signup": Policy(per_account=Limit(3, 60 * 60), per_address=Limit(20, 60 * 60)),
    "password_reset": Policy(per_account=Limit(3, 60 * 60), per_address=Limit(20, 60 * 60)),
    "resend_verification": Policy(per_account=Limit(3, 60 * 60), per_address=Limit(20, 60 * 60)),
    "email_change": Policy(per_account=Limit(5, 60 * 60), per_address=Limit(20, 60 * 60)),
}


def client_address(request: HttpRequest) -> str:
    """The client's address as text (an IPv6 client as its /64 network).

    Uses REMOTE_ADDR, or X-Forwarded-For when settings.TRUSTED_PROXY_COUNT > 0 (see the module
    docstring). A malformed or too short header falls back to REMOTE_ADDR.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [item for item in forwarded if item]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        try:
            ip = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _key(action: str, scope: str, identity: str, window_index: int) -> str:
    # Hashed: the cache holds no email address, and the key is safe for every cache backend.
    digest = hashlib.sha256(f"{action}\0{scope}\0{identity}".encode()).hexdigest()[:40]
    return f"symposia:ratelimit:{digest}:{window_index}"


def _count(action: str, scope: str, identity: str, limit: Limit, now: float) -> float:
    index, offset = divmod(now, limit.window)
    current_key = _key(action, scope, identity, int(index))
    previous_key = _key(action, scope, identity, int(index) - 1)
    values = cache.get_many([current_key, previous_key])
    overlap = 1 - offset / limit.window
    return values.get(current_key, 0) + values.get(previous_key, 0) * overlap


def _add(action: str, scope: str, identity: str, limit: Limit, now: float) -> None:
    key = _key(action, scope, identity, int(now // limit.window))
    if not cache.add(key, 1, timeout=2 * limit.window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * limit.window)


def _identities(request: HttpRequest, account: str) -> list[tuple[str, str]]:
    return [("account", normalise_email(account)), ("address", client_address(request))]


@dataclass(frozen=True)
class Decision:
    """Whether the action may go ahead; if not, roughly how many minutes until it may."""

    allowed: bool
    retry_minutes: int = 0


def check(action: str, *, request: HttpRequest, account: str) -> Decision:
    """Whether `action` is currently allowed for this account and client address (no counting)."""
    policy = POLICIES[action]
    now = time.time()
    for (scope, identity), limit in zip(
        _identities(request, account), (policy.per_account, policy.per_address), strict=True
    ):
        if _count(action, scope, identity, limit, now) >= limit.count:
            return Decision(False, math.ceil(limit.window / 60))
    return Decision(True)


def record(action: str, *, request: HttpRequest, account: str) -> None:
    """Count one occurrence of `action` against the account and the client address."""
    policy = POLICIES[action]
    now = time.time()
    for (scope, identity), limit in zip(
        _identities(request, account), (policy.per_account, policy.per_address), strict=True
    ):
        _add(action, scope, identity, limit, now)


def hit(action: str, *, request: HttpRequest, account: str) -> Decision:
    """`check`, and when allowed `record` the occurrence; for actions that count every try."""
    decision = check(action, request=request, account=account)
    if decision.allowed:
        record(action, request=request, account=account)
    return decision


def clear_account(action: str, *, account: str) -> None:
    """Forget the account's count for `action` (after a successful log-in)."""
    policy = POLICIES[action]
    now = time.time()
    index = int(now // policy.per_account.window)
    identity = normalise_email(account)
    cache.delete_many([_key(action, "account", identity, i) for i in (index, index - 1)])


def message(decision: Decision) -> str:
    """The error shown when a limit is reached; the same whether or not the account exists."""
    return (
        "Too many attempts. For your security, please wait "
        f"{decision.retry_minutes} minutes and try again."
    )
