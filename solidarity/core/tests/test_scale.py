"""`make scale` from the repository's own files: nginx in front of two app servers and a worker,
on this machine's PostgreSQL and Redis. Through nginx an anonymous page is kept for a few seconds
(MISS, then HIT), a page with a form or a visitor with a cookie never is, static files come from
nginx itself, and Ctrl+C stops the whole set. They run in the suite's pass on PostgreSQL and Redis
(`DATABASE_URL`); there they skip where nginx, PostgreSQL or Redis are missing, and fail in CI."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own local server)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


def _start(tmp_path, *, demo: bool):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # The set always runs on PostgreSQL and Redis: once, in the suite's pass at scale.
        pytest.skip(
            "make scale's tests run in the pass on PostgreSQL and Redis (DATABASE_URL=postgres://...)."
        )
    missing = [
        what
        for what, ok in (("nginx", NGINX), ("PostgreSQL", answers(5432)), ("Redis", answers(6379)))
        if not ok
    ]
    if missing:
        message = (
            f"make scale needs {', '.join(missing)} (apt-get install nginx; PostgreSQL and Redis running)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import psycopg

    database = f"solidarity_scale_test_{uuid.uuid4().hex[:8]}"
    ports = {"SCALE_PORT": free_port(), "SCALE_ONION_PORT": free_port()}
    app_ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "SCALE_APP_PORTS": ",".join(map(str, app_ports)),
        "SECRET_KEY": "scale-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "SECRET_KEY_FILE": "",
        "GUNICORN_WORKERS": "1",
        "SCALE_MICRO_CACHE": "2s",
        "CHORES_AT": "00:00",  # the day's chores due at once, whatever the hour of the run
        "VERSIONS_DIR": str(tmp_path / "versions"),
        **{name: str(value) for name, value in ports.items()},
    }
    for test_only in ("DJANGO_SETTINGS_MODULE", "TASKS_BACKEND", "STATIC_MANIFEST"):
        env.pop(test_only, None)  # the suite's own settings, not the set's
    # Its own keys in Redis: rate limits and one-use markers of an earlier run must not count here.
    env["CACHE_KEY_PREFIX"] = f"scale-test-{database}"
    if demo:
        env["DEMO_PEOPLE"] = "40"
    started = subprocess.Popen(  # noqa: S603
        [sys.executable, "deploy/scale.py", *([] if demo else ["--no-demo"])],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output = []
    try:
        for line in started.stdout:
            output.append(line)
            if "serving through nginx" in line or started.poll() is not None:
                break
        assert "serving through nginx" in "".join(output), "".join(output[-40:])
        yield started, ports["SCALE_PORT"], app_ports, env
    finally:
        if started.poll() is None:
            started.send_signal(signal.SIGINT)
            started.wait(timeout=60)
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        import redis

        keys = redis.Redis.from_url(env["REDIS_URL"])
        for pattern in (
            f"*scale-test-{database}*",
            "rq:*",
        ):  # and the worker's queue, next day's run included
            for key in keys.scan_iter(pattern):
                keys.delete(key)


@pytest.fixture
def scaled_set(tmp_path):
    yield from _start(tmp_path, demo=False)


@pytest.fixture
def scaled_set_with_demo(tmp_path):
    yield from _start(tmp_path, demo=True)


def test_make_scale_serves_through_nginx_keeps_anonymous_pages_and_stops_with_ctrl_c(scaled_set):
    started, port, app_ports, _env = scaled_set
    site = f"http://127.0.0.1:{port}"
    first = fetch(f"{site}/en/people/")
    second = fetch(f"{site}/en/people/")
    assert first[0] == second[0] == 200
    assert (first[1]["X-Cache"], second[1]["X-Cache"]) == ("MISS", "HIT")
    assert first[2] == second[2]
    time.sleep(3)  # past the micro-cache's 2 s: the app's max-age (300 s) is for browsers only
    assert fetch(f"{site}/en/people/")[1]["X-Cache"] != "HIT"
    # A visitor with a cookie (a friend's session, a form's CSRF token) always reaches the app.
    assert fetch(f"{site}/en/people/", Cookie="csrftoken=x")[1]["X-Cache"] == "BYPASS"
    # A page with a form is private: nginx never keeps it.
    form = [fetch(f"{site}/en/testimonies/new/")[1] for _ in range(2)]
    assert [headers["X-Cache"] for headers in form] == ["MISS", "MISS"] and "no-store" in form[0][
        "Cache-Control"
    ]
    static = fetch(f"{site}/static/js/pow.js")[1]
    assert "X-Cache" not in static and "immutable" in static["Cache-Control"]  # nginx's own, not the app's
    assert all(answers(app) for app in app_ports)

    started.send_signal(signal.SIGINT)
    assert started.wait(timeout=60) == 0
    time.sleep(1)
    assert not answers(port) and not any(answers(app) for app in app_ports)


class Visitor:
    """One browser (its cookies), sending each request to the app server it is given."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def send(self, port: int, path: str, form: dict | None = None) -> str:
        import urllib.parse

        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        if data is not None:
            headers["Referer"] = f"http://127.0.0.1:{port}{path}"
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _eq, rest = cookie.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.read().decode()


