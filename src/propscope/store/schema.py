"""The store's tables (SQLAlchemy Core). Alembic migrations create them; queries use them.

An article's analysis is kept as *predictions* (one per task, model and run, at paragraph or
article level, with every probability) and, for searching and counting, as *labels* (one row per
predicted label). A newer analysis of the same article adds rows and marks the older ones
``current = false``: history is kept, never overwritten.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False, unique=True),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),  # import, api, reanalysis, bench
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Column("propscope_version", String(40), nullable=False),
    Column("models", JSON, nullable=False),  # analyzer name -> model version
    Column("settings", JSON, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(300), nullable=False),  # Article.id: the article's own identifier
    Column("source_id", Integer, ForeignKey("sources.id")),
    Column("url", Text),
    Column("path", Text),
    Column("title", Text, nullable=False),
    Column("language", String(16)),
    Column("language_confidence", Float),
    Column("published", String(64)),  # as the input gave it
    Column("published_date", Date),  # its day, when it reads as an ISO date; for filters
    Column("month", String(7)),  # YYYY-MM of published_date, for statistics by month
    Column("author", Text),
    Column("duplicate_of", String(300)),
    Column("warnings", JSON, nullable=False),
    Column("meta", JSON, nullable=False),
    # Article fields this schema has no column for (migration 0002)
    Column("extra", JSON, nullable=False, server_default=text("'{}'")),
    # SHA-256 of the words of the non-boilerplate paragraphs: the same article is stored once
    Column("fingerprint", String(64), nullable=False, unique=True),
    Column("paragraph_count", Integer, nullable=False),  # analysable (non-boilerplate)
    Column("genre", String(40)),  # the selected current genre, for filters
    Column("genre_probability", Float),
    Column("run_id", Integer, ForeignKey("runs.id")),  # the run that stored it
    Column("created", DateTime(timezone=True), nullable=False),
    # (group, paragraph_count): statistics count articles and paragraphs from the index alone
    Index("ix_articles_source", "source_id", "paragraph_count"),
    Index("ix_articles_language", "language", "paragraph_count"),
    Index("ix_articles_month", "month", "paragraph_count"),
    Index("ix_articles_published", "published_date"),
    Index("ix_articles_key", "key"),
)

# The text lives apart so that scans of ``articles`` (filters, counts) stay narrow; full-text
# search indexes this table (see the first migration).
article_texts = Table(
    "article_texts",
    metadata,
    Column("id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
)

paragraphs = Table(
    "paragraphs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("line", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("boilerplate", Boolean, nullable=False),
    Column("language", String(16)),
    # Paragraph fields without a column, e.g. quotes (migration 0002)
    Column("extra", JSON, nullable=False, server_default=text("'{}'")),
    UniqueConstraint("article_id", "position", name="uq_paragraphs_article_position"),
)

predictions = Table(
    "predictions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("paragraph_id", Integer, ForeignKey("paragraphs.id", ondelete="CASCADE")),
    Column("task", String(40), nullable=False),  # genre, frames, techniques
    Column("model", String(40), nullable=False),  # the model family: linear, encoder
    Column("model_version", String(80), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("probabilities", JSON, nullable=False),
    Column("predicted", JSON, nullable=False),
    Column("thresholds", JSON, nullable=False),
    Column("note", Text),
    Column("extra", JSON, nullable=False),  # Prediction fields this schema does not know yet
    Column("selected", Boolean, nullable=False),  # the one reports show for its task
    Column("current", Boolean, nullable=False),  # false once a newer analysis replaced it
    Index("ix_predictions_article", "article_id", "current"),
)

labels = Table(
    "labels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("prediction_id", Integer, ForeignKey("predictions.id", ondelete="CASCADE")),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("paragraph_id", Integer, ForeignKey("paragraphs.id", ondelete="CASCADE")),
    Column("task", String(40), nullable=False),
    Column("label", String(80), nullable=False),
    Column("probability", Float),
    Column("model", String(40), nullable=False),
    Column("model_version", String(80), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("selected", Boolean, nullable=False),
    Column("current", Boolean, nullable=False),
    Index("ix_labels_article", "article_id", "current"),
)

# Per article, the current selected labels summed: paragraphs using each technique (1 for an
# article's genre and frames) and the highest probability. What statistics and label filters
# read: a few rows per article instead of one per paragraph label.
article_labels = Table(
    "article_labels",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("task", String(40), nullable=False),
    Column("label", String(80), nullable=False),
    Column("paragraphs", Integer, nullable=False),
    Column("probability", Float),
    # the article's groups, copied here so that statistics need not visit articles
    Column("source_id", Integer),
    Column("language", String(16)),
    Column("month", String(7)),
    PrimaryKeyConstraint("article_id", "task", "label", name="pk_article_labels"),
    Index("ix_article_labels_label", "task", "label", "probability", "article_id"),
    # statistics by outlet, language or month read one index in group order, nothing else
    # (article_id: for the filters)
    Index("ix_article_labels_source_id", "task", "source_id", "label", "paragraphs", "article_id"),
    Index("ix_article_labels_language", "task", "language", "label", "paragraphs", "article_id"),
    Index("ix_article_labels_month", "task", "month", "label", "paragraphs", "article_id"),
)

spans = Table(
    "spans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("paragraph_id", Integer, ForeignKey("paragraphs.id", ondelete="CASCADE")),
    Column("position", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("label", String(80), nullable=False),
    Column("confidence", Float),
    Column("fallback", Boolean, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("model_version", String(80), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("current", Boolean, nullable=False),
    Index("ix_spans_article", "article_id", "current"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("speaker", Text),
    Column("extra", JSON, nullable=False),  # the other Quote fields, whatever they are
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("current", Boolean, nullable=False),
    Index("ix_quotes_article", "article_id", "current"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("label", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("extra", JSON, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("current", Boolean, nullable=False),
    Index("ix_entities_article", "article_id", "current"),
    Index("ix_entities_label_text", "label", "text"),
)

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("status", String(20), nullable=False),  # queued, running, done, failed
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Column("inputs", JSON, nullable=False),  # paths, URLs or feeds, in order
    Column("options", JSON, nullable=False),
    # how many items (articles and unreadable inputs) of the input stream are dealt with:
    # a resumed job skips them
    Column("position", Integer, nullable=False),
    Column("stored", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("errors", JSON, nullable=False),  # one line per bad input (the first 1,000)
    Column("message", Text),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Index("ix_import_jobs_status", "status"),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("paragraph_id", Integer, ForeignKey("paragraphs.id", ondelete="CASCADE")),
    Column("task", String(40), nullable=False),
    Column("label", String(80), nullable=False),
    Column("action", String(10), nullable=False),  # add (a missing label) or remove (wrong)
    Column("note", Text),
    Column("author", String(200)),
    Column("created", DateTime(timezone=True), nullable=False),
    Index("ix_corrections_article", "article_id"),
)
