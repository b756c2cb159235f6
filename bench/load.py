"""`make bench-load`: the real server under load, printed beside a floor, never asserted.

For each registry size (BENCH_LOAD_PEOPLE, default 3000,50000) it builds, or reuses, a demo
registry in its own SQLite file (var/bench-load-N.sqlite3), starts gunicorn as `make run` does
(gunicorn.conf.py: one process, 8 threads) and a second gunicorn with the same settings and
middleware serving the floor (`bench.floor_urls`: the bytes the app answered, and nothing else),
then runs wrk (Debian's package) against both for each page. The search index and the statistics'
facts are made beforehand by a process of their own, as the background worker makes them after an
import, so the server's worker loads them:

- cached: repeat requests, as visitors make them (they hit the whole-page cache);
- uncached: a unique `_bench=` parameter on every request, which misses any page cache (the
  registry's own derived state, the search index and the statistics, stays warm).

Then, per page, the first request after a fresh start (time to first byte; a worker warms up
before it is ready, `core.warmup`), and the worker's resident memory after its warm-up and after
the load. Tune with
BENCH_LOAD_WRK (default "-t2 -c16 -d5s") and BENCH_LOAD_STARTS (fresh starts per page, default 3).
"""

import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BIN = Path(sys.executable).parent
WRK_ARGS = os.environ.get("BENCH_LOAD_WRK", "-t2 -c16 -d5s").split()
# One request at a time (no queueing behind other requests): the search's own latency.
SOLO_ARGS = ["-t1", "-c1", *(arg for arg in WRK_ARGS if arg.startswith("-d"))]
STARTS = int(os.environ.get("BENCH_LOAD_STARTS", "3"))
PROFILES = 200  # profile ids the rotating profile cycles through

# The Makefile's RUN_ENV, for a run outside make.
for name, value in {
    "SECRET_KEY_FILE": "var/secret_key",
    "HTTPS": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}.items():
    os.environ.setdefault(name, value)

# (name, path pattern the floor matches, how the paths are made)
PAGES = [
    ("home", r"/en/", "fixed"),
    ("people list", r"/en/people/", "fixed"),
    ("profile", r"/en/people/\d+/", "profiles"),
    ("birthdays", r"/en/birthdays/", "fixed"),
    ("statistics", r"/en/statistics/", "fixed"),
    ("search API", r"/api/v1/people", "queries"),
]

SERVERS: list[subprocess.Popen] = []


def say(line: str = "") -> None:
    print(line, flush=True)


# --- The registry --------------------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


def registry(people: int) -> dict:
    """The environment of a registry of `people`, built unless a complete one is there."""
    database = VAR / f"bench-load-{people}.sqlite3"
    built = database.with_name(database.name + ".built")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    if database.exists() and built.exists():
        manage(env, "migrate", "--noinput")
        say(f"reusing {database.relative_to(ROOT)} ({built.read_text().strip()}; delete it to rebuild)")
    else:
        for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        say(f"building {database.relative_to(ROOT)} ...")
        started = time.perf_counter()
        for step in (
            ["migrate", "--noinput"],
            ["load_country"],
            ["load_letter_rules"],
            ["demo_data", "--people", str(people)],
        ):
            step_started = time.perf_counter()
            manage(env, *step)
            say(f"  {step[0]:<18} {time.perf_counter() - step_started:7.1f} s")
        seconds = time.perf_counter() - started
        built.write_text(f"built in {seconds:.0f} s on {time.strftime('%Y-%m-%d %H:%M')}\n")
        say(f"  built in {seconds:.1f} s")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    # As the background worker does after an import (`imports.tasks`): the search index and the
    # statistics' facts are made before the web server starts, and its worker loads them.
    started = time.perf_counter()
    manage(env, "shell", "-c", "from solidarity.core.warmup import make_derived; make_derived()")
    say(f"derived values made (or found) in {time.perf_counter() - started:.1f} s")
    return env


