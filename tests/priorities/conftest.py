"""A council with three neighbourhoods and verified residents in each, for the priorities tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.residents import profiles
from app.residents.models import VerificationMethod
from tenants.context import council_context
from tenants.models import Neighbourhood
from tests.fixtures.factories import new_person
from tests.voting.app.conftest import in_council, world  # noqa: F401 (fixtures)

# Verified residents per neighbourhood: turnout is counted against these.
SIZES = {"Castleton": 4, "Milnrow": 2, "Wardle": 3}


@pytest.fixture
def town(active_db, world):  # noqa: F811
    """``world`` plus neighbourhoods and their verified residents (and one unverified person)."""
    places: dict[str, int] = {}
    voters: dict[str, list] = {}
    with council_context(world.council.id):
        for name, size in SIZES.items():
            place = Neighbourhood(name=name)
            active_db.session.add(place)
            active_db.session.flush()
            places[name] = place.id
            voters[name] = []
            for i in range(size):
                person = new_person(f"{name} resident {i}")
                profile = profiles.ensure_profile(person.id)
                profiles.verify(profile, how=VerificationMethod.LETTER_CODE, neighbourhood_id=place.id)
                voters[name].append(person)
        unverified = new_person("Not yet verified")
        profiles.ensure_profile(unverified.id).neighbourhood_id = places["Castleton"]
        active_db.session.commit()
    return SimpleNamespace(world=world, places=places, voters=voters, unverified=unverified)
