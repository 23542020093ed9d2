"""A real browser for the web page's tests: Debian's Chromium, headless, driven by Selenium
through Debian's chromedriver.

`start_browser(folder)` gives a `Browser`: `get`, `find`, `find_all`, `fill`, `select`,
`click`, `submit`, `wait_for`, `text`, `screenshot`, `screenshot_for_docs`, `console`,
`alert_text`, `cookies`, `as_phone()`; `.driver` is Selenium's own driver for anything else.
The `browser` fixture (tests/conftest.py) shares one browser per test module and gives each
test fresh cookies, a blank page and the desktop size.

Both programs are named by path, so Selenium never runs its Selenium Manager (which would
look for, and download, a driver and a browser), and nothing here downloads a browser: `make
test` installs Debian's packages when they are missing (tools/ensure_chromium.sh); without
them this raises, it never skips: a skipped browser test would hide a broken page.

The command line, as found with chromium 150 as root in a container without a network:
- `--headless=new`: the real browser without a display (the old headless mode is a separate,
  smaller program).
- `--no-sandbox`: as root Chromium refuses to start without it ("Running as root without
  --no-sandbox is not supported"), and as another user its sandbox needs user namespaces,
  which containers often lack. The pages are our own daemon's.
- `--disable-dev-shm-usage`: shared memory in /tmp, not /dev/shm, which is 64 MB in a Docker
  container (the renderer crashes there). Debian's launcher adds it itself when /dev/shm has
  less than 3.8 GB; on a machine where `findmnt` lists /dev/shm twice its check prints
  "[: ...: unexpected operator" to the driver's log, harmlessly.
- `--host-resolver-rules`: nothing but 127.0.0.1 and localhost resolves, IP addresses
  included. Even with `--disable-background-networking`, `--disable-component-update` and
  `--disable-sync`, Chromium 150 looks up and asks clients2.google.com (network time),
  accounts.google.com (signed-in accounts), www.google.com (the new-tab page) and
  android.clients.google.com (push check-in) at start (seen with strace and its net log).
  With the rule no DNS query or connection leaves the machine, so a closed network costs no
  time, and a page that asks for anything off the machine gets `net::ERR_NAME_NOT_RESOLVED`
  in its console, which a test can see. What is left: Chromium and chromedriver `connect()`
  a UDP socket to 2001:4860:4860::8888 and read its local address (their IPv6 route probe);
  no packet is sent.
- `--disable-gpu`, `--disable-quic`, `--no-first-run`: no GPU process, no QUIC, no welcome.
- A new, empty `--user-data-dir`, and `HOME` pointed into the same folder: Chromium's crash
  report database goes under `$HOME/.config/chromium` whatever `--user-data-dir` says.
Starting takes about a second and quitting 0.15 s on a busy two-core machine.

Each browser's folder keeps chromedriver.log: every command, and Chromium's own messages
(without a system D-Bus, as in a container, it logs "Failed to connect to the bus" ERRORs;
harmless).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast, overload

import urllib3
from selenium.common.exceptions import (
    NoAlertPresentException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver import Chrome, ChromeOptions
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DESKTOP = (1280, 900)
# An iPhone 12 to 15's screen in CSS pixels.
PHONE = (390, 844)
# `MONITOR_SCREENSHOTS=DIR` (make screenshots: docs/web) copies the README's pictures there.
SCREENSHOTS_ENV = "MONITOR_SCREENSHOTS"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
)

T = TypeVar("T")


def missing() -> str | None:
    """Why a browser cannot be started here, or None."""
    absent = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if not absent:
        return None
    return (
        f"{' and '.join(absent)} missing: run tools/ensure_chromium.sh (make test does), or "
        "apt-get install chromium chromium-driver"
    )


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height of a whole, valid PNG (signature, every chunk's CRC, an image
    chunk, the end chunk); AssertionError for anything else."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, kinds = 8, []
    while pos < len(data):
        assert pos + 12 <= len(data), "PNG cut short"
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert len(body) == length and zlib.crc32(kind + body) == crc, f"bad PNG chunk {kind!r}"
        kinds.append(kind)
        pos += 12 + length
    assert kinds[0] == b"IHDR" and b"IDAT" in kinds and kinds[-1] == b"IEND", "incomplete PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 0 and height > 0, "empty PNG"
    return int(width), int(height)


class Browser:
    """One headless Chromium. CSS selectors throughout; `find`, `fill`, `click` and `select`
    wait up to `timeout` seconds for their element to appear (pages load their parts as they
    will), and fail with the selector and the page's address when it does not."""

    def __init__(self, folder: Path, *, phone: bool = False, timeout: float = 10.0) -> None:
        self.folder = folder
        self.timeout = timeout
        # Where `screenshot_for_docs` writes: the fixture points it at each test's tmp_path.
        self.tmp_path = folder
        self._phone = phone
        self._console: list[dict[str, Any]] = []
        self.driver = self._start()

    def _start(self) -> Chrome:
        why = missing()
        if why:
            raise RuntimeError(why)
        self.folder.mkdir(parents=True, exist_ok=True)
        # A new profile each start: a crashed browser's last processes may still be writing
        # into the old one while it is replaced.
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=self.folder))
        home = self.folder / "home"
        home.mkdir(exist_ok=True)
        options = ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size={},{}".format(*DESKTOP)):
            options.add_argument(flag)
        # The page's console (console.log, CSP violations, failed loads) for `console()`.
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An alert() the page opens stays open and every later command fails with
        # UnexpectedAlertPresentException naming its text; `alert_text()` reads it.
        options.unhandled_prompt_behavior = "ignore"
        service = Service(
            executable_path=str(CHROMEDRIVER),
            log_output=str(self.folder / "chromedriver.log"),
            env={**os.environ, "HOME": str(home)},
        )
        driver = Chrome(options=options, service=service)
        try:
            driver.set_page_load_timeout(30)
            self._set_viewport(driver)
        except BaseException:
            driver.quit()
            raise
        return driver

    def _set_viewport(self, driver: Chrome) -> None:
        """The page's size in CSS pixels, exactly (a window of 1280x900 leaves the page
        1280x757 even headless); the phone is a phone to the page: touch-sized, its layout
        viewport as wide as `<meta name=viewport>` says (980 pixels without one)."""
        width, height = PHONE if self._phone else DESKTOP
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": self._phone},
        )

    def quit(self) -> None:
        self.driver.quit()

    def restart(self) -> None:
        """A new browser, with a new profile, in place of one that died."""
        with contextlib.suppress(WebDriverException, urllib3.exceptions.HTTPError):
            self.driver.quit()
        self.driver = self._start()

    def reset(self) -> None:
        """As a new browser for the next test: no open alert, a blank page, no cookies, the
        desktop size, an empty console. Restarts the browser if it no longer answers."""
        self._phone = False
        try:
            with contextlib.suppress(NoAlertPresentException):
                self.driver.switch_to.alert.dismiss()
            self.driver.get("about:blank")
            # Every site's cookies: WebDriver's own delete only reaches the current page's.
            self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
            self._set_viewport(self.driver)
            self.console()
        except (WebDriverException, urllib3.exceptions.HTTPError):
            # The browser crashed (invalid session), or its driver is gone (no connection).
            self.restart()
        self._console.clear()

    @contextlib.contextmanager
    def as_phone(self) -> Iterator[Browser]:
        """The page as a phone shows it (PHONE, mobile layout), then the desktop again."""
        self._phone = True
        self._set_viewport(self.driver)
        try:
            yield self
        finally:
            self._phone = False
            self._set_viewport(self.driver)

    # -- pages and elements

    @property
    def url(self) -> str:
        return str(self.driver.current_url)

    def get(self, url: str) -> None:
        """Load a page and wait for its load event."""
        self.driver.get(url)

    def find(self, css: str) -> WebElement:
        return self.wait_for(css)

    def find_all(self, css: str) -> list[WebElement]:
        """Every element matching now (no waiting: an empty list is an answer)."""
        return list(self.driver.find_elements("css selector", css))

    def fill(self, css: str, text: str) -> None:
        """Type into a field as a user would, over what was there."""
        field = self.find(css)
        field.clear()
        field.send_keys(text)

    def select(self, css: str, value: str) -> None:
        """Choose the <select>'s option with this value."""
        Select(self.find(css)).select_by_value(value)

    def click(self, css: str) -> None:
        """Click the element once it is shown and enabled."""
        element = self.wait_for(expected_conditions.element_to_be_clickable(("css selector", css)))
        assert element  # the wait gives the element, never its False
        element.click()

    def submit(self, form_css: str) -> None:
        """Submit a form with its submit button, as a user would (so the button's name and
        value are sent), and wait until the browser has left the page."""
        form = self.find(form_css)
        buttons = form.find_elements(
            "css selector", "button[type=submit], button:not([type]), input[type=submit]"
        )
        old = self.driver.find_element("css selector", "html")
        if buttons:
            buttons[0].click()
        else:  # requestSubmit: the form's checks and submit event, as Enter would.
            self.driver.execute_script("arguments[0].requestSubmit()", form)

        def left(driver: Chrome) -> bool:
            try:
                old.is_enabled()
            except StaleElementReferenceException:
                return True
            except WebDriverException as err:
                # chromedriver's words for a stale element while the old page is going.
                if "does not belong to the document" in str(err.msg):
                    return True
                raise
            return False

        self.wait_for(left)

    @overload
    def wait_for(self, what: str, timeout: float | None = None) -> WebElement: ...
    @overload
    def wait_for(self, what: Callable[[Chrome], T], timeout: float | None = None) -> T: ...
    def wait_for(self, what: str | Callable[[Chrome], T], timeout: float | None = None) -> Any:
        """Wait for an element (a CSS selector: returns it) or for `what(driver)` to give
        something true (returns that)."""
        seconds = self.timeout if timeout is None else timeout
        condition = (
            expected_conditions.presence_of_element_located(("css selector", what))
            if isinstance(what, str)
            else what
        )
        waiting: WebDriverWait[Chrome] = WebDriverWait(self.driver, seconds)
        try:
            return waiting.until(cast(Callable[[Chrome], Any], condition))
        except TimeoutException:
            wanted = what if isinstance(what, str) else getattr(what, "__name__", "a condition")
            raise TimeoutException(f"waited {seconds} s for {wanted} on {self._where()}") from None

    def _where(self) -> str:
        try:
            return self.url
        except WebDriverException as err:  # an alert is open, or the browser is gone
            return f"a page that does not answer ({type(err).__name__})"

    def text(self) -> str:
        """The page's text as shown (hidden elements left out)."""
        return str(self.driver.find_element("css selector", "body").text)

    # -- what the page did

    def console(self) -> list[dict[str, Any]]:
        """The console's entries since the test began (since `reset()`), oldest first: `level`
        ("SEVERE", "WARNING", "INFO", ...), `message`, `source` ("console-api", "network",
        "security", ...). A Content-Security-Policy violation is a SEVERE "security" entry
        ("Executing inline script violates the following Content Security Policy directive
        ..."); a failed load is a SEVERE "network" entry (a missing /favicon.ico is one too).
        Entries come in as the page runs, after the load event too: wait for one with
        `wait_for(lambda _: any(... for e in browser.console()))`."""
        new = self.driver.get_log("browser")  # type: ignore[no-untyped-call]
        self._console.extend(cast(list[dict[str, Any]], new))
        return list(self._console)

    def alert_text(self) -> str | None:
        """The text of the alert(), confirm() or prompt() the page has open, or None.

        A dialog the page opens as it loads can show a moment after `get()` returns; any
        command after that but this one fails with UnexpectedAlertPresentException (so a test
        cannot miss one), and `wait_for(lambda _: browser.alert_text())` waits for one. None
        is only worth something once the script would have run: after the console shows
        the policy refusing it, say."""
        try:
            return str(self.driver.switch_to.alert.text)
        except NoAlertPresentException:
            return None

    def cookies(self) -> dict[str, dict[str, Any]]:
        """The current page's cookies by name, with their flags (`httpOnly`, `secure`,
        `sameSite`, `expiry`), HttpOnly ones included."""
        return {c["name"]: dict(c) for c in self.driver.get_cookies()}

    # -- pictures

    def screenshot(self, path: Path) -> Path:
        """The visible page as a PNG file (checked whole); its size is the viewport's."""
        data = self.driver.get_screenshot_as_png()
        png_size(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def screenshot_for_docs(self, name: str) -> Path:
        """A picture for the README: NAME.png in the test's tmp folder, always, and also in
        $MONITOR_SCREENSHOTS when set (`make screenshots`: docs/web, which the README
        embeds as docs/web/NAME.png)."""
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", name), f"bad screenshot name {name!r}"
        path = self.screenshot(self.tmp_path / f"{name}.png")
        assert png_size(path.read_bytes()) == (PHONE if self._phone else DESKTOP)
        target = os.environ.get(SCREENSHOTS_ENV)
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(target) / path.name)
        return path


def start_browser(folder: Path, *, phone: bool = False) -> Browser:
    """A new headless browser whose profile and logs live in `folder`; `quit()` it."""
    return Browser(folder, phone=phone)
