"""Where articles come from: the `Source` interface and its implementations.

`base` is the contract between a source and the pipeline; `folder` is the `[inbox]` folder
(with `watch` for its observer and `disposal` for moving files out). Feeds and the ingest
API (issue 14) are further modules here, each behind the same interface.
"""

from monitor.sources.base import Item, Outcome, Source, Status, Verdict
from monitor.sources.folder import FolderSource

__all__ = ["FolderSource", "Item", "Outcome", "Source", "Status", "Verdict"]
