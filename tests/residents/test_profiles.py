"""Resident profiles: verification into a neighbourhood, age, and consent records with their history."""

from __future__ import annotations

from datetime import date

import pytest

from app.auth.models import Role
from app.residents import profiles
from app.residents.models import ConsentKind, RegisterEntry, VerificationMethod
from tenants.context import council_context
from tenants.models import Neighbourhood


@pytest.fixture
def setting(db, create_council, create_user, grant_role):
    council = create_council()
    resident, officer = create_user(), create_user()
    grant_role(officer, council, Role.OFFICER)
    with council_context(council.id):
        ward = Neighbourhood(name="Castleton")
        db.session.add(ward)
        db.session.flush()
        yield council, resident, officer, ward


def test_verified_from_the_register_takes_its_neighbourhood_and_date_of_birth(db, setting):
    _council, resident, _officer, ward = setting
    entry = RegisterEntry(
        reference="R1",
        name="Ada",
        address="1 St",
        postcode="OL16 1AB",
        date_of_birth=date(2010, 6, 1),
        neighbourhood_id=ward.id,
    )
    db.session.add(entry)
    db.session.flush()
    profile = profiles.ensure_profile(resident.id)
    assert profiles.ensure_profile(resident.id).id == profile.id  # one profile per person per council
    assert not profile.is_verified
    profiles.verify(profile, how=VerificationMethod.LETTER_CODE, neighbourhood_id=0, register_entry=entry)
    assert profile.is_verified and profile.neighbourhood_id == ward.id and profile.register_entry_id == entry.id
    assert profiles.age_on(profile, date(2026, 5, 31)) == 15
    assert profiles.age_on(profile, date(2026, 6, 1)) == 16


def test_in_person_verification_names_the_officer(db, setting):
    _council, resident, officer, ward = setting
    profile = profiles.ensure_profile(resident.id)
    with pytest.raises(profiles.ProfileError):
        profiles.verify(profile, how=VerificationMethod.IN_PERSON, neighbourhood_id=ward.id)
    profiles.verify(profile, how=VerificationMethod.IN_PERSON, neighbourhood_id=ward.id, verified_by_user_id=officer.id)
    assert profile.verified_by_user_id == officer.id and profile.verified_how is VerificationMethod.IN_PERSON


def test_consents_are_recorded_withdrawn_and_kept(db, setting):
    _council, resident, _officer, _ward = setting
    profile = profiles.ensure_profile(resident.id)
    assert not profiles.has_consent(profile, ConsentKind.CONTACT)
    profiles.give_consent(profile, ConsentKind.CONTACT, wording_version="2026-11")
    assert profiles.has_consent(profile, ConsentKind.CONTACT)
    assert profiles.withdraw_consent(profile, ConsentKind.CONTACT) == 1
    assert not profiles.has_consent(profile, ConsentKind.CONTACT)
    with pytest.raises(profiles.ProfileError, match="parent or carer"):
        profiles.give_consent(profile, ConsentKind.PARENTAL, wording_version="2026-11")
    profiles.give_consent(profile, ConsentKind.PARENTAL, wording_version="2026-11", given_by_name="Pat Parent")
    history = profiles.consent_history(profile)
    assert [(c.kind, c.withdrawn_at is not None) for c in history] == [
        (ConsentKind.CONTACT, True),
        (ConsentKind.PARENTAL, False),
    ]
    assert history[0].given_at is not None and history[1].given_by_name == "Pat Parent"
