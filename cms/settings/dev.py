"""The local demo: SQLite unless DATABASE_URL says otherwise, debug on."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403

SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405, S105