# --- Servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as `make run` starts it, on a free loopback port; `ready` once the app is loaded."""

    def __init__(self, env: dict, work: Path, name: str, settings: str = "solidarity.settings"):
        self.port = free_port()
        self.ready_file = work / f"{name}-{self.port}.ready"
        self.log = work / f"{name}-{self.port}.log"
        env = {
            **env,
            "BIND": f"127.0.0.1:{self.port}",
            "DJANGO_SETTINGS_MODULE": settings,
            "BENCH_READY_FILE": str(self.ready_file),
        }
        started = time.perf_counter()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [str(BIN / "gunicorn"), "solidarity.wsgi", "--config", "bench/gunicorn_conf.py"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl+C reaches us, and we stop it
            )
        SERVERS.append(self.process)
        while not self.ready_file.exists():
            if self.process.poll() is not None or time.perf_counter() - started > 120:
                self.stop()
                raise SystemExit(f"gunicorn ({name}) did not start:\n{self.tail()}")
            time.sleep(0.02)
        self.boot_seconds = time.perf_counter() - started

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_megabytes(self) -> float:
        """The resident memory of the worker process (its pid is in the ready file)."""
        status = Path(f"/proc/{self.ready_file.read_text().strip()}/status").read_text()
        kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        return kilobytes / 1024

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process in SERVERS:
        SERVERS.remove(process)


def warm(port: int, paths: list[str]) -> None:
    """Each path once, under the Host wrk sends (with the port): the page cache's key holds the host."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for path in paths:
            connection.request("GET", path)
            connection.getresponse().read()
    finally:
        connection.close()


def get(port: int, path: str) -> tuple[float, float, int, str, bytes]:
    """One request on a new connection: time to first byte and to the last, status, type, body."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        first_byte = time.perf_counter() - started
        body = response.read()
        return (
            first_byte,
            time.perf_counter() - started,
            response.status,
            response.getheader("Content-Type"),
            body,
        )
    finally:
        connection.close()


