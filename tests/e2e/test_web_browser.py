"""The desk's web page in a real browser (Debian's Chromium, headless) against a real
`monitor run` with `[web]` and a user: log in, see dropped articles as stories, filter, add
a silence through the form and see the next story silenced, try a rule in the playground,
and hostile article text rendered as text with nothing run. Each page is photographed
(`make screenshots` keeps the pictures for the README).

One daemon and one browser for the module (each costs seconds), with the same four articles
dropped before any test. `pytest -n 2` may split the module between two workers (each then
starts its own daemon), so no test counts on another having run: the one that drops an
article of its own (the silence) leaves the others' assertions true either way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
from helpers.browser import Browser
from helpers.pgserver import free_port
from helpers.stories import filler
from helpers.workspace import NATO_RULE, Workspace

from monitor.web.auth import hash_password

PASSWORD = "correct horse battery staple"
HOSTILE = "<img src=x onerror=alert(1)> NATO & South Korea <script>alert(2)</script>"

RULES = (
    NATO_RULE
    + """\
  - id: grain-exports
    description: Grain leaving Black Sea ports
    keywords:
      all: [grain]
      any: [export*, shipment*]
"""
)


def _article(title: str, body: str, i: int) -> bytes:
    return f"{title}\n\n{body} {filler(i, 120)}\n".encode()


class Desk:
    """The module's daemon and where its page is."""

    def __init__(self, ws: Workspace, base: str) -> None:
        self.ws = ws
        self.base = base
        self.dropped = 0
        self.cookie = f"monitor_session_{base.rsplit(':', 1)[1]}"

    def drop(self, name: str, data: bytes) -> None:
        (self.ws.inbox / name).write_bytes(data)
        self.dropped += 1

    def login(self, browser: Browser) -> None:
        browser.get(self.base + "/login")
        browser.fill("input[name=user]", "desk")
        browser.fill("input[name=password]", PASSWORD)
        browser.submit("form.login")
        browser.wait_for(lambda d: "/login" not in d.current_url)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    root = tmp_path_factory.mktemp("desk")
    ws = Workspace(root)
    port = free_port()
    ws.inbox.mkdir(exist_ok=True)
    (ws.rules / "nato.yaml").write_text(RULES, encoding="utf-8")
    ws.write_config(
        extra=f"""
[channels.desk]
type = "file"
path = "desk.jsonl"

[web]
listen = "127.0.0.1:{port}"
users = {{ desk = "${{DESK_HASH}}" }}
"""
    )
    ws.start(env={"DESK_HASH": hash_password(PASSWORD)})
    ws.wait_for_log("web page on http://", timeout=30)
    desk = Desk(ws, f"http://127.0.0.1:{port}")
    desk.drop(
        "nato.txt",
        _article(
            "NATO urges South Korea to send ammunition to Ukraine",
            "Allies asked Seoul for artillery ammunition and military support.",
            1,
        ),
    )
    desk.drop(
        "grain.txt",
        _article(
            "Grain exports resume from Odesa",
            "The first grain shipment left port under the corridor deal.",
            2,
        ),
    )
    desk.drop("hostile.txt", _article(HOSTILE, "S Korea sends weapons, NATO says.", 3))
    desk.drop("quiet.txt", _article("Local council approves budget", "Nothing to see.", 4))
    ws.wait_for_alerts(3, timeout=20)  # three stories (on `log`; `desk` has its own file)
    yield desk
    if ws.proc is not None:
        ws.stop()


def _no_script_ran(browser: Browser) -> None:
    assert browser.alert_text() is None, "an alert() opened: article text ran as script"


def test_pages_need_a_login_and_a_wrong_password_is_refused(desk: Desk, browser: Browser) -> None:
    browser.get(desk.base + "/rules")
    browser.wait_for("form.login")
    assert "/login" in browser.url
    browser.screenshot_for_docs("login")
    browser.fill("input[name=user]", "desk")
    browser.fill("input[name=password]", "wrong password")
    browser.submit("form.login")
    assert "wrong user name or password" in browser.find("#login-error").text
    api = requests.get(desk.base + "/api/stories", timeout=10)
    assert api.status_code == 401
    browser.fill("input[name=user]", "desk")
    browser.fill("input[name=password]", PASSWORD)
    browser.submit("form.login")
    browser.wait_for("table.rules")  # back where it was going
    cookie = browser.cookies()[desk.cookie]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert PASSWORD not in cookie["value"]


