"""Generators for the scale benchmarks: realistic rule sets and a news-style corpus.

Rules look like a monitoring agency's client queries: most watch a client's name (a brand or
a person, rare in any given story) with topic keywords; industry watches name a country or
organisation with a niche subject and topics; some are Boolean queries with NEAR, wildcards
and NOT; a realistic share never matches. Articles are 3-5 KB of news-style sentences about
countries, organisations and topics, naming a client half the time and a few niche subjects,
so each article matches a handful of rules, not thousands.
Everything is seeded, so runs are comparable.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path

SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ren",
    "tor",
    "val",
    "zu",
    "bri",
    "sen",
    "dax",
    "mar",
    "qui",
    "nel",
    "os",
    "tra",
    "vin",
    "el",
    "gor",
    "pha",
    "lux",
    "ny",
    "cor",
    "dre",
    "fi",
)
TOPICS = (
    "election",
    "tariff",
    "merger",
    "acquisition",
    "lawsuit",
    "recall",
    "strike",
    "sanctions",
    "ceasefire",
    "summit",
    "earnings",
    "layoffs",
    "investment",
    "drought",
    "flood",
    "wildfire",
    "inflation",
    "interest rates",
    "supply chain",
    "cyberattack",
    "data breach",
    "vaccine",
    "pipeline",
    "refinery",
    "shipping",
    "semiconductor",
    "battery",
    "satellite",
    "airline",
    "railway",
    "port",
    "wheat",
    "fertiliser",
    "copper",
    "lithium",
    "natural gas",
    "crude oil",
    "bond market",
    "central bank",
    "trade deal",
    "climate policy",
    "emissions",
    "nuclear",
    "missile",
    "drone",
    "ammunition",
    "peace talks",
    "refugees",
    "protest",
    "corruption",
    "scandal",
)
COUNTRIES = (
    "France",
    "Germany",
    "Japan",
    "South Korea",
    "Brazil",
    "India",
    "Canada",
    "Mexico",
    "Nigeria",
    "Kenya",
    "Egypt",
    "Turkey",
    "Poland",
    "Italy",
    "Spain",
    "Australia",
    "Indonesia",
    "Vietnam",
    "Chile",
    "Argentina",
    "Ukraine",
    "Russia",
    "China",
    "United States",
    "United Kingdom",
    "Sweden",
    "Norway",
    "Saudi Arabia",
)
ORGANISATIONS = (
    "NATO",
    "European Union",
    "United Nations",
    "IMF",
    "World Bank",
    "OPEC",
    "WTO",
    "OECD",
    "African Union",
    "ASEAN",
)
DEMONYMS = (
    "French",
    "German",
    "Japanese",
    "South Korean",
    "Brazilian",
    "Indian",
    "Canadian",
    "Mexican",
    "Nigerian",
    "Kenyan",
    "Egyptian",
    "Polish",
    "Italian",
    "Spanish",
)
FILLER = (
    "officials said on Monday that",
    "according to people familiar with the matter,",
    "analysts expect",
    "the ministry confirmed",
    "in a statement, the company said",
    "shares fell after",
    "investors welcomed",
    "critics warned that",
    "the report found",
    "it was not immediately clear whether",
    "a spokesperson declined to comment on",
    "the government announced",
    "talks continued over",
    "markets reacted to",
)
VERBS = (
    "announced",
    "rejected",
    "approved",
    "delayed",
    "expanded",
    "criticised",
    "welcomed",
    "investigated",
    "signed",
    "suspended",
    "reviewed",
    "defended",
)


def brand(rng: random.Random) -> str:
    """A made-up client name (company or person), rare in the corpus by construction."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def subject(rng: random.Random) -> str:
    """A made-up product or niche subject ("vinsenite"): what a client's industry watch names."""
    return "".join(rng.choice(SYLLABLES) for _ in range(3)) + rng.choice(("ite", "ium", "ol"))