# --- What to ask for -----------------------------------------------------------------------------


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def targets(port: int) -> tuple[list[str], list[str]]:
    """~200 profile paths spread over the registry, and ~60 searches as people type them: a Latin
    surname, a Cyrillic one in lower case, a first name and surname, a prefix, a misspelling."""
    _, _, status, _, body = get(port, "/api/v1/people?status=all&sort=name&limit=1")
    if status != 200:
        raise SystemExit(f"/api/v1/people answered {status}")
    count = json.loads(body)["count"]
    people = []
    for offset in range(0, count, max(1, count // 4)):
        _, _, _, _, body = get(
            port, f"/api/v1/people?status=all&sort=name&limit={PROFILES // 4}&offset={offset}"
        )
        people += json.loads(body)["items"]
    rng = random.Random(13)
    rng.shuffle(people)
    profiles = [f"/en/people/{person['id']}/" for person in people[:PROFILES]]
    queries = []
    for person in people[:12]:
        names = person["names"]
        latin, cyrillic = names["latin"].split(), (names["ru"] or names["be"]).split()
        queries += [
            latin[-1],
            cyrillic[-1].lower(),
            f"{latin[0]} {latin[-1]}",
            latin[-1][:4].lower(),
            typo(latin[-1], rng),
        ]
    searches = [f"/api/v1/people?{urllib.parse.urlencode({'q': query})}" for query in queries]
    return profiles, searches


LUA = """
local paths = {%(paths)s}
local unique = %(unique)s
local counter = 0
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
request = function()
  n = n + 1
  local path = paths[(n %% #paths) + 1]
  if unique then
    local sep = "?"
    if string.find(path, "?", 1, true) then sep = "&" end
    path = path .. sep .. "_bench=%(nonce)s." .. tid .. "." .. n
  end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.bytes, latency.mean))
end
"""


def wrk(port: int, paths: list[str], unique: bool, work: Path, args: list[str] = WRK_ARGS) -> dict:
    script = work / "run.lua"
    script.write_text(
        LUA
        % {
            "paths": ", ".join(json.dumps(path) for path in paths),
            "unique": "true" if unique else "false",
            "nonce": f"{time.time_ns() % 10**9}",
        }
    )
    command = ["wrk", *args, "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}{paths[0]}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk said:\n{done.stdout}{done.stderr}")
    requests, duration, errors, bad_status, p50, p95, p99, _, _, _ = (float(x) for x in line.split()[1:])
    return {
        "rps": requests / (duration / 1e6),
        "errors": int(errors),
        "bad": int(bad_status),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
    }


# --- One size ------------------------------------------------------------------------------------


def run(people: int, work: Path) -> None:
    say(f"\n== {people} people ==")
    env = registry(people)
    app = Server(env, work, "app")
    memory = {"after warm-up": app.worker_megabytes()}
    say(
        f"app on 127.0.0.1:{app.port} (ready in {app.boot_seconds:.1f} s, warmed up;"
        f" worker {memory['after warm-up']:.0f} MB)"
    )
    profiles, searches = targets(app.port)
    paths = {"fixed": None, "profiles": profiles, "queries": searches}
    manifest = []
    for index, (name, pattern, kind) in enumerate(PAGES):
        page_paths = paths[kind] or [pattern]
        _, _, status, content_type, body = get(app.port, page_paths[0])
        if status != 200:
            app.stop()
            raise SystemExit(f"{page_paths[0]} answered {status}:\n{app.tail()}")
        (work / f"page{index}").write_bytes(body)
        manifest.append(
            {"pattern": pattern, "content_type": content_type, "body": str(work / f"page{index}")}
        )
        say(f"  {name:<12} {page_paths[0]:<28} {len(body):>8} bytes  {content_type}")
    (work / "floor.json").write_text(json.dumps(manifest))
    floor = Server(
        {**env, "BENCH_FLOOR_MANIFEST": str(work / "floor.json")}, work, "floor", "bench.floor_settings"
    )
    say(f"floor on 127.0.0.1:{floor.port} (same settings and middleware, bench.floor_urls)")

    say(
        f"\nwrk {' '.join(WRK_ARGS)}; latencies are the app's; the floor is the mean of a run just before "
        "and one just after; ratio = app req/s / floor req/s; 1 conn = uncached, wrk -t1 -c1"
    )
    say(
        f"{'page':<12} {'run':<9} {'req/s':>8} {'floor':>8} {'ratio':>6} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    rows = {}
    for name, pattern, kind in PAGES:
        page_paths = paths[kind] or [pattern]
        modes = [("cached", WRK_ARGS), ("uncached", WRK_ARGS)]
        if name == "search API":
            modes.append(("1 conn", SOLO_ARGS))  # uncached, one request at a time
        for mode, args in modes:
            unique = mode != "cached"
            if not unique:
                warm(app.port, page_paths)  # every rotating path once, so that repeats hit the cache
            # The floor just before and just after the app, so that the ratio sees the same noise.
            before = wrk(floor.port, page_paths, unique, work, args)
            measured = wrk(app.port, page_paths, unique, work, args)
            after = wrk(floor.port, page_paths, unique, work, args)
            base = {
                "rps": (before["rps"] + after["rps"]) / 2,
                "bad": before["bad"] + after["bad"],
                "errors": before["errors"] + after["errors"],
            }
            ratio = measured["rps"] / base["rps"]
            rows[name, mode] = {**measured, "ratio": round(ratio, 2)}
            trouble = ""
            if measured["errors"] or measured["bad"] or base["errors"] or base["bad"]:
                trouble = (
                    f"  (app: {measured['bad']} non-2xx, {measured['errors']} socket errors;"
                    f" floor: {base['bad']}, {base['errors']})"
                )
            say(
                f"{name:<12} {mode:<9} {measured['rps']:8.0f} {base['rps']:8.0f} {ratio:5.2f}x "
                f"{measured['p50']:8.1f} {measured['p95']:8.1f} {measured['p99']:8.1f}{trouble}"
            )
    memory["after the load"] = app.worker_megabytes()
    say("\nworker memory (resident): " + ", ".join(f"{when} {mb:.0f} MB" for when, mb in memory.items()))
    app.stop()
    floor.stop()

    say(
        f"\nfirst request after a fresh start ({STARTS} starts per page; "
        "time to first byte; the page first after /favicon.ico, which loads the URLs and views, "
        "on one more start; then the second request)"
    )
    say(
        f"{'page':<12} {'path':<28} {'boot s':>7} {'first ms':>9} {'(each)':<18} "
        f"{'after favicon':>13} {'second ms':>9}"
    )
    firsts = {}
    for name, pattern, kind in PAGES:
        path = (paths[kind] or [pattern])[0]
        boots, first, second = [], [], []
        for _ in range(STARTS):
            fresh = Server(env, work, "fresh")
            try:
                first.append(get(fresh.port, path)[0] * 1000)
                second.append(get(fresh.port, path)[0] * 1000)
                boots.append(fresh.boot_seconds)
            finally:
                fresh.stop()
        fresh = Server(env, work, "fresh")
        try:
            get(fresh.port, "/favicon.ico")
            alone = get(fresh.port, path)[0] * 1000
        finally:
            fresh.stop()
        firsts[name] = statistics.median(first)
        each = ", ".join(f"{ms:.0f}" for ms in first)
        say(
            f"{name:<12} {path[:28]:<28} {statistics.median(boots):7.1f} {firsts[name]:9.0f} {each:<18}"
            f" {alone:13.0f} {statistics.median(second):9.1f}"
        )
    goals(people, rows, firsts, max(memory.values()))


def goals(people: int, rows: dict, firsts: dict, megabytes: float) -> None:
    def figures(names, mode, key="ratio", unit="x"):
        return ", ".join(f"{name} {rows[name, mode][key]:.2f}{unit}" for name in names)

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    html = [name for name, _, _ in PAGES if name != "search API"]
    cached_ok = all(rows[name, "cached"]["ratio"] >= 0.8 for name in html)
    uncached_ok = all(rows[name, "uncached"]["ratio"] >= 0.3 for name in ("profile", "people list"))
    worst_first = max(firsts.values())
    solo = rows["search API", "1 conn"]["p95"]
    loaded = rows["search API", "uncached"]["p95"]
    say(f"\ngoals (issue 13), at {people} people; figures, not assertions:")
    say(f"  cached public pages >= 0.8x the floor: {figures(html, 'cached')} ({verdict(cached_ok)})")
    say(
        "  uncached profile and list >= 0.3x the floor: "
        f"{figures(['profile', 'people list'], 'uncached')} ({verdict(uncached_ok)})"
    )
    say(
        f"  first request after a start <= 200 ms (at 50,000 people): slowest median {worst_first:.0f} ms"
        f" ({max(firsts, key=firsts.get)}) ({verdict(worst_first <= 200)})"
    )
    say(
        f"  search p95 <= 10 ms through the API (at 50,000 people): {solo:.1f} ms uncached one request at"
        f" a time ({verdict(solo <= 10)}); {loaded:.1f} ms under {' '.join(WRK_ARGS[:2])}"
    )
    say(f"  a worker's memory < 150 MB (at 50,000 people): {megabytes:.0f} MB ({verdict(megabytes < 150)})")


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sizes = [
        int(size) for size in os.environ.get("BENCH_LOAD_PEOPLE", "3000,50000").split(",") if size.strip()
    ]
    VAR.mkdir(exist_ok=True)
    started = time.perf_counter()
    say(f"load bench: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work shares them)")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as work:
            for people in sizes:
                size_started = time.perf_counter()
                run(people, Path(work))
                say(f"({people} people: {time.perf_counter() - size_started:.0f} s)")
    except KeyboardInterrupt:
        say("\ninterrupted")
    finally:
        for process in list(SERVERS):
            with contextlib.suppress(Exception):
                stop(process)
    say(f"\nrun time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
