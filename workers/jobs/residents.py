"""The register and postcode lookup import job: a thin entry point for ``app.residents.imports.run_import``."""

from __future__ import annotations

from app.residents.imports import run_import
from workers.context import council_job
from workers.queues import REPORTS

# A 250,000-line register takes well under a minute; ten minutes leaves room on a busy machine.
IMPORT_TIMEOUT = 600


@council_job(queue=REPORTS, timeout=IMPORT_TIMEOUT)
def import_file(import_id: int) -> str | None:
    """Check and import uploaded file ``import_id`` of the job's council; returns the outcome."""
    outcome = run_import(import_id)
    return None if outcome is None else str(outcome)
