"""The alert record: what every channel sends and the `file` channel writes, one per line.

The record is built once, when the article is processed, and stored in the outbox; a
channel only adds its own name and the send time. So a retried alert is byte-for-byte the
alert that would have gone out first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.articles.model import Article
from monitor.clock import utc_now
from monitor.matching.model import Hit, Match

EXCERPT_BEFORE = 200
EXCERPT_LENGTH = 600


def excerpt(article: Article, match: Match) -> dict[str, Any] | None:
    """A window of the article around the first body hit (else the first title hit).

    Rich channels (Slack, email) show it with the matched words highlighted: `start` is the
    window's offset in its field, so a hit's offsets minus `start` locate it in `text`.
    The window starts and ends on whitespace where it can, so no word is cut in half.
    """
    hits = [h for h in match.hits if h.field == "body"] or list(match.hits)
    if not hits:
        return None
    first = min(hits, key=lambda h: h.start)
    text = article.body if first.field == "body" else article.title
    start = max(0, first.start - EXCERPT_BEFORE)
    if start > 0:
        space = text.find(" ", start, first.start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + EXCERPT_LENGTH)
    if end < len(text):
        space = text.rfind(" ", first.end, end)
        end = space if space != -1 else end
    return {"text": text[start:end], "field": first.field, "start": start}


MAX_HITS = 100
"""Most hits an alert record lists: every term's first hit, then the others in order.

