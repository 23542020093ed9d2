"""Article readers: one inbox file in, one `Article` (or an `ArticleError` saying why) out."""

from monitor.articles.model import Article
from monitor.articles.readers import (
    NotFinished,
    NotRegular,
    read_article,
    read_bytes_article,
    read_inbox_bytes,
)
from monitor.errors import ArticleError

__all__ = [
    "Article",
    "ArticleError",
    "NotFinished",
    "NotRegular",
    "read_article",
    "read_bytes_article",
    "read_inbox_bytes",
]
