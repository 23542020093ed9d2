"""The HTTP ingest listener over real sockets on 127.0.0.1, with a fake `submit`.

The fake records what it was given and can be told to report duplicates, to raise (the
daemon unavailable, or a bug) or to take its time (a slow commit); the server is the real
one, on a port the kernel picks, with short timeouts so the slow-client tests take seconds.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from monitor.articles import read_bytes_article
from monitor.articles.model import Article
from monitor.config import parse_listen
from monitor.sources.ingest_http import IngestServer, SubmitResult, SubmitUnavailable

TOKEN = "tok-3f9a0c1e-not-to-be-echoed"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
IDLE = 1.0  # seconds a client may stay silent while sending its request
DEADLINE = 2.0  # seconds to send the whole request
ARTICLE = {"title": "NATO chief visits Seoul", "body": "Stoltenberg met ministers."}


@dataclass
class FakeSubmit:
    """Records each call; `fail` is raised, `duplicates` of each batch are reported known."""

    calls: list[list[Article]] = field(default_factory=list)
    fail: BaseException | None = None
    duplicates: int = 0
    sleep: float = 0.0

    def __call__(self, articles: list[Article]) -> SubmitResult:
        self.calls.append(articles)
        if self.sleep:
            time.sleep(self.sleep)
        if self.fail is not None:
            raise self.fail
        return SubmitResult(
            accepted=len(articles) - self.duplicates,
            duplicates=self.duplicates,
            ids=[a.id for a in articles],
        )


@dataclass
class Running:
    server: IngestServer
    submit: FakeSubmit
    health: list[bool]

    @property
    def host(self) -> str:
        return self.server.address.rsplit(":", 1)[0]

    @property
    def port(self) -> int:
        return int(self.server.address.rsplit(":", 1)[1])

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def post(self, document: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        status, _, body = self.request(
            "POST", "/articles", json.dumps(document), AUTH if headers is None else headers
        )
        return status, json.loads(body)

    def raw(self, data: bytes, wait: float = 5.0) -> bytes:
        """Send `data` as is and read the answer until the server closes."""
        with socket.create_connection((self.host, self.port), timeout=wait) as sock:
            sock.sendall(data)
            return _read_all(sock)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _start(**kwargs: Any) -> Running:
    submit = FakeSubmit()
    health = [True]
    options: dict[str, Any] = {"idle_timeout": IDLE, "max_read_seconds": DEADLINE}
    options.update(kwargs)
    token = options.pop("token", TOKEN)
    server = IngestServer("api", "127.0.0.1:0", token, 64_000, submit, lambda: health[0], **options)
    server.start()
    return Running(server, submit, health)


@pytest.fixture
def api() -> Iterator[Running]:
    running = _start()
    yield running
    running.server.stop()


# -- accepted ---------------------------------------------------------------------------


def test_one_article_is_submitted_and_answered_after_the_commit(api: Running) -> None:
    status, body = api.post({**ARTICLE, "url": "https://example.org/a", "published": "2024-01-02"})
    assert status == 202
    [[article]] = api.submit.calls
    assert body == {"accepted": 1, "duplicates": 0, "ids": [article.id]}
    assert article.title == ARTICLE["title"] and article.body == ARTICLE["body"]
    assert article.path == f"ingest:api/{article.id}"
    assert article.source == "api"  # the source's name when the article names none
    assert (article.url, article.published) == ("https://example.org/a", "2024-01-02")


def test_the_same_text_has_the_id_an_inbox_file_gets(api: Running) -> None:
    _, body = api.post(ARTICLE)
    from_file = read_bytes_article(json.dumps(ARTICLE).encode(), "a.json")
    assert body["ids"] == [from_file.id]


def test_a_list_keeps_its_order_and_each_article_its_own_source(api: Running) -> None:
    articles = [
        {"title": f"Story {i}", "body": f"Text {i}.", **({"source": "Reuters"} if i == 1 else {})}
        for i in range(3)
    ]
    status, body = api.post(articles)
    assert status == 202
    [got] = api.submit.calls
    assert [a.title for a in got] == ["Story 0", "Story 1", "Story 2"]
    assert [a.source for a in got] == ["api", "Reuters", "api"]
    assert body == {"accepted": 3, "duplicates": 0, "ids": [a.id for a in got]}


def test_ninjs_1(api: Running) -> None:
    status, _ = api.post(
        {
            "uri": "urn:newsml:example.org:1",
            "headline": "Seoul talks",
            "body_html": "<p>Ministers <b>met</b>.</p>",
            "versioncreated": "2024-03-01T10:00:00Z",
            "copyrightholder": "Example Wire",
        }
    )
    assert status == 202
    [[article]] = api.submit.calls
    assert (article.title, article.body) == ("Seoul talks", "Ministers met.")
    assert article.url == "urn:newsml:example.org:1"
    assert article.published == "2024-03-01T10:00:00Z"
    assert article.source == "Example Wire"


def test_ninjs_2(api: Running) -> None:
    status, _ = api.post(
        {
            "headlines": [{"value": "Seoul talks", "role": "main"}],
            "bodies": [
                {"value": "<p>HTML body</p>", "contenttype": "text/html"},
                {"value": "Plain body.", "contenttype": "text/plain", "role": "main"},
            ],
        }
    )
    assert status == 202
    [[article]] = api.submit.calls
    assert (article.title, article.body) == ("Seoul talks", "Plain body.")


def test_duplicates_are_passed_through(api: Running) -> None:
    api.submit.duplicates = 1
    status, body = api.post([ARTICLE, {"title": "Other", "body": "Text."}])
    assert status == 202
    assert (body["accepted"], body["duplicates"], len(body["ids"])) == (1, 1, 2)


def test_charset_utf8_and_a_bom_are_accepted(api: Running) -> None:
    headers = {**AUTH, "Content-Type": "application/json; charset=UTF-8"}
    status, _, _ = api.request(
        "POST", "/articles", "\ufeff".encode() + json.dumps(ARTICLE).encode(), headers
    )
    assert status == 202


def test_no_token_configured_means_no_authentication() -> None:
    running = _start(token=None)
    try:
        status, _ = running.post(ARTICLE, {"Content-Type": "application/json"})
        assert status == 202
    finally:
        running.server.stop()


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="empty token"):
        IngestServer("api", "127.0.0.1:0", "", 1000, FakeSubmit(), lambda: True)


def test_expect_100_continue_is_answered_only_after_the_checks(api: Running) -> None:
    data = json.dumps(ARTICLE).encode()
    head = (
        "POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nExpect: 100-continue\r\n"
    )
    refused = api.raw(f"{head}Authorization: Bearer wrong\r\n\r\n".encode())
    assert _status(refused) == 401
    with socket.create_connection((api.host, api.port), timeout=5) as sock:
        sock.sendall(f"{head}Authorization: Bearer {TOKEN}\r\n\r\n".encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(data)
        answer = _read_all(sock)
    assert _status(answer) == 202


def test_a_slow_commit_is_not_cut_by_the_read_deadline() -> None:
    running = _start()
    running.submit.sleep = DEADLINE + 0.5
    try:
        status, _ = running.post(ARTICLE)
        assert status == 202
    finally:
        running.server.stop()


# -- refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (None, "missing Authorization"),
        ("Bearer wrong-token", "wrong token"),
        (f"Bearer {TOKEN}x", "wrong token"),
        (f"Basic {TOKEN}", "Bearer scheme"),
        (f"{TOKEN}", "Bearer scheme"),
    ],
)
def test_401_without_the_right_bearer_token(
    api: Running, authorization: str | None, reason: str
) -> None:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    status, answer_headers, body = api.request("POST", "/articles", json.dumps(ARTICLE), headers)
    assert status == 401
    assert answer_headers["WWW-Authenticate"].startswith("Bearer")
    assert reason in json.loads(body)["error"]
    assert api.submit.calls == []


def test_401_before_the_body_is_read(api: Running) -> None:
    """Headers only, a body declared and never sent: the answer comes at once."""
    started = time.monotonic()
    answer = api.raw(
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n"
    )
    assert _status(answer) == 401
    assert time.monotonic() - started < IDLE


def test_413_by_content_length_without_reading_the_body(api: Running) -> None:
    started = time.monotonic()
    answer = api.raw(
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 1000000000\r\n\r\n".encode()
    )
    assert _status(answer) == 413
    assert b"over the cap of 64,000 bytes" in answer
    assert time.monotonic() - started < IDLE
    assert api.submit.calls == []


@pytest.mark.parametrize(
    ("path", "headers", "expected"),
    [
        ("/articles", AUTH, 413),
        ("/nope", AUTH, 404),
        ("/articles", {**AUTH, "Authorization": "Bearer nope"}, 401),
    ],
)
def test_a_refused_upload_gets_its_answer_not_a_reset(
    api: Running, path: str, headers: dict[str, str], expected: int
) -> None:
    """The client uploads the whole body before reading: the unread rest is drained."""
    status, _, body = api.request("POST", path, b"[" + b" " * 200_000 + b"]", headers)
    assert status == expected and b"error" in body


def test_a_repeated_authorization_header_is_refused(api: Running) -> None:
    answer = api.raw(
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\nAuthorization: Bearer x\r\n".encode()
        + b"Content-Length: 2\r\n\r\n{}"
    )
    assert _status(answer) == 400 and b"given 2 times" in answer


def test_413_too_many_articles() -> None:
    running = _start(max_articles=3)
    try:
        status, body = running.post([ARTICLE] * 4)
        assert status == 413
        assert "too many articles: 4" in body["error"] and "at most 3" in body["error"]
        assert running.submit.calls == []
    finally:
        running.server.stop()


@pytest.mark.parametrize(
    "headers",
    ["", "Transfer-Encoding: chunked\r\n"],
    ids=["no-content-length", "chunked"],
)
def test_411_without_content_length(api: Running, headers: str) -> None:
    answer = api.raw(
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\n{headers}\r\n".encode()
    )
    assert _status(answer) == 411
    assert b"Content-Length" in answer


def test_400_broken_json_says_where(api: Running) -> None:
    status, _, body = api.request("POST", "/articles", '[\n  {"title": "x",\n  }\n]', AUTH)
    assert status == 400
    assert "invalid JSON at line 3, column 3" in json.loads(body)["error"]


def test_400_missing_title_and_body_names_the_article(api: Running) -> None:
    status, body = api.post([ARTICLE, ARTICLE, ARTICLE, {"url": "https://example.org/x"}])
    assert status == 400
    assert body["error"].startswith("articles[3]: JSON article has no title and no body")
    assert api.submit.calls == []  # nothing of a refused request is submitted


def test_400_wrong_shapes(api: Running) -> None:
    status, body = api.post([ARTICLE, "just text"])
    assert (status, body["error"][:37]) == (400, "articles[1]: JSON holds a str, not an")
    status, body = api.post("just text")
    assert status == 400 and "not a str" in body["error"]
    status, body = api.post({"title": ["not", "a", "string"], "body": "x"})
    assert status == 400 and '"title" must be a string' in body["error"]


def test_400_empty_list(api: Running) -> None:
    status, body = api.post([])
    assert status == 400 and "empty list" in body["error"]


def test_400_body_not_utf8(api: Running) -> None:
    status, _, body = api.request("POST", "/articles", b'{"title": "caf\xe9"}', AUTH)
    assert status == 400
    assert "not UTF-8: invalid byte at offset 14" in json.loads(body)["error"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/json; charset=iso-8859-1", None]
)
def test_415_other_content_types(api: Running, content_type: str | None) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    status, _, body = api.request("POST", "/articles", json.dumps(ARTICLE), headers)
    assert status == 415
    assert "error" in json.loads(body)


def test_405_and_404(api: Running) -> None:
    status, headers, body = api.request("GET", "/articles")
    assert (status, headers["Allow"]) == (405, "POST")
    assert "POST" in json.loads(body)["error"]
    status, headers, _ = api.request("DELETE", "/articles", headers=AUTH)
    assert (status, headers["Allow"]) == (405, "POST")
    status, _, _ = api.request("POST", "/healthz", "{}", AUTH)
    assert status == 405
    status, _, body = api.request("POST", "/nope", json.dumps(ARTICLE), AUTH)
    assert status == 404 and "/articles" in json.loads(body)["error"]
    status, _, _ = api.request("BREW", "/nope")
    assert status == 404


def test_503_with_retry_after_when_the_daemon_cannot_take_them(api: Running) -> None:
    api.submit.fail = SubmitUnavailable("daemon stopping", retry_after=7.2)
    status, headers, body = api.request("POST", "/articles", json.dumps(ARTICLE), AUTH)
    assert status == 503
    assert headers["Retry-After"] == "8"
    assert "daemon stopping" in json.loads(body)["error"]


def test_500_without_internals(api: Running, caplog: pytest.LogCaptureFixture) -> None:
    api.submit.fail = RuntimeError("database locked at /var/lib/monitor/state.db")
    with caplog.at_level(logging.INFO, logger="monitor.ingest"):
        status, _, body = api.request("POST", "/articles", json.dumps(ARTICLE), AUTH)
    assert status == 500
    error = json.loads(body)["error"]
    assert "internal error" in error
    assert "database" not in error and "/var/lib" not in error and "RuntimeError" not in error
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None  # the traceback is in the log, for the admin


# -- /healthz ---------------------------------------------------------------------------


def test_healthz_both_ways(api: Running) -> None:
    assert api.request("GET", "/healthz")[::2] == (200, b"ok\n")
    api.health[0] = False
    status, _, body = api.request("GET", "/healthz")
    assert status == 503 and b"unhealthy" in body
    status, _, body = api.request("HEAD", "/healthz")
    assert (status, body) == (503, b"")


def test_healthz_needs_no_token_and_a_failing_check_is_unhealthy() -> None:
    def broken() -> bool:
        raise RuntimeError("boom")

    server = IngestServer("api", "127.0.0.1:0", TOKEN, 1000, FakeSubmit(), broken)
    server.start()
    try:
        host, port = server.address.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        assert response.status == 503 and b"boom" not in response.read()
        conn.close()
    finally:
        server.stop()


# -- secrets and logs -------------------------------------------------------------------


def test_the_token_is_never_in_a_response_or_the_log(
    api: Running, caplog: pytest.LogCaptureFixture
) -> None:
    answers: list[bytes] = []
    with caplog.at_level(logging.DEBUG):
        for headers in (
            AUTH,
            {**AUTH, "Authorization": f"Bearer {TOKEN}x"},
            {**AUTH, "Authorization": f"Basic {TOKEN}"},
            {**AUTH, "Content-Type": "text/plain"},
        ):
            for path, document in (("/articles", ARTICLE), ("/articles", []), ("/x", ARTICLE)):
                status, got, body = api.request("POST", path, json.dumps(document), headers)
                answers.append(repr((status, got, body)).encode())
        answers.append(api.raw(f"GET /nope?token={TOKEN} HTTP/1.1\r\nHost: x\r\n\r\n".encode()))
        answers.append(api.raw(f"POST /articles?{TOKEN} HTTP/9.9\r\n\r\n".encode()))
        answers.append(api.raw(f"GET /a?{TOKEN} b c d\r\n\r\n".encode()))  # bad syntax
        answers.append(api.raw(f"GET /{TOKEN * 3000} HTTP/1.1\r\n\r\n".encode()))  # 414
        api.submit.fail = SubmitUnavailable("stopping", 1)
        answers.append(repr(api.post(ARTICLE)).encode())
    assert caplog.records  # something was logged
    assert TOKEN not in caplog.text
    for answer in answers:
        assert TOKEN.encode() not in answer


def test_log_lines_name_the_client_and_escape_the_title(
    api: Running, caplog: pytest.LogCaptureFixture
) -> None:
    title = "Evil\x1b[2J\nERROR forged line " + "x" * 200
    with caplog.at_level(logging.INFO, logger="monitor.ingest"):
        api.post({"title": title, "body": "A body that must not be logged."})
        api.post({**ARTICLE}, {**AUTH, "Authorization": "Bearer nope"})
    accepted, refused = (r.getMessage() for r in caplog.records)
    assert "client 127.0.0.1:" in accepted and "client 127.0.0.1:" in refused
    assert "\x1b" not in accepted and "\n" not in accepted
    assert "Evil\\x1b[2J\\nERROR" in accepted
    assert "x" * 100 not in accepted  # a short title only
    assert "must not be logged" not in caplog.text
    assert "401 wrong token" in refused


# -- slow clients and the thread cap ------------------------------------------------------


def test_a_slowloris_client_does_not_block_others_and_is_cut(api: Running) -> None:
    with socket.create_connection((api.host, api.port), timeout=10) as slow:
        slow.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: appl")
        started = time.monotonic()
        status, _ = api.post(ARTICLE)  # served meanwhile, on its own thread
        assert status == 202
        assert time.monotonic() - started < IDLE
        _read_all(slow)  # ends when the server drops the slow client
        assert time.monotonic() - started < IDLE + 1.5


def test_a_trickling_client_is_cut_at_the_read_deadline(api: Running) -> None:
    """A byte every 0.3 s never trips the per-read timeout; the deadline ends it."""
    started = time.monotonic()
    closed = False
    with socket.create_connection((api.host, api.port), timeout=5) as sock:
        for byte in b"POST /articles HTTP/1.1\r\nX-Slow: " + b"a" * 100:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.3)
            if time.monotonic() - started > DEADLINE + 3:
                break
        if not closed:
            sock.settimeout(3)
            try:
                closed = sock.recv(100) == b""
            except OSError:
                closed = True
    assert closed
    assert time.monotonic() - started < DEADLINE + 2


def test_a_slow_body_times_out_and_submits_nothing(api: Running) -> None:
    started = time.monotonic()
    with socket.create_connection((api.host, api.port), timeout=10) as sock:
        sock.sendall(
            b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n".encode()
            + b'{"title": '
        )
        answer = _read_all(sock)
    assert time.monotonic() - started < IDLE + 1.5
    assert answer == b"" or _status(answer) in (400, 408)
    assert api.submit.calls == []


def test_past_the_thread_cap_new_connections_get_503_at_once() -> None:
    running = _start(max_connections=2, idle_timeout=3.0, max_read_seconds=5.0)
    before = threading.active_count()
    idle = [socket.create_connection((running.host, running.port), timeout=5) for _ in range(10)]
    try:
        time.sleep(0.5)  # the server accepts them all: two served, eight refused
        assert threading.active_count() <= before + 2
        started = time.monotonic()
        # Answered on accept, before the client sends anything (a client still sending
        # when the refusal closes the socket may see a reset instead: it retries anyway).
        with socket.create_connection((running.host, running.port), timeout=5) as extra:
            answer = _read_all(extra)
        assert time.monotonic() - started < 1.0
        assert _status(answer) == 503 and b"Retry-After: 1\r\n" in answer
        assert "too many clients" in json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]
    finally:
        for sock in idle:
            sock.close()
    try:
        deadline = time.monotonic() + 3
        while True:  # the closed sockets' threads see the end and free their slots
            try:
                status, _ = running.post(ARTICLE)
            except ConnectionError:  # still refused, mid-send: a reset, not a 503 (see above)
                status = 0
            if status == 202 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert status == 202
    finally:
        running.server.stop()


def test_one_client_cannot_hold_every_connection() -> None:
    running = _start(max_connections=6, max_per_client=2, idle_timeout=3.0)
    idle = [socket.create_connection((running.host, running.port), timeout=5) for _ in range(2)]
    try:
        time.sleep(0.3)
        with socket.create_connection((running.host, running.port), timeout=5) as third:
            assert _status(_read_all(third)) == 503  # a third from the same address
        # Another address still gets in and is served while the first holds its two.
        with socket.create_connection(
            (running.host, running.port), timeout=5, source_address=("127.0.0.2", 0)
        ) as sock:
            body = json.dumps(ARTICLE).encode()
            sock.sendall(
                b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + f"Authorization: Bearer {TOKEN}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            assert _status(_read_all(sock)) == 202
    finally:
        for sock in idle:
            sock.close()
        running.server.stop()


def test_stop_closes_the_listener() -> None:
    running = _start()
    address = (running.host, running.port)
    running.server.stop()
    with pytest.raises(OSError):
        socket.create_connection(address, timeout=2).close()


def test_port_0_is_for_servers_built_in_tests_only() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_listen("127.0.0.1:0")
    assert parse_listen("127.0.0.1:0", any_port=True) == ("127.0.0.1", 0)
    with pytest.raises(ValueError, match="out of range"):
        parse_listen("127.0.0.1:000000000", any_port=True)
