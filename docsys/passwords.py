"""The password policy, after NIST SP 800-63B: length, no composition rules, refuse
common, breached or guessable passwords and those containing the user's own names.

* At least 12 characters (``MIN_LENGTH``). SP 800-63B-4 asks 15 for a password used alone
  and 8 when it is one of two factors; docsys asks a second factor of signers and
  administrators, and 12 for everyone keeps a typed password practical for the others.
* At most 128 (more than the 64 NIST asks to allow); any character, spaces included.
* Not in the 30 000 most common passwords of leaked password sets (the ``passwords``
  frequency list that the maintained ``zxcvbn`` package ships), nor guessable by zxcvbn's
  estimate (repeats, sequences, keyboard walks, dictionary words plus a year: score < 3).
* Not containing the username or any part of the person's name.
"""
from __future__ import annotations

import unicodedata

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from docsys.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: "safely unguessable", about 10^8 guesses or more
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])


def _plain(text: str) -> str:
    """Lower case without accents (``José`` and ``jose`` are the same name)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def check_password(password: str, username: str = "", full_name: str = "") -> None:
    """Raise a Spanish ValidationError saying why ``password`` may not be used."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise ValidationError(f"La contraseña debe tener al menos {MIN_LENGTH} caracteres.")
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"La contraseña puede tener como máximo {MAX_LENGTH} caracteres.")
    plain = _plain(password)
    names = [part for part in _plain(f"{username} {full_name}").replace(".", " ")
             .replace("_", " ").replace("-", " ").split() if len(part) >= 3]
    if (username and _plain(username) in plain) or any(part in plain for part in names):
        raise ValidationError("La contraseña no puede contener su nombre de usuario ni su nombre.")
    if plain in _COMMON or password.lower() in _COMMON:
        raise ValidationError("Esa contraseña es de las más usadas y figura en listas de "
                              "contraseñas filtradas. Elija otra.")
    # zxcvbn's estimate grows slowly with length: the first 64 characters decide.
    if zxcvbn(password[:64], user_inputs=names)["score"] < MIN_SCORE:
        raise ValidationError("La contraseña es fácil de adivinar (repeticiones, secuencias, "
                              "palabras comunes o fechas). Use una frase más larga y propia.")
