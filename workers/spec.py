"""What a job is: its name, queue, time limit and retry policy, set once where it is declared.

``@council_job`` and ``@global_job`` (``workers.context``) attach a ``JobSpec`` to
the function; ``enqueue_after_commit`` and the outbox dispatcher read it. The
timeouts and time-to-live values every job shares live here, in one place.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rq import Retry

# Seconds a job may run before RQ kills it, unless the job declares its own.
DEFAULT_TIMEOUT = 300
# A finished job stays in Redis this long; while it does, a re-enqueue of the
# same id is refused by RQ itself (the outbox refuses it for ever).
RESULT_TTL = 3600
# Failed jobs stay visible to operators (rq info / FailedJobRegistry) for a month.
FAILURE_TTL = 30 * 24 * 3600
# A job handed to RQ but not done within its timeout plus this many seconds is
# re-sent by the dispatcher (it was lost with Redis, or its worker died).
REDISPATCH_GRACE = 60
# A row still pending this long after its transaction committed is sent by the
# dispatcher (the after-commit hook could not reach Redis).
PENDING_GRACE = 15
# A job started this many times without finishing is given up on (FAILED), so a
# job that kills its worker cannot loop for ever through the dispatcher.
MAX_ATTEMPTS = 10

_RQ_ID = re.compile(r"[A-Za-z0-9_-]+")
_NOT_RQ_ID = re.compile(r"[^A-Za-z0-9_-]+")
_MAX_ID = 200


@dataclass(frozen=True)
class RetryPolicy:
    """How many times RQ retries a failed job, and the waits (seconds) between tries."""

    max: int
    intervals: tuple[int, ...] = (0,)

    @classmethod
    def coerce(cls, value: RetryPolicy | Retry | None) -> RetryPolicy | None:
        """Accept our policy, an ``rq.Retry`` or ``None``."""
        if value is None or isinstance(value, RetryPolicy):
            return value
        if isinstance(value, Retry):
            return cls(max=int(value.max), intervals=tuple(int(i) for i in value.intervals))
        raise TypeError(f"retry must be a RetryPolicy or rq.Retry, not {value!r}")

    def to_rq(self) -> Retry:
        return Retry(max=self.max, interval=list(self.intervals))

    def as_json(self) -> dict[str, Any]:
        return {"max": self.max, "intervals": list(self.intervals)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RetryPolicy | None:
        if not data:
            return None
        return cls(max=int(data["max"]), intervals=tuple(int(i) for i in data["intervals"]))


# For jobs that touch the outside world (SMTP, Stripe): three more tries, backing off.
EXTERNAL_RETRY = RetryPolicy(max=3, intervals=(10, 60, 300))


@dataclass(frozen=True)
class JobSpec:
    """A job's identity and defaults. ``needs_council`` is False only for global jobs."""

    name: str
    queue: str
    timeout: int
    retry: RetryPolicy | None
    needs_council: bool


def spec_of(func: Callable[..., Any]) -> JobSpec:
    """The ``JobSpec`` of a decorated job; a plain function is a programming error."""
    spec = getattr(func, "job_spec", None)
    if not isinstance(spec, JobSpec):
        raise TypeError(f"{func!r} is not a job: decorate it with @council_job or @global_job")
    return spec


def check_job_args(args: Iterable[Any]) -> list[Any]:
    """Job arguments are ids and primitives only (they are stored as JSON and re-read).

    ORM objects, dates and containers are refused: a job re-loads what it needs
    by id, inside its own council, so it never acts on a stale or foreign object.
    """
    checked = []
    for arg in args:
        ok = arg is None or isinstance(arg, (bool, int, str)) or (isinstance(arg, float) and math.isfinite(arg))
        if not ok:
            raise TypeError(f"job arguments must be ids or primitives (int, str, float, bool, None), not {arg!r}")
        # StrEnum members are strs; store the plain value so the JSON round trip is exact.
        checked.append(str(arg) if isinstance(arg, str) else arg)
    return checked


def check_council_id(council_id: Any) -> None:
    if council_id is not None and (isinstance(council_id, bool) or not isinstance(council_id, int)):
        raise TypeError(f"council_id must be an int or None, not {council_id!r}")


def default_job_key(spec: JobSpec, council_id: int | None, args: Sequence[Any]) -> str:
    """The readable, deterministic key of a job: ``module.func:council:arg:arg``."""
    return f"{spec.name}:{council_id}:{':'.join(str(a) for a in args)}"


def rq_job_id(key: str) -> str:
    """An RQ-valid job id (``[A-Za-z0-9_-]``, at most 200 characters) for ``key``.

    A key that is already valid is used as it is; any other is made readable and
    suffixed with its SHA-256, so distinct keys never share an id.
    """
    if len(key) <= _MAX_ID and _RQ_ID.fullmatch(key):
        return key
    readable = _NOT_RQ_ID.sub("_", key).strip("_")[:120]
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:24]}"
