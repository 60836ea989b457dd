"""The error summary of a failed submit (GOV.UK Design System pattern).

Every page's template gets ``error_entries()``: the fields with an error, field by field, on
every form the view handed to the template (required fields are marked by
``tracker.web.forms.NEEDED``). ``base.html`` renders them once, at the top of the
page, as a summary linking to each field's id; ``app.js`` focuses it (and so scrolls it into
view). Pages need nothing of their own: any form a view renders takes part. The few public
forms that are plain HTML (no WTForms object: "Was it resolved?", the agency's answer link) pass
``summary=message_entries(errors, labels)`` and join the same summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from jinja2 import pass_context
from jinja2.runtime import Context
from wtforms import Field, FieldList, Form, FormField, HiddenField


@dataclass(frozen=True)
class ErrorEntry:
    """One line of the summary: the field's id (the link target), its label and the message."""

    target: str
    label: str
    message: str

    @property
    def lead(self) -> str:
        """The label as the start of the line: a colon after it, unless it already ends with a
        mark of its own ("Was it resolved?" does not become "Was it resolved?:")."""
        label = self.label.rstrip()
        return label if label.endswith(("?", ":", "!", "។", "៖")) else label + ":"


def _forms_in(value: Any) -> Iterator[Form]:
    """The forms a template variable holds: a form, or a dict or list of forms."""
    if isinstance(value, Form):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, Form):
                yield item
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, Form):
                yield item


def _field_entries(field: Field, prefix: str = "") -> Iterator[ErrorEntry]:
    """Entries for one field; the rows of a FieldList are named by their number."""
    if isinstance(field, FieldList):
        for number, entry in enumerate(field.entries, start=1):
            yield from _field_entries(entry, _("Concern %(number)d", number=number) + " — ")
        return
    if isinstance(field, FormField):
        for sub in field.form:
            yield from _field_entries(sub, prefix)
        return
    if isinstance(field, HiddenField) or not field.errors:
        return
    for message in field.errors:
        yield ErrorEntry(field.id, prefix + str(field.label.text), str(message))


def form_entries(forms: Iterable[Form]) -> list[ErrorEntry]:
    """The errors of these forms, field by field, without repeats."""
    entries: list[ErrorEntry] = []
    seen: set[int] = set()
    for form in forms:
        if id(form) in seen:
            continue
        seen.add(id(form))
        for field in form:
            entries.extend(_field_entries(field))
    return entries


def message_entries(errors: Mapping[str, list[str]], labels: Mapping[str, str]) -> list[ErrorEntry]:
    """Entries for a plain HTML form: ``errors`` by field name (the input's id), in the order of
    ``labels`` (the form's order); a name without a label is not on the form and is left out."""
    return [
        ErrorEntry(name, label, str(message))
        for name, label in labels.items()
        for message in errors.get(name, [])
    ]


@pass_context
def error_entries(context: Context) -> list[ErrorEntry]:
    """The summary's entries for the page being rendered: every form the view passed, then the
    ``summary`` entries of a plain HTML form."""
    forms = [form for value in context.get_all().values() for form in _forms_in(value)]
    return form_entries(forms) + list(context.get("summary") or [])
