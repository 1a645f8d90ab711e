"""Throttling wrong voting codes: five failures per person, and per address, then a wait.

Counts live in Redis (the same server as the job queues) under a key per
council and person and one per council and IP address, each expiring
``WINDOW_SECONDS`` after its first failure. A success does not reset them:
someone guessing codes could otherwise interleave a known one.
"""

from __future__ import annotations

from flask import current_app

from tenants.context import current_council_id
from workers.queues import get_redis

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _keys(user_id: int, ip: str) -> tuple[str, str]:
    prefix = f"{current_app.config.get('RATELIMIT_KEY_PREFIX', 'rochdale')}:code-failures:{current_council_id()}"
    return f"{prefix}:user:{user_id}", f"{prefix}:ip:{ip or 'unknown'}"


def seconds_to_wait(user_id: int, ip: str) -> int:
    """0 if the person may try a code now, else how many seconds until they may."""
    redis = get_redis()
    wait = 0
    for key in _keys(user_id, ip):
        count = redis.get(key)
        if count is not None and int(count) >= MAX_FAILURES:
            wait = max(wait, redis.ttl(key), 1)
    return wait


def record_failure(user_id: int, ip: str) -> None:
    redis = get_redis()
    pipe = redis.pipeline()
    for key in _keys(user_id, ip):
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS, nx=True)
    pipe.execute()
