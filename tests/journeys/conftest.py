"""The journey tests run the RQ jobs in process, as the register tests do."""

from __future__ import annotations

from tests.residents.conftest import run_jobs
from tests.workers.conftest import redis_conn

__all__ = ["redis_conn", "run_jobs"]
