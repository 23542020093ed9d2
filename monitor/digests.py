"""The digest record: the held alerts of one channel and period, as one message.

A channel with a digest schedule or quiet hours gets its alerts queued `held` (see
`monitor.schedule`). When their release time comes, the store hands them to `build_digest`
and, in the same transaction, queues the record it returns as one outbox row and marks the
held rows `digested` (see `Store.make_digests`): each held alert ends up in exactly one
digest, made once even after a crash.

The stored digest (`{"digest": {"id", "from", "to"}, "channel", "stories", "count"}`) is
final; sending adds only `sent_at`, like an alert record. `from` is when the first of its
alerts was held, `to` the release time. `stories` lists each story once (a story held
once per rule on a `group = "rule"` channel is one entry with the union of its rules),
newest first, with each rule's description but not its hits, and its "also in" copies;
at most MAX_STORIES of them, `count` being the number of stories and `omitted` how many
are not listed. Channels render it (`DigestRecord`) within their own limits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from monitor.alerts import ArticleInfo, Copy, MalformedRecord, RuleHits, record_field
from monitor.clock import utc_now

MAX_STORIES = 500
"""Most stories one digest record lists: a day of a busy rule is a message, not a dump."""
MAX_COPIES = 10
"""Most "also in" copies listed per story; `copies` counts them all."""
_ARTICLE_KEYS = ("id", "title", "path", "url", "published", "source", "archived")
_COPY_KEYS = ("source", "url", "path", "title")


class HeldAlert(Protocol):
    """A held outbox row as the store hands it over (`monitor.state.HeldRow`)."""

    @property
    def seq(self) -> int: ...
    @property
    def payload(self) -> str: ...
    @property
    def created_at(self) -> str: ...


@dataclass
class _Entry:
    story: str
    article: dict[str, Any]
    rules: dict[str, str] = field(default_factory=dict)  # rule -> description, in order
    copies: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    matched_at: str = ""
    last_seq: int = 0


def build_digest(
    key: str,
    channel: str,
    items: Sequence[HeldAlert],
    release: str,
    copies: Callable[[str], list[dict[str, Any]]] | None = None,
) -> tuple[dict[str, Any] | None, dict[int, str]]:
    """(the stored digest record, or None if no item is usable; {seq: why} for bad items).

    A held payload that is not an alert or story record cannot be sent in any digest: the
    store makes it a dead letter with the reason, like any malformed record. `copies`
    (`Store.story_copies`) gives each story's articles as the database knows them now: the
    copies that came in while the digest was being collected are listed too.
    """
    entries: dict[str, _Entry] = {}
    bad: dict[int, str] = {}
    for item in items:
        try:
            _add(entries, item)
        except MalformedRecord as exc:
            bad[item.seq] = f"malformed held alert: {exc}"
    if not entries:
        return None, bad
    if copies is not None:
        for entry in entries.values():
            for copy in copies(entry.story):
                if copy.get("article_id") == entry.article.get("id") and not copy.get("sighting"):
                    continue  # the copy the digest shows
                kept = {k: copy.get(k) for k in _COPY_KEYS}
                entry.copies.setdefault(tuple(kept.values()), {k: v for k, v in kept.items() if v})
    good = [i for i in items if i.seq not in bad]
    ordered = sorted(entries.values(), key=lambda e: (e.matched_at, e.last_seq), reverse=True)
    listed = ordered[:MAX_STORIES]
    record = {
        "digest": {"id": key, "from": min(i.created_at for i in good), "to": release},
        "channel": channel,
        "stories": [_story(e) for e in listed],
        "count": len(ordered),
        "omitted": len(ordered) - len(listed),
    }
    return record, bad


def _add(entries: dict[str, _Entry], item: HeldAlert) -> None:
    try:
        data = json.loads(item.payload)
    except ValueError as exc:
        raise MalformedRecord(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise MalformedRecord("not a JSON object")
    article = record_field(data, "article", dict)
    article = {
        k: record_field(article, k, str, "article.", k not in ("id", "title", "path"))
        for k in _ARTICLE_KEYS
    }
    if "rules" in data:  # a story record
        rules = [(record_field(r, "rule", str, "rules[]."), _desc(r)) for r in _list(data, "rules")]
        story = record_field(data, "story", str)
    else:  # a rule record, with its story when the pipeline knows it
        rules = [(record_field(data, "rule", str), _desc(data))]
        story = record_field(data, "story", str, optional=True) or article["id"]
    copies = [
        {k: record_field(c, k, str, "also_in[].", optional=True) for k in _COPY_KEYS}
        for c in (_list(data, "also_in") if data.get("also_in") is not None else [])
    ]
    entry = entries.get(story)
    if entry is None:
        entry = entries[story] = _Entry(story, {k: v for k, v in article.items() if v is not None})
    for rule, description in rules:
        entry.rules.setdefault(rule, description)
    for copy in copies:
        entry.copies.setdefault(tuple(copy.values()), {k: v for k, v in copy.items() if v})
    matched = record_field(data, "matched_at", str, optional=True) or item.created_at
    entry.matched_at = max(entry.matched_at, matched)
    entry.last_seq = max(entry.last_seq, item.seq)


def _story(entry: _Entry) -> dict[str, Any]:
    copies = list(entry.copies.values())
    return {
        "story": entry.story,
        "article": entry.article,
        "rules": [{"rule": r, "description": d} for r, d in entry.rules.items()],
        "also_in": copies[:MAX_COPIES],
        "copies": len(copies),
        "matched_at": entry.matched_at,
    }


def _desc(data: Mapping[str, Any]) -> str:
    return record_field(data, "description", str, optional=True) or ""


def _list(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value: list[dict[str, Any]] = record_field(data, key, list)
    if not all(isinstance(v, dict) for v in value):
        raise MalformedRecord(f"`{key}` holds something that is not an object")
    return value


def for_channel(payload: str) -> dict[str, Any]:
    """The full digest as sent: the stored record plus the send time; MalformedRecord if
    the payload is no digest."""
    try:
        data = json.loads(payload)
    except ValueError as exc:
        raise MalformedRecord(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise MalformedRecord("not a JSON object")
    return {**data, "sent_at": utc_now()}


def digest_json(payload: str, channel: str) -> str:
    """The digest as one JSON line for the file channel, checked by `DigestRecord.parse`."""
    record = parse_digest(payload, channel)
    return json.dumps(dict(record.data), ensure_ascii=False)


def parse_digest(payload: str, channel: str) -> DigestRecord:
    """A stored digest payload as the typed record sent to `channel`, or `MalformedRecord`."""
    record = DigestRecord.parse(for_channel(payload))
    if record.channel != channel:
        raise MalformedRecord("`channel` does not match the outbox row")
    return record


# -- the typed record, as channels receive it ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestStory:
    """One story of a digest: its first article, every rule it matched, its copies."""

    story: str
    article: ArticleInfo
    rules: tuple[RuleHits, ...]  # descriptions; no hits in a digest
    also_in: tuple[Copy, ...]
    copies: int  # how many copies in all (`also_in` lists at most MAX_COPIES)
    matched_at: str | None

    @property
    def rule_ids(self) -> list[str]:
        return [r.rule for r in self.rules]


@dataclass(frozen=True, slots=True)
class DigestRecord:
    """One digest as a channel sends it; `data` is the JSON object as stored plus `sent_at`
    (what the file and webhook channels write)."""

    key: str  # the outbox article id: `digest:CHANNEL:RELEASE`
    channel: str
    start: str  # `from`: when the first of its alerts was held
    end: str  # `to`: when it was released
    stories: tuple[DigestStory, ...]
    count: int
    sent_at: str | None
    data: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def omitted(self) -> int:
        """Stories counted but not listed in the record (over MAX_STORIES)."""
        return max(0, self.count - len(self.stories))

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> DigestRecord:
        """The typed record of a full digest record, or `MalformedRecord`."""
        if not isinstance(data, Mapping):
            raise MalformedRecord("not a JSON object")
        period = record_field(data, "digest", dict)
        stories = tuple(
            _parse_story(s, i) for i, s in enumerate(record_field(data, "stories", list))
        )
        return cls(
            key=record_field(period, "id", str, "digest."),
            channel=record_field(data, "channel", str),
            start=record_field(period, "from", str, "digest."),
            end=record_field(period, "to", str, "digest."),
            stories=stories,
            count=record_field(data, "count", int),
            sent_at=record_field(data, "sent_at", str, optional=True),
            data=data,
        )


def _parse_story(value: object, index: int) -> DigestStory:
    if not isinstance(value, dict):
        raise MalformedRecord(f"`stories[{index}]` is not an object")
    where = f"stories[{index}]."
    article = record_field(value, "article", dict, where)
    a = f"{where}article."
    rules = record_field(value, "rules", list, where)
    copies = value.get("also_in") or []
    if not isinstance(copies, list) or not all(isinstance(c, dict) for c in [*rules, *copies]):
        raise MalformedRecord(f"`{where}rules` or `{where}also_in` holds a non-object")
    return DigestStory(
        story=record_field(value, "story", str, where),
        article=ArticleInfo(
            id=record_field(article, "id", str, a),
            title=record_field(article, "title", str, a),
            path=record_field(article, "path", str, a),
            url=record_field(article, "url", str, a, optional=True),
            published=record_field(article, "published", str, a, optional=True),
            source=record_field(article, "source", str, a, optional=True),
            archived=record_field(article, "archived", str, a, optional=True),
        ),
        rules=tuple(
            RuleHits(
                rule=record_field(r, "rule", str, f"{where}rules[]."),
                description=record_field(r, "description", str, optional=True) or "",
                hits=(),
            )
            for r in rules
        ),
        also_in=tuple(
            Copy(
                **{
                    k: record_field(c, k, str, f"{where}also_in[].", optional=True)
                    for k in _COPY_KEYS
                }
            )
            for c in copies
        ),
        copies=record_field(value, "copies", int, where, optional=True) or len(copies),
        matched_at=record_field(value, "matched_at", str, where, optional=True),
    )
