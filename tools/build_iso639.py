"""Generate `monitor/data/iso639.json`, the language codes rules and articles may name.

    python tools/build_iso639.py              # rewrite the committed JSON file
    python tools/build_iso639.py --out FILE   # write it somewhere else (tests compare)

From pycountry's ISO 639-3 table (the exact release is pinned in the test extras):

* `two`: every ISO 639-1 code with its English name ("de": "German"): what article
  languages are (a declaration's primary subtag, or what detection finds);
* `three_to_two`: the ISO 639-2/T, 639-2/B and 639-3 codes of those languages, to the
  two-letter code ("deu", "ger": "de"): BCP 47 uses the shortest code, so `deu` is named
  `de` in articles, and a rule that asks for `deu` is told to write `de`;
* `three`: every other ISO 639-3 code, space-separated: languages with no two-letter code
  (`yue`, `fil`, `ast`), named by three letters in declarations and detection alike.

The output is deterministic (sorted keys), so a diff shows what a pycountry release changed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "monitor" / "data" / "iso639.json"


def build() -> str:
    two: dict[str, str] = {}
    three_to_two: dict[str, str] = {}
    three: set[str] = set()
    for language in pycountry.languages:
        code2 = getattr(language, "alpha_2", None)
        codes3 = {language.alpha_3, getattr(language, "bibliographic", language.alpha_3)}
        if code2 is None:
            three |= codes3
            continue
        two[code2] = str(language.name)
        for code in codes3:
            three_to_two[code] = code2
    three -= set(three_to_two)
    data = {
        "source": f"pycountry {pycountry.__version__}",
        "two": dict(sorted(two.items())),
        "three_to_two": dict(sorted(three_to_two.items())),
        "three": " ".join(sorted(three)),
    }
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.write_text(build(), encoding="utf-8")


if __name__ == "__main__":
    main()
