"""Where uploads live: public media under MEDIA_ROOT, private files outside it."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

# Upload folders whose files only leave through a view that checks who may see
# them: Wagtail's document serve view (collection privacy) and the profile
# avatar view (profile visibility).
PRIVATE_FOLDERS = ("documents", "avatars")


def private_root():
    return settings.PRIVATE_MEDIA_ROOT


class MediaStorage(FileSystemStorage):
    """The default storage: MEDIA_ROOT, except the private folders.

    Files under PRIVATE_FOLDERS are kept in PRIVATE_MEDIA_ROOT, outside every
    root a web server or `/media/` serves, so no path spelling (`//`, `./`,
    `%2e`, `%2f`…) can reach them there. Their storage names stay the same
    (`documents/report.pdf`), so Wagtail and the database need no change.
    """

    @staticmethod
    def is_private(name):
        return name.replace("\\", "/").lstrip("/").split("/", 1)[0] in PRIVATE_FOLDERS

    def path(self, name):
        if self.is_private(name):
            return safe_join(private_root(), name)
        return super().path(name)

    def _save(self, name, content):
        # Saved relative to the private root, so the name keeps its folder.
        if self.is_private(name):
            return FileSystemStorage(location=private_root())._save(name, content)
        return super()._save(name, content)
