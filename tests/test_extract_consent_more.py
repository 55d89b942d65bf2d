"""Consent, family, advice, lawful basis and legislation said in words the other tests never used."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor
from speakcase.pipelines.extract.scoring import asr_variant
from tests.test_extract import _misses

RECORDED = datetime(2026, 3, 4, 17, 5)


def _check(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> list[str]:
    case = {"recorded_at": RECORDED.isoformat(), "expect": expect}
    return _misses(extractor, case, text)


OPEN = (
    "Note for Lottie Brennan, six. At two I rang Owen Parry, the school nurse at Fernhill School Nursing "
    "Team, and "
)

CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "obtained-fine-with-it",
        OPEN + "told him Lottie has been wetting herself at school. Her dad was perfectly fine with it.",
        [{"consent.status": "obtained", "consent.given_by": "her dad"}],
    ),
    (
        "obtained-happy-for-me-to",
        OPEN
        + "passed on the new allergy plan so he can brief staff. Grandad Ray was happy for me to pass it on.",
        [{"consent.status": "obtained", "consent.given_by": "Ray"}],
    ),
    (
        "obtained-said-earlier-that-it-was-fine",
        OPEN + "told him about the head lice treatment. Mum had said on Monday that it was fine to share it.",
        [{"consent.status": "obtained", "consent.given_by": "Mum"}],
    ),
    (
        "obtained-said-yes-to-me-sharing",
        OPEN + "told him about the new inhaler. Mum, Kerry, said yes to me sharing that when I visited.",
        [{"consent.status": "obtained", "consent.given_by": "Kerry"}],
    ),
    (
        "obtained-signed-the-form-and-lawful-basis",
        OPEN + "sent the care plan. Lottie's mum signed the consent form last week. Lawful basis consent.",
        [{"consent.status": "obtained", "consent.given_by": "Lottie's mum"}],
    ),
    (
        "not-sought-passive-after-correction",
        OPEN + "told him about the bruising. Dad agreed to, no wait, scratch that, dad wasn't asked, "
        "as that could put Lottie at greater risk.",
        [{"consent.status": "not_sought", "consent.given_by": "dad", "consent.reasons": ["increase_risk"]}],
    ),
    (
        "not-sought-not-in-a-state",
        "Adult note, Mr Walter Fenn. At six I rang Ana Costa, the warden at Ivy Court, and told her Walter "
        "was found on the floor. Walter was not in a fit state to consent and it was urgent.",
        [{"consent.status": "not_sought", "consent.given_by": "Walter"}],
    ),
    (
        "manager-named-agreed-is-not-consent",
        OPEN + "told him about the bruise on Lottie's arm. I didn't ask Lottie's dad first, because he might "
        "take it out on her. My practice manager Dilys agreed the call beforehand.",
        [{"consent.status": "not_sought", "consent.given_by": "Lottie's dad"}],
    ),
    (
        "refused-asked-if",
        OPEN + "told him about the self harm. I asked if I could tell the nurse and Lottie's mum said no, "
        "she thinks it will get back to the family.",
        [{"consent.status": "refused", "consent.given_by": "Lottie's mum"}],
    ),
    (
        "explanation-on-the-basis-that",
        OPEN + "told him about the burn. Consent was not sought from Lottie's father on the basis that "
        "asking him could escalate the risk to Lottie.",
        [
            {
                "consent.status": "not_sought",
                "consent.reasons": ["increase_risk"],
                "consent.explanation": "asking him could escalate the risk to Lottie",
            }
        ],
    ),
    (
        "refused-then-shared-anyway-justification",
        OPEN + "told him about the burns. Lottie's nan refused consent when I visited. Shared it anyway, "
        "because there are child protection concerns and she could be badly hurt.",
        [
            {
                "consent.status": "refused",
                "consent.given_by": "Lottie's nan",
                "consent.reasons": ["child_protection"],
                "consent.explanation": "there are child protection concerns and she could be badly hurt",
            }
        ],
    ),
    (
        "refused-pronoun-after-asking-by-name",
        "Note for Ivy Saunders, eighty one. At three I rang Tom Dale, the manager at Brook Lodge, and told "
        "him about Ivy's falls. When I asked her daughter yesterday she refused, her words, they'll only "
        "fuss over her.",
        [
            {
                "consent.status": "refused",
                "consent.given_by": "her daughter",
                "consent.explanation": "they'll only fuss over her",
            }
        ],
    ),
    (
        "not-sought-no-question-of-asking",
        OPEN + "sent him the order. There was no question of asking the parents, it's a court order.",
        [
            {
                "consent.status": "not_sought",
                "consent.given_by": "the parents",
                "consent.reasons": ["court_order"],
            }
        ],
    ),
    (
        "not-sought-hadnt-asked-myself",
        OPEN + "told him about the bruising. I hadn't asked Lottie myself, to be honest, because her brother "
        "is always there and it could put her at greater risk.",
        [
            {
                "consent.status": "not_sought",
                "consent.given_by": "Lottie",
                "consent.reasons": ["increase_risk"],
            }
        ],
    ),
    (
        "refused-relative-asked-us-to-keep-it-private",
        "Note on Ravi Mehta, nine. At ten Sue Platt, the teacher at Hill Primary, rang asking about dad's "
        "drinking. I didn't share it. Dad's drinking is not for school, and dad has asked us to keep it "
        "private.",
        [{"kind": "withheld", "consent.status": "refused", "consent.given_by": "Dad"}],
    ),
    (
        "not-sought-no-capacity-to-consent-is-its-own-explanation",
        "Note for Mr Gordon Platt, seventy. At nine I rang Joy Mensah, the district nurse at Elm Road "
        "Surgery, and told her Gordon has stopped eating. He doesn't have capacity at the moment to consent "
        "because of the infection, so I didn't ask him.",
        [
            {
                "consent.status": "not_sought",
                "consent.reasons": ["other"],
                "consent.explanation": "He doesn't have capacity at the moment to consent because of the "
                "infection",
            }
        ],
    ),
    (
        "not-sought-from-either-parent",
        OPEN + "sent him the conference minutes. Consent wasn't sought from either parent, as it's a "
        "statutory duty.",
        [
            {
                "consent.status": "not_sought",
                "consent.given_by": "either parent",
                "consent.reasons": ["statutory_duty"],
            }
        ],
    ),
    (
        "not-sought-named-then-new-clause",
        OPEN + "told him about the marks on her legs. I didn't ask Lottie's mum, she lives with the man "
        "and it could put Lottie at greater risk.",
        [
            {
                "consent.status": "not_sought",
                "consent.given_by": "Lottie's mum",
                "consent.reasons": ["increase_risk"],
            }
        ],
    ),
    (
        "not-sought-despite-need-said-before",
        OPEN + "told him what support Lottie needs. I didn't seek dad's consent because we have a statutory "
        "duty here.",
        [{"consent.status": "not_sought", "consent.reasons": ["statutory_duty"]}],
    ),
    (
        "adult-subject-at-risk-is-adult-at-risk",
        "Note for Mrs Nora Quill, seventy eight. At ten I rang Sam Idris, the warden at Lark House, and told "
        "him Nora has been leaving the gas on. I didn't ask Nora first, she was too confused to follow it "
        "and she is at real risk.",
        [{"consent.status": "not_sought", "consent.given_by": "Nora", "consent.reasons": ["adult_at_risk"]}],
    ),
    (
        "child-subject-at-risk-is-not-adult-at-risk",
        OPEN + "told him about the burns. I didn't ask Lottie's mum first, as it could put Lottie at risk.",
        [{"consent.status": "not_sought", "consent.reasons": ["increase_risk"]}],
    ),
    (
        "obtained-green-light-from-relative",
        OPEN
        + "told him about the speech delay so he can arrange support. Her grandma gave me the green light.",
        [{"consent.status": "obtained", "consent.given_by": "Her grandma"}],
    ),
    (
        "obtained-no-objection",
        OPEN + "told him about the new medication so staff know. Lottie's dad had no objection.",
        [{"consent.status": "obtained", "consent.given_by": "Lottie's dad"}],
    ),
    (
        "refused-relative-dead-against",
        OPEN + "told him about the self-harm so he can keep her safe. Her stepmum was dead against it.",
        [{"consent.status": "refused", "consent.given_by": "Her stepmum"}],
    ),
    (
        "refused-professional-is-not-family-refusal",
        OPEN + "asked for Lottie's care plan. He refused, he said their policy needs a written request.",
        [{"consent.status": "unknown", "consent.given_by": None}],
    ),
    (
        "family-true-bare-told-relative",
        OPEN
        + "told him Lottie has head lice again, so he can check the class. I've informed her grandad on the phone.",
        [{"family_informed": True}],
    ),
    (
        "family-true-kept-in-the-loop",
        OPEN
        + "passed on the new seizure plan so staff know it. Her stepdad has been kept in the loop throughout.",
        [{"family_informed": True}],
    ),
    (
        "family-true-future-telling",
        OPEN
        + "told him about the eye test result so he can move her seat. I'm going to tell Dad when I visit.",
        [{"family_informed": True}],
    ),
    (
        "family-false-relative-unaware",
        OPEN + "told him about the police callout so he can watch for changes. Her nan is still unaware.",
        [{"family_informed": False}],
    ),
    (
        "family-false-holding-off",
        OPEN
        + "told him about the disclosure so he can support her. I'm holding off telling her father for now.",
        [{"family_informed": False}],
    ),
    (
        "family-false-kept-from",
        OPEN
        + "shared the bruising so he can check her. We've agreed not to inform the parents until police visit.",
        [{"family_informed": False}],
    ),
    (
        "family-true-relative-by-first-name",
        OPEN
        + "told him Lottie's dad, Marek, has moved out, so he can support her. Marek knows I've rung the school.",
        [{"family_informed": True}],
    ),
    (
        "family-false-either-parent",
        OPEN
        + "told him about the cigarette burn so he can check her arm. I haven't told mum or dad I've rung anyone.",
        [{"family_informed": False}],
    ),
    (
        "family-true-asked-to-be-told-which-i-did",
        OPEN
        + "told him Lottie's cast comes off Monday so PE can plan. Her aunt Rosa asked me to tell her once I'd rung, and I did.",
        [{"family_informed": True}],
    ),
    (
        "family-none-child-present-at-incident",
        OPEN
        + "told him that police were called to the flat and Lottie was present, so he can keep an eye on her.",
        [{"family_informed": None}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES])
def test_consent_phrasings_as_written(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    assert _check(extractor, text, expect) == []


@pytest.mark.parametrize(("text", "expect"), [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES])
def test_consent_phrasings_lower_case(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    assert _check(extractor, asr_variant(text), expect) == []


CODED: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "advice-run-it-by-and-team-leader",
        OPEN + "told him about the rash. I'd run it by my team leader before ringing.",
        [{"advice_sought": ["manager"]}],
    ),
    (
        "advice-cleared-with-and-legal-agreed",
        OPEN + "told him about the court date. I cleared the call with my deputy manager first.",
        [{"advice_sought": ["manager"]}],
    ),
    (
        "advice-pluperfect-dpo-told",
        OPEN
        + "told him about the new address so he can update records. Our DPO had already told the team this was fine.",
        [{"advice_sought": ["data_protection_officer"]}],
    ),
    (
        "advice-bounced-off-and-sign-off",
        OPEN
        + "told him about the dental neglect. I bounced it off my practice manager and got her sign-off first.",
        [{"advice_sought": ["manager"]}],
    ),
    (
        "advice-regional-me-and-took-to-legal",
        OPEN
        + "told him about the injunction. Before ringing I took it to legal, after talking it through with me team leader.",
        [{"advice_sought": ["manager", "legal"]}],
    ),
    (
        "advice-future-supervision-and-their-dpo-is-not-advice",
        OPEN
        + "asked for Lottie's health records and he said their DPO has to sign that off. I'll raise it in supervision.",
        [{"advice_sought": []}],
    ),
    (
        "advice-asked-since-is-not-advice",
        OPEN
        + "asked for Lottie's vaccination history and he refused. I've since asked my manager to take it up "
        "with his service.",
        [{"advice_sought": []}],
    ),
    (
        "protocol-suggested-route-is-not-the-sharing",
        "Note for Kit Lowry, thirteen. At noon PC Dan Rees from Ashford Police rang asking for Kit's school "
        "address. I said no, if they have a safeguarding worry they can go through the MASH.",
        [{"kind": "withheld", "protocols": []}],
    ),
    (
        "legislation-misheard-acts-and-sections",
        OPEN + "told him about the enquiry under section one on five of the crime and this order act, "
        "and that adult services have a carer act assessment open.",
        [{"legislation": ["Crime and Disorder Act 1998 s115", "Care Act 2014"]}],
    ),
    (
        "legislation-forty-misheard-and-no-duplicate",
        OPEN + "told him there is a section for to seven strategy meeting, and that a section forty two "
        "enquiry may follow under the Care Act for the grandmother.",
        [{"legislation": ["Children Act 1989 s47", "Care Act 2014 s42"]}],
    ),
    (
        "lawful-basis-plain-and-misheard",
        OPEN + "told him Lottie had collapsed. Lawful basis vital in trusts, there was no time.",
        [{"lawful_basis": ["vital_interests"]}],
    ),
    (
        "lawful-basis-consent-said-short",
        OPEN + "sent him the care plan. Lottie's mum signed the form, lawful basis consent.",
        [{"lawful_basis": ["consent"]}],
    ),
    (
        "family-will-be-told",
        OPEN + "told him Lottie fainted. Her gran is to be told this evening what I passed on.",
        [{"family_informed": True}],
    ),
    (
        "family-will-let-her-know",
        OPEN + "told him Lottie fainted. Couldn't get hold of mum, I'll let her know in the morning.",
        [{"family_informed": True}],
    ),
    (
        "family-not-to-be-told",
        OPEN
        + "told him about the police visit. Dad is not to be told while police are still looking into it.",
        [{"family_informed": False}],
    ),
    (
        "family-wanting-to-know-is-not-telling",
        OPEN + "told him about the absence. Then mum rang wanting to know what the nurse had said and I said "
        "I'd ring her back.",
        [{"family_informed": None}, {"family_informed": None}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [(t, e) for _, t, e in CODED], ids=[c[0] for c in CODED])
def test_coded_fields_as_written(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    assert _check(extractor, text, expect) == []


@pytest.mark.parametrize(("text", "expect"), [(t, e) for _, t, e in CODED], ids=[c[0] for c in CODED])
def test_coded_fields_lower_case(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    assert _check(extractor, asr_variant(text), expect) == []
