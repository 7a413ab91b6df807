"""A sandbox for mail templates written by organisers: the Django template language, cut down.

Organisers edit the text of some mails (decision notifications, for instance) in the Django
template language. Such a text is untrusted code: it must not read the settings, walk from an
object to its owner's password hash, include files, or run for ever. The sandbox holds because
of three things together:

1. A fresh `Engine` whose only built-in library is this module's `register`: a safe subset of
   Django's tags and filters (`SAFE_TAGS`, `SAFE_FILTERS`). There is no `load`, `include`,
   `extends`, `block`, `debug`, `url`, `csrf_token`, `autoescape` or `ssi`, and no filter that
   can make a huge string (`center`, `ljust`, `stringformat`, `floatformat`, `add`, ...) or
   mark text as safe (`safe`, `safeseq`). Unknown tags and filters are syntax errors.
2. The context is built only from plain data (`plain_data`): strings, numbers, booleans,
   dates, lists (made tuples) and mappings (made `Record`s, which expose their keys and
   nothing else). Model instances and other objects are refused with TypeError, so a
   template can reach only what the caller chose to document; any other name renders as
   nothing (`{{ settings.SECRET_KEY }}` is empty). Names starting with `_` are syntax errors
   in Django templates, so `{{ x.__class__ }}` cannot even be written.
3. Bounded work: sources of at most MAX_SOURCE characters, `{% for %}` only over lists and at
   most MAX_LOOP_ITEMS iterations in one rendering (nested loops included), output of at most
   MAX_OUTPUT characters.

Errors, at compile or render time, are raised as `MailTemplateError` with a message an
organiser can act on (with the line number where Django reports one); callers show it next to
the field. Plain-text mail renders with autoescape off; an HTML part, if a caller renders one,
renders with autoescape on so every variable is escaped.

Nothing here knows about models: apps describe their variables with `TemplateVariable` and
build the context themselves (see cfp.notifications).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)

MAX_SOURCE = 20_000  # characters of one template
MAX_OUTPUT = 100_000  # characters of one rendering
MAX_LOOP_ITEMS = 1_000  # loop iterations in one rendering, all loops together
MAX_DEPTH = 8  # nesting of mappings and lists in the context

SAFE_TAGS = (
    "comment",
    "cycle",
    "filter",
    "firstof",
    "if",
    "ifchanged",
    "now",
    "spaceless",
    "templatetag",
    "verbatim",
    "with",
)  # and "for", bounded below
SAFE_FILTERS = (
    "capfirst",
    "cut",
    "date",
    "default",
    "default_if_none",
    "divisibleby",
    "escape",
    "first",
    "force_escape",
    "join",
    "last",
    "length",
    "linebreaks",
    "linebreaksbr",
    "lower",
    "pluralize",
    "slice",
    "striptags",
    "time",
    "timesince",
    "timeuntil",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "urlencode",
    "wordcount",
    "yesno",
)

_BUDGET_KEY = "symposia.sandbox.loop_budget"


class MailTemplateError(ValueError):
    """The template cannot be used: a syntax error, a forbidden construct or a runaway loop.

    `str(error)` is a sentence for the organiser, e.g. "Line 3: Invalid block tag on line 3:
    'load'. ..."; `line` is the 1-based line number when known.
    """

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class TemplateVariable:
    """One documented variable: its dotted name, what it holds, and an example value."""

    name: str
    description: str
    example: object = ""


class Record:
    """A read-only mapping for templates: `{{ record.key }}` works, nothing else does.

    It has no public attribute or method, so Django's lookup (key, then attribute, then index)
    finds only the keys; it renders as the empty string.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, object]):
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: str) -> object:
        return self._data[key]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("read-only")

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"Record({sorted(self._data)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self._data == other._data

    def __hash__(self) -> int:
        return id(self)


class TemplateList(tuple):
    """A list in template data: an immutable tuple that renders as "a, b, c"."""

    __slots__ = ()

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self)


def plain_data(value: object, *, depth: int = 0) -> object:
    """`value` as template data: str, int, float, bool, None, date, datetime, TemplateList or
    Record.

    Mappings become Records (keys must be strings not starting with "_"), lists and tuples
    become TemplateLists, str subclasses (SafeString) plain str. Raises TypeError for anything else,
    such as a model instance, and ValueError past MAX_DEPTH levels of nesting.
    """
    if depth > MAX_DEPTH:
        raise ValueError("template data nested too deeply")
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str.__str__(value)  # an exact str: a SafeString would skip escaping in HTML
    if isinstance(value, dt.date):  # datetime is a date too
        return value
    if isinstance(value, Record):
        return value
    if isinstance(value, Mapping):
        return Record(_plain_mapping(value, depth=depth))
    if isinstance(value, list | tuple):
        return TemplateList(plain_data(item, depth=depth + 1) for item in value)
    raise TypeError(f"{type(value).__name__} is not plain template data")


def _plain_mapping(value: Mapping, *, depth: int = 0) -> dict[str, object]:
    data = {}
    for key, item in value.items():
        if not isinstance(key, str) or key.startswith("_"):
            raise TypeError(f"template data keys are names, not {key!r}")
        data[key] = plain_data(item, depth=depth + 1)
    return data


def sample_data(variables: list[TemplateVariable]) -> dict:
    """A context made of the variables' examples, nested by their dotted names."""
    data: dict = {}
    for variable in variables:
        *parents, leaf = variable.name.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = variable.example
    return data


# --- The library of the sandbox ---------------------------------------------------------------

register = Library()
for _name in SAFE_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in SAFE_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]


class _LoopBudget:
    def __init__(self) -> None:
        self.left = MAX_LOOP_ITEMS

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise MailTemplateError(
                f"The loops of this template run more than {MAX_LOOP_ITEMS} times; "
                "simplify the {% for %} loops."
            )


