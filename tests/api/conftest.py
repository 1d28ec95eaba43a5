"""The workbench app and a real server for API tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from postgres import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def analysis():
    """The default pipeline, loaded once for every app the tests build."""
    from propscope.store.importer import Analysis

    return Analysis()


@pytest.fixture
def make_client(store_url, analysis, tmp_path):
    """``make_client(**create_app options)``: a TestClient over a fresh store."""
    from fastapi.testclient import TestClient

    from propscope.api import create_app

    clients = []

    def make(**options):
        options.setdefault("api_keys", [])
        options.setdefault("upload_dir", tmp_path / "uploads")
        app = create_app(store_url, analysis=analysis, **options)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


class Server:
    """``propscope serve`` in a subprocess on a free loopback port."""

    def __init__(self, db: str, data_home: Path, keys: str = ""):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "XDG_DATA_HOME": str(data_home),
            "PROPSCOPE_API_KEYS": keys,
        }
        self.process: subprocess.Popen | None = None
        self.log = data_home / f"server-{self.port}.log"

    def start(self, timeout: float = 120) -> Server:
        command = [sys.executable, "-m", "propscope", "serve", "--db", self.db,
                   "--port", str(self.port)]  # fmt: skip
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not answer in time")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)

    def stop(self) -> str:
        """Stop politely; the server's output so far."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_server(store_url, tmp_path):
    servers = []

    def start(**options) -> Server:
        server = Server(store_url, tmp_path / "data", **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
