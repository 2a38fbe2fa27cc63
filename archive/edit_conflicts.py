"""Two editors, one record: the second save must not silently undo the first.

Every admin change form carries a hidden field, `edited_from`: a short fingerprint of each field's stored value
(and of each inline row) as it was when the editor opened the page. On save, the fingerprints are taken again from
the database (the row locked where the database can) and compared:

- nothing changed meanwhile: the save goes through as usual;
- someone else saved meanwhile: nothing is saved, and the form comes back with the editor's input and a message
  saying who saved and when. A field only the other editor changed now shows their value (the editor had not
  touched it, so nothing of theirs is lost, and saving again keeps both changes). A field both changed keeps the
  editor's input, with the other editor's value shown beside it. Inline rows the other editor added, changed or
  removed are listed with their stored values. The hidden fingerprint is brought up to date, so the next save,
  made knowing all this, goes through.

Why fingerprints rather than a version column: they need no schema change on any model, they tell exactly which
fields the other editor changed (a version number only says "something did"), and a change to a field this form
does not show (a status set from the list's action, say) is not a conflict, because this form does not write it.
"""

import datetime
import hashlib
import json

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

FIELD = "edited_from"
SHOWN_CHARACTERS = 300


def comparable(value):
    """A field's value (stored, or as a form cleaned it) in one form for both: records by primary key, several
    records as sorted keys, dates and times in ISO form."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted((comparable(item) for item in value), key=str)
    if isinstance(value, datetime.datetime):  # the admin's widgets show whole seconds, in the current time zone
        value = value.replace(microsecond=0)
        return (value.astimezone(datetime.UTC) if value.tzinfo else value).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()  # browsers send a textarea's lines with CRLF
    return value


def fingerprint(value) -> str:
    payload = json.dumps(comparable(value), sort_keys=True, default=str)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=6).hexdigest()


def stored_value(instance: models.Model, name: str):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return list(getattr(instance, name).all()) if instance.pk else []
    return getattr(instance, name)


def row_fields(model) -> list[str]:
    """What an inline row is compared on: every field an editor can change."""
    meta = model._meta
    return [f.name for f in meta.concrete_fields if f.editable and not f.primary_key] + [
        f.name for f in meta.many_to_many
    ]


def shown(value) -> str:
    """A stored value as an editor reads it, cut short when long."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(empty)"
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and value.tzinfo is not None:
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return text if len(text) <= SHOWN_CHARACTERS else f"{text[:SHOWN_CHARACTERS]}… ({len(text)} characters)"


def data_for(form: forms.Form, name: str, value) -> dict[str, list[str]]:
    """The POST data that makes the form's field `name` show `value` (the inverse of the widget's reading)."""
    field, key = form.fields[name], form.add_prefix(name)
    widget = getattr(field.widget, "widget", field.widget)  # the admin wraps related widgets
    if isinstance(field, forms.ModelMultipleChoiceField):
        return {key: [str(pk) for pk in comparable(value)]}
    if isinstance(field, forms.ModelChoiceField):
        return {key: [str(comparable(value))] if value is not None else [""]}
    if isinstance(widget, forms.CheckboxInput):
        return {key: ["on"] if value else []}
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        return {
            f"{key}{suffix}": [str(sub.format_value(part) or "")]
            for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=False)
        }
    formatted = widget.format_value(value)  # choice widgets give a list
    return {key: formatted if isinstance(formatted, list) else [str(formatted or "")]}


class EditConflictForm(forms.ModelForm):
    """A model form that refuses a save made on top of someone else's (see the module docstring)."""

    edited_from = forms.CharField(widget=forms.HiddenInput, required=False)
    conflict_inlines: tuple = ()  # (model, foreign key name) of the inline rows shown with it; set by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[FIELD].initial = json.dumps(self.fingerprints(self.instance))

    def tracked_fields(self) -> list[str]:
        names = {f.name for f in self.instance._meta.get_fields() if f.concrete or f.many_to_many}
        return [name for name in self.fields if name in names and name != FIELD]

    def inline_rows(self, instance) -> dict[str, models.Model]:
        rows = {}
        for model, fk_name in self.conflict_inlines:
            for row in model._default_manager.filter(**{fk_name: instance.pk}).order_by("pk"):
                rows[f"{model._meta.model_name}:{row.pk}"] = row
        return rows

    def fingerprints(self, instance) -> dict[str, str]:
        prints = {name: fingerprint(stored_value(instance, name)) for name in self.tracked_fields()}
        for key, row in self.inline_rows(instance).items():
            prints[key] = fingerprint({name: stored_value(row, name) for name in row_fields(type(row))})
        return prints

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_for_conflict(cleaned)
        return cleaned

    def check_for_conflict(self, cleaned: dict) -> None:
        try:
            opened = json.loads(self.data.get(self.add_prefix(FIELD)) or "null")
        except ValueError:
            opened = None
        if not isinstance(opened, dict):  # a form posted without the fingerprint (a script): nothing to compare
            return
        model = type(self.instance)
        stored = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if stored is None:
            return  # deleted meanwhile: the admin says so on its own
        now = self.fingerprints(stored)
        changed = sorted(key for key in opened.keys() | now.keys() if opened.get(key) != now.get(key))
        if not changed:
            return
        data = self.data.copy()
        both, taken = [], []
        for name in [key for key in changed if key in self.fields]:
            theirs = stored_value(stored, name)
            mine = cleaned.get(name) if name not in self.errors else object()
            if fingerprint(mine) == now[name]:
                continue  # both made the same change
            if fingerprint(mine) == opened.get(name):
                taken.append(self.fields[name].label or name)
                for key, values in data_for(self, name, theirs).items():
                    data.setlist(key, values)
            else:
                both.append(name)
                self.add_error(name, f"Saved meanwhile by someone else as: {shown(theirs)}. The box holds yours.")
        rows = [self.describe_row(key, opened, now, stored) for key in changed if ":" in key]
        data[self.add_prefix(FIELD)] = json.dumps(now)
        self.data = data
        self.add_error(None, self.conflict_message(stored, taken, both, rows))

    def describe_row(self, key: str, opened: dict, now: dict, stored) -> str:
        row = self.inline_rows(stored).get(key)
        name = key.split(":")[0]
        if row is None:
            return f"a {name} was removed"
        return f"{name} “{shown(row)}” was {'added' if key not in opened else 'changed'}"

    def conflict_message(self, stored, taken: list[str], both: list[str], rows: list[str]) -> str:
        model = type(stored)
        who = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(stored.pk)
        ).order_by("-action_time")
        last = who.select_related("user").first()
        by = f" ({last.user} at {timezone.localtime(last.action_time):%H:%M:%S})" if last else ""
        parts = [f"Someone else saved this {model._meta.verbose_name} after you opened it{by}. Nothing was saved."]
        if taken:
            parts.append(f"Fields you had not changed now show their values: {', '.join(taken)}.")
        if both:
            parts.append("Fields you both changed keep your input, with theirs shown beside it.")
        if rows:
            parts.append(f"Rows below changed meanwhile: {'; '.join(rows)}.")
        parts.append("Check the form, then save again to store what it shows.")
        return " ".join(parts)


class EditConflictAdminMixin:
    """For ModelAdmins: change forms carry the fingerprint and refuse a save on top of someone else's."""

    form = EditConflictForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        inlines = []
        for inline in self.get_inline_instances(request, obj):
            fk = forms.models._get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            inlines.append((inline.model, fk.name))
        return type(form.__name__, (form,), {"conflict_inlines": tuple(inlines)})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any(FIELD in options.get("fields", ()) for _, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], FIELD]}), *rest]
