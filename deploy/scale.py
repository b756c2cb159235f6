"""`make scale`: the scaled-out set on this machine, from the repository's own files: nginx in
front (deploy/nginx/solidarity.conf.template, micro-caching anonymous pages), two gunicorn app
servers on their own ports, the background worker, on the PostgreSQL and Redis already running
here. Ctrl+C stops the whole set.

SCALE_PORT (8080), SCALE_APP_PORTS (8001,8002), SCALE_ONION_PORT (8081), DATABASE_URL
(postgres://postgres@127.0.0.1:5432/solidarity_scale, created when missing), REDIS_URL
(redis://127.0.0.1:6379/5) and SCALE_MICRO_CACHE (5s) change it. `--no-demo` skips the demo data."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STATE = ROOT / "var" / "scale"


def say(message: str) -> None:
    print(f"make scale: {message}", flush=True)


def environment() -> dict:
    env = {
        **os.environ,
        "SECRET_KEY_FILE": os.environ.get("SECRET_KEY_FILE", str(ROOT / "var" / "secret_key")),
        "HTTPS": os.environ.get("HTTPS", "0"),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,.onion"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solidarity_scale"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2"),
        "SERVE_MEDIA": "0",  # nginx serves media
        "BEHIND_PROXY": "1",  # nginx's X-Forwarded-For, from TRUSTED_PROXIES only
        "TRUSTED_PROXIES": "127.0.0.1,::1",
    }
    demo_key = ROOT / "var" / "demo-legal-team" / "public.key"  # `make scale` makes it, as `make run` does
    if demo_key.exists():
        env.setdefault("TESTIMONY_PUBLIC_KEY_FILE", str(demo_key))
    return env


def reachable(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def answers_through(port: int) -> bool:
    """The app answers through nginx (its workers have warmed up). The cookie keeps the probe's
    page out of nginx's cache."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/en/", headers={"Cookie": "csrftoken=probe"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (our own local server)
            return response.status == 200
    except OSError:
        return False


def ensure_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            say(f"created the database {name}")


def nginx_config(app_ports: list[int], port: int, onion_port: int, micro_cache: str) -> Path:
    STATE.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(STATE / "cache", ignore_errors=True)  # pages kept by an earlier set, of other data
    site = (ROOT / "deploy" / "nginx" / "solidarity.conf.template").read_text()
    for name, value in {
        "@CACHE_DIR@": str(STATE / "cache"),
        "@UPSTREAMS@": "\n".join(f"    server 127.0.0.1:{p};" for p in app_ports),
        "@LISTEN@": f"127.0.0.1:{port}",
        "@SERVER_NAME@": "127.0.0.1 localhost",
        "@ERROR_LOG@": str(STATE / "error.log"),
        "@STATIC_ROOT@": str(ROOT / "var" / "static"),
        "@MEDIA_ROOT@": str(ROOT / "var" / "media"),
        "@MICRO_CACHE@": micro_cache,
        "@CACHE_STATUS@": "$upstream_cache_status",
        "@ONION_LISTEN@": f"127.0.0.1:{onion_port}",
        "@ONION_NAME@": "*.onion",
    }.items():
        site = site.replace(name, value)
    (STATE / "solidarity.conf").write_text(site)
    temp = STATE / "temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers may then read var/ and write var/scale
    main = f"""{user}worker_processes 1;
pid {STATE / "nginx.pid"};
error_log {STATE / "error.log"} crit;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {STATE / "solidarity.conf"};
}}
"""
    (STATE / "nginx.conf").write_text(main)
    return STATE / "nginx.conf"


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *arguments], cwd=ROOT, env=env, check=True)  # noqa: S603


def main(arguments: list[str]) -> int:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not nginx:
        say("nginx is not installed; on Debian: apt-get install nginx. Nothing was started.")
        return 1
    env = environment()
    database = urllib.parse.urlsplit(env["DATABASE_URL"])
    redis = urllib.parse.urlsplit(env["REDIS_URL"])
    for what, host, port in (
        ("PostgreSQL", database.hostname or "127.0.0.1", database.port or 5432),
        ("Redis", redis.hostname or "127.0.0.1", redis.port or 6379),
    ):
        if not reachable(host, port):
            say(f"{what} does not answer at {host}:{port}; start it first. Nothing was started.")
            return 1
    ensure_database(env["DATABASE_URL"])
    port = int(os.environ.get("SCALE_PORT", "8080"))
    onion_port = int(os.environ.get("SCALE_ONION_PORT", "8081"))
    app_ports = [int(p) for p in os.environ.get("SCALE_APP_PORTS", "8001,8002").split(",")]
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_country")
    manage(env, "load_letter_rules")
    if "--no-demo" not in arguments:
        manage(env, "demo_data", "--if-empty", "--people", os.environ.get("DEMO_PEOPLE", "3000"))
        for command in ("demo_donations", "demo_magazine", "demo_petitions"):
            manage(env, command, "--if-empty")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    config = nginx_config(app_ports, port, onion_port, os.environ.get("SCALE_MICRO_CACHE", "5s"))

    children: list[subprocess.Popen] = []

    def stop(*_signal) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()

    def start(command: list[str], extra: dict | None = None) -> None:
        children.append(subprocess.Popen(command, cwd=ROOT, env={**env, **(extra or {})}))  # noqa: S603

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        for app_port in app_ports:
            gunicorn = [str(BIN / "gunicorn"), "solidarity.wsgi", "--config", "gunicorn.conf.py"]
            start(gunicorn, {"BIND": f"127.0.0.1:{app_port}"})
        start([str(BIN / "python"), "manage.py", "worker"])  # RQ's, on Redis
        start([nginx, "-p", str(STATE), "-c", str(config), "-g", "daemon off;"])
        for _ in range(240):
            if all(reachable("127.0.0.1", p) for p in [port, *app_ports]) and answers_through(port):
                break
            if any(child.poll() is not None for child in children):
                say("a part of the set stopped while starting; see its messages above.")
                return 1
            time.sleep(0.5)
        else:
            say("the site did not answer through nginx within two minutes; stopping the set.")
            return 1
        say(
            f"serving through nginx on http://127.0.0.1:{port}/ "
            f"(app servers on {', '.join(map(str, app_ports))}, "
            f"the onion server block on {onion_port}, a worker; PostgreSQL and Redis). Ctrl+C stops the set."
        )
        while all(child.poll() is None for child in children):
            time.sleep(1)
        say("a part of the set stopped; stopping the rest.")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
