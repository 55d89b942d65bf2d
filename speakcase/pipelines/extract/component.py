"""The extractor the package gives: the trained spaCy pipelines (learned.py), loaded once per process."""

from __future__ import annotations

from functools import lru_cache

from speakcase.pipelines.extract.learned import LearnedExtractor, load_learned

#: The extractor's type (callers annotate with it).
Extractor = LearnedExtractor


@lru_cache(maxsize=1)
def load_extractor() -> Extractor:
    """Load the trained extraction pipelines once per process and return the extractor around them."""
    return load_learned()
