"""Write `story_pairs.jsonl`, the labelled pairs `bench/dedup_eval.py` measures against.

    python bench/data/make_story_pairs.py

Each line is {"id", "a": {"title", "body"}, "b": {"title", "body"}, "same", "kind"}: `same`
says whether a reader of a monitor would call `a` and `b` ONE story (one alert) or two.
Everything is invented and seeded, so the file is the same on every run.

Base articles are wire-style news (a dateline and agency, a byline, names, titles, numbers,
quotes and attributions) in six desks: politics, business, sport, disasters, courts and
science. Each is built from its desk's sentence patterns, the general patterns every desk
uses, and clauses whose words are drawn from a common-news vocabulary weighted by a Zipf
law (rank r drawn with weight 1/r), so that two stories of one desk share phrasing the way
real ones do, but not whole paragraphs. 4-6 paragraphs, 300-900 words.

Labelling rules (decided before measuring, applied to every pair):
* SAME story (`same: true`):
  - `copy`: the same text from another outlet: another byline and agency in the dateline;
  - `headline`: the title rewritten, the body unchanged;
  - `edit`: a wire update: a few words swapped for synonyms, one sentence moved, and the
    numbers revised slightly (a toll of 12 becoming 14 is an update of the same story, as
    agencies publish it under the same slug: a monitor's user wants no second alert);
  - `cut`: the last 1-3 paragraphs cut (at least two paragraphs are left);
  - `boilerplate`: site navigation, "Read more" and related links, a newsletter box and a
    copyright line around the text;
  - `combo`: two to four of the above at once.
* DIFFERENT stories (`same: false`):
  - `followup`: the same event days later with substantial new content: new paragraphs
    (a new angle, new quotes, new numbers) are most of the text; it may repeat one or two
    background paragraphs of the first story, and names, places and the organisation
    return. New paragraphs dominate, so it is a new story (a new alert);
  - `same_topic`: another story of the same desk sharing the main names and places (the
    same judge, the same club, the same minister or company) but about something else;
  - `same_outlet`: two unrelated stories wrapped in the same outlet's heavy boilerplate;
  - `unrelated`: two stories of different desks or events, plain.
* A pair's `a` is the original; `b` the variant (or the other story).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "story_pairs.jsonl"
SEED = 13
N_BASE = 72

# --- vocabulary ------------------------------------------------------------------------


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FIRST = _words(
    "Maria James Anna David Elena Thomas Sofia Michael Laura Peter Amina Daniel Priya Ahmed "
    "Olga Carlos Hannah Kenji Fatima Lukas Grace Mateo Ingrid Samuel Chloe Ibrahim Nadia "
    "Victor Yuki Rosa Henrik Leila Patrick Mei Tomasz Alice Rafael Zanele Omar Claire"
)
LAST = _words(
    "Keller Okafor Lindqvist Moreau Novak Brennan Tanaka Haddad Costa Fischer Duarte Kowalski "
    "Mensah Reyes Sorensen Petrov Walsh Nakamura Ferreira Bauer Adeyemi Castillo Holm Varga "
    "Quinn Marchetti Osei Larsen Ivanova Murphy Sato Abara Jensen Romero Weiss Nguyen Dalton "
    "Achterberg Pereira Whitlock"
)
CITIES = _words(
    "Brussels Nairobi Lisbon Warsaw Manila Lima Oslo Dublin Accra Santiago Kyiv Madrid Seoul "
    "Jakarta Ottawa Athens Vienna Istanbul Johannesburg Hanoi Bogota Prague Helsinki Lagos "
    "Montreal Geneva Rotterdam Osaka Porto Marseille Glasgow Lyon Krakow Cebu Mombasa Valencia"
)
REGIONS = _words(
    "northern province;coastal district;eastern highlands;river delta;southern border region;"
    "western valley;central plateau;island chain;mountain region;industrial belt",
    ";",
)
AGENCIES = ["Reuters", "AP", "AFP", "Bloomberg", "dpa", "EFE", "ANSA", "PA"]
OUTLETS = [
    "The Daily Ledger",
    "Northern Courier",
    "Metro Herald",
    "The Evening Post",
    "City Gazette",
    "Global Wire Today",
]
DAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = _words("Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.")

# Common news words, most frequent first; clauses draw them with Zipf weights.
ADJ = _words(
    "new last first major local national public former senior early high strong key recent "
    "economic political international regional official general final financial legal "
    "growing wider serious previous domestic federal private independent significant likely "
    "further initial annual fresh critical broad urgent rare modest sharp steady unexpected "
    "lengthy controversial temporary detailed heavy quiet crucial remote fragile rival"
)
NOUN = _words(
    "government year people week time plan report group state country month deal support "
    "case issue part number market service system decision talks policy city police law "
    "officials programme change data figures vote region rules budget pressure concerns "
    "spending sector board agency measures evidence question proposal funding costs risk "
    "demand investors residents workers families review statement response agreement "
    "inquiry prices jobs schools hospitals roads supply network contract claims findings "
    "committee ministry election season match league court judge jury trial appeal study "
    "researchers patients samples flood storm quake fire rescuers shelters damage losses"
)
VERB_PAST = _words(
    "said added warned noted announced confirmed argued insisted stressed acknowledged "
    "suggested reported estimated predicted admitted explained recalled signalled conceded "
    "indicated"
)
PREP = _words("amid after despite over following ahead_of before during against beyond")

SYNONYMS = {
    "said": "stated",
    "warned": "cautioned",
    "announced": "unveiled",
    "major": "big",
    "people": "residents",
    "officials": "authorities",
    "talks": "negotiations",
    "plan": "proposal",
    "sharp": "steep",
    "rare": "unusual",
    "urgent": "pressing",
    "added": "continued",
    "recent": "latest",
    "about": "around",
    "killed": "left dead",
    "rose": "climbed",
    "fell": "dropped",
    "expected": "likely",
}


def zipf_choice(rng: random.Random, words: list[str]) -> str:
    weights = [1.0 / (i + 1) for i in range(len(words))]
    return rng.choices(words, weights)[0].replace("_", " ")


def clause(rng: random.Random) -> str:
    """A short noun phrase such as 'amid growing concerns over the regional budget'."""
    a1, n1 = zipf_choice(rng, ADJ), zipf_choice(rng, NOUN)
    a2, n2 = zipf_choice(rng, ADJ), zipf_choice(rng, NOUN)
    return f"{zipf_choice(rng, PREP)} {a1} {n1} over the {a2} {n2}"


# --- a story's cast and sentences ------------------------------------------------------


class Cast:
    """The names, places and numbers one story (and its follow-ups) uses."""

    def __init__(self, rng: random.Random, desk: str) -> None:
        def person() -> str:
            return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

        self.desk = desk
        self.city = rng.choice(CITIES)
        self.region = rng.choice(REGIONS)
        self.p1, self.p2, self.p3, self.p4 = person(), person(), person(), person()
        self.org = rng.choice(ORGS[desk])
        self.org2 = rng.choice([o for o in ORGS[desk] if o != self.org])
        self.n1 = rng.randint(3, 90)
        self.n2 = rng.randint(100, 9000)
        self.pct = round(rng.uniform(0.5, 19.5), 1)
        self.money = rng.randint(2, 950)
        self.day = rng.choice(DAYS)
        self.month = rng.choice(MONTHS)
        self.date = rng.randint(1, 28)
        self.agency = rng.choice(AGENCIES)
        self.topic = rng.choice(TOPICS[desk])

    def fill(self, rng: random.Random, pattern: str) -> str:
        values: dict[str, Any] = {
            "city": self.city,
            "region": self.region,
            "p1": self.p1,
            "p2": self.p2,
            "p3": self.p3,
            "p4": self.p4,
            "last1": self.p1.split()[1],
            "last2": self.p2.split()[1],
            "last3": self.p3.split()[1],
            "org": self.org,
            "org2": self.org2,
            "n1": self.n1,
            "n2": f"{self.n2:,}",
            "pct": self.pct,
            "money": self.money,
            "day": self.day,
            "topic": self.topic,
            "said": zipf_choice(rng, VERB_PAST),
            "adj": zipf_choice(rng, ADJ),
            "adj2": zipf_choice(rng, ADJ),
            "noun": zipf_choice(rng, NOUN),
            "noun2": zipf_choice(rng, NOUN),
            "clause": clause(rng),
            "r1": rng.randint(2, 60),
            "r2": rng.randint(61, 400),
            "year": rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025]),
        }
        text = pattern.format(**values)
        return text[0].upper() + text[1:]


ORGS = {
    "politics": [
        "the Finance Ministry",
        "the Social Democrats",
        "the Liberal Alliance",
        "the upper house",
        "the Interior Ministry",
        "the Green Party",
        "the electoral commission",
        "the governing coalition",
    ],
    "business": [
        "Norvale Energy",
        "Brightwater Foods",
        "Castell Motors",
        "Helix Semiconductors",
        "Marlow Bank",
        "Tessaro Airlines",
        "Quantis Pharma",
        "Redfern Retail",
    ],
    "sport": [
        "Rovers",
        "City",
        "Athletic",
        "United",
        "the national side",
        "Wanderers",
        "Olympique",
        "Sporting",
    ],
    "disaster": [
        "the civil protection agency",
        "the Red Cross",
        "the fire service",
        "the meteorological office",
        "the coast guard",
        "the army",
        "the disaster management authority",
    ],
    "courts": [
        "the High Court",
        "the Supreme Court",
        "the appeals court",
        "the district court",
        "the prosecution service",
        "the bar council",
        "the constitutional court",
    ],
    "science": [
        "the Institute of Marine Biology",
        "the national space agency",
        "Karolin University",
        "the Centre for Climate Research",
        "the medical research council",
        "the geological survey",
        "the observatory",
    ],
}
TOPICS = {
    "politics": ["pension reform", "a budget vote", "a border bill", "an election law", "a tax"],
    "business": ["a takeover bid", "quarterly results", "a plant closure", "a bond sale"],
    "sport": ["the cup semi-final", "a league match", "a transfer", "the title race"],
    "disaster": ["flooding", "a landslide", "wildfires", "an earthquake", "a ferry sinking"],
    "courts": ["a fraud trial", "a bribery case", "a murder appeal", "a data-privacy lawsuit"],
    "science": ["a vaccine trial", "a deep-sea survey", "a comet mission", "a drought study"],
}

DESK_SENTENCES: dict[str, list[str]] = {
    "politics": [
        "{p1}, the minister in charge of {topic}, {said} the government had the votes",
        "lawmakers voted {r2} to {r1} on {day} to send the bill on {topic} to committee",
        "{org} has {n1} seats in the {r2}-member chamber and needs allies to pass it",
        "opposition leader {p2} called the plan {adj} and promised to fight it {clause}",
        "a poll published on {day} put support for {org} at {pct} percent",
        "{last1} told reporters in {city} that talks with {org2} would resume next week",
        "the proposal would cost about {money} million euros a year, officials estimate",
        "critics in {org2} {said} the measure was rushed through {clause}",
        "the coalition has lost {n1} by-elections since {year}",
        "protesters gathered outside parliament in {city}, where police counted {n2} people",
        "{p3}, a political scientist, {said} the vote would test the coalition's unity",
        "the president must sign the bill within {n1} days or send it back to parliament",
    ],
    "business": [
        "{org} {said} revenue rose {pct} percent to {money} million dollars in the quarter",
        "shares of {org} fell {pct} percent in early trading in {city}",
        "chief executive {p1} told analysts the company would cut {n2} jobs",
        "{org2} is weighing a counter-offer, people familiar with the matter {said}",
        "the deal values {org} at about {money} billion dollars including debt",
        "analysts at {org2} had expected a profit of {money} million",
        "{last1} said the {region} plant would close by the end of {year}",
        "the company's debt has risen {pct} percent since {year} {clause}",
        "regulators in {city} must approve the takeover, which could take {n1} months",
        "{p2}, an analyst, called the guidance {adj} and cut her price target",
        "the firm employs {n2} people, {n1} percent of them outside its home market",
        "union representative {p3} {said} workers had not been consulted {clause}",
    ],
    "sport": [
        "{org} beat their rivals {r1}-1 in front of {n2} fans in {city} on {day}",
        "striker {p1} scored twice before half-time for {org}",
        "coach {p2} {said} his side had been {adj} for much of the second half",
        "the win lifts {org} to {n1} points, {r1} clear of {org2} at the top",
        "goalkeeper {p3} made {r1} saves and was named player of the match",
        "{last1}, signed for {money} million euros in {year}, has now scored {n1} goals",
        "{org2} had a goal ruled out for offside after a lengthy video review",
        "the sides meet again in {city} in {n1} days {clause}",
        "midfielder {p4} limped off with what the club later called a hamstring strain",
        "attendance was the highest at the ground since {year}, the club {said}",
        "{org} have not lost at home in {n1} matches in all competitions",
        "captain {p4} {said} the squad would not get carried away {clause}",
    ],
    "disaster": [
        "{topic} killed at least {n1} people in the {region} on {day}, officials {said}",
        "{org} said {n2} people had been moved to shelters around {city}",
        "rescuers were searching for {r1} people still missing after {topic}",
        "{p1}, a spokesperson for {org}, said roads to {r1} villages were cut off",
        "the {region} has had {r2} millimetres of rain in {n1} hours, {org2} {said}",
        "residents described water rising to the roofs within minutes",
        "the government released {money} million in emergency funds {clause}",
        "{p2}, who lost her home, told reporters the warning came too late",
        "power was out for about {n2} homes across the {region}",
        "it was the worst such disaster in the area since {year}, {org2} {said}",
        "hospitals in {city} treated {r2} people for injuries",
        "governor {p3} declared a state of emergency in {n1} districts",
    ],
    "courts": [
        "{org} in {city} sentenced {p1} to {n1} years in prison on {day} in {topic}",
        "judge {p2} {said} the evidence against the defendant was overwhelming",
        "prosecutors had sought {r1} years, citing losses of {money} million",
        "defence lawyer {p3} told reporters her client would appeal {clause}",
        "the jury deliberated for {r1} hours before reaching its verdict",
        "{last1} denied the charges throughout the {n1}-week trial",
        "{org2} rejected a request to move the case to another city",
        "the court heard from {r1} witnesses, including two former employees",
        "in a {r2}-page ruling, {last2} criticised the investigators' methods",
        "the victims' families applauded as the verdict was read",
        "{last1} has {n1} days to lodge an appeal with {org2}",
        "the case began in {year} after an audit by {org2} {clause}",
    ],
    "science": [
        "researchers at {org} {said} the findings on {topic} were published on {day}",
        "the team led by {p1} studied {n2} samples over {n1} months",
        "results showed a {pct} percent improvement compared with the control group",
        "{p2}, who was not involved in the work, called the results {adj}",
        "the project cost {money} million euros and involved {r1} institutions",
        "the instrument was built in {city} and tested in the {region}",
        "{last1} {said} larger studies were needed before firm conclusions {clause}",
        "data from {org2} suggested the effect had been underestimated since {year}",
        "the paper's {r1} authors said they would release their data next year",
        "funding came partly from {org2}, which had no role in the analysis",
        "earlier estimates had put the figure at about {r2}",
        "{p3}, a co-author, said the team was surprised by the {adj} result",
    ],
}

GENERAL_SENTENCES = [
    "{adj} {noun} was expected to dominate the debate {clause}",
    '"We are not going to stop here," {p1} {said}. "There is a lot of {adj} work ahead."',
    '"This is a {adj} day for everyone involved," {last2} {said}',
    "the figures were compiled by {org2} and have not been independently verified",
    "a spokesperson for {org} declined to comment on the {noun} {clause}",
    "{last1} {said} there had been {adj} {noun2} in {city} for weeks",
    "the {noun} comes {clause}",
    "local media in {city} reported similar {noun2} last year",
    '"Nobody saw this coming," {p4}, a resident of {city}, {said}',
    "more details were expected on {day}, {org} {said}",
    "{p3} {said} the {adj} {noun} had taken {n1} months to prepare",
    "the {adj2} {noun2} is likely to be reviewed by {org2} {clause}",
]

HEADLINES = {
    "politics": [
        "{org} pushes {topic} through first vote",
        "{last1} wins key vote on {topic}",
        "Coalition strained as {topic} advances",
    ],
    "business": [
        "{org} shares slide as it unveils {topic}",
        "{org} to cut {n2} jobs",
        "{org} profit beats forecasts",
    ],
    "sport": [
        "{org} beat {org2} to go top",
        "{last1} double lifts {org}",
        "{org} stay unbeaten at home",
    ],
    "disaster": [
        "{topic} kills {n1} in {region}",
        "Thousands flee as {topic} hits {region}",
        "Rescuers search for missing after {topic}",
    ],
    "courts": [
        "{last1} jailed for {n1} years in {topic}",
        "Court convicts {last1} in {topic}",
        "Judge {last2} hands down sentence in {topic}",
    ],
    "science": [
        "Study on {topic} reports {pct} percent gain",
        "{org} team publishes results of {topic}",
        "Scientists surprised by {topic} findings",
    ],
}

FOLLOWUP_SENTENCES = [
    "{n1} days after {topic}, {p4} {said} the inquiry would begin on {day}",
    "an internal report seen by this agency found {r1} failures {clause}",
    '"We were promised answers and we have none," {p4} {said} in {city}',
    "{org2} opened a formal investigation into the {noun} on {day}",
    "the cost of the response has since risen to {money} million, {org2} {said}",
    "{last3} resigned on {day}, citing the handling of the {noun2}",
    "lawmakers in {city} will question {last1} at a hearing next month",
    "the new figures contradict the account {org} gave last week",
    "campaigners plan a march in {city} on {day} to demand a public inquiry",
    "documents released on {day} show officials were warned {n1} times",
    "a second hearing has been scheduled for {n1} {day}s from now",
    "{p4}, a former adviser to {org}, said the {adj} {noun} was avoidable",
]


def sentence(rng: random.Random, cast: Cast, pool: list[str], used: set[str]) -> str:
    """A sentence from a pattern of `pool` this story has not used yet (any once exhausted)."""
    fresh = [p for p in pool if p not in used] or pool
    pattern = rng.choice(fresh)
    used.add(pattern)
    text = cast.fill(rng, pattern)
    return text if text.endswith(('"', ".")) else text + "."


def paragraph(rng: random.Random, cast: Cast, pools: list[list[str]], used: set[str]) -> str:
    """3-6 sentences, each from one of `pools`."""
    target = rng.randint(3, 6)
    return " ".join(sentence(rng, cast, rng.choice(pools), used) for _ in range(target))


def dateline(cast: Cast, agency: str) -> str:
    return f"{cast.city.upper()}, {cast.month} {cast.date} ({agency}) - "


def byline(rng: random.Random) -> str:
    return f"By {rng.choice(FIRST)} {rng.choice(LAST)}"


def words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def make_story(
    rng: random.Random, cast: Cast, pools: list[list[str]] | None = None
) -> dict[str, Any]:
    """A base story: headline, byline, dateline + lead, 4-6 paragraphs, 300-900 words."""
    desk = DESK_SENTENCES[cast.desk]
    pools = pools or [desk, desk, GENERAL_SENTENCES]
    while True:
        n = rng.randint(4, 6)
        used: set[str] = set()
        paras = [paragraph(rng, cast, pools, used) for _ in range(n)]
        if 300 <= words(paras) <= 900:
            break
    paras[0] = dateline(cast, cast.agency) + paras[0]
    title = cast.fill(rng, rng.choice(HEADLINES[cast.desk]))
    return {"title": title, "byline": byline(rng), "paras": paras, "cast": cast}


def render(story: dict[str, Any], *, before: str = "", after: str = "") -> dict[str, str]:
    body = "\n\n".join([story["byline"], *story["paras"]])
    if before:
        body = before + "\n\n" + body
    if after:
        body = body + "\n\n" + after
    return {"title": story["title"], "body": body}


# --- variants ---------------------------------------------------------------------------


def v_copy(rng: random.Random, s: dict[str, Any]) -> dict[str, Any]:
    cast: Cast = s["cast"]
    agency = rng.choice([a for a in AGENCIES if a != cast.agency])
    paras = list(s["paras"])
    paras[0] = paras[0].replace(f"({cast.agency})", f"({agency})", 1)
    return {**s, "byline": byline(rng), "paras": paras}


def v_headline(rng: random.Random, s: dict[str, Any]) -> dict[str, Any]:
    cast: Cast = s["cast"]
    options = [h for h in HEADLINES[cast.desk] if cast.fill(rng, h) != s["title"]]
    title = cast.fill(rng, rng.choice(options)) + rng.choice(["", " - update", ": what we know"])
    return {**s, "title": title}


def bump_numbers(rng: random.Random, text: str) -> str:
    """Revise some numbers slightly, as a wire update does (12 killed becomes 14)."""

    def repl(m: re.Match[str]) -> str:
        if rng.random() < 0.5:
            return m.group(0)
        n = int(m.group(0).replace(",", ""))
        if 1900 < n < 2100:  # a year stays
            return m.group(0)
        return f"{n + rng.randint(1, max(2, n // 10)):,}"

    return re.sub(r"\b\d[\d,]*\b", repl, text)


def v_edit(rng: random.Random, s: dict[str, Any]) -> dict[str, Any]:
    paras = list(s["paras"])
    # synonyms: each replaceable word with probability 0.5
    for i, p in enumerate(paras):
        for w, syn in SYNONYMS.items():
            if rng.random() < 0.5:
                p = re.sub(rf"\b{w}\b", syn, p)
        paras[i] = p
    # one sentence moved to another paragraph
    i, j = rng.sample(range(len(paras)), 2)
    sents = re.split(r"(?<=[.\"])\s+(?=[A-Z\"])", paras[i])
    if len(sents) > 2:
        moved = sents.pop(rng.randrange(1, len(sents)))
        paras[i] = " ".join(sents)
        paras[j] = paras[j] + " " + moved
    # numbers in the lead and one more paragraph revised
    for k in {0, rng.randrange(len(paras))}:
        paras[k] = bump_numbers(rng, paras[k])
    return {**s, "paras": paras}


def v_cut(rng: random.Random, s: dict[str, Any]) -> dict[str, Any]:
    keep = max(2, len(s["paras"]) - rng.randint(1, 3))
    return {**s, "paras": s["paras"][:keep]}


NAV = [
    "Home | World | Business | Sport | Science | Opinion | Video | Podcasts | Newsletters",
    "Skip to main content. Sign in. Subscribe from 1 euro a week.",
    "Advertisement",
    "Share this article: Facebook, X, WhatsApp, Email. Listen to this article, 4 min.",
]
FOOTER = [
    "Read more: the week in pictures; what the markets expect next; our live blog.",
    "Related: five things to know this morning; the day's top stories in two minutes.",
    "Sign up for our morning briefing: the news you need, in your inbox before 7 a.m.",
    "Copyright {outlet} 2026. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "Most read: 1. Weather warnings extended. 2. Ten recipes for the weekend. "
    "3. Transport strike called off. 4. Housing market cools. 5. Quiz of the week.",
    "Comments are closed for this article. Read our community guidelines.",
]


def boilerplate(rng: random.Random, outlet: str) -> tuple[str, str]:
    before = "\n".join([outlet, *rng.sample(NAV, rng.randint(2, 4))])
    after = "\n".join(f.format(outlet=outlet) for f in rng.sample(FOOTER, rng.randint(3, 6)))
    return before, after


POSITIVE: dict[str, Callable[[random.Random, dict[str, Any]], dict[str, Any]]] = {
    "copy": v_copy,
    "headline": v_headline,
    "edit": v_edit,
    "cut": v_cut,
}


def followup(rng: random.Random, s: dict[str, Any]) -> dict[str, Any]:
    """Days later, same cast: 0-2 old background paragraphs, 3-5 new ones that dominate."""
    cast: Cast = s["cast"]
    desk = DESK_SENTENCES[cast.desk]
    old = rng.sample(s["paras"][1:], rng.randint(0, min(2, len(s["paras"]) - 1)))
    pools = [FOLLOWUP_SENTENCES, FOLLOWUP_SENTENCES, desk, GENERAL_SENTENCES]
    while True:
        used: set[str] = set()
        new = [paragraph(rng, cast, pools, used) for _ in range(rng.randint(3, 5))]
        if words(new) > 2 * words(old) and 300 <= words(new) + words(old) <= 1100:
            break
    later = Cast(rng, cast.desk)
    new[0] = dateline(cast, later.agency) + new[0]
    paras = [new[0], *new[1:3], *old, *new[3:]]
    title = (
        cast.fill(rng, rng.choice(HEADLINES[cast.desk]))
        + ": "
        + rng.choice(
            ["inquiry opens", "questions mount", "what happened next", "one week on", "new details"]
        )
    )
    return {"title": title, "byline": byline(rng), "paras": paras, "cast": cast}


def same_topic(rng: random.Random, s: dict[str, Any]) -> dict[str, Any]:
    """Another story of the desk with the same main names, place and organisation."""
    cast: Cast = s["cast"]
    other = Cast(rng, cast.desk)
    other.city, other.org, other.p1, other.p2 = cast.city, cast.org, cast.p1, cast.p2
    if rng.random() < 0.5:
        other.org2 = cast.org2
    return make_story(rng, other)


def build(seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    desks = list(DESK_SENTENCES)
    bases = [make_story(rng, Cast(rng, desks[i % len(desks)])) for i in range(N_BASE)]
    pairs: list[dict[str, Any]] = []

    def add(a: dict[str, str], b: dict[str, str], same: bool, kind: str) -> None:
        pairs.append({"id": f"p{len(pairs):04d}", "a": a, "b": b, "same": same, "kind": kind})

    for idx, s in enumerate(bases):
        a = render(s)
        # positives: each plain kind once, boilerplate once, two combinations
        for kind, fn in POSITIVE.items():
            add(a, render(fn(rng, s)), True, kind)
        before, after = boilerplate(rng, rng.choice(OUTLETS))
        add(a, render(v_copy(rng, s), before=before, after=after), True, "boilerplate")
        for _ in range(2):
            v = s
            steps = rng.sample(list(POSITIVE), rng.randint(2, 3))
            for step in steps:
                v = POSITIVE[step](rng, v)
            if rng.random() < 0.6:
                before, after = boilerplate(rng, rng.choice(OUTLETS))
                add(a, render(v, before=before, after=after), True, "combo")
            else:
                add(a, render(v), True, "combo")
        # hard negatives: two follow-ups, two same-topic stories
        for _ in range(2):
            add(a, render(followup(rng, s)), False, "followup")
        for _ in range(2):
            add(a, render(same_topic(rng, s)), False, "same_topic")
        # same outlet, same boilerplate, different stories
        other = bases[(idx + rng.randint(1, N_BASE - 1)) % N_BASE]
        outlet = rng.choice(OUTLETS)
        before, after = boilerplate(rng, outlet)
        add(
            render(s, before=before, after=after),
            render(other, before=before, after=after),
            False,
            "same_outlet",
        )
        # unrelated
        other = bases[(idx + rng.randint(1, N_BASE - 1)) % N_BASE]
        add(a, render(other), False, "unrelated")
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    pairs = build(args.seed)
    with args.out.open("w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for p in pairs:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    print(f"wrote {len(pairs)} pairs to {args.out}: {kinds}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
