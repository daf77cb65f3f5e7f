"""Password hashing (Argon2id) and the password policy (等保 身份鉴别)."""

from __future__ import annotations

import os
import re
import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

MIN_LENGTH = 8


def _hasher() -> PasswordHasher:
    # UNIONDESK_FAST_KDF is for the test suite only (hundreds of logins); a hash made with it is
    # upgraded to the real parameters at the next login by ``needs_rehash``.
    if os.environ.get("UNIONDESK_FAST_KDF") == "1":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


def check_password_policy(password: str, username: str = "") -> str | None:
    """The Chinese reason a password is too weak, or None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    if len(password) > 128:
        return "密码不能超过 128 个字符"
    classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if classes < 3:
        return "密码需包含大写字母、小写字母、数字、符号中的至少三类"
    if username and username.lower() in password.lower():
        return "密码不能包含用户名"
    return None


def generate_password(length: int = 12) -> str:
    """A temporary password that satisfies the policy (the user must change it at first login)."""
    alphabet = string.ascii_letters + string.digits + "#%+=@"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if check_password_policy(pw) is None:
            return pw
