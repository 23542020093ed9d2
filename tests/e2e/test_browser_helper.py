"""The browser the web page's tests use (tests/helpers/browser.py), against a tiny static site
on 127.0.0.1 with a strict Content-Security-Policy: it reads a page, posts a form, sees that
the policy stops inline script (and would see an alert that ran), takes screenshots of the
sizes asked for, as a phone too, and reaches nothing off the machine."""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers.browser import DESKTOP, PHONE, Browser, png_size, start_browser
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.selenium_manager import SeleniumManager

CSP = "default-src 'none'; style-src 'self'"
HOSTILE = (
    "<p>before</p><script>alert('script'); document.title = 'ran'</script>"
    "<img src=x onerror=\"alert('handler'); document.title = 'ran'\"><p>after</p>"
)
PAGES = {
    "/": (
        "<!doctype html><title>Helper</title><link rel=stylesheet href=/style.css>"
        "<h1>Hello, browser</h1><p>One paragraph.</p><p hidden>Not shown.</p>"
        "<form id=f method=post action=/post><input name=q><textarea name=body></textarea>"
        "<select name=channel><option value=slack>Slack<option value=mail>Mail</select>"
        "<button type=submit name=go value=yes>Send</button></form>"
    ),
    "/hostile": f"<!doctype html><title>Hostile</title>{HOSTILE}",
    "/phone": (
        "<!doctype html><meta name=viewport content='width=device-width, initial-scale=1'>"
        "<title>Phone</title><link rel=stylesheet href=/style.css><h1>Small screen</h1>"
    ),
    "/no-viewport": "<!doctype html><title>Desktop only</title><h1>No viewport meta</h1>",
    "/outside": "<!doctype html><title>Outside</title><img src=http://example.com/x.png>",
}
STYLE = "body { font: 18px sans-serif; background: #f4f1ea; } h1 { color: #8a1c1c; }"


