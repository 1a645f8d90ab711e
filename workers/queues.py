"""The fixed list of queues, and the Redis connection they live on."""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from redis import Redis
from rq import Queue

DEFAULT = "default"
EMAILS = "emails"
BILLING = "billing"
REPORTS = "reports"
PERIODIC = "periodic"
# Order matters: a worker serves the first non-empty queue first.
QUEUES: tuple[str, ...] = (DEFAULT, EMAILS, BILLING, REPORTS, PERIODIC)


@lru_cache(maxsize=8)
def _redis_for(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30)


def get_redis() -> Redis:
    """The Redis connection for the current app."""
    return _redis_for(current_app.config["REDIS_URL"])


def get_queue(name: str) -> Queue:
    """One of ``QUEUES`` by name; any other name is a programming error."""
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}; queues are {', '.join(QUEUES)}")
    return Queue(name, connection=get_redis())
