"""Join codes and team PINs: the only secrets of a group session.

A join code is six characters from an alphabet without look-alikes (no 0/O, 1/I/L),
so it survives being read off a projector; typed codes may be lower case and carry
spaces or dashes. PINs are never stored: only a salted PBKDF2 hash, compared in
constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from engine.rooms.errors import RoomError

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# PBKDF2-SHA256 rounds: slow enough to make guessing a stolen file's PINs costly, fast
# enough for 30 teams submitting at once on a laptop (a few milliseconds each).
PIN_ROUNDS = 20_000
PIN_MIN, PIN_MAX = 4, 12


def new_code() -> str:
    """A random join code (callers make sure no room has it yet)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """The code a person typed, upper case without spaces or dashes; RoomError when it
    cannot be a join code."""
    code = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise RoomError(
            f"'{typed}' is not a session code: a code is {CODE_LENGTH} letters and digits, "
            "like K7MP2Q."
        )
    return code


def check_pin_format(pin: str) -> None:
    """RoomError unless ``pin`` is 4 to 12 letters or digits."""
    if not (PIN_MIN <= len(pin) <= PIN_MAX and pin.isascii() and pin.isalnum()):
        raise RoomError(f"A PIN is {PIN_MIN} to {PIN_MAX} letters or digits.")


def hash_pin(pin: str, salt: str | None = None) -> tuple[str, str]:
    """(salt, hash) of a PIN, both hex; a new random salt unless one is given."""
    salt = salt or secrets.token_hex(16)
    return salt, _digest(pin, salt)


@lru_cache(maxsize=256)
def _digest(pin: str, salt: str) -> str:
    # Cached: a team's process checks the same PIN at every submission.
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), PIN_ROUNDS).hex()


def pin_matches(pin: str, salt: str, stored_hash: str) -> bool:
    """Whether ``pin`` is the PIN whose salted hash is stored (constant-time compare)."""
    return hmac.compare_digest(_digest(pin, salt), stored_hash)
