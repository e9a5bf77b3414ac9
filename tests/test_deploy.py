"""Community Cloud installs requirements.txt and nothing else, then runs app.py: a fresh
virtual environment with only that must start the app, render its first page with no
exception and answer the server's health check.

Slow: a pip install, about a minute with a warm pip cache.
"""

from __future__ import annotations

import subprocess
import textwrap
import time
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.browser_support import REPO, _healthy, free_port

SMOKE = textwrap.dedent(
    """
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file("app.py", default_timeout=120).run()
    assert not at.exception, at.exception
    print("title:", at.title[0].value)
    """
)


def test_the_app_runs_from_requirements_txt_alone(tmp_path: Path) -> None:
    env_dir = tmp_path / "cloud"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    # only what requirements.txt brings: no test tools
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True
    ).stdout.lower()
    assert "streamlit==" in listed and "pytest==" not in listed and "hypothesis==" not in listed
    smoke = subprocess.run(
        [str(python), "-c", SMOKE], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert smoke.returncode == 0, smoke.stderr[-3000:]
    assert "title: " in smoke.stdout  # the first page rendered its title
    port = free_port()
    server = subprocess.Popen(
        [str(python), "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            if _healthy(url):
                break
            if server.poll() is not None:
                pytest.fail(f"streamlit run exited with {server.returncode}")
            time.sleep(0.25)
        else:
            pytest.fail("no health answer within 60 s")
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200 and b"<noscript>" in page.read()
    finally:
        server.terminate()
        server.wait(timeout=20)
