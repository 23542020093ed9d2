"""The gazetteer: named entities (countries, organisations, regions, the user's own) and names.

Rules refer to entities by name (`entities: [NATO, South Korea]`); `EntityCatalog` resolves
those names against the built-in data (`load_builtin`) and the entities defined in rule files,
and says which entities an ambiguous name could mean (`EntityCatalog.ambiguous`). Capitals
are an opt-in list (`builtin_capitals`, `with_capitals`), not aliases.
"""

from monitor.gazetteer.catalog import (
    EntityCatalog,
    builtin_capitals,
    load_builtin,
    name_key,
    with_capitals,
)
from monitor.gazetteer.model import Entity

LANGUAGES = (
    *("ar", "de", "en", "es", "fa", "fr", "he", "hi", "id", "it"),
    *("ja", "ko", "nl", "pl", "pt", "ru", "sv", "tr", "uk", "zh"),
)
"""The languages the built-in names are in (ISO 639-1): CLDR's and the overlay's names for
every country, and the curated organisations (`tools/build_gazetteer.py`)."""

__all__ = [
    "LANGUAGES",
    "Entity",
    "EntityCatalog",
    "builtin_capitals",
    "load_builtin",
    "name_key",
    "with_capitals",
]