def pools(count: int, seed: int = 1) -> tuple[list[str], list[str]]:
    """Client names and niche subjects for a rule set of `count` rules.

    Both pools grow with the rule set: more rules means more clients, each watching its own
    names and subjects, not the same few subjects watched more often. That is what keeps
    the matches per article about constant from 1k to 100k rules, as at a real agency.
    """
    rng = random.Random(seed)
    return _distinct(rng, brand, max(50, count // 4)), _distinct(rng, subject, max(20, count // 10))


def _distinct(rng: random.Random, make: Callable[[random.Random], str], count: int) -> list[str]:
    """`count` different names: two clients sharing a name would share every story."""
    names: dict[str, None] = {}
    while len(names) < count:
        names[make(rng)] = None
    return list(names)


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join('"' + i.replace('"', "") + '"' for i in items) + "]"


def rule_yaml(i: int, rng: random.Random, brands: list[str], subjects: list[str]) -> str:
    """One rule as YAML text; the mix below is what makes the set realistic."""
    kind = rng.random()
    topics = rng.sample(TOPICS, 3)
    places = COUNTRIES + ORGANISATIONS
    if kind < 0.60:  # a client name plus topics: matches only when the client is in a story
        body = (
            f"    keywords:\n      all: {_yaml_list([rng.choice(brands)])}\n"
            f"      any: {_yaml_list(topics)}\n"
        )
    elif kind < 0.75:  # an industry watch: an entity, a niche subject and one of two topics
        body = (
            f"    entities: {_yaml_list([rng.choice(places)])}\n    keywords:\n"
            f"      all: {_yaml_list([rng.choice(subjects)])}\n"
            f"      any: {_yaml_list(topics[1:])}\n"
        )
    elif kind < 0.82:  # two entities, a subject, a prefix wildcard and an exclusion
        a, b = rng.sample(places, 2)
        stem = rng.choice(TOPICS).split()[0][:5] + "*"
        body = (
            f"    entities: {_yaml_list([a, b])}\n    keywords:\n"
            f"      all: {_yaml_list([rng.choice(subjects)])}\n"
            f"      any: {_yaml_list([stem])}\n"
            f"      none: {_yaml_list([rng.choice(TOPICS)])}\n"
        )
    elif kind < 0.95:  # a Boolean query with proximity around a client or a subject
        who = rng.choice(brands) if rng.random() < 0.5 else rng.choice(subjects)
        place = rng.choice(places)
        query = (
            f'"{who}" AND ({topics[0]} NEAR/{rng.randint(3, 12)} "{place}" '
            f"OR {topics[1].split()[0]}*) AND NOT {topics[2].split()[0]}"
        )
        body = f"    query: '{query}'\n"
    else:  # a phrase that never occurs: the share of rules that never match
        phrase = f"{brand(rng)} {rng.choice(TOPICS)}"
        body = f"    keywords:\n      all: {_yaml_list([phrase])}\n"
    return f"  - id: r{i:06d}\n{body}"


def write_rules(folder: Path, count: int, seed: int = 1, per_file: int = 1000) -> None:
    """`count` rules in files of `per_file` rules each, under `folder`."""
    brands, subjects = pools(count, seed)
    rng = random.Random(seed + 1000)
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, per_file):
        lines = ["rules:\n"]
        lines += [
            rule_yaml(i, rng, brands, subjects) for i in range(start, min(count, start + per_file))
        ]
        (folder / f"rules-{start // per_file:04d}.yaml").write_text("".join(lines), "utf-8")


def article(rng: random.Random, brands: list[str], subjects: list[str]) -> str:
    """A 3-5 KB news-style article about a few countries, one organisation and a few topics.

    Real stories stay on their subject, so most sentences reuse the article's own focus and
    only a few mention something else; a story names a client now and then and a few niche
    subjects. That is what keeps matches per article realistic.
    """
    countries = rng.sample(COUNTRIES, 2)
    organisation = rng.choice(ORGANISATIONS)
    topics = rng.sample(TOPICS, 3)
    client = rng.choice(brands) if rng.random() < 0.5 else None
    niche = rng.sample(subjects, 3)

    def pick(focus: list[str], pool: tuple[str, ...]) -> str:
        return rng.choice(focus) if rng.random() < 0.92 else rng.choice(pool)

    sentences: list[str] = []
    target = rng.randint(3000, 5000)
    size = 0
    while size < target:
        who = rng.choice(
            (
                pick(countries, COUNTRIES),
                organisation,
                "the government",
                client or "the company",
                f"{rng.choice(DEMONYMS)} officials",
            )
        )
        what = rng.choice(niche) if rng.random() < 0.15 else pick(topics, TOPICS)
        s = (
            f"{rng.choice(FILLER).capitalize()} {who} {rng.choice(VERBS)} a plan on "
            f"{pick(topics, TOPICS)} and {what} in {pick(countries, COUNTRIES)}."
        )
        sentences.append(s)
        size += len(s) + 1
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    headline = f"{countries[0]} {rng.choice(VERBS)} {topics[0]} plan"
    return headline + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(
    folder: Path, count: int, rule_count: int, seed: int = 2, rule_seed: int = 1
) -> None:
    """`count` articles as .txt files naming clients and subjects of the `rule_count` set.

    Each rule set gets its own corpus, drawn with the same seed: the same kind of stories,
    naming that agency's clients and subjects. An article names a client and a few subjects
    at the same rate whatever the number of clients (each story is about a company or two;
    with many clients, those are clients), so the matches per article stay about the same
    from 1k to 100k rules while everything the engine must not look at grows 100-fold.
    """
    brands, subjects = pools(rule_count, rule_seed)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"article-{i:06d}.txt").write_text(article(rng, brands, subjects), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["rules", "corpus"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--rules", type=int, default=1000, help="for a corpus: the size of the rule set it is for"
    )
    args = parser.parse_args()
    if args.what == "rules":
        write_rules(args.folder, args.count)
    else:
        write_corpus(args.folder, args.count, args.rules)


if __name__ == "__main__":
    main()
