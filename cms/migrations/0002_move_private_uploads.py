"""Move document and avatar files out of MEDIA_ROOT (see cms/storage.py).

Their storage names do not change, only the folder they are kept in: files
uploaded before PRIVATE_MEDIA_ROOT existed are moved there, so that nothing
that serves MEDIA_ROOT can reach them. Files already moved are left alone.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations


def move_private_uploads(apps, schema_editor):
    from cms.storage import PRIVATE_FOLDERS

    media_root = Path(settings.MEDIA_ROOT)
    private_root = Path(settings.PRIVATE_MEDIA_ROOT)
    if media_root.resolve() == private_root.resolve():
        return
    for folder in PRIVATE_FOLDERS:
        source = media_root / folder
        if not source.is_dir():
            continue
        for path in sorted(source.rglob("*")):
            if not path.is_file():
                continue
            target = private_root / path.relative_to(media_root)
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), str(target))


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]

    operations = [
        migrations.RunPython(move_private_uploads, migrations.RunPython.noop),
    ]
