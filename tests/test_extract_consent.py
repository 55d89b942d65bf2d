"""Consent, family, legislation and content rules on phrasings the dev memos never used."""

from __future__ import annotations

from datetime import datetime

import pytest

from speakcase.pipelines.extract import Extractor, load_extractor
from speakcase.pipelines.extract.scoring import asr_variant

RECORDED = datetime(2026, 5, 6, 15, 30)
OPENING = (
    "Note for Poppy Haines, she's ten. This morning I rang Mr Raj Mistry, the deputy head at "
    "Elmfield Junior School, and shared that Poppy has been missing school."
)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The pipeline, loaded once for the whole session."""
    return load_extractor()


def _one(extractor: Extractor, text: str, asr: bool = False):
    records = extractor.extract(asr_variant(text) if asr else text, RECORDED)
    assert len(records) == 1
    return records[0]


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(
    ("sentence", "status", "given_by", "reasons", "explanation_word"),
    [
        (
            "Consent wasn't sought, Poppy's grandad lacks capacity to consent.",
            "not_sought",
            "Poppy's grandad",
            ("other",),
            "capacity",
        ),
        (
            "I didn't need dad's consent as there's a court order in place.",
            "not_sought",
            "dad",
            ("court_order",),
            "court",
        ),
        ("No consent sought, there was no time and she'd run off.", "not_sought", None, ("other",), "time"),
        (
            "I didn't ask her father for consent, we have a legal duty to share this.",
            "not_sought",
            "her father",
            ("statutory_duty",),
            "duty",
        ),
        (
            "I hadn't asked Poppy's stepmum because it could put Poppy at greater risk.",
            "not_sought",
            "Poppy's stepmum",
            ("increase_risk",),
            "risk",
        ),
        (
            "Poppy's nan agreed, no, sorry, she didn't, I haven't asked her, as asking might prejudice"
            " the police investigation.",
            "not_sought",
            "Poppy's nan",
            ("prejudice_investigation",),
            "prejudice",
        ),
    ],
)
def test_consent_not_sought_phrasings(
    extractor: Extractor,
    sentence: str,
    status: str,
    given_by: str | None,
    reasons: tuple[str, ...],
    explanation_word: str,
    asr: bool,
) -> None:
    record = _one(extractor, f"{OPENING} {sentence}", asr)
    assert record.consent.status == status
    assert set(record.consent.reasons) == set(reasons)
    assert explanation_word in (record.consent.explanation or "").lower()
    if given_by is None:
        assert record.consent.given_by is None
    else:
        assert (record.consent.given_by or "").lower().replace("'", "") == given_by.lower().replace("'", "")


def test_refusal_reason_after_a_comma_is_the_explanation(extractor: Extractor) -> None:
    record = _one(
        extractor, f"{OPENING} Poppy's mum said no when I asked, she's scared it will go on her file."
    )
    assert record.consent.status == "refused"
    assert "scared" in (record.consent.explanation or "")


def test_did_ask_finds_who_refused(extractor: Extractor) -> None:
    record = _one(
        extractor, f"{OPENING} I did ask dad for consent and he refused, he thinks we are snooping."
    )
    assert record.consent.status == "refused"
    assert record.consent.given_by == "dad"


def test_not_telling_the_parent_for_a_stated_reason_is_consent_not_sought(extractor: Extractor) -> None:
    record = _one(
        extractor,
        f"{OPENING} I didn't tell dad I was contacting school because of the child protection concerns.",
    )
    assert record.consent.status == "not_sought"
    assert record.consent.reasons == ("child_protection",)
    assert record.consent.given_by == "dad"


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "She said it was shared under Crime and Disorder Act section 115.",
            ["Crime and Disorder Act 1998 s115"],
        ),
        ("I told him it's for a section forty-two Care Act enquiry.", ["Care Act 2014 s42"]),
        ("They have a duty under the Children Act section eleven.", ["Children Act 2004 s11"]),
        ("It was shared under section one fifteen.", ["Crime and Disorder Act 1998 s115"]),
        ("We shared it under the Care Act.", ["Care Act 2014"]),
        ("It falls under the Criminal Justice Act 2003.", ["Criminal Justice Act 2003"]),
    ],
)
def test_legislation_forms_once_per_mention(
    extractor: Extractor, sentence: str, expected: list[str], asr: bool
) -> None:
    record = _one(extractor, f"{OPENING} {sentence}", asr)
    assert list(record.legislation) == expected


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Dad knows I was making the referral, I saw him at lunch.", True),
        ("Both carers have been told what was passed on.", True),
        ("The school nurse had told Poppy-Rose's mum she'd be passing this on.", True),
        ("I spoke to her grandmother but hadn't told her I was passing it on.", False),
        ("I shared it without her parents' knowledge.", False),
        ("Dad rang asking what the school had been told and I decided not to tell him.", None),
        ("I didn't tell him anything about the police.", None),
    ],
)
def test_family_informed_phrasings(
    extractor: Extractor, sentence: str, expected: bool | None, asr: bool
) -> None:
    records = extractor.extract(
        asr_variant(f"{OPENING} {sentence}") if asr else f"{OPENING} {sentence}", RECORDED
    )
    assert records[0].family_informed is expected
