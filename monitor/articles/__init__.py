"""Article readers: one inbox file in, one `Article` (or an `ArticleError` saying why) out."""

from monitor.articles.model import Article, ArticleError
from monitor.articles.readers import read_article, read_bytes_article

__all__ = ["Article", "ArticleError", "read_article", "read_bytes_article"]
