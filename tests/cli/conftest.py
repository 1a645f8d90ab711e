import pytest

from app.cli import main


@pytest.fixture
def rochdale(app, db):
    """Invoke ``rochdale ARGS`` against the test app, inside the rolled-back test transaction."""
    runner = app.test_cli_runner()

    def _invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return _invoke
