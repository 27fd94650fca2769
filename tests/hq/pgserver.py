"""A throwaway PostgreSQL server for the HQ tests (and benchmarks/hq_import.py).

It runs from Debian's server binaries (``/usr/lib/postgresql/<major>/bin``), in a fresh data
directory under /tmp, listening on 127.0.0.1 only, on a free port, with durability turned
off (a test server loses nothing that matters). PostgreSQL refuses to run as root, so under
root it runs as a dedicated system user, created when missing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_USER = "rdpg"
PREFERRED_MAJOR = "15"


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: $PG_BINDIR, Debian's, or $PATH."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    root = Path("/usr/lib/postgresql")
    candidates.append(root / PREFERRED_MAJOR / "bin")
    if root.is_dir():
        candidates += sorted((p / "bin" for p in root.iterdir()), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    return next((c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()),
                None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", SYSTEM_USER], check=True,
                       capture_output=True)
        return pwd.getpwnam(SYSTEM_USER)


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int = 0
    user: str = field(default_factory=lambda: pwd.getpwuid(os.getuid()).pw_name)
    _as: dict[str, int] = field(default_factory=dict)
    _databases: int = 0

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bindir / args[0]), *args[1:]], cwd=self.root,
                              check=check, capture_output=True, text=True, timeout=120,
                              env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"},
                              **self._as)  # type: ignore[call-overload]

    def start(self) -> None:
        if os.geteuid() == 0:
            account = _system_user()
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
            self.user = account.pw_name
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "--no-locale", "-E", "UTF8", "--no-sync")
        for _attempt in range(3):
            self.port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                       f"-c unix_socket_directories={self.root} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off")
            started = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"),
                                "-w", "-t", "60", "-o", options, "start", check=False)
            if started.returncode == 0:
                return
        log = (self.root / "log").read_text(errors="replace") if (self.root / "log").exists() \
            else ""
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log[-2000:]}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "hq") -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.user} "
                             "dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


PREFIX = "rd-pg-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_orphans(bindir: Path) -> None:
    """Stop and remove the servers of test processes that died without their teardown (a
    killed pytest worker): each server's folder names the process that started it."""
    for root in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((root / "owner").read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        orphan = PostgresServer(bindir, root)
        if os.geteuid() == 0 and root.stat().st_uid != 0:
            orphan._as = {"user": root.stat().st_uid, "group": root.stat().st_gid,
                          "extra_groups": []}
        orphan.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def throwaway_server(bindir: Path) -> Iterator[PostgresServer]:
    stop_orphans(bindir)
    root = Path(tempfile.mkdtemp(prefix=PREFIX))
    (root / "owner").write_text(str(os.getpid()))
    server = PostgresServer(bindir, root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
