"""Job-aware logging: every record says which job, function and council it came from.

``configure_job_logging`` puts one handler on the root logger with a filter that
stamps ``job_id``, ``job_func`` and ``council_id`` on each record, so RQ's own
lines, SQLAlchemy warnings and the app's messages all carry them. (RQ adds its
own handler only when the root logger has none.)
"""

from __future__ import annotations

import logging
import sys

from rq import get_current_job

from tenants.context import current_council_id_or_none

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [job=%(job_id)s func=%(job_func)s council=%(council_id)s] %(message)s"


class JobContextFilter(logging.Filter):
    """Adds ``job_id``, ``job_func`` and ``council_id`` (``-`` when none) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        job = get_current_job()
        council_id = current_council_id_or_none()
        record.job_id = job.id if job is not None else "-"
        record.job_func = (job.func_name if job is not None else None) or "-"
        if council_id is None and job is not None and job.args:
            # RQ's own lines around a job come before the wrapper enters the council.
            council_id = job.args[0]
        record.council_id = council_id if council_id is not None else "-"
        return True


def configure_job_logging(level: int = logging.INFO) -> logging.Handler:
    """Send every log record to stderr with the job fields (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if any(isinstance(f, JobContextFilter) for f in handler.filters):
            return handler
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(JobContextFilter())
    root.addHandler(handler)
    root.setLevel(level)
    return handler
