"""Fixtures for the platform administration pages (shared helpers come from the admin tests)."""

import pytest

from tests.admin.conftest import no_csrf, sign_in  # noqa: F401  (fixtures used by these tests)


@pytest.fixture
def operator(create_user):
    return create_user(email="operator@rochdale.example", name="Pat Platform", is_platform_admin=True)


@pytest.fixture
def as_operator(sign_in, operator):  # noqa: F811
    sign_in(operator)
    return operator
