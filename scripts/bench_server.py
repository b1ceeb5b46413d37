"""For the page benchmark: gunicorn with the production settings, an HTTP client, memory readings.

gunicorn runs one sync worker bound to a free port on 127.0.0.1, so every request
is served by the same process (whose memory is read from /proc). The client is
http.client with its own cookie jar: production cookies are marked Secure, which a
standard cookie jar would not send over plain HTTP on loopback.
"""

import contextlib
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def production_env(secret_key: str, database_url: str, static_root: str) -> dict[str, str]:
    """The environment gunicorn runs with: production's settings, plain HTTP on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS", "PYTHONPATH"}
        and not key.startswith(("DJANGO_", "SESSION_", "TRUST_", "SIGN_IN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=str(SCRIPTS),
        DEBUG="false",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"collectstatic failed:\n{result.stderr[-3000:]}")


class Gunicorn:
    """gunicorn in the venv, one sync worker; a context manager that always stops it."""

    def __init__(self, env: dict[str, str], timeout: int = 600):
        self.env = env
        self.timeout = timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--timeout",
                str(self.timeout),
                "--graceful-timeout",
                "5",
            ],
            cwd=PROJECT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _, body, _ = Client(self.port).get("/healthz")
                if status == 200 and self.worker_pid():
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.log_tail()}")

    def worker_pid(self) -> int | None:
        """The pid of gunicorn's one worker (a child of the master)."""
        if self.process is None:
            return None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            children = path.read_text().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # Only what we started: its own session, made by start_new_session.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        self.log.close()

    def log_tail(self, chars: int = 4000) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-chars:]


class Client:
    """A minimal HTTP client: one connection per request (gunicorn's sync worker closes it)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """(status, headers, body, seconds): the time runs until the last byte is read."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.port, timeout=600)
        try:
            start = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - start
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers, data, elapsed

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]):
        return self.request(
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def csrf_token(self, path: str) -> str:
        status, _, body, _ = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}, expected a form")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match:
            raise RuntimeError(f"no CSRF token in the form at {path}")
        return html.unescape(match.group(1).decode())

    def sign_in(self, path: str, username: str, password: str, next_url: str = "") -> None:
        """Sign in once with the right password (django-axes locks after five failures)."""
        token = self.csrf_token(path)
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        if next_url:
            fields["next"] = next_url
        status, headers, body, _ = self.post_form(path, fields)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(
                f"signing in as {username} at {path} failed: HTTP {status} "
                f"{body[:300].decode(errors='replace')}"
            )

    def switch_council(self, council_id: int) -> None:
        token = self.csrf_token("/council/")
        status, _, _, _ = self.post_form(
            "/council/", {"csrfmiddlewaretoken": token, "council": str(council_id)}
        )
        if status != 302:
            raise RuntimeError(f"switching to council {council_id} failed: HTTP {status}")


# --- Memory ------------------------------------------------------------------------------


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    return _status_kib(pid, "VmRSS") / 1024


def hwm_mib(pid: int) -> float:
    return _status_kib(pid, "VmHWM") / 1024


def reset_hwm(pid: int) -> bool:
    """Reset the process's peak RSS (VmHWM) to its current RSS; False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class RssSampler:
    """Samples a process's RSS every few milliseconds in a thread; .peak is the largest seen."""

    def __init__(self, pid: int, interval: float = 0.005):
        self.pid = pid
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            with contextlib.suppress(OSError, KeyError):
                self.peak = max(self.peak, rss_mib(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