class _CountedItems:
    """A loop's items; each one taken spends from the rendering's loop budget."""

    def __init__(self, items: tuple, budget: _LoopBudget):
        self.items = items
        self.budget = budget

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        for item in self.items:
            self.budget.spend()
            yield item

    def __reversed__(self):
        for item in reversed(self.items):
            self.budget.spend()
            yield item


class _ListsOnly:
    """Stands in for a `{% for %}` tag's sequence: resolves it, refuses anything but a list."""

    def __init__(self, expression):
        self.expression = expression

    def resolve(self, context, ignore_failures=False):
        value = self.expression.resolve(context, ignore_failures=ignore_failures)
        if value is None or value == "":
            return ()
        if not isinstance(value, tuple):
            raise MailTemplateError(
                f"{{% for %}} loops only over lists; “{self.expression.token}” is not a list."
            )
        budget = context.render_context.get(_BUDGET_KEY)
        if budget is None:
            budget = context.render_context[_BUDGET_KEY] = _LoopBudget()
        return _CountedItems(value, budget)

    def __str__(self) -> str:
        return str(self.expression)


@register.tag("for")
def bounded_for(parser, token):
    """Django's `{% for %}`, over lists only and within the rendering's loop budget."""
    node = defaulttags.do_for(parser, token)
    node.sequence = _ListsOnly(node.sequence)
    return node


class _SandboxEngine(Engine):
    default_builtins: list[str] = []  # Django's own tags and filters are not built in here


@functools.cache
def engine() -> Engine:
    """The sandbox's engine: this module's library only, no loaders, missing names render ''."""
    return _SandboxEngine(
        builtins=[__name__],
        libraries={},
        loaders=[("django.template.loaders.locmem.Loader", {})],
        string_if_invalid="",
        debug=True,  # only so that syntax errors carry their line number
    )


def _line_of(exc: Exception) -> int | None:
    info = getattr(exc, "template_debug", None)
    if info and "line" in info:
        return int(info["line"])
    return None


_INVALID_TAG = re.compile(r"Invalid block tag on line \d+: '([^']*)'")
_INVALID_FILTER = re.compile(r"Invalid filter: '([^']*)'")


def _explain(exc: TemplateSyntaxError) -> str:
    """Django's message, reworded where it would point the organiser the wrong way."""
    message = str(exc)
    tag = _INVALID_TAG.search(message)
    if tag:
        name = tag.group(1)
        if name.startswith("end") or name in {"else", "elif", "empty"}:
            return f"“{{% {name} %}}” does not close or continue an open tag here."
        allowed = ", ".join(sorted([*SAFE_TAGS, "for"]))
        return f"The tag “{{% {name} %}}” is not available here. Tags you may use: {allowed}."
    unknown = _INVALID_FILTER.search(message)
    if unknown:
        allowed = ", ".join(SAFE_FILTERS)
        name = unknown.group(1)
        return f"The filter “{name}” is not available here. Filters you may use: {allowed}."
    return message


@functools.lru_cache(maxsize=256)
def _compile(source: str):
    return engine().from_string(source)


def compile_template(source: str):
    """Parse `source` in the sandbox; raises MailTemplateError (with the line) if it fails."""
    if len(source) > MAX_SOURCE:
        raise MailTemplateError(
            f"The template is too long ({len(source)} characters; at most {MAX_SOURCE})."
        )
    try:
        return _compile(source)
    except TemplateSyntaxError as exc:
        line = _line_of(exc)
        where = f"Line {line}: " if line else ""
        raise MailTemplateError(f"{where}{_explain(exc)}", line=line) from None
    except MailTemplateError:
        raise
    except Exception as exc:  # any other parser failure is the template's fault, not a 500
        raise MailTemplateError(f"The template cannot be read: {exc}") from None


def render(source: str, data: Mapping[str, object], *, autoescape: bool = False) -> str:
    """Render `source` with `data` (made plain by `plain_data`) in the sandbox.

    autoescape=False for plain text (what an organiser types is sent as typed); True for an
    HTML part, where every variable is escaped. Raises MailTemplateError for a bad template, a
    non-list loop, a runaway loop or an oversized result; TypeError for non-plain `data` (a
    programming error).
    """
    template = compile_template(source)
    context = Context(_plain_mapping(data), autoescape=autoescape)
    try:
        output = template.render(context)
    except MailTemplateError:
        raise
    except Exception as exc:  # a failure while rendering is reported like a syntax error
        line = _line_of(exc)
        where = f"Line {line}: " if line else ""
        raise MailTemplateError(
            f"{where}The template cannot be rendered: {exc}", line=line
        ) from None
    if len(output) > MAX_OUTPUT:
        raise MailTemplateError(
            f"The result is too long ({len(output)} characters; at most {MAX_OUTPUT})."
        )
    return output


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body: str


def render_mail(subject: str, body: str, data: Mapping[str, object]) -> RenderedMail:
    """Render a subject line and a plain-text body; the subject is made one line.

    Trailing spaces are removed from each line of the body and it ends with one newline.
    Raises MailTemplateError with "Subject: " or "Body: " before the message.
    """
    try:
        rendered_subject = " ".join(render(subject, data).split())
    except MailTemplateError as exc:
        raise MailTemplateError(f"Subject: {exc}", line=exc.line) from None
    try:
        rendered_body = render(body, data)
    except MailTemplateError as exc:
        raise MailTemplateError(f"Body: {exc}", line=exc.line) from None
    lines = [line.rstrip() for line in rendered_body.replace("\r\n", "\n").split("\n")]
    return RenderedMail(rendered_subject, "\n".join(lines).strip("\n") + "\n")
