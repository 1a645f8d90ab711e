"""The password policy and hashing (ASVS 5.0 6.2.1, 6.2.4, 6.2.5, 6.2.8, 6.2.9, 11.4.2; T-5.5)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app.auth import passwords
from app.auth.passwords import MAX_LENGTH, MIN_LENGTH, hash_password, password_problem, verify_password


def test_seven_characters_is_too_short():
    assert password_problem("zq7#mw2") == "Password must be 8 characters or more"


@pytest.mark.parametrize("length", [MIN_LENGTH, 15, 64, 128, MAX_LENGTH])
def test_long_passwords_are_accepted(length):
    password = ("unusual-phrase-" * 20)[:length]
    assert password_problem(password) is None


def test_longer_than_the_maximum_is_refused():
    assert password_problem("x" * (MAX_LENGTH + 1)) == f"Password must be {MAX_LENGTH} characters or fewer"


def test_no_composition_rules():
    # Lower-case letters and spaces only: fine, because it is long and uncommon.
    assert password_problem("purple tractor singing") is None


def test_the_common_list_is_substantial_and_lower_case():
    common = passwords.common_passwords()
    assert len(common) >= 500
    assert all(entry == entry.lower() and entry.strip() == entry for entry in common)
    assert {"password", "qwerty123", "iloveyou", "1q2w3e4r5t", "football"} <= common


def test_every_common_password_is_refused_whatever_its_case():
    for entry in passwords.common_passwords():
        for variant in (entry, entry.upper(), entry.capitalize()):
            problem = password_problem(variant)
            assert problem is not None, variant


def test_common_password_message():
    assert password_problem("Password123") == (
        "Password is on a list of common passwords. Choose one that is harder to guess"
    )


def test_password_that_is_the_email_address_is_refused():
    assert password_problem("Someone@Example.org", email="someone@example.org") is not None


def test_no_truncation_the_hundredth_character_counts():
    password = "a" * 99 + "b"
    stored = hash_password(password)
    assert verify_password(stored, password)
    assert not verify_password(stored, "a" * 99 + "c")
    assert not verify_password(stored, "a" * 99)


def test_hashes_are_argon2id_with_enough_memory(app_ctx):
    stored = hash_password("purple tractor singing")
    assert stored.startswith("$argon2id$")
    params = dict(part.split("=") for part in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19456
    assert int(params["t"]) >= 2


def test_parameter_bump_triggers_rehash(app_ctx):
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("purple tractor singing")
    assert passwords.needs_rehash(old)
    assert not passwords.needs_rehash(hash_password("purple tractor singing"))


def test_missing_hash_never_verifies_but_still_hashes(monkeypatch):
    calls = []
    real = passwords.hasher

    class Spy:
        def hash(self, password):
            calls.append(password)
            return real().hash(password)

    monkeypatch.setattr(passwords, "hasher", Spy)
    assert verify_password(None, "anything at all") is False
    assert calls == ["anything at all"]


def test_corrupt_hash_is_a_failed_match_not_an_error():
    assert verify_password("not-a-hash", "anything") is False
