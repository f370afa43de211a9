"""BENCH replica: the seller home served from a PostgreSQL streaming replica while the load
bench runs against the primary, and the replica's replication lag meanwhile.

A primary and a replica of their own (bench/pgreplica.py, `pg_basebackup -R`), the demo
data, the production stack with DATABASE_REPLICA_URL set. A seller loads their home page
over HTTP, first on a quiet stack, then again and again through `BENCH load` (redirects,
feed pages, checkouts, a payout run and refunds). Meanwhile the primary's own measure of
replay lag (pg_stat_replication.replay_lag) and the WAL bytes not yet replayed are sampled
every 50 ms.
Prints: BENCH replica p95_ms=N quiet_p95_ms=N pages=N p50_ms=N lag_ms_max=N lag_bytes_max=N
        replica_queries_per_page=N errors_5xx=N answered=N stored=N reconciled=yes|no
(replica_queries_per_page: the queries the replica answered per seller home during the
load; the seller's pages are its only client.)
"""

import statistics
import time

import psycopg

from bench import load
from bench.common import bench_env, flush_redis, line, manage
from bench.pgreplica import replica_pair
from tests.stack.stack import Browser

DATABASE = "kinship_bench_replica"
SELLER = "tokyo.tea@example.com"


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 1) if ordered else 0.0


class Seller:
    """The demo seller on their home page, timing each page."""

    def __init__(self):
        self.browser = Browser(load.BASE)
        self.quiet: list[float] = []
        self.loaded: list[float] = []
        self.errors = 0

    def page(self) -> float:
        start = time.perf_counter()
        page = self.browser.get("/seller/?days=30")
        self.errors += page.status >= 500
        return (time.perf_counter() - start) * 1000

    def before(self, env: dict) -> None:
        password = manage(env, "shell", "--no-imports", "-c", "from portal.demo import DEMO_PASSWORD as p; print(p)")
        if self.browser.login(SELLER, password.strip().splitlines()[-1]).status != 200:
            raise RuntimeError(f"{SELLER} could not log in")
        time.sleep(1)  # the replica replays the login's write; then the home reads it
        self.quiet = [self.page() for _ in range(40)]

    def during(self, stop) -> None:
        while not stop.is_set():
            self.loaded.append(self.page())
            time.sleep(0.05)


class Lag:
    """Samples the replica's lag as the primary reports it, every 50 ms."""

    def __init__(self, pair):
        self.pair = pair
        self.ms = [0.0]
        self.bytes = [0]

    def during(self, stop) -> None:
        with psycopg.connect(self.pair.primary_url("postgres"), autocommit=True) as primary, \
                psycopg.connect(self.pair.replica_url("postgres"), autocommit=True) as replica:
            while not stop.is_set():
                lag = primary.execute("SELECT coalesce(max(extract(epoch FROM replay_lag)) * 1000, 0), "
                                      "pg_current_wal_insert_lsn()::text FROM pg_stat_replication").fetchone()
                self.ms.append(float(lag[0]))
                self.bytes.append(int(replica.execute("SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())",
                                                      [lag[1]]).fetchone()[0]))
                time.sleep(0.05)


def _replica_queries(pair) -> int:
    """Transactions the replica ran in the shop's database: in autocommit, one per query. The
    seller's pages are its only client (the lag sampler reads `postgres`)."""
    with psycopg.connect(pair.replica_url("postgres"), autocommit=True) as connection:
        return int(connection.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
                                      [DATABASE]).fetchone()[0])


def main() -> None:
    with replica_pair() as pair:
        pair.primary_sql(f"CREATE DATABASE {DATABASE}")
        flush_redis()
        env = bench_env(DATABASE, DATABASE_URL=pair.primary_url(DATABASE),
                        DATABASE_REPLICA_URL=pair.replica_url(DATABASE), DJANGO_HTTPS="False",
                        DJANGO_STATIC_ROOT="/tmp/kinship-bench-static")  # noqa: S108 - a scratch folder
        setup = load.prepare(env)
        pair.wait_caught_up(seconds=120)
        seller, lag = Seller(), Lag(pair)
        counts = {}

        def before():
            seller.before(env)
            counts["before"] = _replica_queries(pair)

        figures = load.run(env, setup, before=before, during=[seller.during, lag.during])
        time.sleep(1)  # the replica's statistics are flushed once a second
        on_replica = _replica_queries(pair) - counts["before"]
    line("replica", p95_ms=_p95(seller.loaded), quiet_p95_ms=_p95(seller.quiet), pages=len(seller.loaded),
         p50_ms=round(statistics.median(seller.loaded), 1) if seller.loaded else 0,
         lag_ms_max=round(max(lag.ms), 1), lag_bytes_max=max(lag.bytes),
         replica_queries_per_page=round(on_replica / max(1, len(seller.loaded)), 1),
         errors_5xx=figures["errors_5xx"] + seller.errors, answered=figures["answered"], stored=figures["stored"],
         reconciled=figures["reconciled"])


if __name__ == "__main__":
    main()
