"""The processes of the scale-out run: PgBouncer, gunicorn servers, scheduler processes.

Each listens on 127.0.0.1 only, logs to a file in the run's folder and can be SIGKILLed (a web
server with its whole process group: the gunicorn arbiter and its workers die together).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import make_url

from tests.faults.fault_support import free_port

ROOT = Path(__file__).resolve().parents[2]
APP = "tests.faults.scale_out_app"
START_TIMEOUT = 90.0  # a loaded 2-core machine takes a while to import Flask in 4 workers


def pgbouncer_binary() -> str | None:
    """Debian's pgbouncer (apt-get install pgbouncer), if installed."""
    return shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )


class PgBouncer:
    """PgBouncer in transaction pooling mode in front of one PostgreSQL server."""

    def __init__(self, server_url: str, pool_size: int = 8) -> None:
        # A folder of its own under /tmp: as root it runs as ``postgres``, who cannot enter
        # pytest's private temp folders.
        self.folder = Path(tempfile.mkdtemp(prefix="tracker-pgbouncer-"))
        self.server = make_url(server_url)
        self.port = free_port()
        self.pool_size = pool_size
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The same database, reached through PgBouncer."""
        return self.server.set(host="127.0.0.1", port=self.port).render_as_string(
            hide_password=False
        )

    def write_config(self) -> Path:
        """pgbouncer.ini and its users file; trust, as the test server itself is."""
        users = self.folder / "users.txt"
        users.write_text(f'"{self.server.username or "postgres"}" ""\n')
        config = self.folder / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host={self.server.host or '127.0.0.1'} port={self.server.port or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {users}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {self.pool_size}\nmax_client_conn = 500\n"
            "ignore_startup_parameters = extra_float_digits\n"
            f"logfile = {self.folder / 'pgbouncer.log'}\n"
        )
        return config

    def start(self) -> None:
        """Run it in the foreground of a child (as ``postgres`` when we are root: it refuses
        root) and wait until it accepts connections."""
        config = self.write_config()
        command = [pgbouncer_binary() or "pgbouncer", str(config)]
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for_port(self.port, self.process, self.folder / "pgbouncer.log")

    def stop(self) -> None:
        """Stop it (its whole group) and delete its folder."""
        stop_group(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


class WebServer:
    """``gunicorn`` (gthread) serving the app on a fixed loopback port."""

    def __init__(self, folder: Path, name: str, env: dict[str, str], workers: int = 2) -> None:
        self.log = folder / f"{name}.log"
        self.env = env
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        """Start it (again, on the same port) and wait until /health answers."""
        command = [
            *(sys.executable, "-m", "gunicorn", f"{APP}:app"),
            *("--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)),
            *("--worker-class", "gthread", "--threads", "4", "--timeout", "60", "--preload"),
        ]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        self.starts += 1
        wait_for_health(self.port, self.process, self.log)

    def kill(self) -> None:
        """SIGKILL the arbiter and its workers at once, wherever they are."""
        stop_group(self.process)


class Scheduler:
    """One ``flask scheduler`` process on the jobs' clock file."""

    def __init__(self, folder: Path, name: str, env: dict[str, str], clock: Path) -> None:
        self.log = folder / f"{name}.log"
        self.env = env
        self.clock = clock
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it; it stands by or leads, by the lease."""
        command = [
            *(sys.executable, "-m", "flask", "--app", APP, "scheduler"),
            *("--clock-file", str(self.clock), "--interval", "0.5"),
        ]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )

    @property
    def pid(self) -> int | None:
        """The process id while it runs."""
        return self.process.pid if self.process and self.process.poll() is None else None

    def kill(self) -> None:
        """SIGKILL it."""
        stop_group(self.process)

    def terminate(self, timeout: float = 60.0) -> int:
        """SIGTERM: it finishes its jobs and gives the lease up; its exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)


def child_env(database_url: str, settings: dict[str, Any]) -> dict[str, str]:
    """The environment of the run's children: the database and the extra test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "DATABASE_"))}
    env.update(
        SCALE_OUT_DATABASE_URL=database_url,
        SCALE_OUT_SETTINGS=json.dumps(settings),
        PYTHONPATH=str(ROOT),
    )
    return env


def stop_group(process: subprocess.Popen | None) -> None:
    """SIGKILL a child's process group and reap the child."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """Wait until something accepts TCP connections on the port."""
    import socket

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"stopped ({process.returncode}): {tail(log)}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}: {tail(log)}")


def wait_for_health(port: int, process: subprocess.Popen, log: Path) -> None:
    """Wait until GET /health answers 200."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server stopped ({process.returncode}): {tail(log)}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise AssertionError(f"server on {port} never healthy: {tail(log)}")


def tail(log: Path) -> str:
    """The end of a log file."""
    return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