An article that repeats a matched phrase a million times is one alert, not a 28 MB line
in every file channel and the database (seen: 827 MB of state for one such article).
`hits_total` says how many there were."""


def kept_hits(match: Match) -> list[Hit]:
    """The hits an alert lists: all of them, or MAX_HITS with each term shown at least once."""
    hits = match.hits
    if len(hits) <= MAX_HITS:
        return list(hits)
    chosen: set[int] = set()
    seen: set[str] = set()
    for i, hit in enumerate(hits):  # first the first hit of each term
        if hit.term not in seen and len(chosen) < MAX_HITS:
            seen.add(hit.term)
            chosen.add(i)
    for i in range(len(hits)):  # then the rest in order
        if len(chosen) >= MAX_HITS:
            break
        chosen.add(i)
    return [hits[i] for i in sorted(chosen)]


def alert_record(article: Article, match: Match, description: str) -> dict[str, Any]:
    """The channel-independent part of an alert (at most MAX_HITS hits: `kept_hits`)."""
    return with_excerpt(ArticleRecords(article).rule_record(match, description), article, match)


def with_excerpt(record: dict[str, Any], article: Article, match: Match) -> dict[str, Any]:
    """The rule record with its excerpt filled in (in its place among the keys), once."""
    if record["excerpt"] is None:
        record["excerpt"] = excerpt(article, match)
    return record


class ArticleRecords:
    """The rule records of one article's matches, built sharing what they have in common.

    At 100,000 rules one article can match a hundred rules or more, and building each
    record whole (the article's fields, every hit as a dict, an excerpt, a timestamp) cost
    more than matching. The article part, each hit's dict and the time are made once per
    article and shared (records are only ever encoded, never changed per rule, but for the
    article's `archived`, which is the same for all). The excerpt is left None until the
    record goes to a channel that sends rule records (`with_excerpt`): a story message makes
    its own from the hits of all rules.
    """

    __slots__ = ("_hits", "_info", "_lists", "_now")

    def __init__(self, article: Article) -> None:
        info: dict[str, Any] = {
            "id": article.id,
            "title": article.title,
            "path": article.path,
            "url": article.url,
            "published": article.published,
            "source": article.source,
        }
        # Declared by its source, else detected (once: this is a matched article, and
        # rules with `languages:` may have asked already); left out when unknown.
        language = article.lang
        if language is not None:
            info["language"] = language
        self._info = info
        self._hits: dict[Hit, dict[str, object]] = {}
        # Rules whose hits come from one keyword share one tuple of hits (the matcher's):
        # its list of dicts is made once. Keyed by identity: the matches keep them alive.
        self._lists: dict[int, list[dict[str, object]]] = {}
        self._now = utc_now()

    def _hit(self, hit: Hit) -> dict[str, object]:
        made = self._hits.get(hit)
        if made is None:
            made = self._hits[hit] = hit.to_dict()
        return made

    def rule_record(self, match: Match, description: str) -> dict[str, Any]:
        """The record without its excerpt (None: see `with_excerpt`)."""
        listed = self._lists.get(id(match.hits))
        if listed is None:
            listed = self._lists[id(match.hits)] = [self._hit(hit) for hit in kept_hits(match)]
        return {
            "rule": match.rule,
            "description": description,
            "article": self._info,
            "hits": listed,
            "hits_total": len(match.hits),
            "excerpt": None,
            "matched_at": self._now,
        }


def story_record(
    story: str,
    article: Article,
    rules: list[tuple[Match, dict[str, Any]]],
    also_in: list[dict[str, Any]],
) -> dict[str, Any]:
    """One message for a story on one channel: every rule it matched there, with its hits.

    `rules` pairs each rule's match with its rule record (`alert_record`), whose article
    and kept hits are reused. The excerpt is taken around the first hit of any rule, so
    the hits of all rules can be highlighted in it together.
    """
    first = rules[0][1]
    merged = Match("", tuple(hit for match, _ in rules for hit in match.hits))
    return {
        "story": story,
        "article": first["article"],
        "rules": [
            {
                "rule": record["rule"],
                "description": record["description"],
                "hits": record["hits"],
                "hits_total": record["hits_total"],
            }
            for _, record in rules
        ],
        "also_in": also_in,
        "hits_total": sum(record["hits_total"] for _, record in rules),
        "excerpt": excerpt(article, merged),
        "matched_at": first["matched_at"],
    }


def _lead_key(record: dict[str, Any]) -> str:
    """The key a record starts with: `story` for a story message, else `rule`."""
    return "story" if "story" in record and "rules" in record else "rule"


def for_channel(record: dict[str, Any], channel: str) -> dict[str, Any]:
    """The full record as sent: the stored part plus the channel name and the send time.

    The channel comes right after the record's leading key (`rule`, or `story` for a
    story message), as `for_channel_json` writes it.
    """
    lead = _lead_key(record)
    return {lead: record[lead], "channel": channel, **record, "sent_at": utc_now()}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def for_channel_json(payload: str, kind: str, key: str, channel: str) -> str:
    """`for_channel` of a stored record as JSON text, from the stored JSON text (`payload`).

    `kind` is the outbox row's (`rule` or `story`) and `key` its rule or story id, which
    the stored record must start with.

    Equal to `json.dumps(for_channel(json.loads(payload), channel), ensure_ascii=False)`,
    but made by inserting the channel after the leading rule and appending the send time:
    parsing and re-encoding every alert was half of what the dispatcher spent in a burst,
    GIL time taken from the article pipeline. A payload of another shape (a key `channel`
    or `sent_at` anywhere: inside JSON strings the quote before the colon would be escaped)
    goes the long way, through `parse_stored`: `MalformedRecord` if it is no alert record.
    """
    head = "{" + _dumps(kind) + ": " + _dumps(key) + ", "
    if (
        kind not in ("rule", "story")
        or not payload.startswith(head)
        or not payload.endswith("}")
        or '"channel": ' in payload
        or '"sent_at": ' in payload
    ):
        return _dumps(parse_stored(payload, kind, key, channel).data)
    return (
        f'{head}"channel": {_dumps(channel)}, {payload[len(head) : -1]}, '
        f'"sent_at": {_dumps(utc_now())}}}'
    )


# -- the typed record, as channels receive it ----------------------------------------------------
# Records travel as JSON (the outbox payload). They are parsed once, where the dispatcher
# hands a stored alert to a channel, into the frozen dataclasses below; renderers and
# channels read typed fields instead of probing a dict at every use. Dataclasses rather
# than a TypedDict because a TypedDict checks nothing at run time, and a record read back
# from the database is input like any other: a malformed one must fail once, here, as a
# dead letter with a message, not as a KeyError deep inside a renderer.


class MalformedRecord(ValueError):
    """A stored alert that is not an alert record; the message says which field is wrong."""


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    id: str
    title: str
    path: str  # where the file arrived (the inbox), as the contract defines it
    url: str | None = None
    published: str | None = None
    source: str | None = None
    archived: str | None = None  # where it has been moved since (`after = "archive"`)

    @property
    def where(self) -> str:
        """Where a reader finds the file now: the archive copy, else where it arrived."""
        return self.archived or self.path


@dataclass(frozen=True, slots=True)
class HitInfo:
    term: str
    text: str
    field: str  # "title" | "body"
    start: int  # offsets into the article's field
    end: int


@dataclass(frozen=True, slots=True)
class Excerpt:
    text: str
    field: str
    start: int  # the window's offset in its field: a hit's start - this = its place in text


@dataclass(frozen=True, slots=True)
class RuleHits:
    """One rule of an alert with the hits that made it match."""

    rule: str
    description: str
    hits: tuple[HitInfo, ...]


@dataclass(frozen=True, slots=True)
class Copy:
    """Another outlet's copy of a story ("also in")."""

    source: str | None
    url: str | None
    path: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One alert as a channel sends it.

    A rule record has one entry in `rules`; a story record (`story` set) lists every rule
    the story matched on this channel, and `also_in` the other copies known when it was
    queued. Renderers iterate over `rules` and use `hits` (all of them), so both kinds look
    alike to them. `data` is the JSON object exactly as stored plus `channel` and
    `sent_at`: what the webhook channel sends, so extra fields reach receivers unchanged.
    """

    channel: str
    article: ArticleInfo
    rules: tuple[RuleHits, ...]
    excerpt: Excerpt | None
    hits_total: int | None
    matched_at: str | None
    sent_at: str | None
    data: Mapping[str, Any] = field(repr=False, compare=False)
    story: str | None = None  # the story's id; set on story records (and new rule records)
    also_in: tuple[Copy, ...] = ()
    is_story: bool = False  # one message for the story, not one per rule

    @property
    def rule_ids(self) -> list[str]:
        return [r.rule for r in self.rules]

    @property
    def hits(self) -> list[HitInfo]:
        """Every hit of every rule, in order (one article, so offsets share its fields)."""
        return [hit for r in self.rules for hit in r.hits]

    @property
    def description(self) -> str:
        """The first rule's description that is not empty."""
        return next((r.description for r in self.rules if r.description), "")

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> AlertRecord:
        """The typed record of a full record (`for_channel`), or `MalformedRecord`."""
        if not isinstance(data, Mapping):
            raise MalformedRecord(f"not a JSON object but {_kind(data)}")
        article = record_field(data, "article", dict)
        excerpt = record_field(data, "excerpt", dict, optional=True)
        is_story = "rules" in data and "story" in data
        if is_story:
            rules = tuple(
                _rule_hits(r, f"rules[{i}].")
                for i, r in enumerate(record_field(data, "rules", list))
            )
            if not rules:
                raise MalformedRecord("`rules` is empty")
        else:
            rules = (_rule_hits(data, ""),)
        return cls(
            channel=record_field(data, "channel", str),
            article=ArticleInfo(
                id=record_field(article, "id", str, "article."),
                title=record_field(article, "title", str, "article."),
                path=record_field(article, "path", str, "article."),
                url=record_field(article, "url", str, "article.", optional=True),
                published=record_field(article, "published", str, "article.", optional=True),
                source=record_field(article, "source", str, "article.", optional=True),
                archived=record_field(article, "archived", str, "article.", optional=True),
            ),
            rules=rules,
            excerpt=None
            if excerpt is None
            else Excerpt(
                text=record_field(excerpt, "text", str, "excerpt."),
                field=record_field(excerpt, "field", str, "excerpt."),
                start=record_field(excerpt, "start", int, "excerpt."),
            ),
            hits_total=record_field(data, "hits_total", int, optional=True),
            matched_at=record_field(data, "matched_at", str, optional=True),
            sent_at=record_field(data, "sent_at", str, optional=True),
            data=data,
            story=record_field(data, "story", str, optional=True),
            also_in=tuple(
                _copy(c, i)
                for i, c in enumerate(record_field(data, "also_in", list, optional=True) or [])
            ),
            is_story=is_story,
        )


def _rule_hits(data: Mapping[str, Any], where: str) -> RuleHits:
    if not isinstance(data, Mapping):
        raise MalformedRecord(f"`{where[:-1]}` is {_kind(data)}, not an object")
    return RuleHits(
        rule=record_field(data, "rule", str, where),
        description=record_field(data, "description", str, where, optional=True) or "",
        hits=tuple(
            _hit(h, i, where) for i, h in enumerate(record_field(data, "hits", list, where))
        ),
    )


def _copy(value: object, index: int) -> Copy:
    if not isinstance(value, dict):
        raise MalformedRecord(f"`also_in[{index}]` is {_kind(value)}, not an object")
    where = f"also_in[{index}]."
    return Copy(
        source=record_field(value, "source", str, where, optional=True),
        url=record_field(value, "url", str, where, optional=True),
        path=record_field(value, "path", str, where, optional=True),
        title=record_field(value, "title", str, where, optional=True),
    )


def parse_stored(payload: str, kind: str, key: str, channel: str) -> AlertRecord:
    """A stored outbox payload as the typed record sent to `channel`, or `MalformedRecord`.

    `kind` and `key` are the outbox row's: a `rule` row's record names its rule, a `story`
    row's its story."""
    try:
        stored = json.loads(payload)
    except ValueError as exc:
        raise MalformedRecord(f"not JSON ({exc})") from None
    if not isinstance(stored, dict):
        raise MalformedRecord(f"not a JSON object but {_kind(stored)}")
    if kind not in ("rule", "story"):
        raise MalformedRecord(f"an outbox row of kind {kind!r} is no alert")
    if stored.get(kind) != key or (kind == "story") != ("rules" in stored):
        raise MalformedRecord(f"`{kind}` does not match the outbox row")
    return AlertRecord.parse(for_channel(stored, channel))


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "null" if value is None else "a number"
    )


