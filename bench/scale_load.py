"""`make bench-load`'s scaled-out part (also `python -m bench.scale_load`): the set `make scale`
starts (nginx micro-caching in front of two app servers, the worker, PostgreSQL and Redis), under
wrk at 64 connections, in the same run as nginx serving a static file of the same bytes and the
minimal Django view (the framework's floor) serving them too: the home page, the list, a rotating
profile, statistics and the search API. Then an uncached profile (a cookie that bypasses nginx's
cache) on one app server alone and on both behind nginx. Figures, never assertions; the goals
are printed beside them.

BENCH_SCALE_PEOPLE (3000) sets the registry (its own PostgreSQL database, kept between runs),
BENCH_SCALE_WRK (-t2 -c64 -d5s) the load."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import ROOT, Server, free_port, get, say, targets, warm, wrk

PEOPLE = int(os.environ.get("BENCH_SCALE_PEOPLE", "3000"))
ARGS = os.environ.get("BENCH_SCALE_WRK", "-t2 -c64 -d5s").split()
BYPASS = ["-H", "Cookie: csrftoken=bench"]  # nginx's cache is bypassed; the app's own still counts
TWINS = ROOT / "var" / "static" / "bench-twins"  # nginx serves var/static at /static/


def start_set(work: Path) -> tuple[subprocess.Popen, int, list[int], dict]:
    port, apps = free_port(), [free_port(), free_port()]
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get(
            "BENCH_SCALE_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/solidarity_bench_scale_{PEOPLE}"
        ),
        "REDIS_URL": os.environ.get("BENCH_SCALE_REDIS_URL", "redis://127.0.0.1:6379/8"),
        "SCALE_PORT": str(port),
        "SCALE_ONION_PORT": str(free_port()),
        "SCALE_APP_PORTS": ",".join(map(str, apps)),
        "DEMO_PEOPLE": str(PEOPLE),
    }
    log = open(work / "scale.log", "w")  # noqa: SIM115 (open while the set runs)
    started = subprocess.Popen(  # noqa: S603
        [sys.executable, "deploy/scale.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.time() + 1800  # a first run builds the registry on PostgreSQL
    while "serving through nginx" not in (work / "scale.log").read_text(errors="replace"):
        if started.poll() is not None or time.time() > deadline:
            raise SystemExit("make scale did not start:\n" + (work / "scale.log").read_text()[-3000:])
        time.sleep(1)
    return started, port, apps, env


def row(name: str, measured: dict, base: float | None = None, base_name: str = "") -> None:
    ratio = f"{measured['rps'] / base:5.2f}x {base_name}" if base else ""
    trouble = (
        f"  ({measured['bad']} non-2xx, {measured['errors']} socket errors)"
        if measured["errors"] or measured["bad"]
        else ""
    )
    say(f"{name:<34} {measured['rps']:8.0f} {measured['p50']:8.1f} {measured['p99']:8.1f}  {ratio}{trouble}")


def main() -> int:
    missing = [
        tool for tool in ("wrk", "nginx") if not (shutil.which(tool) or shutil.which(tool, path="/usr/sbin"))
    ]
    if missing:
        say(
            f"bench-load (scaled out) needs {' and '.join(missing)}: "
            f"apt-get install {' '.join(missing)}. Not run."
        )
        return 0
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        say(
            f"\n== the scaled-out set through nginx ({PEOPLE} people, PostgreSQL, Redis; "
            f"wrk {' '.join(ARGS)}) =="
        )
        started, port, apps, env = start_set(work)
        floor = None
        try:
            profiles, searches = targets(port)
            pages = [
                ("home", "/en/", ["/en/"]),
                ("people list", "/en/people/", ["/en/people/"]),
                ("profile", r"/en/people/\d+/", profiles),
                ("statistics", "/en/statistics/", ["/en/statistics/"]),
                ("search API", "/api/v1/people", searches),
            ]
            TWINS.mkdir(parents=True, exist_ok=True)
            manifest = []
            for index, (_name, pattern, paths) in enumerate(pages):
                _, _, status, content_type, body = get(port, paths[0])
                if status != 200:
                    raise SystemExit(f"{paths[0]} answered {status} through nginx")
                (TWINS / f"page{index}.html").write_bytes(body)
                (work / f"page{index}").write_bytes(body)
                manifest.append(
                    {"pattern": pattern, "content_type": content_type, "body": str(work / f"page{index}")}
                )
            (work / "floor.json").write_text(json.dumps(manifest))
            floor_env = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "REDIS_URL")}
            floor = Server(
                {**floor_env, "BENCH_FLOOR_MANIFEST": str(work / "floor.json")},
                work,
                "floor",
                "bench.floor_settings",
            )
            say(f"{'':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  ratio")
            cached_ratios, worst_p99 = {}, 0.0
            for index, (name, _pattern, paths) in enumerate(pages):
                static = wrk(port, [f"/static/bench-twins/page{index}.html"], False, work, ARGS)
                warm(port, paths)
                through = wrk(port, paths, False, work, ARGS)
                django_floor = wrk(floor.port, paths, False, work, ARGS)
                row(f"{name}: nginx static, same bytes", static)
                row(f"{name}: minimal Django view", django_floor, static["rps"], "of static")
                row(f"{name}: the site through nginx", through, static["rps"], "of static")
                cached_ratios[name] = through["rps"] / static["rps"]
                worst_p99 = max(worst_p99, through["p99"])
            say("\nan uncached profile (nginx's cache bypassed by a cookie):")
            one = wrk(apps[0], profiles, True, work, [*ARGS, *BYPASS])
            both = wrk(port, profiles, True, work, [*ARGS, *BYPASS])
            row("one app server, directly", one)
            row("two app servers, behind nginx", both, one["rps"], "of one")
            say("\ngoals (issue 20), figures, not assertions:")
            met = all(ratio >= 0.5 for ratio in cached_ratios.values())
            shown = ", ".join(f"{name} {ratio:.2f}x" for name, ratio in cached_ratios.items())
            say(
                f"  cached public pages behind the proxy >= 0.5x nginx static: {shown} "
                f"({'met' if met else 'NOT met'})"
            )
            say(
                f"  p99 under 100 ms at 64 connections: worst {worst_p99:.1f} ms "
                f"({'met' if worst_p99 < 100 else 'NOT met'})"
            )
            say(
                f"  an uncached profile from one app server to two: "
                f"{one['rps']:.0f} -> {both['rps']:.0f} req/s "
                f"({both['rps'] / one['rps']:.2f}x; wrk shares this machine's two cores with them)"
            )
        finally:
            if floor is not None:
                floor.stop()
            started.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                started.wait(timeout=60)
            shutil.rmtree(TWINS, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
