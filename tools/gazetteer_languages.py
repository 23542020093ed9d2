"""Names in other languages for the gazetteer build: CLDR country names, inflection, collisions.

Used by `tools/build_gazetteer.py` only (build time): the runtime reads the generated JSON and
needs neither Babel nor wordfreq's lists for this.

* `cldr_names(lang)`: ISO code -> the country's name in `lang`, from Babel's copy of CLDR
  (`babel.Locale.parse(lang).territories`). Babel keeps only CLDR's standard name, not its
  "short"/"variant" alternates, so the forms news uses beside it come from the overlay.
* `inflect(lang, name)`: the forms of a name that news text contains besides the dictionary
  form, by the rules documented at each `_LANG` function: German and Swedish genitive -s
  (and German adjective endings),
  Russian, Ukrainian and Polish cases, Korean particles, Arabic and Hebrew prefixes. Rules,
  not dictionaries: they over-generate (forms no one writes cost nothing but an automaton
  entry), and the build refuses any form that another entity owns.
* `CommonWords`: the words that are frequent (Zipf >= `COMMON_ZIPF`) in each language of
  `FREQUENCY_LANGUAGES`, by name key, from wordfreq, to find names that are ordinary words
  elsewhere ("Island" = Iceland in German and Swedish, "island" in English).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from monitor.gazetteer import LANGUAGES as BUILT_IN
from monitor.gazetteer.catalog import name_key

LANGUAGES = (*BUILT_IN, "zh_Hant")
"""The languages (Babel locale names) whose country names are built in: the 20 of issue 16,
Chinese in both scripts."""

COMMON_ZIPF = 3.5
"""A word at or above this Zipf frequency (about 3 per million words) is a common word."""

NO_SPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI")
"""Unicode name prefixes of the letters of scripts written without spaces between words."""


def frequency_language(lang: str) -> str:
    """The wordfreq language of a locale name (`zh_Hant` -> `zh`)."""
    return lang.split("_")[0]


@cache
def cldr_names(lang: str) -> dict[str, list[str]]:
    """ISO 3166-1 code -> the CLDR name(s) of the country in `lang`, cleaned up.

    A parenthesised part is removed ("Myanmar (Burma)" -> "Myanmar", "刚果（金）" -> "刚果"),
    and the whole form is kept too (its words are what "刚果（金）" in a text tokenizes to);
    a name with a comma ("Гонконг, ОАР Китаю") is skipped, as in the English data.
    """
    import babel  # build-time only; imported here so importing this module stays cheap

    territories = babel.Locale.parse(lang).territories
    names: dict[str, list[str]] = {}
    for code, raw in sorted(territories.items()):
        if len(code) != 2 or not code.isalpha() or code in {"ZZ", "EU", "EZ", "UN", "QO"}:
            continue
        text = unicodedata.normalize("NFC", str(raw)).strip()
        if "," in text or "\u060c" in text:  # Latin and Arabic commas
            continue
        bare = re.sub(r"\s*[(\uff08][^)\uff09]*[)\uff09]", "", text).strip()
        forms = [bare] if bare == text else [bare, text]
        names[code] = [f for f in forms if name_key(f)]
    return names


def is_no_space_script(text: str) -> bool:
    """Whether every letter of `text` is Han, Hiragana, Katakana or Thai."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(
        unicodedata.name(ch, "").startswith(NO_SPACE_SCRIPTS) for ch in letters
    )


def contains(outer: str, inner: str) -> bool:
    """Whether the name `inner` occurs in `outer` as the matcher could find it.

    Whole words in general; in a script written without spaces, as a character sequence
    (the matcher reads those scripts character by character).
    """
    outer_key, inner_key = name_key(outer), name_key(inner)
    if outer_key == inner_key:
        return False
    if is_no_space_script(inner):
        return inner_key.replace(" ", "") in outer_key.replace(" ", "")
    return f" {inner_key} " in f" {outer_key} "


class CommonWords:
    """Words at or above `COMMON_ZIPF` in each wordfreq language, by name key.

    Keyed by name key (case and accents folded, as the matcher compares), so "peru" and
    "Perú" are one word: what matters is what an alias would match. Only single words are
    kept: a name of several words is a phrase, not a word anyone writes by accident.
    """

    def __init__(self, languages: Iterable[str]) -> None:
        import wordfreq  # build-time only

        floor = 10 ** (COMMON_ZIPF - 9)
        self.zipf: dict[str, dict[str, float]] = {}
        for lang in sorted({frequency_language(x) for x in languages}):
            table: dict[str, float] = {}
            for word, freq in wordfreq.get_frequency_dict(lang).items():
                if freq < floor:
                    continue
                key = name_key(word)
                if key and " " not in key:
                    table[key] = max(table.get(key, 0.0), round(math.log10(freq) + 9, 2))
            self.zipf[lang] = table

    def common_in(self, form: str, skip: Iterable[str]) -> list[tuple[str, float]]:
        """The languages (not in `skip`) where the one-word `form` is a common word."""
        key = name_key(form)
        if " " in key:
            return []
        skipped = {frequency_language(x) for x in skip}
        return [
            (lang, table[key])
            for lang, table in sorted(self.zipf.items())
            if lang not in skipped and key in table
        ]


