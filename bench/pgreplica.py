"""A PostgreSQL primary and its streaming replica on this machine, for a test or a
benchmark: two PostgreSQL 15 clusters of their own in a temporary directory, on free
ports, the replica made by `pg_basebackup -R` (PostgreSQL's own streaming replication, the
way docs/scaling.md sets one up). Both are stopped and removed afterwards.

As root, the clusters run as the `postgres` user (PostgreSQL refuses to run as root).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Fast and disposable: nothing here must survive a crash of the machine.
SERVER_OPTIONS = ("-c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c wal_level=replica "
                  "-c max_wal_senders=4 -c hot_standby=on -c shared_buffers=64MB -c max_connections=60 "
                  "-c wal_receiver_status_interval=1 -c hot_standby_feedback=on")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], *, timeout: float = 120) -> str:
    result = subprocess.run(_as_postgres(command), capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


@dataclass
class ReplicaPair:
    root: Path
    primary_port: int
    replica_port: int

    def url(self, port: int, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def primary_url(self, database: str) -> str:
        return self.url(self.primary_port, database)

    def replica_url(self, database: str) -> str:
        return self.url(self.replica_port, database)

    def sql(self, port: int, statement: str, database: str = "postgres") -> str:
        result = subprocess.run(["psql", self.url(port, database), "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", statement],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"psql on {port}: {statement[:200]}\n{result.stderr[-2000:]}")
        return result.stdout.strip()

    def primary_sql(self, statement: str, database: str = "postgres") -> str:
        return self.sql(self.primary_port, statement, database)

    def replica_sql(self, statement: str, database: str = "postgres") -> str:
        return self.sql(self.replica_port, statement, database)

    def log(self, which: str) -> str:
        path = self.root / f"{which}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def pause_replay(self) -> None:
        self.replica_sql("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica_sql("SELECT pg_wal_replay_resume()")

    def lag_bytes(self) -> int:
        """How far the replica's replay is behind the primary's WAL right now."""
        position = self.primary_sql("SELECT pg_current_wal_insert_lsn()")
        return int(float(self.replica_sql(f"SELECT pg_wal_lsn_diff('{position}', pg_last_wal_replay_lsn())")))

    def replay_lag_ms(self) -> float:
        """The primary's own measure of the replica's replay lag (pg_stat_replication),
        the time from a commit on the primary to its replay on the replica."""
        value = self.primary_sql("SELECT coalesce(max(extract(epoch FROM replay_lag)) * 1000, 0) "
                                 "FROM pg_stat_replication")
        return float(value or 0)

    def wait_caught_up(self, seconds: float = 30) -> float:
        start = time.monotonic()
        while self.lag_bytes() > 0:
            if time.monotonic() - start > seconds:
                raise RuntimeError(f"the replica is {self.lag_bytes()} bytes behind after {seconds} s")
            time.sleep(0.05)
        return time.monotonic() - start

    def stop_replica(self) -> None:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.root / "replica"), "-m", "immediate", "-w", "stop"])


@contextmanager
def replica_pair(*, log_statements: bool = False):
    """Start a primary and a streaming replica of it; yield a ReplicaPair; remove both."""
    root = Path(tempfile.mkdtemp(prefix="kinship-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary, replica = root / "primary", root / "replica"
    pair = ReplicaPair(root=root, primary_port=_free_port(), replica_port=_free_port())
    logging = " -c log_statement=all -c log_line_prefix='%m %d '" if log_statements else ""
    started = []
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--no-sync", "--locale=C"])
        for data, port, name in ((primary, pair.primary_port, "primary"), (replica, pair.replica_port, "replica")):
            if name == "replica":
                _run([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U",
                      "postgres", "-D", str(replica), "-R", "-X", "stream", "-c", "fast"])
            _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / f"{name}.log"), "-w", "-t", "60", "-o",
                  f"-p {port} -k {root} {SERVER_OPTIONS}{logging}", "start"])
            started.append(data)
        yield pair
    finally:
        for data in reversed(started):
            subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)
