"""Catalogue operations that change many rows: importing a CSV or JSON file.

The import format (the same columns as the CSV and JSON exports):

    provider          required; the provider's name or slug (it must exist)
    external_id       required; the provider's own code; an existing entry with
                      the same provider and external id is updated
    title             required
    slug              optional; made from the title when empty
    description, learning_outcomes (one per line), assessment,
    quality_assurance, endorsements (one per line), prerequisites, pathway
    skills            separated by ";" (a list in JSON)
    level             introductory | intermediate | advanced
    workload_hours, duration_weeks      whole numbers
    delivery_mode     online | in_person | hybrid
    language          en | fr | en-fr (default en)
    cost_cad          a number, 0 for free (default 0)
    osap_eligible     yes/no, true/false, 1/0 (default no)
    start_dates       ISO dates (YYYY-MM-DD) separated by ";" (a list in JSON)
    external_url      an http(s) URL
    status            draft | published | archived (default draft)
    last_reviewed     an ISO date

Any other column (such as the export's `url`) is ignored.

Limits: at most MAX_COLUMNS columns and MAX_ROWS rows; CSV quoting must be
well formed (a quoted value closed before the next separator); JSON values are
text, numbers, yes/no or null, or lists of those; no value may hold a NUL byte
or another control character but tab and line breaks.
"""

import csv
import io
import json
from dataclasses import asdict, dataclass

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from cms.exports import restore_row
from cms.request_guards import has_control_characters

from . import tasks
from .models import (
    CredentialStartDate,
    ImportJob,
    MicroCredential,
    Provider,
    TaggedMicroCredential,
)
from .permissions import editable_provider_ids, entry_policy
from .search import index_credentials

MAX_ROWS = 50_000
MAX_COLUMNS = 100
PROGRESS_EVERY = 500
REQUIRED_COLUMNS = ("provider", "external_id", "title")
TEXT_FIELDS = (
    "description",
    "learning_outcomes",
    "assessment",
    "quality_assurance",
    "endorsements",
    "prerequisites",
    "pathway",
)


@dataclass
class RowError:
    row: int  # the data row, counted from 1 (0 for the file itself)
    column: str
    message: str

    def __str__(self):
        where = _("Row %(row)s") % {"row": self.row} if self.row else _("File")
        column = f", {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


class ImportFailed(Exception):
    """Nothing was imported; `errors` lists every bad row, column and reason."""

    def __init__(self, errors):
        self.errors = errors
        self.message = _("Nothing was imported: %(count)s problem(s) found.") % {
            "count": len(errors)
        }
        super().__init__(self.message)


@dataclass
class ImportReport:
    created: int
    updated: int

    @property
    def message(self):
        return _(
            "Imported %(total)s entries: %(created)s new, %(updated)s updated."
        ) % {
            "total": self.created + self.updated,
            "created": self.created,
            "updated": self.updated,
        }


class _ListField(forms.CharField):
    """Several values separated by ';' (or a JSON list)."""

    def to_python(self, value):
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        value = super().to_python(value)
        return [part.strip() for part in value.split(";") if part.strip()]


class _DateListField(_ListField):
    def clean(self, value):
        values = super().clean(value)
        field = forms.DateField(input_formats=["%Y-%m-%d"])
        dates = []
        for item in values:
            try:
                dates.append(field.clean(item))
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("%(value)s is not a date in the form YYYY-MM-DD.")
                    % {"value": item}
                ) from None
        return dates


class _BooleanField(forms.Field):
    TRUE = {"yes", "true", "1", "y", "oui"}
    FALSE = {"no", "false", "0", "n", "non", ""}

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Use yes or no."))


class CredentialRowForm(forms.Form):
    provider = forms.CharField(max_length=200)
    external_id = forms.CharField(max_length=100)
    title = forms.CharField(max_length=255)
    slug = forms.SlugField(max_length=255, required=False)
    skills = _ListField(required=False)
    level = forms.ChoiceField(
        choices=[("", ""), *MicroCredential.Level.choices], required=False
    )
    workload_hours = forms.IntegerField(min_value=0, max_value=10_000, required=False)
    duration_weeks = forms.IntegerField(min_value=0, max_value=520, required=False)
    delivery_mode = forms.ChoiceField(
        choices=[("", ""), *MicroCredential.DeliveryMode.choices], required=False
    )
    language = forms.ChoiceField(
        choices=MicroCredential.Language.choices, required=False
    )
    cost_cad = forms.DecimalField(
        min_value=0, max_digits=8, decimal_places=2, required=False
    )
    osap_eligible = _BooleanField(required=False)
    start_dates = _DateListField(required=False)
    external_url = forms.URLField(max_length=500, required=False, assume_scheme="https")
    status = forms.ChoiceField(choices=MicroCredential.Status.choices, required=False)
    last_reviewed = forms.DateField(input_formats=["%Y-%m-%d"], required=False)

    def __init__(self, data, providers, provider_ids=None):
        self.providers = providers
        self.provider_ids = provider_ids
        super().__init__(data)
        for name in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                required=False, max_length=255 if name == "pathway" else 20_000
            )

    def clean_provider(self):
        value = self.cleaned_data["provider"].strip()
        provider = self.providers.get(value.lower())
        if provider is None:
            raise forms.ValidationError(
                _("No provider named “%(name)s”; add it under Providers first.")
                % {"name": value}
            )
        if self.provider_ids is not None and provider.pk not in self.provider_ids:
            raise forms.ValidationError(_("You cannot edit entries of this provider."))
        return provider

    def clean_skills(self):
        skills = self.cleaned_data["skills"]
        for skill in skills:
            if len(skill) > 100:
                raise forms.ValidationError(_("A skill is longer than 100 characters."))
        return list(dict.fromkeys(skills))