def _guarded_form(page: str) -> dict:
    a, b = map(int, re.search(r"How much is (\d+) plus (\d+)\?", page).groups())
    return {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
        "question_token": re.search(r'name="question_token" value="([^"]+)"', page).group(1),
        "answer": str(a + b),
    }


def shell(env: dict, code: str) -> str:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]


def test_two_app_servers_share_sessions_friend_counts_one_use_proofs_rate_limits_and_versions(
    scaled_set_with_demo,
):
    _started, _port, (first, second), env = scaled_set_with_demo
    petition = "/en/petitions/free-them-all/"
    visitor = Visitor()

    # Befriended through one server: the other knows the friend (sessions) and counts the friend.
    held = shell(
        env,
        "from solidarity.registry.models import Person; print(Person.objects.published()"
        ".filter(status='political_prisoner').order_by('pk').values_list('pk', flat=True)[0])",
    )
    friend = Visitor()
    befriend = f"/en/people/{held}/befriend/"
    codename_page = friend.send(first, befriend, _guarded_form(friend.send(first, befriend)))
    assert "codename" in codename_page.lower()
    name = shell(
        env,
        f"from solidarity.registry.models import Person; print(Person.objects.get(pk={held}).last_name_en)",
    )
    assert name in friend.send(second, "/en/friends/me/")
    profile = friend.send(second, f"/en/people/{held}/")  # a visitor with a cookie: never a kept page
    assert re.search(r"<dt>Friends</dt><dd>1 ", profile)

    # The worker (RQ's, on Redis) has done the day's chores, due at once (CHORES_AT 00:00).
    for _ in range(60):
        if shell(env, "from solidarity.core.models import ChoreDay; print(ChoreDay.objects.count())") == "1":
            break
        time.sleep(1)
    else:
        pytest.fail("the worker did not run the day's chores")

    def sign_on(port: int, number: int, guard: dict | None = None) -> tuple[str, dict]:
        guard = guard or _guarded_form(visitor.send(port, petition))
        form = {**guard, "country": "DE", "show_name": "", "name": "", "email": f"s{number}@example.org"}
        return visitor.send(port, petition + "sign/", form), guard

    # An answer used on one server is spent on the other (the ledger is Redis, not a process's).
    page, spent = sign_on(first, 0)
    assert "Check your mailbox" in page
    guard_again = {
        **spent,
        "csrfmiddlewaretoken": _guarded_form(visitor.send(second, petition))["csrfmiddlewaretoken"],
    }
    replayed, _guard = sign_on(second, 1, guard_again)
    assert "That answer is not right" in replayed

    # The limit on answers per client counts both servers' requests together.
    limit = int(env.get("FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS", "6"))
    answers_sent, refused_at = 3, None  # the befriending's, the signature's, the replay's
    for number in range(2, limit + 3):
        page, _guard = sign_on(first if number % 2 else second, number)
        answers_sent += 1
        if "Too many requests from here" in page:
            refused_at = answers_sent
            break
    assert refused_at == limit + 1  # one server's own count would have allowed twice as many

    # A change made through one process is seen at once by both servers (the data's versions).
    rename = (
        "from solidarity.registry.models import Person; p = Person.objects.order_by('pk').first(); "
        "p.last_name_en = 'Renamedbyscaletest'; p.save(); print(p.pk)"
    )
    pk = shell(env, rename)
    for port in (first, second):
        assert "Renamedbyscaletest" in Visitor().send(port, f"/en/people/{pk}/"), port
