"""The matching engine: which rules an article satisfies, and where.

`Matcher(ruleset, blockers=...)` compiles every term of every rule into one Aho-Corasick
automaton; `Matcher.match(article)` returns the matching rules with their hits. Matching is
on whole words, case- and accent-insensitive (see `normalize` for the exact model).
"""

from monitor.matching.matcher import Matcher
from monitor.matching.model import Hit, Match
from monitor.matching.normalize import TokenizedText, fold, tokenize

# `normalize` is left to its submodule (`monitor.matching.normalize.normalize`): exporting the
# function here would hide the submodule of the same name.
__all__ = ["Hit", "Match", "Matcher", "TokenizedText", "fold", "tokenize"]
