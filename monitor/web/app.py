"""The desk's page: routes, logins and forms, rendered with Jinja2 (autoescape on).

Every page is `/NAME` in HTML and `/api/NAME` in JSON, from the same dict (`views`). Pages
that are not logged in are sent to `/login`; the API answers 401. A desk on loopback with
no `[web] users` is a single-user desk: nobody logs in, but forms still carry CSRF tokens,
since any site the editor visits can make the browser post to 127.0.0.1. Such a desk also
answers only requests addressed to a loopback name (`Host`): otherwise a site could point a
name of its own at 127.0.0.1 (DNS rebinding) and read and post as the desk's own page.

Forms that change something (login, logout, add and expire a silence) post a CSRF token;
the JSON API takes it in the `X-CSRF-Token` header. The playground changes nothing, but it
runs the matcher on what is posted, so it takes the token too (no other site can spend the
daemon's CPU through a visitor's browser).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2

from monitor.config import WebConfig, parse_listen
from monitor.settings import is_local_host
from monitor.silences import SilenceProblem, checked_silence
from monitor.textsafe import blank_lines, shorten
from monitor.web import views
from monitor.web.auth import LoginLimiter, Session, Sessions, cookie_name, verify_password
from monitor.web.desk import Desk, Unavailable
from monitor.web.http import BadRequest, Request, Response

log = logging.getLogger("monitor.web")

PAGES = ("stories", "rules", "playground", "silences", "sources")

MAX_PASSWORD = 4096
"""Characters of a password checked: `monitor web hash-password` takes up to 4,096 bytes, so
no password it hashed is cut (a cut one could never log in)."""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("monitor.web", "templates"),
        autoescape=True,  # every template is HTML; article text is hostile
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    env.filters["marked"] = _marked
    env.filters["cut"] = shorten
    env.filters["verbatim"] = _Verbatim
    return env


class _Verbatim(str):
    """A value shown exactly as it is (`| verbatim`): what the user typed into a form,
    given back in the same field, where a control cannot reorder anything around it."""


def _shown(value: Any) -> Any:
    """Every `{{ value }}` of the templates, before it is escaped: control characters,
    line separators and bidi controls become spaces, one for one (as in Slack and mail,
    `textsafe.blank_lines`; line breaks and tabs stay). Escaping makes text inert, but a
    U+202E RIGHT-TO-LEFT OVERRIDE in a feed's name still reversed everything after it on
    its line: the time, the rules it matched."""
    return blank_lines(value) if type(value) is str else value


def _marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (part, highlighted) pieces by `spans`: the template escapes each."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for start, end in spans:
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


STYLE = resources.files("monitor.web").joinpath("static/style.css").read_bytes()
# Browsers ask for /favicon.ico on every site; a 404 would fill the console with errors.
ICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    b'<circle cx="8" cy="8" r="7" fill="#2563eb"/></svg>'
)


@dataclass
class Visit:
    """One request's session: who it is, and whether the cookie must be (re)set."""

    session: Session
    fresh: bool
    user: str | None  # the logged-in user, "" on a desk without users; None: not logged in


