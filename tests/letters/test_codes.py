"""Voting codes: generation, what people type, keyed hashing, expiry."""

import math
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.letters import codes
from app.letters.codes import (
    ALPHABET,
    CODE_LENGTH,
    ENTROPY_BITS,
    CodeFormatError,
    expires_at,
    expiry_date,
    format_code,
    generate_code,
    hash_code,
    is_expired,
    lookup_hash,
    normalise_code,
    pepper_from_config,
    verify_code,
)

KEY = b"k" * 32
raw_codes = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)
separators = st.sampled_from(["", " ", "-", "  ", " - ", "\u2013", "\u00a0", ".", "_"])


def test_alphabet_has_32_symbols_and_no_lookalikes():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    assert ENTROPY_BITS == CODE_LENGTH * math.log2(len(ALPHABET)) == 60


def test_generated_codes_are_grouped_and_normalised():
    for _ in range(200):
        code = generate_code()
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
        assert format_code(normalise_code(code)) == code


def test_generated_codes_use_the_whole_alphabet_evenly():
    counts = Counter("".join(normalise_code(generate_code()) for _ in range(4000)))
    assert set(counts) == set(ALPHABET)
    expected = 4000 * CODE_LENGTH / 32
    # Chi-squared with 31 degrees of freedom: 80 is far beyond the 99.99th percentile (~66).
    assert sum((n - expected) ** 2 / expected for n in counts.values()) < 80


def test_generated_codes_do_not_repeat():
    assert len({generate_code() for _ in range(10_000)}) == 10_000


@given(raw_codes, separators, st.booleans())
def test_typed_codes_normalise_whatever_the_case_and_separators(raw, sep, lower):
    typed = sep.join(raw[i : i + 4] for i in range(0, 12, 4))
    typed = typed.lower() if lower else typed
    assert normalise_code(f"  {typed}\n") == raw


@given(raw_codes)
def test_lookalike_letters_are_read_as_the_digits_they_resemble(raw):
    typed = raw.replace("0", "O").replace("1", "I")
    assert normalise_code(typed) == raw
    assert normalise_code(raw.replace("1", "l")) == raw
    assert normalise_code(raw.replace("0", "o")) == raw


def test_full_width_characters_are_folded():
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in "ABCD-EFGH-JKMN")  # FF21 is A, FF0D is -
    assert normalise_code(full_width) == "ABCDEFGHJKMN"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the code from your letter"),
        ("  - ", "Enter the code from your letter"),
        ("ABCD-EFGH", "12 letters and numbers long; you entered 8"),
        ("ABCD-EFGH-JKMN-P", "you entered 13"),
        ("ABCU-EFGH-JKMN", "not U"),
        ("AB!D-EFGH-J?MN", "not ! ?"),
    ],
)
def test_malformed_codes_are_refused_with_a_reason(typed, message):
    with pytest.raises(CodeFormatError, match=re.escape(message)):
        normalise_code(typed)
    assert lookup_hash(typed, KEY) is None
    assert not verify_code(typed, "0" * 64, KEY)


@given(raw_codes, separators)
def test_hash_depends_only_on_the_normalised_code(raw, sep):
    typed = sep.join(raw[i : i + 4] for i in range(0, 12, 4)).lower()
    stored = hash_code(format_code(raw), KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert hash_code(typed, KEY) == stored == lookup_hash(typed, KEY)
    assert verify_code(typed, stored, KEY)


@settings(max_examples=50)
@given(raw_codes, raw_codes)
def test_different_codes_and_keys_give_different_hashes(a, b):
    if a != b:
        assert hash_code(a, KEY) != hash_code(b, KEY)
        assert not verify_code(b, hash_code(a, KEY), KEY)
    assert hash_code(a, KEY) != hash_code(a, b"another key")


def test_the_stored_hash_does_not_contain_the_code_and_needs_the_key():
    code = generate_code()
    stored = hash_code(code, KEY)
    assert normalise_code(code).lower() not in stored
    assert not verify_code(code, stored, b"a guessed key")


def test_empty_keys_are_refused():
    with pytest.raises(ValueError, match="unkeyed"):
        hash_code(generate_code(), b"")


def test_pepper_prefers_the_dedicated_setting_and_otherwise_derives_from_the_secret_key():
    assert pepper_from_config({"SECRET_KEY": "s", "VOTING_CODE_PEPPER": "pepper"}) == b"pepper"
    derived = pepper_from_config({"SECRET_KEY": "s"})
    assert derived != b"s" and len(derived) == 32
    assert derived == pepper_from_config({"SECRET_KEY": "s", "VOTING_CODE_PEPPER": ""})
    assert derived != pepper_from_config({"SECRET_KEY": "t"})
    with pytest.raises(ValueError, match="SECRET_KEY"):
        pepper_from_config({})


def test_verification_compares_in_constant_time(monkeypatch):
    seen = []
    real = codes.hmac.compare_digest

    def spy(a, b):
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(codes.hmac, "compare_digest", spy)
    code = generate_code()
    verify_code(code, hash_code(code, KEY), KEY)
    verify_code("not a code", hash_code(code, KEY), KEY)
    assert len(seen) == 2  # malformed input is compared too, against a dummy


def test_expiry_is_counted_in_uk_days():
    assert expiry_date(date(2027, 1, 1), 42) == date(2027, 2, 12)
    # 23:30 UTC on 31 May is already 1 June in London (BST).
    assert expiry_date(datetime(2027, 5, 31, 23, 30, tzinfo=UTC), 1) == date(2027, 6, 2)
    with pytest.raises(ValueError):
        expiry_date(date(2027, 1, 1), 0)


def test_a_code_works_to_the_end_of_its_expiry_day_uk_time():
    summer = date(2027, 7, 1)  # BST: the UK day ends at 23:00 UTC
    assert expires_at(summer) == datetime(2027, 7, 1, 23, 0, tzinfo=UTC)
    assert not is_expired(summer, datetime(2027, 7, 1, 22, 59, 59, tzinfo=UTC))
    assert is_expired(summer, datetime(2027, 7, 1, 23, 0, tzinfo=UTC))
    winter = date(2027, 1, 10)  # GMT
    assert not is_expired(winter, datetime(2027, 1, 10, 23, 59, 59, tzinfo=UTC))
    assert is_expired(winter, datetime(2027, 1, 11, 0, 0, tzinfo=UTC))


def test_expiry_needs_an_aware_time_and_defaults_to_now():
    with pytest.raises(ValueError, match="aware"):
        is_expired(date(2027, 1, 1), datetime(2027, 1, 1))
    today = datetime.now(UTC).date()
    assert not is_expired(today + timedelta(days=2))
    assert is_expired(today - timedelta(days=2))


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_a_code_is_valid_on_the_day_it_is_issued_and_not_after_expiry(now):
    expires_on = expiry_date(now, 1)
    assert not is_expired(expires_on, now)
    assert is_expired(expires_on, expires_at(expires_on))
    assert not is_expired(expires_on, expires_at(expires_on) - timedelta(microseconds=1))