def record_field(
    data: Mapping[str, Any], key: str, kind: type, prefix: str = "", optional: bool = False
) -> Any:
    """`data[key]` if it is of `kind` (None if missing and `optional`), else MalformedRecord
    naming the field: records read back from the database are checked field by field."""
    value = data.get(key)
    if value is None and optional:
        return None
    # bool is an int in Python, but never an offset or a count in a record.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        what = "missing" if key not in data else f"{_kind(value)}, not {_kind(kind())}"
        raise MalformedRecord(f"`{prefix}{key}` is {what}")
    return value


def _hit(value: object, index: int, prefix: str = "") -> HitInfo:
    if not isinstance(value, dict):
        raise MalformedRecord(f"`{prefix}hits[{index}]` is {_kind(value)}, not an object")
    where = f"{prefix}hits[{index}]."
    return HitInfo(
        term=record_field(value, "term", str, where),
        text=record_field(value, "text", str, where),
        field=record_field(value, "field", str, where),
        start=record_field(value, "start", int, where),
        end=record_field(value, "end", int, where),
    )


@dataclass(frozen=True, slots=True)
class RenderedAlert:
    """An alert ready to write: its outbox key and its full record as one line of JSON."""

    key: tuple[str, str, str] | None  # (story id, rule or "", channel), unique in the outbox
    json: str


def flood_summary(rule: str, description: str, cap: int, window: str) -> dict[str, Any]:
    """The one alert sent when a rule trips its `max_alerts_per_hour`, instead of a flood.

    Its article id names the rule and the hour (`flood:RULE:YYYY-MM-DDTHH`), so the outbox's
    unique key lets exactly one summary out per rule, channel and hour.
    """
    title = (
        f"Rule {rule} reached its limit of {cap} alerts per hour; further matches are "
        "held back this hour (counted in `monitor outbox`)"
    )
    return {
        "rule": rule,
        "description": description,
        "article": {
            "id": f"flood:{rule}:{window}",
            "title": title,
            "path": "",
            "url": None,
            "published": None,
            "source": "monitor",
        },
        "hits": [],
        "excerpt": None,
        "matched_at": utc_now(),
    }
