"""`email`: one message per alert over SMTP, with TLS that is verified by default.

One connection per alert: alerts are rare, and a fresh connection never trips over a server
that silently dropped an idle one. The SMTP outcome is mapped to what the dispatcher needs:
4xx replies, timeouts and network errors may pass (retry); 5xx replies, bad credentials and
certificates that do not verify will not (dead letter, with a message that says what to fix).
Error messages are built here from reply codes and texts, never from exception reprs, and the
password is scrubbed from them: they are logged and stored in the outbox.

Time: smtplib's `timeout` bounds each socket operation, not a send, so a server that answers
one byte or one continuation line (`250-...`) every few seconds could hold a send, and the
channel's only worker, for ever. Every send (connect, TLS, EHLO, AUTH, MAIL/RCPT/DATA and
QUIT) therefore also has a total deadline (`monitor.channels.deadline`): when it passes, the
TCP connection is shut down, and the alert is retried unless the server had already accepted
the message (its reply to the end of DATA), which only a cut QUIT can follow.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Any, Literal, NoReturn

from pydantic import ConfigDict, Field, SecretStr, field_validator

from monitor.alerts import AlertRecord
from monitor.channels.base import ChannelConfig, ChannelType
from monitor.channels.deadline import DEFAULT_TOTAL_TIMEOUT, Deadline, current_deadline
from monitor.channels.email_digest import build_digest_message
from monitor.channels.email_render import (
    TEXT_STYLE,
    build_message,
    header_text,
    templated_message,
)
from monitor.digests import DigestRecord
from monitor.errors import DeliveryError
from monitor.settings import is_local_host, unresolved
from monitor.templates import MessageTemplate, load_template, render_message

log = logging.getLogger("monitor.channels.email")

Security = Literal["none", "starttls", "ssl"]
_SECURITY: tuple[Security, ...] = ("none", "starttls", "ssl")


def address_problem(value: str, what: str) -> str | None:
    """Why `value` cannot be used as `what` (`from`, a `to` address), or None.

    Shared by the config validators (so `monitor check` finds it) and the channel itself.
    A line break could add a header; "a@x, b@y" as one `to` entry would be split by the To
    header's parser but not by the envelope, so the two would disagree.
    """
    if any(c in value for c in "\r\n\x00"):
        return f"{what} contains a line break: {value!r}"
    if "@" not in parseaddr(value)[1]:
        return f"{what} is not an email address: {value!r}"
    if what != "`from`" and len(getaddresses([value])) != 1:
        return f"give each `to` address separately: {value!r}"
    return None


def _address(value: str, what: str, channel: str) -> str:
    """The bare address (for the SMTP envelope) in a config address like `Desk <d@x.org>`."""
    problem = address_problem(value, what)
    if problem is not None:
        raise ValueError(f"channel `{channel}`: {problem}")
    return parseaddr(value)[1]


class EmailChannelConfig(ChannelConfig):
    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True
    )

    type: Literal["email"]
    host: str
    port: int = Field(default=587, gt=0, lt=65536)
    security: Security = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    from_: str = Field(alias="from")
    to: list[str]

    @field_validator("from_")
    @classmethod
    def _sender(cls, value: str) -> str:
        problem = None if unresolved(value) else address_problem(value, "`from`")
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("to", mode="before")
    @classmethod
    def _recipients(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(f'give `to` as a list of addresses, e.g. to = ["{value}"]')
        if isinstance(value, list):
            if not value:
                raise ValueError('no recipients: give at least one, e.g. to = ["desk@example.org"]')
            for item in value:
                problem = (
                    None
                    if not isinstance(item, str) or unresolved(item)
                    else address_problem(item, "a `to` address")
                )
                if problem is not None:
                    raise ValueError(problem)
        return value

    def warnings(self, name: str) -> list[tuple[str, str]]:
        if not cleartext_auth(self):
            return []
        return [
            (
                "security",
                f'[channels.{name}] security = "none" with a username/password for '
                f"{self.host}, which is not this machine: the password and every alert cross "
                f'the network in cleartext; use security = "starttls" (port 587) or "ssl" '
                f"(port 465)",
            )
        ]


def cleartext_auth(conf: EmailChannelConfig) -> bool:
    """SMTP AUTH without TLS to another machine: the password crosses the network readable."""
    return (
        conf.security == "none"
        and not is_local_host(conf.host)
        and (conf.password is not None or conf.username is not None)
    )


class _WatchedSMTP(smtplib.SMTP):
    """smtplib.SMTP whose TCP connection the running send's `Deadline` can cut.

    The connection is registered as soon as it exists, before any byte is read from it, and
    as a connection rather than a socket object: STARTTLS (and SMTPS, below) replace the
    socket object, and the handshake runs before the new one is reachable.
    """

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock: socket.socket = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        deadline = current_deadline()
        if deadline is not None:
            deadline.watch_connection(sock)
        return sock


class _WatchedSMTPSSL(smtplib.SMTP_SSL, _WatchedSMTP):
    """SMTPS with the same registration: `SMTP_SSL._get_socket` wraps what its `super()`
    returns, which by this class's MRO is `_WatchedSMTP`'s registered plain connection, so
    a TLS handshake the server stalls is cut too."""


class EmailChannel:
    """Sends each alert as an email to fixed recipients through one SMTP server.

    `security`: `ssl` is implicit TLS (SMTPS, usually port 465); `starttls` upgrades a plain
    connection (usually 587) and fails if the server does not offer it, rather than falling
    back to plain text; `none` is for a local relay. Certificates and host names are checked
    against `ssl_context`, by default the system's trust store (`ssl.create_default_context`);
    smtplib alone would check neither. Tests pass a context that trusts their own CA.

    `timeout` bounds each socket operation; `total_timeout` the whole send, QUIT included.
    """

    def __init__(
        self,
        name: str,
        host: str,
        port: int,
        security: Security,
        username: str | None,
        password: str | None,
        sender: str,
        recipients: list[str],
        timeout: float = 20.0,
        ssl_context: ssl.SSLContext | None = None,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        template: MessageTemplate | None = None,
    ) -> None:
        self._template = template
        if security not in _SECURITY:
            raise ValueError(
                f"channel `{name}`: security must be one of "
                f"{', '.join(_SECURITY)}, not {security!r}"
            )
        if not recipients:
            raise ValueError(f"channel `{name}`: no recipients")
        self.name = name
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self._password = password
        self.sender = sender
        self.recipients = list(recipients)
        self.timeout = timeout
        self.total_timeout = total_timeout
        self._envelope_from = _address(sender, "`from`", name)
        self._envelope_to = [_address(r, "a `to` address", name) for r in self.recipients]
        self._ssl_context = ssl_context
        if ssl_context is None and security != "none":
            self._ssl_context = ssl.create_default_context()

    def __repr__(self) -> str:  # never show the password
        return (
            f"EmailChannel(name={self.name!r}, host={self.host!r}, port={self.port}, "
            f"security={self.security!r}, username={self.username!r})"
        )

    @property
    def _where(self) -> str:
        return f"{self.host}:{self.port}"

    def _message(self, record: AlertRecord | DigestRecord) -> EmailMessage:
        """The built-in message, or the template's (the built-in one if it fails)."""
        msg = (
            build_digest_message(record, self.sender, self.recipients)
            if isinstance(record, DigestRecord)
            else build_message(record, self.sender, self.recipients)
        )
        if self._template is not None:
            parts = render_message(self._template, record.data, TEXT_STYLE, TEXT_STYLE, self.name)
            if parts is not None:
                return templated_message(msg, *parts)
        return msg

    def send(self, record: AlertRecord | DigestRecord) -> None:
        try:
            msg = self._message(record)
        except (ValueError, TypeError, AttributeError) as exc:
            # Rendering is deterministic: the same record fails the same way next time.
            raise DeliveryError(
                f"cannot build the email: {type(exc).__name__}: {exc}", permanent=True
            ) from None
        with Deadline(self.total_timeout) as deadline:
            try:
                self._session(msg, record)
            except Exception:
                if not deadline.expired:
                    raise
                # Whatever failed, the cut made it fail (even a "permanent" no-STARTTLS can
                # be an EHLO answer cut short), and the message was not accepted: retry.
            else:
                # Returned: the server accepted the message, even if the cut then fell on
                # QUIT; sending it again would deliver it twice.
                return
        raise DeliveryError(
            f"{self._where} did not complete the SMTP exchange within "
            f"{self.total_timeout:g} s (total time limit)"
        )

    def _session(self, msg: EmailMessage, record: AlertRecord | DigestRecord) -> None:
        """One SMTP session that delivers `msg`, or `DeliveryError` saying why not."""
        smtp: smtplib.SMTP | None = None
        polite = True  # say QUIT unless the connection itself is broken
        try:
            smtp = self._connect()
            self._login(smtp)
            refused = smtp.send_message(
                msg, from_addr=self._envelope_from, to_addrs=self._envelope_to
            )
            if refused:
                # The message went to the others; retrying would send it to them twice.
                log.warning(
                    "channel %s: email for %s not accepted for %s",
                    self.name,
                    f"digest {record.key}"
                    if isinstance(record, DigestRecord)
                    else f"rule {', '.join(record.rule_ids)}",
                    self._describe_refused(refused),
                )
        except DeliveryError:
            raise
        except smtplib.SMTPServerDisconnected as exc:
            polite = False
            # smtplib turns a read timeout into "Connection unexpectedly closed: timed out".
            if isinstance(exc.__context__, TimeoutError):
                self._fail(
                    f"{self._where} did not answer within {self.timeout:g} s", permanent=False
                )
            self._fail(f"{self._where} closed the connection unexpectedly", permanent=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            permanent = bool(codes) and all(500 <= c < 600 for c in codes)
            self._fail(
                f"{self._where} refused every recipient: {self._describe_refused(exc.recipients)}",
                permanent=permanent,
            )
        except smtplib.SMTPSenderRefused as exc:
            self._reply(
                f"{self._where} refused the sender {self._envelope_from}",
                exc.smtp_code,
                exc.smtp_error,
            )
        except smtplib.SMTPDataError as exc:
            self._reply(f"{self._where} rejected the message", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPConnectError as exc:
            self._reply(f"{self._where} refused the session", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPResponseException as exc:  # HELO/EHLO, STARTTLS, ...
            self._reply(f"{self._where} replied", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPException as exc:
            # Capability problems without a reply code, e.g. SMTPUTF8 needed but not offered.
            self._fail(f"{self._where}: {exc}", permanent=True)
        except ssl.SSLCertVerificationError as exc:
            polite = False
            self._fail(
                f"certificate verification failed for {self.host}: "
                f"{exc.verify_message or exc.reason}; the server's certificate is not "
                "trusted or not issued for this host name",
                permanent=True,
            )
        except ssl.SSLError as exc:
            polite = False
            self._fail(
                f"TLS with {self._where} failed ({exc.reason or exc.__class__.__name__});"
                f' check that port {self.port} expects security = "{self.security}"',
                permanent=False,
            )
        except TimeoutError:
            polite = False
            self._fail(f"{self._where} did not answer within {self.timeout:g} s", permanent=False)
        except ConnectionRefusedError:
            polite = False
            self._fail(f"connection to {self._where} refused", permanent=False)
        except socket.gaierror as exc:
            polite = False
            self._fail(f"cannot resolve {self.host}: {exc.strerror or exc}", permanent=False)
        except OSError as exc:
            polite = False
            self._fail(f"cannot talk to {self._where}: {exc.strerror or exc}", permanent=False)
        finally:
            if smtp is not None:
                self._hang_up(smtp, polite)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return _WatchedSMTPSSL(
                self.host, self.port, timeout=self.timeout, context=self._ssl_context
            )
        smtp = _WatchedSMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.security == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    # Never fall back to plain text: that is what a downgrade attack wants.
                    raise DeliveryError(
                        f'{self._where} does not offer STARTTLS; use security = "ssl" for an '
                        'implicit-TLS port (usually 465), or "none" for a trusted local relay',
                        permanent=True,
                    )
                smtp.starttls(context=self._ssl_context)
                smtp.ehlo()
        except BaseException:
            self._hang_up(smtp, polite=False)
            raise
        return smtp

    def _login(self, smtp: smtplib.SMTP) -> None:
        if self.username is None:
            return
        smtp.ehlo_or_helo_if_needed()
        if not smtp.has_extn("auth"):
            hint = (
                ' (many servers offer it only over TLS: try security = "starttls")'
                if self.security == "none"
                else ""
            )
            raise DeliveryError(
                f"{self._where} does not offer SMTP AUTH, but a username is configured{hint}",
                permanent=True,
            )
        try:
            smtp.login(self.username, self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            if 400 <= exc.smtp_code < 500:  # e.g. 454 4.7.0 temporary authentication failure
                self._reply(
                    f"{self._where} could not log in {self.username} now",
                    exc.smtp_code,
                    exc.smtp_error,
                )
            self._fail(
                f"{self._where} refused the login for user {self.username!r} "
                f"({self._text(exc.smtp_code, exc.smtp_error)}): "
                "check the username and password",
                permanent=True,
            )
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(f"{self._where} does not offer SMTP AUTH", permanent=True) from None
        except smtplib.SMTPException as exc:
            if isinstance(exc, smtplib.SMTPResponseException | smtplib.SMTPServerDisconnected):
                raise
            # "No suitable authentication method found."
            self._fail(f"cannot log in to {self._where}: {exc}", permanent=True)

    @staticmethod
    def _hang_up(smtp: smtplib.SMTP, polite: bool) -> None:
        """QUIT when the session is healthy (servers log a missing QUIT), else just close."""
        try:
            if polite:
                smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            smtp.close()

    def _scrub(self, text: str) -> str:
        """Remove the password should a server ever echo it (a tiny one would just mangle
        the text, and a reply is unlikely to contain it by chance)."""
        if self._password and len(self._password) >= 4:
            text = text.replace(self._password, "***")
        return text

    def _text(self, code: int, reply: bytes | str) -> str:
        """A server reply as one short line: `550 5.1.1 no such user`."""
        raw = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        return self._scrub(f"{code} {header_text(raw, 300)}".strip())

    def _describe_refused(self, refused: dict[str, tuple[int, bytes]]) -> str:
        return "; ".join(
            f"{addr}: {self._text(code, reply)}" for addr, (code, reply) in refused.items()
        )

    def _reply(self, what: str, code: int, reply: bytes | str) -> NoReturn:
        """Fail on an SMTP reply: 5xx will not change on retry, 4xx (and odd codes) may."""
        self._fail(f"{what}: {self._text(code, reply)}", permanent=500 <= code < 600)

    def _fail(self, message: str, *, permanent: bool) -> NoReturn:
        raise DeliveryError(self._scrub(message), permanent=permanent) from None

    def close(self) -> None:
        return None


def _build(name: str, conf: EmailChannelConfig) -> EmailChannel:
    password = conf.password.get_secret_value() if conf.password else None
    return EmailChannel(
        name,
        conf.host,
        conf.port,
        conf.security,
        conf.username,
        password,
        conf.from_,
        list(conf.to),
        template=load_template(conf.template),
    )


CHANNEL = ChannelType(EmailChannelConfig, _build)
