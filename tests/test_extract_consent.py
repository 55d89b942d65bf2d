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


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(
    ("memo", "third_party", "info_word"),
    [
        (
            "Note on Alfie Dunn, he's six. I shared with the police, PC Jo Kemp at Northshire Police, that "
            "Alfie's grandson of the neighbour took his bike. ",
            True,
            "bike",
        ),
        (
            "Note on Mrs Vera Lomas, eighty. I rang her GP, Dr Sam Ncube at Oak Surgery, and told him Vera's "
            "grandson Kyle takes her bank card.",
            True,
            "bank",
        ),
        (
            "Note on Jack Orr, fifteen. I told Mel Quigley, the YOT worker at Eastshire Youth Offending "
            "Team, that Jack is being groomed by an older lad called Tyler.",
            True,
            "groomed",
        ),
        (
            "Note on Ruby Hale, twelve. I rang the school and shared with Mrs Pat Oyelaran, the DSL at Birch "
            "Academy, that Ruby has a new inhaler.",
            False,
            "inhaler",
        ),
    ],
)
def test_third_party_in_the_information(
    extractor: Extractor, memo: str, third_party: bool, info_word: str, asr: bool
) -> None:
    record = _one(extractor, memo, asr)
    assert info_word in record.information.lower()
    assert record.third_party is third_party


def test_full_name_of_someone_else_is_a_third_party(extractor: Extractor) -> None:
    memo = (
        "Note on Lily Shah, she's nine. Yesterday I shared with Omar Reid, the PCSO at Westfield Police, "
        "that Marcus Doyle has been waiting outside Lily's school."
    )
    record = _one(extractor, memo)
    assert record.information.startswith("Marcus Doyle")
    assert record.third_party is True


def test_received_told_me_so_is_the_reason_not_the_information(extractor: Extractor) -> None:
    memo = (
        "Note on Zara Khan, she's four. This morning Nurse Beth Arnold from Kingsmead Hospital called me and "
        "shared that Zara came in with a burn to her hand. She told me so we could visit the family today."
    )
    record = _one(extractor, memo)
    assert record.kind == "received"
    assert "burn" in record.information
    assert (record.reason or "").startswith("so we could visit")


def test_explicit_reason_sentence_wins_and_information_keeps_its_because(extractor: Extractor) -> None:
    memo = (
        "Note on Mr Len Price, seventy. I rang Dr Ifeoma Obi at Millgate Surgery and shared that Len has "
        "lost weight because his son has stopped shopping for him. I shared it so the GP can review him soon."
    )
    record = _one(extractor, memo)
    assert "son has stopped" in record.information
    assert (record.reason or "").startswith("so the GP can review")


@pytest.mark.parametrize("asr", [False, True])
def test_refusal_reason_after_said_without_a_pronoun(extractor: Extractor, asr: bool) -> None:
    memo = (
        "ok so Finn Lowe age seven, rang Brook Lane Surgery, asked the receptionist Mrs Dale for Finn's "
        "vaccination history, she refused, said the GP has to authorise it first, still no after I pushed"
    )
    record = _one(extractor, memo, asr)
    assert record.kind == "refused"
    assert "authorise" in (record.reason or "")
    assert "pushed" not in (record.reason or "")


def test_withheld_reason_in_the_next_sentence(extractor: Extractor) -> None:
    memo = (
        "Note on Ivy Moss, eight. At noon Karen Webb from Hale and Co Solicitors rang asking for Ivy's new "
        "address. I declined, I haven't given her anything. Ivy and her mum have fled dad's violence and the "
        "address would put them in danger."
    )
    record = _one(extractor, memo)
    assert record.kind == "withheld"
    assert "fled" in (record.reason or "")