def _file_error(message):
    return ImportFailed([RowError(0, "", message)])


def _is_scalar(value):
    return value is None or isinstance(value, str | int | float | bool)


def _parse_json(data):
    try:
        rows = json.loads(data)
    except json.JSONDecodeError as exc:
        raise _file_error(_("The file is not valid JSON: %(e)s") % {"e": exc}) from None
    except RecursionError:
        raise _file_error(
            _("The JSON is nested too deeply: a file holds a list of objects.")
        ) from None
    if isinstance(rows, dict) and isinstance(rows.get("credentials"), list):
        rows = rows["credentials"]
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise _file_error(_("A JSON file must hold a list of objects."))
    errors = []
    for number, row in enumerate(rows, start=1):
        for column, value in row.items():
            if _is_scalar(value) or (
                isinstance(value, list) and all(_is_scalar(item) for item in value)
            ):
                continue
            errors.append(
                RowError(
                    number,
                    column,
                    _("A value must be text, a number, true/false or a list of those."),
                )
            )
    if errors:
        raise ImportFailed(errors)
    columns = set().union(*(row.keys() for row in rows)) if rows else set()
    return rows, columns


def _parse_csv(data):
    # strict: a quote that is never closed, or text after a closing quote, is
    # an error rather than a value that swallows the rest of the file.
    reader = csv.reader(io.StringIO(data), strict=True)
    line = 1  # where the record being read starts
    try:
        header = next(reader, [])
        if len(header) > MAX_COLUMNS:
            raise _file_error(
                _("The file has %(count)s columns; at most %(max)s are read.")
                % {"count": f"{len(header):,}", "max": MAX_COLUMNS}
            )
        seen = set()
        for name in header:
            if name in seen:
                raise ImportFailed(
                    [RowError(0, name, _("The column appears more than once."))]
                )
            seen.add(name)
        rows, errors = [], []
        while len(rows) <= MAX_ROWS:
            line = reader.line_num + 1
            values = next(reader, None)
            if values is None:
                break
            if not values:
                continue  # a blank line
            if len(values) > len(header):
                errors.append(
                    RowError(
                        len(rows) + 1,
                        "",
                        _(
                            "The row has %(values)s values but the header names "
                            "%(columns)s columns."
                        )
                        % {"values": len(values), "columns": len(header)},
                    )
                )
            # Cells our own export neutralised ("'=…") come back as they were.
            rows.append(restore_row(dict(zip(header, values, strict=False))))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            reason = _("a quoted value is never closed")
        else:
            reason = str(exc)
        raise _file_error(
            _("The CSV file cannot be read from line %(line)s: %(e)s.")
            % {"line": f"{line:,}", "e": reason}
        ) from None
    if errors:
        raise ImportFailed(errors)
    return rows, set(header)


def _control_character_errors(rows):
    errors = []
    for number, row in enumerate(rows, start=1):
        for column, value in row.items():
            texts = value if isinstance(value, list) else [value]
            if has_control_characters(str(column)) or any(
                isinstance(text, str) and has_control_characters(text) for text in texts
            ):
                errors.append(
                    RowError(
                        number,
                        str(column),
                        _(
                            "The value holds a NUL byte or another control "
                            "character, which is not allowed in text."
                        ),
                    )
                )
    return errors


