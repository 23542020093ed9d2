"""The gazetteer: named entities (countries, organisations, the user's own) and their names.

Rules refer to entities by name (`entities: [NATO, South Korea]`); `EntityCatalog` resolves
those names against the built-in data (`load_builtin`) and the entities defined in rule files.
"""

from monitor.gazetteer.catalog import EntityCatalog, load_builtin, name_key
from monitor.gazetteer.model import Entity

__all__ = ["Entity", "EntityCatalog", "load_builtin", "name_key"]
