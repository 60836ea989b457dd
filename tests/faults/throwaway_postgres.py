"""A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temp dir), to stop and start.

initdb refuses to run as root, so as root every command runs as the ``postgres`` OS user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.faults.fault_support import free_port


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder (Debian layout), if any."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


class ThrowawayPostgres:
    """A cluster in a temp dir on a free port; ``url`` reaches its ``postgres`` database."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    def run(self, tool: str, *args: str, check: bool = True) -> None:
        """Run a server tool (as the postgres user when we are root); fail with its output."""
        command = [str(self.bin_dir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if check:
            assert done.returncode == 0, f"{tool}: {done.stdout[-1500:]}{done.stderr[-1500:]}"

    def create(self) -> None:
        """initdb with trust auth for local connections (the cluster lives only for this test)."""
        self.run(
            "initdb",
            *("-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            *("--locale=C", "--no-sync", "--no-instructions"),
        )

    def replica(self) -> ThrowawayPostgres:
        """A streaming standby of this (running) cluster: ``pg_basebackup -R``, not started.

        ``-R`` writes ``standby.signal`` and the ``primary_conninfo`` to follow this server;
        initdb's trust rules already admit replication connections from 127.0.0.1.
        """
        standby = ThrowawayPostgres(self.bin_dir)
        self.run(
            "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"),
            *("-D", str(standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
        )
        return standby

    def start(self) -> None:
        """Start the server and wait until it accepts connections (after crash recovery)."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c shared_buffers=16MB -c max_connections=40"
        )
        log = str(self.root / "log")
        self.run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server; ``immediate`` is a crash for the clients (no clean shutdown)."""
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        """Stop the server if it runs and delete the cluster."""
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