def parse_file(data, filename=""):
    """The rows of a CSV or JSON import file, as dicts; ImportFailed if unreadable.

    Everything wrong with the file as a whole (encoding, quoting, nesting,
    columns, row count, control characters) is found here, before any row is
    checked or anything kept.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _file_error(_("The file is not UTF-8 text.")) from None
    stripped = data.lstrip()
    is_json = filename.lower().endswith(".json") or (
        not filename.lower().endswith(".csv") and stripped[:1] in "[{"
    )
    rows, columns = _parse_json(data) if is_json else _parse_csv(data)
    if len(columns) > MAX_COLUMNS:
        raise _file_error(
            _("The file has %(count)s columns; at most %(max)s are read.")
            % {"count": f"{len(columns):,}", "max": MAX_COLUMNS}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFailed(
            [
                RowError(0, column, _("The required column is missing."))
                for column in missing
            ]
        )
    if not rows:
        raise _file_error(_("The file has no rows."))
    if len(rows) > MAX_ROWS:
        raise _file_error(_("Import at most %(max)s rows at once.") % {"max": MAX_ROWS})
    errors = _control_character_errors(rows)
    if errors:
        raise ImportFailed(errors)
    return rows


def _unique_slug(base, taken):
    base = (base or "credential")[:240]
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def import_credentials(*, rows, progress=None, provider_ids=None):
    """Create or update entries from import rows: all of them, or none.

    Every row is validated first; any problem raises ImportFailed listing each
    bad row, column and reason, and the database is left unchanged. Entries are
    matched on (provider, external id). Published rows go live at once.
    `provider_ids`, when given, are the only providers whose entries the rows
    may create or change (a provider editor's; see credentials.permissions).
    `progress(done, total, stage)` is called every few hundred rows, and once
    more when every row is checked, before anything is written.
    """
    providers = {}
    for provider in Provider.objects.all():
        providers[provider.name.lower()] = provider
        providers[provider.slug.lower()] = provider
    errors, cleaned = [], []
    seen = {}
    total = len(rows)
    for number, row in enumerate(rows, start=1):
        data = {
            key: ("" if value is None else value)
            for key, value in row.items()
            if key is not None
        }
        form = CredentialRowForm(data, providers, provider_ids)
        if form.is_valid():
            values = form.cleaned_data
            key = (values["provider"].pk, values["external_id"])
            if key in seen:
                errors.append(
                    RowError(
                        number,
                        "external_id",
                        _("Row %(other)s has the same provider and external id.")
                        % {"other": seen[key]},
                    )
                )
            seen[key] = number
            cleaned.append(values)
        else:
            for column, messages in form.errors.items():
                errors.extend(RowError(number, column, str(m)) for m in messages)
        if progress and (number % PROGRESS_EVERY == 0 or number == total):
            progress(number, total, "checked")
    if errors:
        raise ImportFailed(errors)

    with transaction.atomic():
        existing = {
            (credential.provider_id, credential.external_id): credential
            for credential in MicroCredential.objects.select_for_update().filter(
                external_id__in=[values["external_id"] for values in cleaned]
            )
        }
        taken = set(MicroCredential.objects.values_list("slug", flat=True))
        own_slugs = {credential.slug for credential in existing.values()}
        now = timezone.now()
        to_create, to_update, skills_of, dates_of = [], [], [], []
        for number, values in enumerate(cleaned, start=1):
            provider = values["provider"]
            credential = existing.get((provider.pk, values["external_id"]))
            status = values["status"] or MicroCredential.Status.DRAFT
            wanted = values["slug"]
            if credential is None:
                credential = MicroCredential(provider=provider)
                if wanted and wanted in taken:
                    errors.append(
                        RowError(number, "slug", _("Another entry has this slug."))
                    )
                credential.slug = wanted or _unique_slug(
                    slugify(values["title"])[:200], taken
                )
                taken.add(credential.slug)
                to_create.append(credential)
            else:
                if wanted and wanted != credential.slug:
                    if wanted in taken and wanted not in own_slugs:
                        errors.append(
                            RowError(number, "slug", _("Another entry has this slug."))
                        )
                    credential.slug = wanted
                    taken.add(wanted)
                to_update.append(credential)
            credential.external_id = values["external_id"]
            credential.title = values["title"]
            for name in TEXT_FIELDS:
                setattr(credential, name, values[name])
            for name in ("level", "delivery_mode"):
                setattr(credential, name, values[name] or "")
            credential.language = values["language"] or "en"
            credential.workload_hours = values["workload_hours"]
            credential.duration_weeks = values["duration_weeks"]
            credential.cost_cad = values["cost_cad"] or 0
            credential.osap_eligible = bool(values["osap_eligible"])
            credential.external_url = values["external_url"]
            credential.last_reviewed = values["last_reviewed"]
            credential.status = status
            credential.live = status == MicroCredential.Status.PUBLISHED
            if credential.live:
                credential.first_published_at = credential.first_published_at or now
                credential.last_published_at = now
            credential.completeness = credential.compute_completeness()
            credential.updated_at = now
            skills_of.append((credential, values["skills"]))
            dates_of.append((credential, values["start_dates"]))
            if progress and number % PROGRESS_EVERY == 0:
                progress(number, total, "prepared")
        if errors:
            raise ImportFailed(errors)

        MicroCredential.objects.bulk_create(to_create, batch_size=1000)
        MicroCredential.objects.bulk_update(
            to_update,
            [
                "slug",
                "title",
                *TEXT_FIELDS,
                "level",
                "delivery_mode",
                "language",
                "workload_hours",
                "duration_weeks",
                "cost_cad",
                "osap_eligible",
                "external_url",
                "last_reviewed",
                "status",
                "live",
                "first_published_at",
                "last_published_at",
                "completeness",
                "updated_at",
            ],
            batch_size=1000,
        )
        ids = [credential.pk for credential, _skills in skills_of]
        TaggedMicroCredential.objects.filter(content_object_id__in=ids).delete()
        CredentialStartDate.objects.filter(credential_id__in=ids).delete()
        tags = _tags_for({name for _c, names in skills_of for name in names})
        TaggedMicroCredential.objects.bulk_create(
            [
                TaggedMicroCredential(content_object_id=credential.pk, tag=tags[name])
                for credential, names in skills_of
                for name in names
            ],
            batch_size=5000,
        )
        CredentialStartDate.objects.bulk_create(
            [
                CredentialStartDate(credential_id=credential.pk, date=day, sort_order=n)
                for credential, days in dates_of
                for n, day in enumerate(days)
            ],
            batch_size=5000,
        )
        index_credentials(ids)
    if progress:
        progress(total, total, "imported")
    return ImportReport(created=len(to_create), updated=len(to_update))


def _tags_for(names):
    """Tags for these skill names, matched case-insensitively, created if missing."""
    tags = {}
    by_lower = {}
    if names:
        for tag in Tag.objects.all().only("pk", "name", "slug"):
            by_lower.setdefault(tag.name.lower(), tag)
    taken = set(Tag.objects.values_list("slug", flat=True))
    for name in sorted(names):
        tag = by_lower.get(name.lower())
        if tag is None:
            tag = Tag.objects.create(
                name=name, slug=_unique_slug(slugify(name)[:90] or "skill", taken)
            )
            by_lower[name.lower()] = tag
        tags[name] = tag
    return tags


def start_import_job(*, user, file_name, content):
    """Keep an uploaded file as an import job and queue its import.

    A file that cannot be read at all (not UTF-8, not CSV or JSON, required
    columns missing, no rows, too many) raises ImportFailed here, and no job is
    made; the rows themselves are checked by the task (`run_import_job`).
    """
    rows = parse_file(content, file_name)
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=user,
            file_name=file_name[:255],
            data=text,
            rows_total=len(rows),
            message=_("Waiting for the import to start."),
        )
        transaction.on_commit(lambda: tasks.run_import_job.enqueue(job.pk))
    return job


def run_import_job(*, job_id):
    """Import a queued job's file, recording progress and the outcome on the job.

    The job is claimed with a conditional update, so a task that runs twice
    imports once. Progress is written while rows are checked, outside any
    transaction, so that the job page can show it; writing the entries is one
    transaction (all rows or none), shown as a single last step. The rows may
    only touch the providers that the job's user edits for at the time the
    import runs. The file's text is dropped once the job has finished.
    """
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.QUEUED
    ).update(
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now(),
        message=_("Reading the file."),
    )
    if not claimed:
        return
    jobs = ImportJob.objects.filter(pk=job_id)
    job = jobs.select_related("user").get()

    def progress(done, total, stage):
        if stage != "checked":
            return  # later stages run inside the import's transaction
        if done >= total:
            message = _("All %(total)s rows checked; saving the entries.")
        else:
            message = _("%(done)s of %(total)s rows checked.")
        jobs.update(
            rows_processed=done,
            message=message % {"done": f"{done:,}", "total": f"{total:,}"},
        )

    if not entry_policy.user_has_permission(job.user, "add"):
        _finish_job(
            jobs,
            ImportJob.Status.FAILED,
            _("Nothing was imported: you may no longer add catalogue entries."),
        )
        return
    try:
        rows = parse_file(job.data, job.file_name)
        report = import_credentials(
            rows=rows,
            progress=progress,
            provider_ids=editable_provider_ids(job.user),
        )
    except ImportFailed as exc:
        _finish_job(
            jobs,
            ImportJob.Status.FAILED,
            exc.message,
            errors=[asdict(error) for error in exc.errors],
        )
    except Exception:
        _finish_job(
            jobs,
            ImportJob.Status.FAILED,
            _(
                "The import stopped on an unexpected error and nothing was "
                "imported. Try again later; if it happens again, tell the site's "
                "administrators."
            ),
        )
        raise
    else:
        _finish_job(
            jobs,
            ImportJob.Status.DONE,
            report.message,
            rows_processed=job.rows_total,
        )


def _finish_job(jobs, status, message, **fields):
    jobs.update(
        status=status,
        message=message,
        finished_at=timezone.now(),
        data="",
        **fields,
    )
