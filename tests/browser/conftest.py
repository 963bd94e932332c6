"""End-to-end tests in Debian's Chromium driven by Playwright.

The application runs in a thread of the test process (werkzeug, port 0) against
its own SQLite file, built by the migrations and filled with the Flemish demo
portfolio through ``flask demo load``: a real committed database, real CSRF,
real sessions. The tests share one demo (``live_app``); a walk that changes what
the others rely on (the officer's year submits 2024) serves a demo of its own
(``served_demo``). Screenshots of the main pages land in artifacts/screenshots/
(kept out of git). Without /usr/bin/chromium the tests are skipped.
"""
from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import pytest
from flask import Flask

CHROMIUM = Path(os.environ.get("AIDLEDGER_CHROMIUM", "/usr/bin/chromium"))
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
#: axe-core, installed by `make install-test` (npm ci, pinned in package-lock.json)
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: the WCAG 2.1 A and AA rules axe checks
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LAPTOP = {"width": 1366, "height": 768}

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class Demo(NamedTuple):
    base: str  #: the URL it answers at
    app: Flask  #: for what the scheduler would do meanwhile (the export and classification jobs)


@contextmanager
def served_demo(directory: Path) -> Iterator[Demo]:
    """The demo portfolio in a new SQLite file in ``directory``, served over HTTP from a thread."""
    from werkzeug.serving import make_server

    from app import create_app, migrate
    from app.db import get_db

    url = f"sqlite:///{directory / 'aidledger-browser.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": uuid.uuid4().hex, "WTF_CSRF_ENABLED": True})
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Demo(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        get_db(app).engine.dispose()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The demo the browser tests share; yields the base URL."""
    with served_demo(tmp_path_factory.mktemp("browser")) as demo:
        yield demo.base


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One person's browser: signs in, goes places, takes screenshots."""

    def __init__(self, browser, base: str, javascript: bool = True):
        self.base = base
        self.context = browser.new_context(viewport=LAPTOP, locale="en-GB", java_script_enabled=javascript)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.expected_statuses: set[int] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def _console(self, message) -> None:
        expected = any(f"status of {status}" in message.text for status in self.expected_statuses)
        if message.type == "error" and not expected:
            self.console_errors.append(message.text)

    def go(self, path: str, status: int = 200):
        """Open ``path``; a page answering another status than ``status`` fails the test."""
        if status >= 400:
            self.expected_statuses.add(status)
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, f"{path}: {response and response.status}"
        return self.page

    def sign_in(self, email: str, password: str = "aidledger-demo"):
        self.go("/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url, f"{email} could not sign in"
        return self.page

    def accessibility_violations(self) -> list[dict]:
        """axe-core's critical and serious WCAG 2.1 AA violations on the open page.

        The CSP forbids inline scripts, so axe is not added as a <script>: its source is
        evaluated through the DevTools protocol (page.evaluate), which the CSP does not govern.
        """
        if not AXE.exists():
            pytest.skip(f"axe-core is not installed ({AXE}): run `make install-test` (npm ci)")
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        found = self.page.evaluate(AXE_RUN, AXE_TAGS)
        return [v for v in found if v["impact"] in ("critical", "serious")]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextmanager
def visits(browser, base: str) -> Iterator[Callable[[], Visit]]:
    """Opens a ``Visit`` of ``base`` per call; at the end closes them and fails on console errors."""
    opened = []

    def open_visit() -> Visit:
        v = Visit(browser, base)
        opened.append(v)
        return v

    yield open_visit
    for v in opened:
        v.context.close()
        assert not v.console_errors, f"errors in the browser console: {v.console_errors}"


@pytest.fixture
def visit(browser, live_app):
    with visits(browser, live_app) as open_visit:
        yield open_visit
