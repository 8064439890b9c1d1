"""A real PostgreSQL server on loopback for one test: initdb in a scratch folder, pg_ctl start
on a free port, one database, stopped and removed afterwards. As root (as CI runs), the server
runs as the ``postgres`` system user that Debian's package creates."""
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support.ports import free_port


def _server_bin(name):
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def _as_server_user(command):
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def postgres_server():
    """Yield the URL of a fresh database on a server started for the caller."""
    initdb, pg_ctl = _server_bin("initdb"), _server_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("needs a PostgreSQL server (Debian: apt-get install postgresql); .ci/run installs it")
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root needs the 'postgres' system user that Debian's postgresql package creates")
    # a folder of its own under /tmp: the server's user cannot enter pytest's (root's) folders
    folder = Path(tempfile.mkdtemp(prefix="rnn-kit-postgres-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        for path in (folder, sockets):
            os.chown(path, server_user.pw_uid, server_user.pw_gid)
    port = free_port()
    _run(_as_server_user([initdb, "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8"]))
    _run(_as_server_user([pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w", "start",
                          "-o", f"-h 127.0.0.1 -p {port} -k {sockets}"]))
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(f"postgresql://grader@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE gradebook"))
        engine.dispose()
        yield f"postgresql://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _run(command):
    completed = subprocess.run(command, capture_output=True, text=True)
    assert completed.returncode == 0, f"{' '.join(command)} failed:\n{completed.stdout}{completed.stderr}"
