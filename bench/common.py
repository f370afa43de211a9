"""Helpers for benchmarks: a PostgreSQL database and Redis db of their own, production
settings, processes that are always stopped, and wrk on 127.0.0.1."""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")


# gunicorn workers, as docs/deploy.md sizes web: gunicorn's own advice of 2 per core + 1
# (a worker waiting on PostgreSQL or Redis leaves its core to another).
WEB_WORKERS = 2 * (os.cpu_count() or 1) + 1


def bench_env(database: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": REDIS,
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_LOG_LEVEL": "WARNING",
        "BENCH_ENDPOINTS": "1",
        "TRACKING_STREAM": f"kinship-bench:{database}",
        # Production refuses to start without these (docs/deploy.md); the bench is a demo.
        "SITE_URL": "http://127.0.0.1",
        "PAYMENT_TEST_GATEWAY_ALLOWED": "True",
    })
    env.update(extra)
    return env


def fresh_database(name: str) -> None:
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True, capture_output=True)


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True,
                            text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


@contextmanager
def process(args: list[str], env: dict, *, ready_url: str | None = None, timeout: float = 60):
    """Run a server process for the duration of the block; always stopped afterwards. Its
    output goes to bench/logs/<program>.log (a pipe nobody reads would fill and stall it)."""
    logs = ROOT / "bench" / "logs"
    logs.mkdir(exist_ok=True)
    log_path = logs / f"{Path(args[0]).name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        if ready_url:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(ready_url, timeout=2) as response:  # noqa: S310 - 127.0.0.1 only
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{args[0]} did not start: {log_path.read_text(errors='replace')[-2000:]}")
                time.sleep(0.3)
        yield proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=120", "wrk"], check=True,
                       capture_output=True)
        path = shutil.which("wrk")
    return path


WRK_SCRIPT = r"""
-- Counts responses by kind; in the last `tail` seconds it asks for the bare page instead,
-- so no tracked request is still in flight when wrk stops. The switch is timed to the
-- millisecond (os.time() counts whole seconds, which made the tracked part up to a
-- second shorter than counted).
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_usec; } bench_timeval;
           int gettimeofday(bench_timeval *tv, void *tz); ]]
local tv = ffi.new("bench_timeval")
local function now() ffi.C.gettimeofday(tv, nil); return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6 end
local threads = {}
local started = now()
function setup(thread) table.insert(threads, thread) end
function init(args)
  path, tail_path, duration, tail = args[1], args[2], tonumber(args[3]), tonumber(args[4])
  tracked, other, errors = 0, 0, 0
end
function request()
  if now() - started >= duration - tail then return wrk.format("GET", tail_path) end
  return wrk.format("GET", path)
end
function response(status, headers, body)
  local location = headers["Location"] or ""
  if status == 302 and string.sub(location, 1, 3) == "/p/" then tracked = tracked + 1
  elseif status >= 500 then errors = errors + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local t, o, e = 0, 0, 0
  for _, thread in ipairs(threads) do
    t = t + thread:get("tracked"); o = o + thread:get("other"); e = e + thread:get("errors")
  end
  io.write(string.format("RESULT tracked=%d other=%d errors=%d p50=%.3f p99=%.3f\n", t, o, e,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk(url_base: str, path: str, *, seconds: int, connections: int = 16, tail_path: str = "/bench/bare",
        tail: int = 1) -> dict:
    """Run wrk for `seconds` against path; returns requests/s, latency and the counted responses."""
    script = ROOT / "bench" / ".wrk-count.lua"
    script.write_text(WRK_SCRIPT)
    result = subprocess.run(
        [ensure_wrk(), "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script),
         f"{url_base}{path}", "--", path, tail_path, str(seconds), str(tail)],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    script.unlink(missing_ok=True)
    out = result.stdout
    match = re.search(r"RESULT tracked=(\d+) other=(\d+) errors=(\d+) p50=([\d.]+) p99=([\d.]+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not match or not rps:
        raise RuntimeError(f"wrk failed:\n{out}\n{result.stderr}")
    tracked, other, errors = (int(match.group(i)) for i in (1, 2, 3))
    return {"rps": float(rps.group(1)), "tracked": tracked, "other": other, "errors": errors,
            "p50_ms": float(match.group(4)), "p99_ms": float(match.group(5))}


def line(name: str, **figures) -> str:
    parts = " ".join(f"{k}={v}" for k, v in figures.items())
    text = f"BENCH {name} {parts}"
    print(text, flush=True)
    return text


def dump(obj) -> str:
    return json.dumps(obj)
