"""`symposia serve --with-worker` (what `make run` does): the site and the mail worker together."""

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.test_settings import SRC, run_symposia


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_serve_with_worker_sends_queued_mail_and_stops_the_worker(tmp_path):
    # `make run` once served the site without a worker: the confirmation mail of a new account
    # stayed queued, so nobody could confirm an address.
    assert run_symposia(tmp_path, "migrate", "-v0").returncode == 0
    queue = (
        "from symposia.common.mail import queue_mail; "
        "queue_mail(to=['nora@uni-bonn.de'], subject='Confirm', body_text='Link')"
    )
    assert run_symposia(tmp_path, "shell", "-c", queue).returncode == 0
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(SRC),
        "SYMPOSIA_DATA_DIR": str(tmp_path / "data"),
        "HTTPS": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "symposia", "serve", "--port", str(port), "--workers", "1"]
        + ["--with-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sent_mail = tmp_path / "data" / "sent-mail"
    try:
        assert wait_for(lambda: sent_mail.exists() and any(sent_mail.iterdir()))
        assert "To: nora@uni-bonn.de" in next(sent_mail.iterdir()).read_text()
        assert wait_for(lambda: _answers(port))
        children = _children(server.pid)
        assert any("worker" in cmd for cmd in children.values())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert wait_for(lambda: not any(_alive(pid) for pid in children), 15)


def _answers(port: int) -> bool:
    """Whether gunicorn answers HTTP on `port` (static files are not collected here)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _children(pid: int) -> dict[int, str]:
    """pid -> command line of the direct children of `pid` (Linux /proc)."""
    out = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return {int(line.split(None, 1)[0]): line.split(None, 1)[1] for line in out.splitlines()}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False