def test_dropped_articles_are_stories_and_hostile_text_stays_text(
    desk: Desk, browser: Browser
) -> None:
    desk.login(browser)
    browser.get(desk.base + "/")
    try:
        browser.wait_for(lambda d: len(d.find_elements("css selector", "li.story")) >= 3)
    except Exception as exc:
        raise AssertionError(f"{browser.text()}\n{desk.ws.log()}") from exc
    text = browser.text()
    assert "NATO urges South Korea to send ammunition to Ukraine" in text
    assert "Grain exports resume from Odesa" in text
    assert "Local council" not in text  # matched nothing: no story
    # The hostile title is shown as the characters it is, and nothing in it ran.
    assert "<img src=x onerror=alert(1)>" in text and "<script>alert(2)</script>" in text
    assert not browser.find_all("li.story img") and not browser.find_all("li.story script")
    _no_script_ran(browser)
    marks = [m.text for m in browser.find_all("li.story mark")]
    assert "ammunition" in [m.lower() for m in marks]  # the excerpt's highlights
    deliveries = browser.find("li.story ul.deliveries").text
    assert "desk" in deliveries and "log" in deliveries
    browser.screenshot_for_docs("stories")
    with browser.as_phone():
        browser.get(desk.base + "/")
        browser.find("li.story")
        browser.screenshot_for_docs("stories-phone")


def test_a_copy_of_a_story_is_listed_under_it(desk: Desk, browser: Browser) -> None:
    desk.drop(
        "nato-wire.txt",
        _article(
            "NATO urges South Korea to send ammunition to Ukraine",
            "Allies asked Seoul for artillery ammunition and military support (wire copy).",
            1,
        ),
    )
    desk.login(browser)

    def listed(_: object) -> bool:
        browser.get(desk.base + "/?rule=nato-south-korea")
        return any("also in 1" in s.text for s in browser.find_all("li.story"))

    browser.wait_for(listed, timeout=15)
    jar = {desk.cookie: browser.cookies()[desk.cookie]["value"]}
    data = requests.get(desk.base + "/api/stories", cookies=jar, timeout=10).json()
    titles = [s["article"]["title"] for s in data["stories"]]
    assert titles.count("NATO urges South Korea to send ammunition to Ukraine") == 1  # one story
    story = next(s for s in data["stories"] if s["also_in"])
    assert [c["path"].endswith("nato-wire.txt") for c in story["also_in"]] == [True]


def test_stories_filter_by_rule_and_the_api_agrees(desk: Desk, browser: Browser) -> None:
    desk.login(browser)
    browser.get(desk.base + "/")
    browser.select("select[name=rule]", "grain-exports")
    browser.submit("form.filters")
    browser.wait_for(lambda d: "rule=grain-exports" in d.current_url)
    stories = [s.text for s in browser.find_all("li.story")]
    assert any("Grain exports resume from Odesa" in s for s in stories)
    assert all("grain-exports" in s and "NATO" not in s for s in stories)
    # The page's JSON twin, with the browser's own session cookie.
    jar = {desk.cookie: browser.cookies()[desk.cookie]["value"]}
    data = requests.get(
        desk.base + "/api/stories", params={"rule": "nato-south-korea"}, cookies=jar, timeout=10
    ).json()
    assert data["total"] == 2
    # Time: until the end of yesterday (UTC) there was nothing; until today, everything.
    today = datetime.now(UTC).date()
    for until, total in ((today - timedelta(days=1), 0), (today, 2)):
        data = requests.get(
            desk.base + "/api/stories",
            params={"rule": "nato-south-korea", "since": "3d", "until": until.isoformat()},
            cookies=jar,
            timeout=10,
        ).json()
        assert data["total"] == total, until
    assert {s["article"]["title"] for s in data["stories"]} == {
        "NATO urges South Korea to send ammunition to Ukraine",
        HOSTILE,
    }


def test_a_silence_added_through_the_form_silences_the_next_story(
    desk: Desk, browser: Browser
) -> None:
    desk.login(browser)
    browser.get(desk.base + "/silences")
    browser.select("select[name=what]", "rule")
    browser.fill("input[name=target]", "grain-exports")
    browser.select("select[name=channel]", "desk")
    browser.fill("input[name=duration]", "2h")
    browser.fill("input[name=comment]", "harvest season <b>noise</b>")
    browser.submit("form.silence")
    row = browser.find("table.silences tbody tr")
    assert "grain-exports" in row.text and "harvest season <b>noise</b>" in row.text
    browser.screenshot_for_docs("silences")
    before = len(desk.ws.alert_records())
    desk.drop(
        "grain2.txt",
        _article(
            "Record wheat shipments leave Constanta",
            "Grain exports through Romania doubled this month.",
            5,
        ),
    )
    desk.ws.wait_for_alerts(before + 1, timeout=20)  # still sent on `log`, not on `desk`

    def silenced_on_desk(_: object) -> bool:
        browser.get(desk.base + "/?rule=grain-exports")
        first = browser.find_all("li.story")
        return bool(first) and "Constanta" in first[0].text and "silenced" in first[0].text

    browser.wait_for(silenced_on_desk, timeout=15)
    desk_file = desk.ws.root / "desk.jsonl"
    sent = desk_file.read_text("utf-8") if desk_file.exists() else ""
    assert "Constanta" not in sent
    # Expire it through the form: it leaves the list of silences in force.
    browser.get(desk.base + "/silences")
    browser.submit("table.silences form")
    browser.wait_for(lambda d: not d.find_elements("css selector", "table.silences tbody tr"))


