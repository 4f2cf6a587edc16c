"""The interface's French catalogue is complete, and the compiled file matches
it (issue 21)."""

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert not catalogue.metadata_is_fuzzy
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {PO.name}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {PO.name}: {fuzzy}"
    assert len(catalogue.translated_entries()) > 800


def test_french_plural_forms():
    catalogue = polib.pofile(str(PO))
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_compiled_catalogue_is_up_to_date():
    """The .mo that Django reads says what the .po says (`make messages`)."""
    source = polib.pofile(str(PO))
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    compiled_strings = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in compiled
    }
    for entry in source.translated_entries():
        expected = entry.msgstr or {int(k): v for k, v in entry.msgstr_plural.items()}
        found = compiled_strings.get((entry.msgctxt, entry.msgid))
        if isinstance(found, dict):
            found = {int(k): v for k, v in found.items()}
        assert found == expected, (
            f"{entry.msgid!r} differs in django.mo: run `make messages`"
        )
