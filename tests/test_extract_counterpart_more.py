"""Counterpart and time: roles said in other ways, new kinds of organisation, pronouns, bare clock hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor, load_extractor
from speakcase.pipelines.extract.scoring import asr_variant
from tests.test_extract import _misses

RECORDED = datetime(2026, 6, 9, 17, 20)  # a Tuesday, late afternoon


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """The pipeline, loaded once for the module."""
    return load_extractor()


def _check(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> list[str]:
    return _misses(extractor, {"recorded_at": RECORDED.isoformat(), "expect": expect}, text)


# Each case holds both variants: as written and as an ASR transcript (lower case, no punctuation).
BOTH: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "role-paramedic-ambulance-service",
        "Re Mr Alfie Brook, eighty. At ten this morning I spoke to paramedic Gina Morrow at Westvale "
        "Ambulance Service and shared that Alfie lives alone and has had two falls, so the crew can plan.",
        [{"counterpart.role": "paramedic", "counterpart.agency": "health"}],
    ),
    (
        "role-scheme-manager-housing",
        "Note for Mrs Enid Thorne. At eleven I rang Paul Quist, the scheme manager at Larkrise Court, and "
        "shared that Enid is coming home from hospital on Friday so the warden checks can restart.",
        [{"counterpart.name": "Paul Quist", "counterpart.role": "scheme manager", "counterpart.agency": "housing"}],
    ),
    (
        "newspaper-is-other",
        "Re Kai Dunn, fourteen. At noon a journalist, Rob Ferris, from the Dunmoor Gazette rang asking "
        "whether Kai was in care. I didn't confirm anything, it is confidential.",
        [{"counterpart.name": "Rob Ferris", "counterpart.agency": "other"}],
    ),
    (
        "person-noun-is-not-a-name",
        "Re Ava Lind, six. At nine somebody called Priya from the Orchard Nursery rang me and told me Ava "
        "had a bruise on her arm, as she was worried.",
        [{"counterpart.name": "Priya"}],
    ),
    (
        "name-run-into-organisation-after-rank",
        "Re Milo Hart, eight. At ten past nine spoke Sergeant Dawn Pellow, Marsh Vale Police, shared that Milo "
        "was found alone at the park last night, so officers can check the flat.",
        [{"counterpart.name": "Dawn Pellow", "counterpart.organisation": "Marsh Vale Police"}],
    ),
    (
        "name-run-into-organisation-after-role",
        "Re Edna Rolfe, ninety. Her social worker Colm Brady, Eastfield County Council, emailed this morning "
        "asking for the care plan. Sent it with Edna's consent.",
        [{"counterpart.name": "Colm Brady", "counterpart.organisation": "Eastfield County Council"}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in BOTH], ids=[c[0] for c in BOTH])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_counterpart_and_time(extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any) -> None:
    assert _check(extractor, variant(text), expect) == []
