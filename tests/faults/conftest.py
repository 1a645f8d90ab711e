"""Fixtures the fault tests borrow from the feature tests that own them (imported, not copied)."""

from tests.governance.meetings.conftest import world  # noqa: F401  (fixture)
from tests.residents.conftest import place  # noqa: F401  (fixture)
from tests.voting.counting.conftest import make_ballot  # noqa: F401  (fixture)
from tests.workers.conftest import make_council, redis_conn, run_jobs, smtp_server  # noqa: F401
