"""Extraction of information-sharing records from a dictated memo's transcript text."""

from speakcase.pipelines.extract.component import Extractor, load_extractor

__all__ = ["Extractor", "load_extractor"]
