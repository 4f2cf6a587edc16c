"""Helpers for tests of two-factor sign-in (allauth.mfa)."""

import base64
import hashlib
import hmac
import struct
import time

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def totp_code(secret, at=None):
    """The six-digit code an authenticator app shows now (RFC 6238)."""
    counter = int((at or time.time()) // 30)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def enable_totp(user):
    """Give the user an authenticator, as if they had enrolled; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
