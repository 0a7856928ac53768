"""Whether a new password is acceptable (NIST SP 800-63B, 5.1.1.2): long enough, not a common
one, not made of one character or one short run repeated or in sequence, not the username."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from itertools import pairwise

MIN_LENGTH = 12
MAX_LENGTH = 200  # the sign-in form's bound: a longer password could never be typed there
# Words of the context (NIST: "context-specific words"): the application and the ministry.
CONTEXT = ("ansinh", "an sinh", "molisa", "ldtbxh")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("ansinh.data.accounts").joinpath("common_passwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> tuple[str, str] | None:
    """The reason, in Vietnamese and English, a password is refused; None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return (
            f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự",
            f"The password needs at least {MIN_LENGTH} characters",
        )
    if len(password) > MAX_LENGTH:
        return (f"Mật khẩu dài quá {MAX_LENGTH} ký tự", f"Longer than {MAX_LENGTH} characters")
    folded = password.lower()
    if folded in common_passwords():
        return ("Mật khẩu này quá phổ biến", "This password is among the most common ones")
    if _repetitive(folded) or _sequential(folded):
        return (
            "Mật khẩu không được là một ký tự, một đoạn ngắn lặp lại hay một dãy liên tiếp",
            "The password may not be one character, a short run repeated, or a sequence",
        )
    if (username and username.lower() in folded) or any(w in folded for w in CONTEXT):
        return (
            "Mật khẩu không được chứa tên đăng nhập hay tên hệ thống",
            "The password may not contain the username or the system's name",
        )
    return None


def _repetitive(text: str) -> bool:
    """A run of at most a third of the text, repeated (aaaa…, abcabc…, 12121212…)."""
    for size in range(1, len(text) // 3 + 1):
        if text == (text[:size] * (len(text) // size + 1))[: len(text)]:
            return True
    return False


DIGITS_UP = "0123456789" * (MAX_LENGTH // 10 + 2)  # 1234567890123… runs on past 9
DIGITS_DOWN = DIGITS_UP[::-1]


def _sequential(text: str) -> bool:
    """Each character one after or one before the last (1234567890…, abcdef…, 987654…)."""
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return steps <= {1} or steps <= {-1} or text in DIGITS_UP or text in DIGITS_DOWN