@cache
def common_words() -> CommonWords:
    """`CommonWords` for `LANGUAGES`, loaded once per process (a few seconds)."""
    return CommonWords(LANGUAGES)


# --- inflection ------------------------------------------------------------------------------

Cases = list[tuple[str, ...]]
"""A word's forms, one tuple of alternatives per grammatical case (same order per language)."""


def _declined(words: list[str], forms: list[Cases | None]) -> list[str]:
    """The phrases made by putting every declinable word in the same case.

    Two readings per case: every declinable word inflected (adjective and noun agree:
    "Южной Кореи"), and only the words up to the first noun inflected, the rest left as
    written ("Республики Корея", "Соединенных Штатов Америки"). Words `forms` marks None
    do not decline ("Папуа", "НАТО").
    """
    count = max((len(f) for f in forms if f is not None), default=0)
    head = next(
        (i for i, w in enumerate(words) if forms[i] is not None and not _is_adjective(w)),
        len(words) - 1,
    )
    out: list[str] = []
    for case in range(count):
        for limit in (len(words) - 1, head):
            phrases = [""]
            for i, word in enumerate(words):
                options: tuple[str, ...] = (word,)
                found = forms[i]
                if found is not None and i <= limit:
                    options = found[case]
                phrases = [f"{p} {o}".strip() for p in phrases for o in options]
            out.extend(phrases)
    return list(dict.fromkeys(p for p in out if p != " ".join(words)))


_ADJECTIVE_ENDINGS = (
    # ru
    "ая", "яя", "ый", "ой", "ое", "ые", "ие", "ский",
    # uk (only counted as adjectives before another word: see `_uk_word`)
    "ська", "цька", "зька",
    # pl
    "owa", "ska", "cka", "czna", "cna", "lna", "dna", "rna", "tna", "wna", "nych", "one",
)  # fmt: skip


def _is_adjective(word: str) -> bool:
    return word.casefold().endswith(_ADJECTIVE_ENDINGS)


