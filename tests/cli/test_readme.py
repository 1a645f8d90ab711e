"""The README's demo logins match the demo data, so they work as printed."""

from pathlib import Path

from app.seed.data import COUNCILS, DEMO_PASSWORD, demo_logins

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_lists_every_demo_login_and_the_password():
    for login in demo_logins():
        assert f"`{login.email}`" in README
    assert f"`{DEMO_PASSWORD}`" in README


def test_readme_names_the_demo_councils():
    for council in COUNCILS:
        assert council.name in README


def test_readme_leads_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block
    assert "make test" in first_block
