"""Segmentation by sharing decision: several decisions in one conversation, follow-ups that record nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor
from speakcase.pipelines.extract.scoring import asr_variant
from tests.test_extract import _misses

RECORDED = datetime(2026, 6, 9, 15, 40)  # a Tuesday afternoon


def _check(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> list[str]:
    return _misses(extractor, {"recorded_at": RECORDED.isoformat(), "expect": expect}, text)


# Each case holds both variants: as written and as an ASR transcript (lower case, no punctuation).
BOTH: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "shared-then-asked-and-withheld",
        "Note for Tomasz Zielinski, eleven. At ten I spoke to Gwen Archer, the attendance officer at "
        "Brookfield Academy, and shared that Tomasz is living with his gran for now, so the school can "
        "update its contacts. She also asked about dad's prison sentence. I didn't share that, it isn't "
        "needed for attendance.",
        [
            {"kind": "shared", "counterpart.name": "Gwen Archer", "occurred_at": "2026-06-09T10:00"},
            {"kind": "withheld", "counterpart.name": "Gwen Archer", "occurred_at": "2026-06-09T10:00"},
        ],
    ),
    (
        "shared-then-new-counterpart-by-share-verb",
        "Re Maisie Quill, aged six. At nine this morning Dr Farah Malik at Oakway Surgery rang and told me "
        "Maisie has a bruise on her cheek that mum could not explain. At about eleven I passed the GP's "
        "concern on to PC Liam Forde at Westmere Police, so they can join the strategy discussion.",
        [
            {"kind": "received", "counterpart.name": "Farah Malik", "occurred_at": "2026-06-09T09:00"},
            {"kind": "shared", "counterpart.name": "Liam Forde", "occurred_at": "2026-06-09T11:00"},
        ],
    ),
    (
        "request-from-a-new-person-refused",
        "Subject is Mrs Ilse Brandt, seventy-two. At half ten I rang Owen Pike, the duty worker at "
        "Fenbury Adult Social Care, and shared that Ilse has unexplained bruising, so a section 42 "
        "enquiry can start. Then at two her son's solicitor, Rhona Cole, from Cole and Partners, asked "
        "me for the safeguarding notes, and I refused to give them as the enquiry is open.",
        [
            {"kind": "shared", "counterpart.name": "Owen Pike", "subject": "Ilse Brandt"},
            {"kind": "withheld", "counterpart.name": "Rhona Cole", "occurred_at": "2026-06-09T14:00"},
        ],
    ),
    (
        "withheld-then-shared-same-call",
        "Quick one. At eleven Ms Nadia Rowe, head of year at Kingsmead School, asked me why Ellis "
        "Grant's family are known to us. I decided not to share the detail of dad's drinking, school "
        "doesn't need it. I did share that Ellis is on a child in need plan, which mum agreed to.",
        [
            {"kind": "withheld", "counterpart.name": "Nadia Rowe", "occurred_at": "2026-06-09T11:00"},
            {"kind": "shared", "counterpart.name": "Nadia Rowe", "occurred_at": "2026-06-09T11:00"},
        ],
    ),
    (
        "shared-then-rang-back-with-news",
        "Baby Noah Finch, five weeks. At one I spoke to the midwife, Carys Lloyd, at Vale Maternity and "
        "shared that mum has stopped taking her medication, so she can visit sooner. She rang me back at "
        "about three and told me Noah missed his newborn hearing check.",
        [
            {"kind": "shared", "counterpart.name": "Carys Lloyd", "occurred_at": "2026-06-09T13:00"},
            {"kind": "received", "counterpart.name": "Carys Lloyd", "occurred_at": "2026-06-09T15:00"},
        ],
    ),
    (
        "shared-then-named-counterpart-tells",
        "Note for Ayla Demir, aged eight. On Monday I met with Gareth Moss, the family support worker at "
        "Linden Children's Centre, and shared that Ayla's dad has moved back in. Gareth told me Ayla has "
        "been arriving at the centre hungry, which he passed on because he is worried about neglect.",
        [
            {"kind": "shared", "counterpart.name": "Gareth Moss", "occurred_at": "2026-06-08"},
            {"kind": "received", "counterpart.name": "Gareth Moss", "occurred_at": "2026-06-08"},
        ],
    ),
    (
        "titled-subject-at-the-opening-and-this-is",
        "Adult safeguarding, Mr Stanley Hurst. On Monday I rang Greyfield Homes and spoke with the housing "
        "officer, Nina Ford, and shared that Mr Hurst's neighbour is taking his money, so they can check "
        "on him.",
        [{"subject": "Stanley Hurst", "counterpart.name": "Nina Ford"}],
    ),
    (
        "this-is-a-titled-subject",
        "So this is Mrs Wendy Crale, sixty-seven. At ten I spoke to Omar Pitt, the duty worker at Denham "
        "Adult Social Care, and shared that Mrs Crale has been left without food by her carer.",
        [{"subject": "Wendy Crale", "counterpart.name": "Omar Pitt", "kind": "shared"}],
    ),
    (
        "others-attending-is-no-new-event-and-a-name-said-twice",
        "Note for Leo Marsh, aged five. DC Ravi Nair from Kestrel Police phoned yesterday at 15:20 to "
        "pass on that officers attended the home on Saturday after a neighbour called them. At ten today "
        "I rang Cole County Council Children's Services and asked the team manager, um, Helen, Helen "
        "Ward, for their last assessment. She said no, not without a formal request.",
        [
            {"kind": "received", "counterpart.name": "Ravi Nair", "occurred_at": "2026-06-08T15:20"},
            {"kind": "refused", "counterpart.name": "Helen Ward", "counterpart.agency": "social_care"},
        ],
    ),
    (
        "restated-reason-is-no-new-decision",
        "Note for Jodie Marsh, fifteen. At noon Kerry Blake, the school nurse at Hatton High, rang and told "
        "me Jodie disclosed cutting. She told me because she thinks Jodie needs CAMHS. Then she told me "
        "Jodie's friend knows too.",
        [{"kind": "received", "counterpart.name": "Kerry Blake"}],
    ),
    (
        "asr-subject-described-before-age-is-not-called",
        "Dale Ferris, care leaver, eighteen. On Friday Ms Jo Kemp, a work coach at Brill Street Jobcentre "
        "Plus, rang asking for Dale's medical history. I phoned Dale after and he said no. So I didn't "
        "share it, he doesn't consent and there's no risk that would override that.",
        [{"kind": "withheld", "counterpart.name": "Jo Kemp", "subject": "Dale Ferris"}],
    ),
]

# Only as written: the decision is marked by the writer's capitals or sentence breaks.
WRITTEN: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "call-to-the-subject-and-call-back-are-no-records",
        "Callum Reyes, care leaver, twenty. Yesterday Paul Dent, a housing officer at Marsh Lane Housing, "
        "rang asking for Callum's offending history. I phoned Callum straight after and he said no. So I "
        "didn't share it, Callum doesn't consent and there is no risk to anyone. I rang Mr Dent back and "
        "told him, and I've let Callum know nothing was passed on.",
        [{"kind": "withheld", "counterpart.name": "Paul Dent", "subject": "Callum Reyes"}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in BOTH], ids=[c[0] for c in BOTH])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_one_record_per_sharing_decision(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    assert _check(extractor, variant(text), expect) == []


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in WRITTEN], ids=[c[0] for c in WRITTEN])
def test_one_record_per_sharing_decision_as_written(
    extractor: Extractor, text: str, expect: list[dict[str, Any]]
) -> None:
    assert _check(extractor, text, expect) == []


CARRIED: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "clock-after-an-earlier-day-stays-on-that-day",
        "Note for Mr Alan Voss, seventy-nine. Yesterday at about two I rang Hillside Pharmacy and asked "
        "the pharmacist, Dev Shah, whether Mr Voss had collected his tablets. He declined, he said he "
        "needs Mr Voss's permission. Then at about five Lorna Best, a housing officer at Granby Homes, "
        "rang me and told me Mr Voss's flat has had no heating for a week.",
        [
            {"kind": "refused", "occurred_at": "2026-06-08T14:00"},
            {"kind": "received", "occurred_at": "2026-06-08T17:00", "counterpart.name": "Lorna Best"},
        ],
    ),
    (
        "building-society-is-other",
        "Adult note, Mrs Edna Pole, ninety. At eleven I rang Northgate Building Society and asked the branch "
        "manager, Ms Ruth Kane, whether there had been large withdrawals. She refused, she said only Mrs "
        "Pole can ask.",
        [{"kind": "refused", "counterpart.agency": "other", "counterpart.name": "Ruth Kane"}],
    ),
    (
        "council-department-and-a-subject-clause-inside-the-counterpart",
        "Note regarding Mrs Iris Dale, eighty. Then at about ten Yusuf Amin, a social worker at Tamworth "
        "Borough Council Adult Social Care, where Mrs Dale lived before, rang me and told me they closed a "
        "concern about her daughter last year.",
        [
            {
                "kind": "received",
                "counterpart.name": "Yusuf Amin",
                "counterpart.organisation": "Tamworth Borough Council Adult Social Care",
                "counterpart.agency": "social_care",
            }
        ],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in CARRIED], ids=[c[0] for c in CARRIED])
def test_times_and_agencies_across_decisions(
    extractor: Extractor, text: str, expect: list[dict[str, Any]]
) -> None:
    assert _check(extractor, text, expect) == []


# A speech recogniser's "ran" for "rang": a contact before a person, a title, a service, me/back/asking;
# never "ran away", "ran off", "ran out".
MISHEARD_RANG: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "ran-before-a-rank",
        "Note for Ellis Varga, twelve. At ten I ran Detective Constable Priya Nair at Dunmoor Police and "
        "told her Ellis ran away from his foster placement last night.",
        [{"kind": "shared", "counterpart.name": "Priya Nair", "counterpart.role": "Detective Constable"}],
    ),
    (
        "ran-asking-after-the-caller",
        "Note for Tilly Rowe, six. This morning PC Dan Frey from Hollin Police ran asking for Tilly's "
        "address and I gave it to him so officers could do a welfare check.",
        [{"kind": "shared", "counterpart.name": "Dan Frey", "counterpart.organisation": "Hollin Police"}],
    ),
    (
        "ran-away-and-ran-out-are-no-contact",
        "Note for Kit Amos, fifteen. Kit ran off after school and his phone ran out of charge. At four I "
        "phoned the school nurse, Bev Lowe, and told her Kit had not been home.",
        [{"kind": "shared", "counterpart.name": "Bev Lowe", "counterpart.role": "school nurse"}],
    ),
    (
        "a-parent-who-had-called-is-no-contact",
        "Note for Ben Tully, nineteen. At nine I phoned Rae Kerr, his care coordinator at the Westway "
        "Community Mental Health Team, and told her Ben's mother had called us saying he has stopped eating, "
        "so the team could visit him today.",
        [{"kind": "shared", "counterpart.name": "Rae Kerr"}],
    ),
]


@pytest.mark.parametrize(
    ("text", "expect"), [c[1:] for c in MISHEARD_RANG], ids=[c[0] for c in MISHEARD_RANG]
)
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_misheard_rang_and_reported_calls(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    assert _check(extractor, variant(text), expect) == []


def test_ran_me_back_is_a_new_conversation(extractor: Extractor) -> None:
    text = (
        "Note for Rosa Finch, four. At nine I emailed the health visitor, Amy Dove, and told her Rosa has "
        "missed two nursery sessions. Amy ran me back at three and told me Rosa's weight is now under the "
        "second centile."
    )
    records = extractor.extract(text, RECORDED)
    assert [r.counterpart.name for r in records] == ["Amy Dove", "Amy"]


def test_told_a_titled_person_not_met_before_opens_a_conversation(extractor: Extractor) -> None:
    text = (
        "Note for Alfie Rudd, seven. At nine Jo Penn, a social worker at Harland MASH, rang and told me "
        "dad's new partner has a conviction for violence. At noon I told Mr Okoro, head teacher at Elm Lane "
        "Primary, that Alfie is not to be collected by the partner, so school can keep him safe."
    )
    records = extractor.extract(text, RECORDED)
    assert [r.counterpart.name for r in records] == ["Jo Penn", "Okoro"]


def test_asked_a_named_professional_opens_a_conversation(extractor: Extractor) -> None:
    text = (
        "Re Maisie Hollis, three. On Monday I asked Ruth Vane, the practice manager at Corley Surgery, for "
        "Maisie's immunisation history, because we are worried about missed appointments. She refused, she "
        "said she needs dad's written consent."
    )
    records = extractor.extract(text, RECORDED)
    assert [(r.kind, r.counterpart.name) for r in records] == [("refused", "Ruth Vane")]


def test_telling_someone_already_met_opens_nothing(extractor: Extractor) -> None:
    text = (
        "Note for Cara Lind, eight. At ten Mrs Joan Abbot, the head teacher at Fell Primary, asked me "
        "whether "
        "Cara's dad is in prison. I decided not to share that, it is his information. I told Mrs Abbot we "
        "would pass on anything school needs to keep Cara safe."
    )
    assert len(extractor.extract(text, RECORDED)) == 1


def test_asked_a_named_person_whose_role_has_a_modifier(extractor: Extractor) -> None:
    text = (
        "Adult note, Mr Cyril Beck, eighty-two. Yesterday I asked Nina Holt, the sheltered housing scheme "
        "manager at Larch House, for the alarm call records for Mr Beck's flat, because he was found on the "
        "floor. Nina said no, she needs a written request first."
    )
    records = extractor.extract(text, RECORDED)
    assert [r.counterpart.name for r in records] == ["Nina Holt"]


def test_a_call_after_a_telling_is_its_own_conversation(extractor: Extractor) -> None:
    text = (
        "Note for Poppy Lane, six. At nine Sam Ure, the duty social worker at Corbridge MASH, rang with the "
        "police checks on mum's partner. At noon I told Mr Hale, head teacher at Ashby Infants, that Poppy "
        "is not to be collected by the partner. Then at four Poppy's dad, Neil Lane, rang wanting to know "
        "what the partner had done and I didn't tell him, it is not mine to pass on."
    )
    records = extractor.extract(text, RECORDED)
    assert [r.counterpart.name for r in records] == ["Sam Ure", "Hale", "Neil Lane"]
    assert records[2].counterpart.role == "dad"


def test_patient_with_a_title_in_the_opening_is_the_subject(extractor: Extractor) -> None:
    text = (
        "Discharge team, Bay 4, patient Mrs Ada Quinn. At ten I rang Pat Gould, the district nurse at "
        "Elmfield "
        "Health Centre, and told her Mrs Quinn goes home tomorrow with a pressure sore, so she can visit."
    )
    for variant in (str, asr_variant):
        records = extractor.extract(variant(text), RECORDED)
        assert [r.subject.lower() for r in records] == ["ada quinn"], variant


def test_letting_agent_is_housing(extractor: Extractor) -> None:
    text = (
        "Ward 3, patient Mr Alan Reed. At ten a lettings negotiator called Kim from Oakfield Lettings rang "
        "the ward asking when Alan would be discharged. I told Kim I couldn't share that."
    )
    cp = extractor.extract(text, RECORDED)[0].counterpart
    assert (cp.name, cp.role, cp.organisation, cp.agency) == (
        "Kim",
        "lettings negotiator",
        "Oakfield Lettings",
        "housing",
    )


def test_hyphenated_clock_time(extractor: Extractor) -> None:
    text = (
        "Note for Zac Orme, fifteen. So at eleven-forty I rang Jen Roe, the school nurse at Kirkby High "
        "School, and told her Zac has been self-harming, so she can offer him support."
    )
    assert extractor.extract(text, RECORDED)[0].occurred_at == "2026-06-09T11:40"


# A counterpart calling back with news is received; a counterpart saying no to our request is refused
# (a family member refusing consent is a consent status, not the kind).
CALL_BACKS_AND_REFUSALS: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "rang-me-back-and-told-me",
        "Note for Ellie Brandt, six. I asked Sunita Rao, the health visitor, whether Ellie had been seen and "
        "she rang me back at four and told me Ellie missed her last two checks.",
        [{"kind": "received", "counterpart.name": "Sunita Rao"}],
    ),
    (
        "ran-me-back-and-said",
        "Re Kofi Mensah, nine. Left a message for Gareth Lowe, the SENCO at Hillside Primary, at nine. "
        "Gareth ran me back at eleven and said Kofi has been falling asleep in class.",
        [{"kind": "received"}],
    ),
    (
        "gp-said-no",
        "Note for Priya Shah, fourteen. At ten I asked the GP for Priya's medication history. Dr Okafor "
        "said no, she wants the request in writing first.",
        [{"kind": "refused"}],
    ),
    (
        "mum-refused-consent-and-doctor-said-no",
        "Note for Mia Cole, eight. Mum refused consent. At eleven I asked Dr Patel at the Riverside surgery "
        "for Mia's records and Dr Patel said no.",
        [{"kind": "refused", "consent.status": "refused"}],
    ),
]


@pytest.mark.parametrize(
    ("text", "expect"),
    [c[1:] for c in CALL_BACKS_AND_REFUSALS],
    ids=[c[0] for c in CALL_BACKS_AND_REFUSALS],
)
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_call_backs_are_received_and_declines_are_refused(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    assert _check(extractor, variant(text), expect) == []