def _indeclinable(word: str) -> bool:
    """All capitals (НАТО, ООН, UE), digits, or too short to have an ending."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) < 3 or word.isupper() or any(c.isdigit() for c in word)


def _ending(word: str, table: dict[str, Cases]) -> tuple[str, Cases] | None:
    """The longest ending of `word` listed in `table`, with its case endings."""
    lowered = word.casefold()
    for size in range(min(len(word) - 1, 5), 0, -1):
        if lowered[-size:] in table:
            return word[:-size], table[lowered[-size:]]
    return None


def _apply(stem: str, cases: Cases) -> Cases:
    return [tuple(stem + e for e in alternatives) for alternatives in cases]


# Russian: genitive, dative, accusative, instrumental, prepositional.
_RU_ADJ: dict[str, Cases] = {
    "ая": [("ой",), ("ой",), ("ую",), ("ой",), ("ой",)],
    "яя": [("ей",), ("ей",), ("юю",), ("ей",), ("ей",)],
    "ый": [("ого",), ("ому",), ("ый",), ("ым",), ("ом",)],
    "ский": [("ского",), ("скому",), ("ский",), ("ским",), ("ском",)],
    "ий": [("его", "ого"), ("ему", "ому"), ("ий",), ("им",), ("ем", "ом")],
    "ой": [("ого",), ("ому",), ("ой",), ("ым",), ("ом",)],
    "ое": [("ого",), ("ому",), ("ое",), ("ым",), ("ом",)],
    "ые": [("ых",), ("ым",), ("ые",), ("ыми",), ("ых",)],
    "ие": [("их",), ("им",), ("ие",), ("ими",), ("их",)],
}
_RU_NOUN: dict[str, Cases] = {
    "ия": [("ии",), ("ии",), ("ию",), ("ией",), ("ии",)],
    "я": [("и",), ("е",), ("ю",), ("ей",), ("е",)],
    "ка": [("ки",), ("ке",), ("ку",), ("кой",), ("ке",)],
    "га": [("ги",), ("ге",), ("гу",), ("гой",), ("ге",)],
    "ха": [("хи",), ("хе",), ("ху",), ("хой",), ("хе",)],
    "жа": [("жи",), ("же",), ("жу",), ("жей", "жой"), ("же",)],
    "ша": [("ши",), ("ше",), ("шу",), ("шей", "шой"), ("ше",)],
    "ча": [("чи",), ("че",), ("чу",), ("чей", "чой"), ("че",)],
    "ща": [("щи",), ("ще",), ("щу",), ("щей",), ("ще",)],
    "а": [("ы",), ("е",), ("у",), ("ой",), ("е",)],
    "й": [("я",), ("ю",), ("й",), ("ем",), ("е",)],
    "ь": [("я",), ("ю",), ("ь",), ("ем",), ("е",)],
    "ы": [("ов", ""), ("ам",), ("ы",), ("ами",), ("ах",)],
}
_RU_CONSONANT: Cases = [("а",), ("у",), ("",), ("ом",), ("е",)]
_VOWELS = set("аеёиоуыэюяіїєaeiouyąęó")


def _ru_word(word: str, index: int, count: int) -> Cases | None:
    """A Russian word's five oblique cases, or None when it does not decline.

    By the nominative ending: adjectives -ая/-яя, -ый/-ий/-ой/-ое, plural -ые/-ие; nouns
    -ия, -я, -а (-ы after a hard consonant, -и after г к х ж ш щ ч), -й, -ь (masculine),
    plural -ы, and a hard consonant. Words ending in -о, -е, -и, -у, -ю or a vowel + -а
    (Конго, Чили, Папуа) are indeclinable, as are all-capital abbreviations (США, НАТО).
    """
    if _indeclinable(word):
        return None
    lowered = word.casefold()
    found = _ending(word, _RU_ADJ) or _ending(word, _RU_NOUN)
    if found is not None:
        stem, cases = found
        if lowered.endswith("а") and len(lowered) > 1 and lowered[-2] in _VOWELS:
            return None
        return _apply(stem, cases)
    if lowered[-1] in _VOWELS or not lowered[-1].isalpha():
        return None
    return _apply(word, _RU_CONSONANT)


# Ukrainian: genitive, dative, accusative, instrumental, locative.
_UK_ADJ: dict[str, Cases] = {
    "а": [("ої",), ("ій",), ("у",), ("ою",), ("ій",)],
    "ий": [("ого",), ("ому",), ("ий",), ("им",), ("ому", "ім")],
    "е": [("ого",), ("ому",), ("е",), ("им",), ("ому", "ім")],
    "і": [("их",), ("им",), ("і",), ("ими",), ("их",)],
}
_UK_NOUN: dict[str, Cases] = {
    "ія": [("ії",), ("ії",), ("ію",), ("ією",), ("ії",)],
    "ея": [("еї",), ("еї",), ("ею",), ("еєю",), ("еї",)],
    "я": [("і",), ("і",), ("ю",), ("ею",), ("і",)],
    "ка": [("ки",), ("ці",), ("ку",), ("кою",), ("ці",)],
    "га": [("ги",), ("зі",), ("гу",), ("гою",), ("зі",)],
    "ха": [("хи",), ("сі",), ("ху",), ("хою",), ("сі",)],
    "жа": [("жі",), ("жі",), ("жу",), ("жею",), ("жі",)],
    "ша": [("ші",), ("ші",), ("шу",), ("шею",), ("ші",)],
    "ча": [("чі",), ("чі",), ("чу",), ("чею",), ("чі",)],
    "а": [("и",), ("і",), ("у",), ("ою",), ("і",)],
    "й": [("ю", "я"), ("ю", "єві"), ("й",), ("єм",), ("ї",)],
    "ь": [("ю", "я"), ("ю", "еві"), ("ь",), ("ем",), ("і",)],
    "ство": [("ства",), ("ству",), ("ство",), ("ством",), ("стві",)],
    "и": [("ів", ""), ("ам",), ("и",), ("ами",), ("ах",)],
}
_UK_CONSONANT: Cases = [("у", "а"), ("у", "ові"), ("",), ("ом",), ("і", "у")]


def _uk_word(word: str, index: int, count: int) -> Cases | None:
    """A Ukrainian word's five oblique cases, or None when it does not decline.

    Before another word, -а/-е/-і/-ий are adjective endings (Південна Корея, Велика сімка,
    Сполучене Королівство, Сполучені Штати); otherwise nouns: -ія, -ея, -я, -а (with к/г/х -> ц/з/с
    in the dative and locative: Америці), -й, -ь, -ство, plural -и, and a hard consonant
    (both genitives, -у and -а: Ірану, Ізраїля). -о, -е, -у, -ю and a vowel + -а do not
    decline (Того, Конго, Папуа), nor do abbreviations (США, НАТО, ЄС).
    """
    if _indeclinable(word):
        return None
    lowered = word.casefold()
    before_noun = index < count - 1
    if before_noun and lowered.endswith(("на", "ська", "цька", "зька", "ва", "ла", "та", "ка")):
        return _apply(word[:-1], _UK_ADJ["а"])
    if before_noun and lowered.endswith("ий"):
        return _apply(word[:-2], _UK_ADJ["ий"])
    if before_noun and lowered.endswith(("не", "ке", "ні", "кі")):
        return _apply(word[:-1], _UK_ADJ[lowered[-1]])
    found = _ending(word, _UK_NOUN)
    if found is not None:
        if lowered.endswith("а") and len(lowered) > 1 and lowered[-2] in _VOWELS:
            return None
        return _apply(*found)
    if lowered[-1] in _VOWELS or not lowered[-1].isalpha():
        return None
    return _apply(word, _UK_CONSONANT)


# Polish: genitive, dative, accusative, instrumental, locative.
_PL_ADJ_FEM: Cases = [("ej",), ("ej",), ("ą",), ("ą",), ("ej",)]
_PL_ADJ_PLURAL: Cases = [("ych",), ("ym",), ("e",), ("ymi",), ("ych",)]
_PL_SOFT = {  # the consonant before -a or at the end, as it is before the dative/locative -e
    "k": "c",
    "g": "dz",
    "ch": "sz",
    "r": "rz",
    "t": "ci",
    "d": "dzi",
    "st": "ści",
    "n": "ni",
    "s": "si",
    "z": "zi",
    "m": "mi",
    "p": "pi",
    "b": "bi",
    "w": "wi",
    "f": "fi",
    "ł": "l",
}


def _pl_soft(stem: str) -> str | None:
    """`stem` with its last consonant softened for the -e of the locative, if it has one."""
    for hard in ("st", "ch", *(k for k in _PL_SOFT if len(k) == 1)):
        if stem.casefold().endswith(hard):
            return stem[: -len(hard)] + _PL_SOFT[hard]
    return None


def _pl_word(word: str, index: int, count: int) -> Cases | None:
    """A Polish word's five oblique cases, or None when it does not decline.

    Adjectives after the first word (Korea Południowa, Republika Czeska: -owa, -ska, -cka,
    -na ...), the same endings before a noun (Światowa Organizacja Handlu -> Światowej
    Organizacji Handlu) and "Nowa"/"Wielka" take -ej/-ą (-iej after k, g); masculine
    adjectives in a name of several words (-owy, -ny, -ski, -cki ...: Bank Światowy,
    Czerwony Krzyż) take -ego/-emu/-ym (-iego/-iemu/-im after k, g); plural adjectives in
    -one take -ych/-ym/-ymi. Nouns: -ia/-ja and a vowel + -a (Rosja -> Rosji,
    Korea -> Korei), a consonant + -a (Kuba -> Kuby, Kubie; Ameryka -> Ameryki, Ameryce;
    Polska -> Polski, Polsce), a consonant (Iran -> Iranu/Irana, Iranowi, Iranem, Iranie;
    Irak -> Iraku, Irakiem), plural -y (Stany -> Stanów, Stanom, Stanami, Stanach).
    Irregular plurals (Niemcy, Węgry, Włochy, Chiny) are listed in the overlay instead.
    -o, -e, -i, -u do not decline here (Kongo, Chile, Peru), nor abbreviations (NATO, UE).
    """
    if _indeclinable(word):
        return None
    lowered = word.casefold()
    stem = word[:-1]
    adjective_ending = lowered.endswith(
        ("owa", "ska", "cka", "dzka", "czna", "cna", "lna", "dna", "rna", "tna", "wna")
    )
    adjective = (
        lowered in {"nowa", "wielka", "środkowa"}
        or (index > 0 and adjective_ending)
        or (index == 0 and count > 1 and adjective_ending and lowered != "polska")
    )
    if adjective:
        soft = "i" if stem.casefold().endswith(("k", "g")) else ""
        oblique = stem + soft + "ej"
        return [(oblique,), (oblique,), (stem + "ą",), (stem + "ą",), (oblique,)]
    masculine = ("owy", "ny", "ski", "cki", "dzki", "ty", "ły", "wy", "ry")
    if count > 1 and lowered.endswith(masculine) and len(lowered) > 4:
        soft = "i" if lowered.endswith("i") else ""
        ins = stem + ("im" if soft else "ym")
        return [(stem + soft + "ego",), (stem + soft + "emu",), (word,), (ins,), (ins,)]
    if index > 0 and lowered.endswith("one") and len(lowered) > 4:
        return _apply(stem, _PL_ADJ_PLURAL)
    if lowered.endswith(("ia", "ja")) or (lowered.endswith("a") and lowered[-2] in _VOWELS):
        return _apply(stem, [("i",), ("i",), ("ę",), ("ą",), ("i",)])
    if lowered.endswith("a"):
        hard = stem.casefold()
        gen = stem + ("i" if hard.endswith(("k", "g", "l", "j")) else "y")
        if hard.endswith(("l", "j")):
            dat = stem + "i"
        elif hard.endswith(("c", "cz", "sz", "rz", "ż", "dz")):
            dat = stem + "y"
        else:
            dat = (_pl_soft(stem) or stem) + "e"
        return [(gen,), (dat,), (stem + "ę",), (stem + "ą",), (dat,)]
    if lowered.endswith("y") and len(lowered) > 3:
        return [(stem + "ów",), (stem + "om",), (word,), (stem + "ami",), (stem + "ach",)]
    if lowered[-1] in _VOWELS or not lowered[-1].isalpha():
        return None
    after_kg = lowered.endswith(("k", "g"))
    plain = after_kg or lowered.endswith(("ch", "j", "l", "c", "cz", "sz", "rz"))
    softened = None if plain else _pl_soft(word)
    return [
        (word + "u", word + "a"),
        (word + "owi",),
        (word,),
        (word + ("iem" if after_kg else "em"),),
        (softened + "e" if softened else word + "u",),
    ]


def _slavic(rule: Callable[[str, int, int], Cases | None]) -> Callable[[str], list[str]]:
    """A name inflector from a word rule `rule(word, index, word_count)`."""

    def inflect(name: str) -> list[str]:
        words = name.split()
        forms = [rule(w, i, len(words)) for i, w in enumerate(words)]
        return _declined(words, forms) if words else []

    return inflect


def _genitive_s(name: str) -> list[str]:
    """German and Swedish genitive: -s after the last word unless it ends in s, x, z, ß.

    "Südkoreas Präsident", "Deutschlands", "Sydkoreas"; "Frankreichs". Over-generated for
    names that take an article ("der Türkei"): "Türkeis" is never written, and costs nothing.
    """
    words = name.split()
    if not words or _indeclinable(words[-1]) or words[-1].casefold().endswith(("s", "x", "z", "ß")):
        return []
    return [" ".join([*words[:-1], words[-1] + "s"])]


_GERMAN_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


def _german(name: str) -> list[str]:
    """German: the genitive -s (`_genitive_s`), and the declined forms of a name that starts
    with adjectives ("Vereinigte Staaten" -> "Vereinigten Staaten", "Europäische Union" ->
    "Europäischen Union", "Internationaler Währungsfonds" -> "Internationalen
    Währungsfonds"): every word before the last that ends in -e, -en, -er, -es or -em
    takes each of those endings (all the same one), and the last word is also given
    -n (a plural dative: "Emiraten") when it ends in -e, and -s ("Königreichs").
    """
    words = name.split()
    out = _genitive_s(name)
    if len(words) < 2:
        return out
    stems: list[str | None] = []
    for word in words[:-1]:
        longest_first = sorted(_GERMAN_ADJECTIVE_ENDINGS, key=len, reverse=True)
        ending = next(
            (e for e in longest_first if word.endswith(e) and len(word) > len(e) + 3), None
        )
        stems.append(word[: -len(ending)] if ending and word[:1].isalpha() else None)
    if not any(stems):
        return out
    last = words[-1]
    lasts = [last, last + "s"] + ([last + "n"] if last.endswith("e") else [])
    for ending in _GERMAN_ADJECTIVE_ENDINGS:
        head = [
            w if stem is None else stem + ending for w, stem in zip(words[:-1], stems, strict=True)
        ]
        out.extend(" ".join([*head, tail]) for tail in lasts)
    return out


KOREAN_PARTICLES = (
    "은/는", "이/가", "을/를", "의", "에", "에서", "에는", "에서는", "과/와", "과의/와의", "도",
    "으로/로", "만", "까지", "보다", "에게", "이나/나", "처럼",
)  # fmt: skip
"""Particles written joined to the word before them; "A/B": A after a final consonant."""


def _korean(name: str) -> list[str]:
    """The name with each particle of `KOREAN_PARTICLES` joined to its last word.

    Korean is written with spaces between words, but a particle is part of the word:
    "한국은", "한국의", "북한이", "나토가". The form is chosen by the last syllable: with a
    final consonant (batchim) 은/이/을/과/으로, without 는/가/를/와/로; after a final ㄹ, 로.
    """
    words = name.split()
    if not words:
        return []
    last = words[-1][-1]
    code = ord(last) - 0xAC00
    batchim = 0 <= code < 11172 and code % 28 != 0
    rieul = 0 <= code < 11172 and code % 28 == 8
    out = []
    for particle in KOREAN_PARTICLES:
        with_final, _, without = particle.partition("/")
        chosen = with_final if batchim or not without else without
        if rieul and particle == "으로/로":
            chosen = "로"
        out.append(" ".join([*words[:-1], words[-1] + chosen]))
    return out


ARABIC_PREFIXES = ("و", "ب", "ل", "ف", "ك", "وب", "ول", "فب", "فل", "وك")
"""Conjunctions and prepositions written joined to the next word (و and, ب in/by, ل for/to,
ف so, ك like) and their usual combinations."""

HEBREW_PREFIXES = ("ו", "ב", "ל", "מ", "ש", "כ", "וב", "ול", "ומ", "שב", "שמ", "כש")
"""The Hebrew one-letter words written joined to the next (ו and, ב in, ל to, מ from,
ש that, כ as) and their usual combinations ."""


def _arabic(name: str) -> list[str]:
    """The name with each prefix of `ARABIC_PREFIXES` joined to its first word.

    ل before the article ال drops the alif (ل + الصين -> للصين); بال، وال، فال come out of
    ب، و، ف + a name that starts with ال. Hamza and madda on an alif (أ إ آ) need no
    variants: they are combining marks to the matcher, so "المانيا" = "ألمانيا" already.
    """
    words = name.split()
    if not words:
        return []
    first, *rest = words
    out = []
    for prefix in ARABIC_PREFIXES:
        joined = prefix + first
        if prefix.endswith("ل") and first.startswith("ال"):
            joined = prefix + first[1:]
        out.append(" ".join([joined, *rest]))
    return out


def _hebrew(name: str) -> list[str]:
    """The name with each prefix of `HEBREW_PREFIXES` joined to its first word
    ("בישראל", "לדרום קוריאה", "ומנאט"ו"). The article ה is not a prefix here: country
    names do not take it, and the few names that start with it keep it (הודו, הולנד).
    """
    words = name.split()
    if not words:
        return []
    return [" ".join([prefix + words[0], *words[1:]]) for prefix in HEBREW_PREFIXES]


INFLECTORS: dict[str, Callable[[str], list[str]]] = {
    "de": _german,
    "sv": _genitive_s,
    "ru": _slavic(_ru_word),
    "uk": _slavic(_uk_word),
    "pl": _slavic(_pl_word),
    "ko": _korean,
    "ar": _arabic,
    "he": _hebrew,
}
"""The languages whose names get generated forms, and how."""


# --- adjectives and demonyms ------------------------------------------------------------------


def _last(name: str, endings: Iterable[str]) -> list[str]:
    """`name` with each of `endings` added to its last word (a stem, ending removed first)."""
    words = name.split()
    return [" ".join([*words[:-1], words[-1] + e]) for e in endings]


def _adj_de(base: str) -> list[str]:
    """German: the strong and weak endings (chinesisch -> chinesische, -en, -er, -es, -em)."""
    return [base, *_last(base, ("e", "en", "er", "es", "em"))]


def _adj_fr(base: str) -> list[str]:
    """French: feminine and plurals by the masculine's ending (russe -> russes; chinois ->
    chinoise(s); israélien -> israélienne(s), israéliens; américain -> américaine(s), -s;
    turc -> turque(s), turcs)."""
    last = base.split()[-1].casefold()
    stem = base
    if last.endswith("e"):
        return [base, *_last(base, ("s",))]
    if last.endswith(("s", "x")):
        return [base, *_last(base, ("e", "es"))]
    if last.endswith("en"):
        return [base, *_last(base, ("ne", "nes", "s"))]
    if last.endswith("c"):
        stem = base[:-1]
        return [base, base + "s", *_last(stem, ("que", "ques"))]
    return [base, *_last(base, ("e", "es", "s"))]


def _adj_es(base: str) -> list[str]:
    """Spanish: -o -> -a, -os, -as; -e -> -es; -a -> -as; -és/-án -> -esa, -eses, -esas
    (japonés, alemán); -í -> -íes, -ís (iraní); another consonant -> -a, -es, -as (español)."""
    last = base.split()[-1].casefold()
    if last.endswith("o"):
        return [base, *_last(base[:-1], ("a", "os", "as"))]
    if last.endswith(("e", "a")):
        return [base, base + "s"]
    if last.endswith(("és", "án", "ín", "ón")):
        stem = base[:-2] + unicodedata.normalize("NFD", base[-2])[0] + base[-1]
        return [base, *_last(stem, ("a", "es", "as"))]
    if last.endswith("í"):
        return [base, *_last(base, ("es", "s"))]
    return [base, *_last(base, ("a", "es", "as"))]


def _adj_it(base: str) -> list[str]:
    """Italian: -o -> -a, -i, -e (-co -> -ca, -che, -ci, -chi); -e -> -i; -a -> -i, -e."""
    last = base.split()[-1].casefold()
    if last.endswith("co"):
        return [base, *_last(base[:-1], ("a", "he", "i", "hi"))]
    if last.endswith("o"):
        return [base, *_last(base[:-1], ("a", "i", "e"))]
    if last.endswith("e"):
        return [base, *_last(base[:-1], ("i",))]
    if last.endswith("a"):
        return [base, *_last(base[:-1], ("i", "e"))]
    return [base]


def _adj_pt(base: str) -> list[str]:
    """Portuguese: -o -> -a, -os, -as; -e/-a -> -s; -ês -> -esa, -eses, -esas; other endings
    (alemão, espanhol) are listed with their forms in the overlay."""
    last = base.split()[-1].casefold()
    if last.endswith("o"):
        return [base, *_last(base[:-1], ("a", "os", "as"))]
    if last.endswith(("e", "a")):
        return [base, base + "s"]
    if last.endswith("ês"):
        return [base, *_last(base[:-2] + "e", ("sa", "ses", "sas"))]
    return [base]


def _adj_nl(base: str) -> list[str]:
    """Dutch: the inflected -e, with a long vowel written single in the open syllable
    (Amerikaans -> Amerikaanse, Chinees -> Chinese). A base ending in -e is taken as it is
    (`Franse`: the uninflected "Frans" is also a first name)."""
    if base.endswith("e"):
        return [base]
    m = re.search(r"(aa|ee|oo|uu)([^aeiouy])$", base)
    if m:
        return [base, base[: m.start()] + m.group(1)[0] + m.group(2) + "e"]
    return [base, base + "e"]


def _adj_sv(base: str) -> list[str]:
    """Swedish: -a (definite and plural) and -t (neuter): kinesisk -> kinesiska, kinesiskt."""
    return [base, base + "a", base + "t"]


def _adj_pl(base: str) -> list[str]:
    """Polish adjectives in -ki (-ski, -cki, -dzki): every case and gender (chiński ->
    chińska, chińskie, chińskiego, chińskiej, chińskim, chińskich, chińską, chińskiemu,
    chińskimi) and the masculine personal plural (chińscy, niemieccy, ...)."""
    if not base.endswith("ki"):
        return [base]
    stem = base[:-1]
    endings = ("i", "a", "ie", "iego", "iej", "im", "ich", "ą", "iemu", "imi")
    forms = [stem + e for e in endings]
    for ending, personal in (("dzki", "dzcy"), ("ski", "scy"), ("cki", "ccy"), ("ki", "cy")):
        if base.endswith(ending):
            forms.append(base[: -len(ending)] + personal)
            break
    return forms


def _adj_ru(base: str) -> list[str]:
    """Russian adjectives in -кий (-ский, -цкий): every case, gender and number."""
    if not base.endswith("кий"):
        return [base]
    stem = base[:-2]
    endings = ("ий", "ая", "ое", "ие", "ого", "ой", "ому", "им", "ом", "их", "ую", "ими", "ою")
    return [stem + e for e in endings]


def _adj_uk(base: str) -> list[str]:
    """Ukrainian adjectives in -кий (-ський, -цький, -зький): every case, gender and number."""
    if not base.endswith("кий"):
        return [base]
    stem = base[:-2]
    endings = (
        "ий", "а", "е", "і", "ого", "ої", "ому", "ій", "им", "их", "у", "ими", "ою", "ім",
    )  # fmt: skip
    return [stem + e for e in endings]


def _adj_ar(base: str) -> list[str]:
    """Arabic nisba adjectives (صيني): feminine -ة, plurals -ون/-ين, each with and without
    the article on every word (الكوري الجنوبي), then the prefixes و ب ل (an adjective
    follows its noun, so only a people's plural takes them: للأمريكيين)."""
    words = base.split()
    out: list[str] = []
    for suffix in ("", "ة", "ون", "ين"):
        for article in ("", "ال"):
            out.append(" ".join(article + w + suffix for w in words))
    return [f for form in out for f in (form, *_arabic(form)[:3])]


HEBREW_ADJECTIVE_PREFIXES = ("ה", "וה", "שה", "מה", "כשה")
"""The article ה and the prefixes written before it: an adjective after a definite noun
takes the article ("הצבא הרוסי")."""


def _adj_he(base: str) -> list[str]:
    """Hebrew adjectives in -י (רוסי): feminine -ת, plurals -ים/-יים and -ות, with the
    one-letter prefixes ו ב ל מ ש and the article (`HEBREW_ADJECTIVE_PREFIXES`)."""
    words = base.split()
    last = words[-1]
    if not last.endswith("י"):
        return [base]
    endings = [last, last + "ת", last[:-1] + "ים", last + "ים", last + "ות"]
    forms = [" ".join([*words[:-1], e]) for e in endings]
    out: list[str] = []
    for form in forms:
        first, *rest = form.split()
        out.append(form)
        out.extend(_hebrew(form)[:5])
        out.extend(" ".join([p + first, *rest]) for p in HEBREW_ADJECTIVE_PREFIXES)
    return out


def _adj_fa(base: str) -> list[str]:
    """Persian adjectives in -ی are invariable; the people's plural adds -ان (ایرانیان).
    The plural -ها is written after a zero-width non-joiner, which splits words anyway."""
    return [base, base + "ان"] if base.endswith("ی") else [base]


def _adj_tr(base: str) -> list[str]:
    """Turkish: the plural -lar/-ler by vowel harmony (Ruslar, Çinliler). Other suffixes
    follow an apostrophe only after proper nouns; after these they are rare in news."""
    vowels = [c for c in base.casefold() if c in "aeıioöuü"]
    back = bool(vowels) and vowels[-1] in "aıou"
    return [base, base + ("lar" if back else "ler")]


KOREAN_COMPOUNDS = ("군", "산", "인", "측")
"""Nouns written joined to a country's name: 군 army (북한군), 산 made in (중국산), 인 people
(일본인), 측 side (미국 측, also written 미국측)."""


def _adj_ko(base: str) -> list[str]:
    """Korean: `KOREAN_COMPOUNDS` joined to the name, each with its particles."""
    out: list[str] = []
    for noun in KOREAN_COMPOUNDS:
        compound = base + noun
        out.extend((compound, *_korean(compound)))
    return out


ADJECTIVES: dict[str, Callable[[str], list[str]]] = {
    "de": _adj_de,
    "fr": _adj_fr,
    "es": _adj_es,
    "it": _adj_it,
    "pt": _adj_pt,
    "nl": _adj_nl,
    "sv": _adj_sv,
    "pl": _adj_pl,
    "ru": _adj_ru,
    "uk": _adj_uk,
    "ar": _adj_ar,
    "he": _adj_he,
    "fa": _adj_fa,
    "tr": _adj_tr,
    "ko": _adj_ko,
}
"""How a language's country adjectives (the overlay's `country_adjectives`) are inflected;
a language not listed takes each adjective as it is written (Hindi: अमेरिकी)."""


COMPASS_PREFIXES = {
    "de": ("Nord", "Süd", "Ost", "West"),
    "sv": ("Nord", "Syd", "Öst", "Väst"),
}
"""German and Swedish join a point of the compass to a country's name (Nordsyrien,
Ostukraine, Östukraina): the build adds these compounds for the countries with curated
adjectives. A compound that is another country's name (Südsudan) is left to it."""

CONTINENT_NAMES = frozenset({"amerika"})
"""Name keys of country names that are also a continent's: German and Swedish "Amerika" is
the United States, but "Nordamerika", "Südamerika", "Sydamerika" are continents (regions),
so no compass compound is made of them."""


def compass_compounds(lang: str, name: str) -> list[str]:
    """`COMPASS_PREFIXES` joined to a one-word `name` (Syrien -> Nordsyrien ...), except a
    name that is also a continent's (`CONTINENT_NAMES`)."""
    if " " in name.strip() or not name[:1].isupper() or name_key(name) in CONTINENT_NAMES:
        return []
    return [prefix + name[0].lower() + name[1:] for prefix in COMPASS_PREFIXES.get(lang, ())]


@cache
def adjective_forms(lang: str, base: str) -> tuple[str, ...]:
    """The forms of the country adjective or demonym `base` in `lang`, `base` first."""
    text = re.sub(r"\s+", " ", base).strip()
    rule = ADJECTIVES.get(lang)
    forms = rule(text) if rule else [text]
    return tuple(dict.fromkeys([text, *forms]))


@cache
def inflect(lang: str, name: str) -> tuple[str, ...]:
    """The generated forms of `name` in `lang` (not the name itself), in a stable order.

    The name's words are taken as the matcher splits them on spaces and hyphens kept:
    "Папуа — Новая Гвинея" declines its words; punctuation words ("—") stay as they are.
    """
    rule = INFLECTORS.get(lang)
    if rule is None:
        return ()
    text = re.sub(r"\s+", " ", name).strip()
    return tuple(f for f in dict.fromkeys(rule(text)) if name_key(f) != name_key(text))
