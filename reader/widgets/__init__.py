"""Provides reader's widgets: the article, the lists, the panel, the search box."""

from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView, Place
from reader.widgets.crossref_panel import CrossRefList, CrossRefPanel
from reader.widgets.item_list import ItemList
from reader.widgets.search_box import SearchBox

__all__ = [
    "ArticleList",
    "ArticleView",
    "CrossRefList",
    "CrossRefPanel",
    "ItemList",
    "Place",
    "SearchBox",
]
