"""The application server's error log names no client: gunicorn, started with our configuration,
is sent a malformed request, and its log is read."""

import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

from solidarity.core.logging import WithoutAddresses

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_malformed_request_leaves_no_client_address_in_gunicorns_error_log(tmp_path):
    port = _free_port()
    log = tmp_path / "error.log"
    server = subprocess.Popen(  # noqa: S603 (our own server, on the loopback address)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "solidarity.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "debug",
        ],
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={"SECRET_KEY": "x" * 60, "PATH": "/usr/bin:/bin", "HTTPS": "0"},
    )
    try:
        for _attempt in range(100):
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=20)
                break
            except OSError:
                time.sleep(0.1)
        with connection:
            connection.sendall(b"GARBAGE\r\n\r\n")
            assert connection.recv(1024).startswith(b"HTTP/1.1 400")
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=10)
    written = log.read_text()
    assert "Invalid request from ip=[address]" in written
    assert "127.0.0.1" not in written  # the client's, and even the server's own listening address


def test_every_address_form_is_blanked():
    record = logging.LogRecord(
        "gunicorn.error", logging.WARNING, "", 0, "from %s and %s", ("203.0.113.7", "2001:db8::1"), None
    )
    WithoutAddresses().filter(record)
    assert record.getMessage() == "from [address] and [address]"