def test_a_form_without_its_csrf_token_is_refused(desk: Desk, browser: Browser) -> None:
    desk.login(browser)
    jar = {desk.cookie: browser.cookies()[desk.cookie]["value"]}
    form = {"what": "rule", "target": "nato-south-korea", "duration": "1h"}
    refused = requests.post(
        desk.base + "/silences", data=form, cookies=jar, timeout=10, allow_redirects=False
    )
    assert refused.status_code == 403
    # Nor does a token of another session do.
    other = requests.get(desk.base + "/login", timeout=10)
    token = other.text.split('name="csrf" value="')[1].split('"')[0]
    refused = requests.post(
        desk.base + "/silences",
        data={**form, "csrf": token},
        cookies=jar,
        timeout=10,
        allow_redirects=False,
    )
    assert refused.status_code == 403
    listed = requests.get(desk.base + "/api/silences", cookies=jar, timeout=10).json()
    assert listed["silences"] == []


def test_the_playground_tries_a_rule_on_a_pasted_article(desk: Desk, browser: Browser) -> None:
    desk.login(browser)
    browser.get(desk.base + "/playground")
    browser.fill(
        "#rules",
        "rules:\n  - id: korea-arms\n    entities: [South Korea]\n"
        "    keywords:\n      any: [howitzer*]\n",
    )
    browser.select("select[name=article]", "")
    browser.fill("#title", "Seoul ships howitzers")
    browser.fill("#body", "The Republic of Korea will send 50 howitzers to Poland.")
    browser.submit("form.playground")
    result = browser.find("#result")
    assert "Matches the article" in result.text
    marks = [m.text for m in browser.find_all("#article-shown mark")]
    assert "howitzers" in marks and "Republic of Korea" in marks
    browser.screenshot_for_docs("playground")
    # A broken rule gives the loader's FILE:LINE message, nothing saved or run.
    browser.fill("#rules", "rules:\n  - id: broken\n    keywords: [unclosed\n")
    browser.submit("form.playground")
    problems = browser.find("ul.problems").text
    assert "playground.yaml:" in problems
    # The hostile article among the latest ones: picked, shown as text.
    browser.get(desk.base + "/playground")
    options = [o for o in browser.find_all("select[name=article] option") if "onerror" in o.text]
    assert options
    browser.select("select[name=article]", str(options[0].get_attribute("value")))
    browser.fill("#rules", "rules:\n  - id: any-nato\n    entities: [NATO]\n")
    browser.submit("form.playground")
    assert "Matches the article" in browser.find("#result").text
    assert "<script>alert(2)</script>" in browser.find("#article-shown").text
    _no_script_ran(browser)


def test_rules_and_sources_pages(desk: Desk, browser: Browser) -> None:
    desk.login(browser)
    browser.get(desk.base + "/rules")
    rows = browser.find_all("table.rules tbody tr")
    shown = [r.find_element("css selector", ".rule-id").text for r in rows]
    assert sorted(shown) == ["grain-exports", "nato-south-korea"]
    assert all(r.find_elements("css selector", "svg.spark polyline") for r in rows)
    browser.screenshot_for_docs("rules")
    browser.get(desk.base + "/sources")
    text = browser.find("table.sources").text
    assert "inbox" in text and "folder" in text
    outbox = browser.find("table.outbox").text
    assert "desk" in outbox and "log" in outbox
    browser.screenshot_for_docs("sources")
    jar = {desk.cookie: browser.cookies()[desk.cookie]["value"]}
    rules = requests.get(desk.base + "/api/rules", cookies=jar, timeout=10).json()
    by_id = {r["rule"]: r for r in rules["rules"]}
    assert by_id["nato-south-korea"]["stories"] == 2
    assert by_id["nato-south-korea"]["matches"] >= 2  # three once the copy test has run
    assert sum(by_id["nato-south-korea"]["per_day"]) == by_id["nato-south-korea"]["matches"]
    assert by_id["grain-exports"]["stories"] >= 1  # two once the silence test has run
    # The page lists them noisiest first, as the API counts them.
    ranked = sorted(rules["rules"], key=lambda r: (-r["stories"], -r["matches"], r["rule"]))
    assert shown == [r["rule"] for r in ranked]


def test_no_page_breaks_its_content_security_policy(desk: Desk, browser: Browser) -> None:
    desk.login(browser)
    for page in ("/", "/rules", "/playground", "/silences", "/sources"):
        browser.get(desk.base + page)
        browser.find("main")
    time.sleep(0.3)  # console entries arrive after the load event
    blocked = [e for e in browser.console() if "Content Security Policy" in e["message"]]
    assert blocked == [], json.dumps(blocked, indent=1)
    _no_script_ran(browser)


def test_the_page_never_shows_the_password_hash(desk: Desk, browser: Browser) -> None:
    desk.login(browser)
    jar = {desk.cookie: browser.cookies()[desk.cookie]["value"]}
    for page in ("/", "/rules", "/playground", "/silences", "/sources", "/api/sources"):
        body = requests.get(desk.base + page, cookies=jar, timeout=10).text
        assert "$argon2" not in body and PASSWORD not in body
    assert PASSWORD not in desk.ws.log() and "$argon2" not in desk.ws.log()