class Site:
    """The pages above, each with the CSP header, except under /open/ (the same page without
    it) and /outside; every POST body recorded."""

    def __init__(self) -> None:
        self.posts: list[dict[str, list[str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                guarded = not path.startswith("/open/") and path != "/outside"
                path = path.removeprefix("/open")
                if path == "/style.css":
                    self._send(200, STYLE, "text/css", guarded)
                elif path == "/cookie":
                    self.send_response(200)
                    self.send_header("Set-Cookie", "session=abc; HttpOnly; SameSite=Strict")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                elif path in PAGES:
                    self._send(200, PAGES[path], "text/html; charset=utf-8", guarded)
                else:
                    self._send(404, "not found", "text/plain", guarded)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                site.posts.append(urllib.parse.parse_qs(body.decode(), keep_blank_values=True))
                self._send(200, "<!doctype html><title>Done</title><p>Received.", "text/html")

            def _send(self, status: int, text: str, kind: str, guarded: bool = True) -> None:
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if guarded:
                    self.send_header("Content-Security-Policy", CSP)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()


def test_reads_a_page(browser: Browser, site: Site) -> None:
    browser.get(site.base + "/")
    assert browser.driver.title == "Helper"
    assert browser.find("h1").text == "Hello, browser"
    assert browser.text().splitlines()[:2] == ["Hello, browser", "One paragraph."]
    assert "Not shown." not in browser.text()
    assert len(browser.find_all("p")) == 2
    assert browser.find_all("table") == []
    assert browser.wait_for(lambda driver: driver.title == "Helper") is True
    # The stylesheet is 'self', so the policy lets it in.
    color = browser.find("h1").value_of_css_property("color")
    assert color == "rgba(138, 28, 28, 1)"


def test_fills_and_posts_a_form(browser: Browser, site: Site) -> None:
    browser.get(site.base + "/")
    browser.fill("input[name=q]", "first")
    browser.fill("input[name=q]", "NATO <b>&</b> Seoul")  # over what was there
    browser.fill("textarea[name=body]", "line one\nline two")
    browser.select("select[name=channel]", "mail")
    browser.submit("#f")
    assert browser.find("p").text == "Received."
    assert site.posts[-1] == {
        "q": ["NATO <b>&</b> Seoul"],
        "body": ["line one\r\nline two"],
        "channel": ["mail"],
        "go": ["yes"],
    }


def test_policy_stops_inline_script_and_handlers(browser: Browser, site: Site) -> None:
    browser.get(site.base + "/hostile")
    assert browser.alert_text() is None
    assert browser.driver.title == "Hostile"
    assert browser.text().splitlines() == ["before", "after"]

    def refused() -> list[str]:
        return [e["message"] for e in browser.console() if e["source"] == "security"]

    # The handler's refusal is logged once the refused image has failed, after the load event.
    browser.wait_for(lambda _: len(refused()) == 3)
    inline, image, handler = refused()
    assert "Executing inline script violates" in inline and "default-src 'none'" in inline
    assert "Loading the image" in image and "/x'" in image
    assert "Executing inline event handler violates" in handler
    assert browser.alert_text() is None
    assert browser.driver.title == "Hostile"


def test_an_alert_that_runs_is_seen(browser: Browser, site: Site) -> None:
    """The check above is worth something: the same page without the policy alerts."""
    browser.get(site.base + "/open/hostile")
    # The alert may open a moment after get() returns (chromedriver stops waiting for the
    # load when a dialog opens), and then the next command but alert_text() would fail.
    assert browser.wait_for(lambda _: browser.alert_text()) == "script"
    browser.driver.switch_to.alert.accept()
    # The image fails to load (x is a 404), so its handler runs too.
    browser.wait_for(lambda driver: browser.alert_text() == "handler")
    browser.driver.switch_to.alert.accept()
    assert browser.driver.title == "ran"


def test_nothing_off_the_machine_is_reached(browser: Browser, site: Site) -> None:
    browser.get(site.base + "/outside")

    def refused() -> bool:
        return any(
            "http://example.com/x.png" in e["message"] and "ERR_NAME_NOT_RESOLVED" in e["message"]
            for e in browser.console()
            if e["source"] == "network"
        )

    browser.wait_for(lambda _: refused())


def test_screenshots_desktop_and_phone(
    browser: Browser, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser.get(site.base + "/")
    assert png_size(browser.screenshot(tmp_path / "desktop.png").read_bytes()) == DESKTOP
    with browser.as_phone():
        browser.get(site.base + "/phone")
        assert browser.driver.execute_script("return [innerWidth, innerHeight]") == list(PHONE)
        assert png_size(browser.screenshot(tmp_path / "phone.png").read_bytes()) == PHONE
        # A page without <meta name=viewport> is laid out 980 pixels wide, as on a phone.
        browser.get(site.base + "/no-viewport")
        assert browser.driver.execute_script("return document.documentElement.clientWidth") == 980
    browser.get(site.base + "/")
    assert browser.driver.execute_script("return innerWidth") == DESKTOP[0]

    docs = tmp_path / "docs"
    monkeypatch.setenv("MONITOR_SCREENSHOTS", str(docs))
    path = browser.screenshot_for_docs("helper-desktop")
    assert path == tmp_path / "helper-desktop.png"
    assert (docs / "helper-desktop.png").read_bytes() == path.read_bytes()
    monkeypatch.delenv("MONITOR_SCREENSHOTS")
    with browser.as_phone():
        assert png_size(browser.screenshot_for_docs("helper-phone").read_bytes()) == PHONE
    assert not (docs / "helper-phone.png").exists()


def test_reset_forgets_cookies(browser: Browser, site: Site) -> None:
    browser.get(site.base + "/cookie")
    cookie = browser.cookies()["session"]
    assert (cookie["value"], cookie["httpOnly"], cookie["sameSite"]) == ("abc", True, "Strict")
    browser.reset()
    browser.get(site.base + "/")
    assert browser.cookies() == {}
    assert browser.url == site.base + "/"


def test_starts_without_selenium_manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Selenium Manager would look for (and download) a driver and a browser; the helper names
    both, so it is never asked. And a start is quick: no wait on a network that is not there."""

    def refuse(*args: object) -> dict[str, str]:
        raise AssertionError("Selenium Manager was run")

    monkeypatch.setattr(SeleniumManager, "binary_paths", refuse)
    started = time.monotonic()
    fresh = start_browser(tmp_path)
    took = time.monotonic() - started
    try:
        fresh.get("about:blank")
    finally:
        fresh.quit()
    assert took < 15, f"starting the browser took {took:.1f} s"


def test_reset_replaces_a_crashed_browser(browser: Browser, site: Site) -> None:
    """A browser that died in one test is not the next test's failure."""
    with contextlib.suppress(WebDriverException):
        browser.driver.execute_cdp_cmd("Browser.crash", {})
    for _ in range(100):
        try:
            browser.driver.get(site.base + "/")
        except WebDriverException:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the browser did not crash")
    browser.reset()
    browser.get(site.base + "/")
    assert browser.find("h1").text == "Hello, browser"
