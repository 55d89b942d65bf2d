"""Segmentation and kind: terse and formal notes, subject-less refusals, who asked, passive decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor
from speakcase.pipelines.extract.scoring import asr_variant
from tests.test_extract import _misses

RECORDED = datetime(2026, 6, 9, 15, 40)


def _check(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> list[str]:
    return _misses(extractor, {"recorded_at": RECORDED.isoformat(), "expect": expect}, text)


# Read the same as written and as an ASR transcript.
BOTH: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "told-me-without-a-subject-is-received",
        "Mr Cyril Dandy, sixty one. Call at 10.20 from his GP, Dr Priya Lall, Hollin Lane Practice. "
        "Told me Cyril has missed three insulin reviews and his daughter has stopped visiting.",
        [{"kind": "received"}],
    ),
    (
        "subject-told-us-before-our-call-is-not-what-we-received",
        "Kai Brennan, fifteen. Kai told me on Monday he is sleeping on a friend's floor and said I could "
        "let college know. At two I rang Lois Hart, student support officer at Westgate College, and told "
        "her Kai has no fixed address at the moment, so they can sort his bursary.",
        [{"kind": "shared", "counterpart.name": "Lois Hart"}],
    ),
    (
        "their-modal-refusal-not-a-withholding-of-ours",
        "Mrs Alma Ruddock, eighty. I rang Dr Simon Hale, her GP at Crane Street Surgery, asking for her "
        "recent blood results. He refused, saying the practice needs her signed consent. I explained the "
        "enquiry but he still couldn't share them on the phone.",
        [{"kind": "refused", "counterpart.name": "Simon Hale"}],
    ),
]

# Formal register: "the writer" is the practitioner.
BOTH += [
    (
        "the-writer-sent",
        "Note for Ava Pryor, aged six. On the 3rd the writer sent the children's guardian, Helen Moss, "
        "a copy of the child protection plan, because the court directed it.",
        [{"kind": "shared"}],
    ),
    (
        "the-writer-considered-whether-to-tell-and-a-passive-decision",
        "Note for Leon Fry, aged ten. The writer considered whether to tell Leon's football coach, "
        "Mr Dale Vickers, that Leon's father is in prison. After discussion with the team manager the "
        "decision was made not to share, as it is not needed for football.",
        [{"kind": "withheld"}],
    ),
    (
        "have-not-given-after-their-request",
        "Re Ruby Lane, aged four. This afternoon dad's solicitor, Omar Reed of Reed and Co, emailed "
        "wanting the nursery's address. I've not given him any of it, as dad is not allowed contact.",
        [{"kind": "withheld"}],
    ),
    (
        "rang-his-care-coordinator-is-a-professional",
        "Note for Dean Pratt, fifty. At nine his landlord, Sue Cobb, rang me and said the flat smells of "
        "gas and he has not answered his door for three days. Then at ten I rang his care coordinator at "
        "the mental health team, a nurse called Tom Kaye, and passed on what the landlord told me so they "
        "can visit today.",
        [{"kind": "received"}, {"kind": "shared"}],
    ),
    (
        "telling-them-where-to-go-after-a-refusal-is-no-new-record",
        "Note for Kofi Mensah, aged nine. At two his aunt's friend, Dee Hall, rang asking where Kofi is "
        "placed. I did not share that, the placement is confidential. I told her she could write to the "
        "team if she wants to send a card.",
        [{"kind": "withheld"}],
    ),
]

# One conversation, two decisions: what they gave us, then what we told them; what we told, then what we
# would not go into.
BOTH += [
    (
        "received-then-told-him-on-the-same-call",
        "Out of hours. At ten last night PC Nadia Ford from Westmoor Police rang about Jay Lowe, thirteen, "
        "found in a car with two older men. PC Ford gave me the car's registration. Then at half ten I told "
        "her Jay is on a child protection plan and has a social worker, so police could plan a safe place.",
        [{"kind": "received"}, {"kind": "shared"}],
    ),
    (
        "told-then-did-not-go-into",
        "Adults team, Mr Brian Cole. At eleven I spoke to Amy Rhodes, the income officer at Northgate Homes. "
        "With Brian's agreement I told her he has been in hospital for a month, so they can pause the "
        "arrears action. She then asked what his diagnosis is and I didn't go into that, Brian asked me not "
        "to.",
        [{"kind": "shared"}, {"kind": "withheld"}],
    ),
]

# Everyday phrasings of a call and of telling.
BOTH += [
    (
        "had-a-word-with-and-filled-her-in",
        "Note for Isla Kemp, six. At nine this morning I had a word with Mrs Dana Ross, the deputy head at "
        "Elm Lane Primary, and filled her in that Isla is staying with her aunt for a few weeks, so the "
        "school knows who will collect her.",
        [{"kind": "shared", "counterpart.name": "Dana Ross"}],
    ),
    (
        "got-hold-of-then-updated-a-new-person",
        "Two for Finn Hale, three. At ten I got hold of Rae Dunn, his health visitor at Mossley Clinic, and "
        "told her Finn now lives with his grandad, so she can visit there. Then at two I updated the manager "
        "at Little Acorns Nursery, Jo Platt, that grandad will collect Finn from now on.",
        [{"kind": "shared"}, {"kind": "shared"}],
    ),
    (
        "rang-anyway-opens-nothing",
        "Note for Cara Webb, fifteen. At noon I rang Dr Neil Frost, her psychologist at Hartley CAMHS, and "
        "asked whether Cara has talked about self-harm. He refused, saying she is competent to decide. Cara "
        "told me last week she did not want me ringing them, but I rang anyway because of the risk.",
        [{"kind": "refused"}],
    ),
]

BOTH += [
    (
        "time-then-shared-with-a-titled-person",
        "Re Mr Alan Pike, seventy. At ten I rang Dr Ruth Amis, his GP at Bell Street Surgery, and told her "
        "Alan has lost a stone since June, so she can review him. Quarter past three shared with Ms Jo "
        "Reyes, his advocate at Speak Out, the police update about the theft, so she can support Alan at "
        "interview.",
        [{"kind": "shared"}, {"kind": "shared"}],
    ),
]

BOTH += [
    (
        "told-the-meeting-by-another-agency-is-received",
        "Core group, Monday. Noah Swift, five. The school nurse, Kay Bright, Dunmore School Nursing, told "
        "the meeting that Noah has had four untreated ear infections since September.",
        [{"kind": "received"}],
    ),
    (
        "we-told-the-panel-is-shared",
        "Leo Marsh, aged two. At nine I attended the MARAC and told the panel that dad has moved back in "
        "with mum, so the panel can review the safety plan.",
        [{"kind": "shared"}],
    ),
]

BOTH += [
    (
        "texting-the-parent-that-it-was-done-is-no-record",
        "Note for Ruby Stone, seven. With mum's blessing I rang Mr Ian Pole, the head at Hillside Primary, "
        "and told him Ruby and mum are in a hostel for now, so the school can be flexible about lateness. "
        "I messaged Gemma afterwards to let her know it was done.",
        [{"kind": "shared", "counterpart.name": "Ian Pole"}],
    ),
]

BOTH += [
    (
        "a-named-manager-refused-to-confirm-our-question",
        "Note for Poppy Hart, eight. I have just come off the phone with the manager at Safe Haven Refuge, "
        "who gave her name as Bernie. I asked her to confirm whether Poppy and her mum are staying there. "
        "Bernie refused to confirm or deny it, as their policy protects every resident.",
        [{"kind": "refused"}],
    ),
    (
        "a-contact-inside-what-was-told-opens-nothing",
        "Out of hours. Maya Reid, fourteen. At eleven tonight I phoned the crisis team at Dale CAMHS and "
        "spoke to the duty nurse, Ola Benn, and told her that Maya texted a friend saying she had taken "
        "tablets, so they can send someone to assess her tonight.",
        [{"kind": "shared"}],
    ),
    (
        "their-call-then-she-said-is-received",
        "Note for Zac Hume, sixteen. At ten this morning his YOT worker at Brant Youth Justice, Lou Parr, "
        "phoned. She said Zac has been sleeping in his car since his mum's partner threw him out.",
        [{"kind": "received"}],
    ),
]

BOTH += [
    (
        "a-timed-sentence-straight-after-the-call-continues-it",
        "Note for Amy Cross, nine. I rang Hillside Primary at ten. At 10.05 spoke to the head, Mrs Jane "
        "Gill, and told her Amy is now living with her nan, so school know who collects her.",
        [{"kind": "shared"}],
    ),
]

BOTH += [
    (
        "reassuring-mum-it-will-not-be-shared-further-is-no-withholding",
        "Note for Lily Ford, eight. At ten I rang Mrs Kay Dunn, the DSL at Brook Primary, and told her Lily "
        "has a new child protection plan, so school can monitor her. I reassured mum that the detail would "
        "not be shared with other parents.",
        [{"kind": "shared"}],
    ),
]

# Sentence shapes that only the written form shows (a subject-less sentence start).
WRITTEN: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "told-then-a-subject-less-didnt-tell-him-about",
        "Note for Nia Cole, seven. Mr Owen Lake, her GP at Vale Surgery, rang at eleven asking about the "
        "plan. I told him Nia is on a child in need plan, so he can watch her weight. Didn't tell him about "
        "dad's court case, it isn't needed.",
        [
            {"kind": "shared", "counterpart.name": "Owen Lake"},
            {"kind": "withheld", "counterpart.name": "Owen Lake"},
        ],
    ),
    (
        "bare-refused-after-our-request",
        "Mr Oswin Tate, seventy. Monday, rang Dalesway Credit Union, spoke loans officer Harriet Vane. "
        "Asked whether Oswin has taken out new loans since July. Refused. Said they only discuss accounts "
        "with the member.",
        [{"kind": "refused", "counterpart.name": "Harriet Vane"}],
    ),
    (
        "bare-declined-after-their-request",
        "Ms Juno Pell, thirty. Quarter past two, PC Aaron Stokes, Harbour Police, rang asking for her "
        "discharge plan. Declined on the call. Juno has capacity and does not want police involved.",
        [{"kind": "withheld", "counterpart.name": "Aaron Stokes"}],
    ),
    (
        "rang-back-and-said-no-after-their-request",
        "Re Ollie Brand, thirteen. This morning a reporter, Nina Sole, at the Valley Gazette emailed asking "
        "whether Ollie is in care. I checked with the press office, then I rang her back and said no.",
        [{"kind": "withheld", "counterpart.name": "Nina Sole"}],
    ),
    (
        "didnt-confirm-or-deny",
        "Ward 2. Last night a man rang saying he was DC Hugh Trent, asking whether Mia Cole is a patient. "
        "Didn't confirm or deny. Told him to ring via the switchboard.",
        [{"kind": "withheld", "counterpart.name": "Hugh Trent"}],
    ),
    (
        "not-sending-without-a-subject",
        "Mr Ned Vale. Their care manager, Ruth Amos, Westshire Council, emailed on Monday for our whole "
        "file. Not sending the whole file, most of it is about his brother.",
        [{"kind": "withheld", "counterpart.name": "Ruth Amos"}],
    ),
    (
        "passive-decision-not-to-share",
        "Note for Rosa Finch, aged nine. On Monday the housing officer at Glenby Council, Mr Paul Irwin, "
        "emailed asking whether Rosa is open to social care. After discussion with my manager the decision "
        "was made not to share, as the request is about rent arrears.",
        [{"kind": "withheld", "counterpart.name": "Paul Irwin"}],
    ),
    (
        "named-person-declined-our-request",
        "Note for Jack Orme, aged seven. I telephoned Wexley Council children's services and spoke to the "
        "team manager, Joan Pask, to request the last assessment. Ms Pask declined to send it, stating a "
        "written request is needed.",
        [{"kind": "refused", "counterpart.name": "Joan Pask"}],
    ),
    (
        "asking-permission-of-the-subject-is-not-a-refusal",
        "Mrs Edna Mole, eighty four. Edna told me her grandson takes her pension. I asked if I could pass "
        "it on and she said no, but she is at risk so I have passed it on anyway. At three I spoke to "
        "Colin Rusk, the duty practitioner at Fenby adult social care, so they can consider an enquiry.",
        [{"kind": "shared", "counterpart.name": "Colin Rusk"}],
    ),
    (
        "terse-calls-each-opened-by-a-time",
        "Two calls re Mr Idris Penn, sixty two. Half nine rang Brookvale Housing, spoke tenancy officer "
        "Maud Ferris. Asked whether his rent account is in arrears. She wouldn't say without his consent. "
        "Twenty to three spoke his GP, Dr Colm Reade, Ashby Health Centre. Shared that Idris has stopped "
        "eating, so the GP can review him this week.",
        [
            {"kind": "refused", "counterpart.name": "Maud Ferris", "occurred_at": "2026-06-09T09:30"},
            {"kind": "shared", "counterpart.name": "Colm Reade", "occurred_at": "2026-06-09T14:40"},
        ],
    ),
    (
        "their-call-closing-its-clause-then-a-subject-less-share",
        "Two today for Mrs Joan Abbot, eighty eight. Ten past nine, community nurse Lyn Crowe, Eastvale "
        "Nursing, rang. Joan has an ulcer on her heel and has not been eating. Midday shared with Dr Anil "
        "Bose, consultant at Eastvale General. Passed on the nurse's findings so he can consider admission.",
        [
            {"kind": "received", "counterpart.name": "Lyn Crowe", "occurred_at": "2026-06-09T09:10"},
            {"kind": "shared", "counterpart.name": "Anil Bose", "occurred_at": "2026-06-09T12:00"},
        ],
    ),
]


# Wording coverage: sharing, refusing and withholding verbs with their particles, and lay background.
BOTH += [
    (
        "flagged-up-with-her-that-is-a-telling",
        "Note for Toby Marsh, nine. At half two I spoke to Grace Ode, school nurse at Linden Academy. I "
        "flagged up with her that Toby has lost a lot of weight since Easter, so she can weigh him weekly.",
        [
            {
                "kind": "shared",
                "counterpart.name": "Grace Ode",
                "information": "Toby has lost a lot of weight since Easter",
            }
        ],
    ),
    (
        "made-him-aware-is-a-telling",
        "Jodie Parr, twenty two. Rang PC Dev Kaur at Eastfield Police at eleven and made him aware that "
        "Jodie's ex-partner has been seen outside her flat again, so patrols can drive past at night.",
        [{"kind": "shared", "information": "Jodie's ex-partner has been seen outside her flat again"}],
    ),
    (
        "brought-up-to-speed-on-is-a-telling",
        "Re Nell Ashby, seven. This afternoon I phoned Ravi Sood, her key worker at Brightside Nursery, and "
        "brought him up to speed on the court hearing being moved to March, so he can plan her handover.",
        [{"kind": "shared", "information": "the court hearing being moved to March"}],
    ),
    (
        "knocked-back-my-request-is-their-refusal",
        "Note for Finn Oakes, eleven. At nine I phoned Harlow Dental Practice and asked for the dates of "
        "Finn's last check-ups. Meg Tate, the practice manager, knocked back my request.",
        [{"kind": "refused"}],
    ),
    (
        "request-turned-down-said-without-who",
        "Note for Ivy Lark, three. At ten I rang Westmoor Nursery and asked whether Ivy's dad still collects "
        "her. My request was turned down by the office.",
        [{"kind": "refused"}],
    ),
    (
        "held-back-is-our-withholding",
        "Rosa Diaz, nineteen. At four Carl Webb from Ashby Lettings rang asking for Rosa's new address. I "
        "held back the address, as she has moved to get away from her ex.",
        [{"kind": "withheld"}],
    ),
    (
        "kept-quiet-about-is-our-withholding",
        "Note for Leo Banks, twelve. The football club coach, Sam Pike, phoned me at six wanting to know why "
        "Leo is in foster care. I kept quiet about the reasons, since that is Leo's private history.",
        [{"kind": "withheld"}],
    ),
    (
        "a-neighbours-call-to-the-police-is-background",
        "Note for Alfie Grant, four. Background: on Saturday a neighbour phoned the police after hearing "
        "shouting at the flat. This morning at ten I rang Beth Cole, health visitor, and told her that Alfie "
        "has missed his last two checks, so she can visit this week.",
        [{"kind": "shared", "counterpart.name": "Beth Cole"}],
    ),
]


# A statement about every call at once reaches every record.
BOTH += [
    (
        "consent-to-both-disclosures-reaches-both-records",
        "Note for Ruby Vance, five. At nine I rang Tom Hale, the DSL at Oakfield Primary, and told him that "
        "Ruby's mum was taken to hospital overnight, so school can support Ruby today. At eleven I phoned "
        "Priya Nair, the health visitor, and told her the same, so she can visit the baby at home. Mum "
        "consented to both disclosures.",
        [{"kind": "shared", "consent.status": "obtained"}, {"kind": "shared", "consent.status": "obtained"}],
    ),
    (
        "not-told-about-either-call-reaches-both-records",
        "Re Jonah Pell, thirteen. At two I spoke to Sgt Ria Hume at Corby Road Police and told her Jonah was "
        "seen with two older men near the station, so she can brief the patrols. At four I emailed Dan Ives, "
        "his head of year at Millfield School, and told him the same, so staff can watch the gates. Dad "
        "hasn't been told about either call yet.",
        [{"kind": "shared", "family_informed": False}, {"kind": "shared", "family_informed": False}],
    ),
]


# A terse call closing its clause, then the subject's own clause: unpunctuated it still reads as theirs.
BOTH += [
    (
        "terse-their-call-then-the-subjects-clause",
        "Three for Mrs Alma Reyes, eighty, lives alone. Ten past two, community matron Joy Hart, Brookside "
        "Health, rang. Alma has fallen twice this week and her son has stopped the carers coming in.",
        [{"kind": "received"}],
    ),
]


BOTH += [
    (
        "decision-made-not-to-share-is-our-withholding",
        "Note for Cara Lund, nine. At three Joe Marr, the manager at Hilltop Leisure Centre, rang asking for "
        "Cara's foster carers' address. After speaking to my manager the decision was made not to share the "
        "address, as Cara's birth father must not find her.",
        [{"kind": "withheld"}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in BOTH], ids=[c[0] for c in BOTH])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_kind_both_variants(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    assert _check(extractor, variant(text), expect) == []


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in WRITTEN], ids=[c[0] for c in WRITTEN])
def test_kind_as_written(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    assert _check(extractor, text, expect) == []


# The same refusals and withholdings read from an ASR transcript: the kind must hold (names are
# another matter without capitals).
WRITTEN += [
    (
        "their-call-got-in-touch-closing-its-clause",
        "Note for Kyle Dunn, fifteen. At ten his youth worker at Southgate Youth Service, Ria Bell, got in "
        "touch by phone. She said Kyle has been sleeping in a stairwell since his stepdad threw him out.",
        [{"kind": "received"}],
    ),
]
ASR_KIND = [c for c in WRITTEN if not c[0].startswith(("terse", "their-call", "told-then-a-subject-less"))]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in ASR_KIND], ids=[c[0] for c in ASR_KIND])
def test_kind_read_from_asr(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    kinds = [{"kind": e["kind"]} for e in expect]
    assert _check(extractor, asr_variant(text), kinds) == []