class WebApp:
    """Turns requests into responses; `monitor.web.server` serves it."""

    def __init__(self, desk: Desk, settings: Callable[[], WebConfig], sessions: Sessions) -> None:
        self.desk = desk
        self._settings = settings
        self.sessions = sessions
        self.limiter = LoginLimiter()
        self.env = _environment()
        self.cookie = cookie_name(parse_listen(settings().listen, any_port=True)[1])

    # -- sessions --------------------------------------------------------------------------
    def _visit(self, request: Request) -> Visit:
        session = self.sessions.read(request.cookies.get(self.cookie))
        users = self._settings().users
        fresh = session is None
        if session is None:
            session = self.sessions.new("")
        hashed = users.get(session.user) if session.user else None
        if not users:
            user: str | None = ""
        elif hashed is not None and session.stamp == self.sessions.stamp(hashed.get_secret_value()):
            # A user removed from the config is logged out, and so is one whose password
            # (hash) changed since the login.
            user = session.user
        else:
            user = None
        return Visit(session, fresh, user)

    def _cookie(self, request: Request, session: Session) -> tuple[str, str]:
        secure = "; Secure" if request.behind_tls else ""
        value = self.sessions.cookie_value(session)
        return (
            "Set-Cookie",
            f"{self.cookie}={value}; Path=/; HttpOnly; SameSite=Strict; "
            f"Max-Age={int(self.sessions.lifetime)}{secure}",
        )

    # -- entry point -----------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        visit = self._visit(request)
        try:
            if not self._settings().users and not _loopback_host(request):
                return Response.text(
                    421,
                    "this desk has no [web] users, so it answers only at a loopback address "
                    "(http://127.0.0.1:PORT/ or http://localhost:PORT/), not at a name that "
                    "merely points there",
                )
            response = self._route(request, visit)
        except BadRequest as exc:
            response = self._problem(request, visit, 400, str(exc))
        except Unavailable as exc:
            response = self._problem(
                request, visit, 503, f"the state database cannot be read now: {exc}"
            )
        except Exception:  # one bad request never takes the page down
            log.exception("web page: %s %s failed", request.method, request.path[:200])
            response = self._problem(request, visit, 500, "something went wrong; see the log")
        if visit.fresh and not any(name == "Set-Cookie" for name, _ in response.headers):
            response.headers.append(self._cookie(request, visit.session))
        return response

    def _route(self, request: Request, visit: Visit) -> Response:
        path = request.path.rstrip("/") or "/"
        method = request.method
        if path == "/static/style.css" and method in ("GET", "HEAD"):
            return Response(200, STYLE, "text/css; charset=utf-8")
        if path == "/favicon.ico" and method in ("GET", "HEAD"):
            return Response(200, ICON, "image/svg+xml")
        if path == "/login":
            return self._login(request, visit)
        if path == "/logout" and method == "POST":
            return self._logout(request, visit)
        if visit.user is None:
            if request.is_api:
                return Response.json({"error": "log in first: POST /login"}, 401)
            target = request.path if method == "GET" else "/"
            return Response.redirect("/login?next=" + quote(target, safe="/"))
        api = request.is_api
        name = path[len("/api") :] if api else path
        name = name.lstrip("/") or "stories"
        if name == "silences/expire" and method == "POST":
            return self._expire(request, visit, api)
        if name == "silences" and method == "POST":
            return self._add_silence(request, visit, api)
        if name == "playground":
            return self._playground(request, visit, api)
        if method not in ("GET", "HEAD"):
            return Response.text(405, "this address only answers GET")
        build = {
            "stories": views.stories,
            "rules": views.rules,
            "silences": views.silences,
            "sources": views.sources,
        }.get(name)
        if build is None:
            return self._problem(request, visit, 404, "no such page")
        data = build(self.desk, request.query)
        if api:
            return Response.json(data)
        if name == "rules":
            data = views.with_sparklines(data)
        return self._page(name, visit, data)

    # -- rendering -------------------------------------------------------------------------
    def _page(
        self, name: str, visit: Visit, data: dict[str, Any], status: int = 200, **extra: Any
    ) -> Response:
        html = self.env.get_template(f"{name}.html").render(
            page=name,
            data=data,
            user=visit.user,
            csrf=self.sessions.csrf(visit.session),
            logins=bool(self._settings().users),
            **extra,
        )
        return Response(status, html.encode("utf-8"))

    def _problem(self, request: Request, visit: Visit, status: int, message: str) -> Response:
        if request.is_api:
            return Response.json({"error": message}, status)
        return self._page("problem", visit, {"status": status, "message": message}, status)

    def _csrf_ok(self, request: Request, visit: Visit, form: dict[str, str] | None) -> bool:
        token = (form or {}).get("csrf") or request.headers.get("x-csrf-token")
        if not self.sessions.check_csrf(visit.session, token):
            return False
        # Defence in depth: a browser says where a post comes from. `Sec-Fetch-Site` (every
        # current browser) says it outright, and does not depend on `Host`, which a proxy in
        # front may rewrite (nginx sends its upstream's `127.0.0.1:8080` by default, so
        # comparing `Origin` with it refused every form, the login too). Without it, `Origin`
        # must name the host the browser asked for.
        fetched = request.headers.get("sec-fetch-site", "").strip().lower()
        if fetched:
            return fetched in ("same-origin", "none")
        origin = request.headers.get("origin")
        if origin and origin != "null":
            hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")}
            if urlsplit(origin).netloc not in hosts - {""}:
                return False
        return True

    def _refused(self, request: Request, visit: Visit) -> Response:
        return self._problem(
            request,
            visit,
            403,
            "this form is out of date or came from another site (no valid CSRF token): "
            "reload the page and send it again",
        )

    # -- login -----------------------------------------------------------------------------
    def _login(self, request: Request, visit: Visit) -> Response:
        users = self._settings().users
        target = _local(request.query.get("next"))
        if request.method in ("GET", "HEAD"):
            if visit.user is not None:
                return Response.redirect(target)
            return self._page("login", visit, {"next": target, "error": None})
        if request.method != "POST":
            return Response.text(405, "GET or POST")
        form = request.form()
        if not self._csrf_ok(request, visit, form):
            return self._refused(request, visit)
        target = _local(form.get("next"))
        if not users:
            return Response.redirect(target)
        wait = self.limiter.wait(request.client)
        if wait > 0:
            response = self._page(
                "login",
                visit,
                {"next": target, "error": f"too many attempts: try again in {int(wait) + 1} s"},
                429,
            )
            response.headers.append(("Retry-After", str(int(wait) + 1)))
            return response
        name = form.get("user", "")[:64]
        hashed = users.get(name)
        if not verify_password(
            None if hashed is None else hashed.get_secret_value(),
            form.get("password", "")[:MAX_PASSWORD],
        ):
            self.limiter.failed(request.client)
            # An unknown name is not logged: it is often the password, typed one field early.
            who = repr(name) if hashed is not None else "an unknown user name"
            log.warning("web page: failed login for %s from %s", who, request.client)
            return self._page(
                "login", visit, {"next": target, "error": "wrong user name or password"}, 401
            )
        self.limiter.succeeded(request.client)
        log.info("web page: %s logged in from %s", name, request.client)
        response = Response.redirect(target)
        stamp = "" if hashed is None else self.sessions.stamp(hashed.get_secret_value())
        response.headers.append(self._cookie(request, self.sessions.new(name, stamp=stamp)))
        return response

    def _logout(self, request: Request, visit: Visit) -> Response:
        form = request.form()
        if not self._csrf_ok(request, visit, form):
            return self._refused(request, visit)
        response = Response.redirect("/login" if self._settings().users else "/")
        response.headers.append(self._cookie(request, self.sessions.new("")))
        return response

    # -- silences --------------------------------------------------------------------------
    def _fields(self, request: Request, api: bool) -> dict[str, str]:
        if not api:
            return request.form()
        # A value of another type was dropped without a word: `"n": 50` tried 200 recent
        # articles, `"comment": ["..."]` added a silence without its comment. A whole
        # number is taken as its digits, null as absent; anything else is refused.
        fields: dict[str, str] = {}
        for key, value in request.json().items():
            if isinstance(value, str):
                fields[key] = value.replace("\0", "")  # as a form's fields
            elif isinstance(value, int) and not isinstance(value, bool):
                fields[key] = str(value)
            elif value is not None:
                raise BadRequest(f"{key[:40]}: a string (or a whole number), not {_kind(value)}")
        return fields

    def _add_silence(self, request: Request, visit: Visit, api: bool) -> Response:
        form = self._fields(request, api)
        if not self._csrf_ok(request, visit, None if api else form):
            return self._refused(request, visit)
        what = form.get("what", "rule")
        target = form.get("target", "").strip() or (form.get("rule") or form.get("query") or "")
        if "rule" in form or "query" in form:  # the API names the field itself
            rule, query = form.get("rule") or None, form.get("query") or None
        else:
            rule, query = (target or None, None) if what == "rule" else (None, target or None)
        try:
            silence = checked_silence(
                rule=rule,
                query=query,
                channel=form.get("channel") or None,
                duration=form.get("duration", "").strip() or "1h",
                comment=form.get("comment", "").strip(),
                channels=self.desk.config.channels,
                engine=lambda: self.desk.engine,
            )
        except SilenceProblem as exc:
            if api:
                return Response.json({"error": str(exc), "field": exc.field}, 400)
            data = views.silences(self.desk, {})
            return self._page(
                "silences", visit, data, 400, problem=f"{exc.field}: {exc}", form=form
            )
        self.desk.read(lambda store: store.add_silence(silence))
        log.info(
            "web page: %s added silence %s (%s)", visit.user or "desk", silence.id, silence.what
        )
        if api:
            return Response.json(silence.to_json(), 201)
        return Response.redirect("/silences")

    def _expire(self, request: Request, visit: Visit, api: bool) -> Response:
        form = self._fields(request, api)
        if not self._csrf_ok(request, visit, None if api else form):
            return self._refused(request, visit)
        silence_id = form.get("id", "").strip()[:64]
        done = self.desk.read(lambda store: store.expire_silence(silence_id))
        if api:
            return Response.json({"id": silence_id, "expired": bool(done)}, 200 if done else 404)
        if done:
            log.info("web page: %s expired silence %s", visit.user or "desk", silence_id)
        return Response.redirect("/silences")

    # -- playground ------------------------------------------------------------------------
    def _playground(self, request: Request, visit: Visit, api: bool) -> Response:
        from monitor.web import tryout

        if request.method in ("GET", "HEAD"):
            data = tryout.blank(self.desk, request.query)
            if api:
                return Response.json(data)
            return self._page("playground", visit, data)
        if request.method != "POST":
            return Response.text(405, "GET or POST")
        form = self._fields(request, api)
        if not self._csrf_ok(request, visit, None if api else form):
            return self._refused(request, visit)
        data = tryout.run(self.desk, form)
        if api:
            return Response.json(data)
        return self._page("playground", visit, data)


def _kind(value: object) -> str:
    return {bool: "true or false", float: "a fraction", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _loopback_host(request: Request) -> bool:
    """Whether the request names this machine in `Host` (a client without one, HTTP/1.0,
    is no browser: browsers always send it)."""
    host = request.headers.get("host")
    if host is None:
        return True
    try:
        name = urlsplit("//" + host.strip()).hostname
    except ValueError:
        return False
    return name is not None and is_local_host(name)


def _local(target: str | None) -> str:
    """A `next` address that stays on this site: a path, never `//host` or a scheme, and
    printable ASCII only: it becomes the `Location` header, where a CR or LF would end the
    header and start another one (`Set-Cookie: ...`), and the pages only ever put a request
    path there (which has no space, control or non-ASCII character)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if not all("!" <= char <= "~" for char in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target[:2000]
