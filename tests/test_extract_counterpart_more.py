"""Counterpart and time: roles said in other ways, new kinds of organisation, pronouns, bare clock hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor
from speakcase.pipelines.extract.scoring import asr_variant
from tests.test_extract import _misses

RECORDED = datetime(2026, 6, 9, 17, 20)  # a Tuesday, late afternoon


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
        [
            {
                "counterpart.name": "Paul Quist",
                "counterpart.role": "scheme manager",
                "counterpart.agency": "housing",
            }
        ],
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
        "Re Milo Hart, eight. At ten past nine spoke Sergeant Dawn Pellow, Marsh Vale Police, shared "
        "that Milo was found alone at the park last night, so officers can check the flat.",
        [{"counterpart.name": "Dawn Pellow", "counterpart.organisation": "Marsh Vale Police"}],
    ),
    (
        "name-run-into-organisation-after-role",
        "Re Edna Rolfe, ninety. Her social worker Colm Brady, Eastfield County Council, emailed this morning "
        "asking for the care plan. Sent it with Edna's consent.",
        [{"counterpart.name": "Colm Brady", "counterpart.organisation": "Eastfield County Council"}],
    ),
    (
        "time-about-hour-without-at",
        "Re Leon Voss, twelve. About three I rang Jan Hale, the head of year at Brook Lane School, and "
        "shared that Leon is staying with his aunt this week, so school know who collects him.",
        [{"occurred_at": "2026-06-09T15:00"}],
    ),
    (
        "time-told-after-the-call",
        "Re Ruby Anand, five. I rang PC Omar Dean at Fellside Police and told him what Ruby said about the "
        "man in the car, so they can trace him. That was at twenty to one this afternoon.",
        [{"counterpart.name": "Omar Dean", "occurred_at": "2026-06-09T12:40"}],
    ),
    (
        "time-tonight-evening-reading",
        "Re Zara Holt, fifteen. At about five tonight the ward sister at Eastmoor Hospital, Kath Ince, rang "
        "me and told me Zara had come in with an overdose.",
        [{"occurred_at": "2026-06-09T17:00"}],
    ),
    (
        "name-run-into-role-and-verb-forms-are-not-names",
        "Re Cara Pope, eleven. At nine I emailed Ruth Okafor, family court adviser at Cafcass, our "
        "chronology, as the court ordered.",
        [{"counterpart.name": "Ruth Okafor", "counterpart.agency": "legal"}],
    ),
    (
        "role-from-where-the-person-was-first-named",
        "Re baby Rae Lunn, nine weeks. I've just put the phone down on the midwife Petra at the Oakdene "
        "Clinic. Mum was fine with it, she was sat next to me the whole time, so I told Petra that mum has "
        "been very low since the birth, so Petra can visit this week.",
        [{"counterpart.name": "Petra", "counterpart.role": "midwife", "counterpart.agency": "health"}],
    ),
    (
        "pronoun-call-back-names-the-person-left-a-message",
        "Re Nia Cobb, four. This morning I left a message for Dr Owen Tapp at Fernside Surgery about Nia's "
        "missed checks. He rang me back at two and confirmed Nia has missed her last three appointments.",
        [{"kind": "received", "counterpart.name": "Owen Tapp", "occurred_at": "2026-06-09T14:00"}],
    ),
    (
        "pronoun-in-the-same-event-names-the-caller",
        "Note for Eli Shaw, ten. This was a call after lunch from Gail Rusk, a tenancy officer at Northgate "
        "Homes. She wanted to know whether mum has been in hospital. I didn't tell her, "
        "mum has asked us not to.",
        [{"kind": "withheld", "counterpart.name": "Gail Rusk", "counterpart.agency": "housing"}],
    ),
    (
        "organisation-said-with-the-person-beats-an-earlier-one",
        "Re Jude Lake, nine. At ten the head of year at his old school, Mrs Ann Pryor from Elmfield Academy, "
        "rang asking where Jude has moved to. I didn't tell her, dad could find the family.",
        [{"counterpart.name": "Ann Pryor", "counterpart.organisation": "Elmfield Academy"}],
    ),
    (
        "crisis-team-is-mental-health",
        "Re Mr Tom Abbot, forty. At eleven I rang Sara Holt, a nurse in the Riverside crisis team, and "
        "shared that Tom has stopped his medication, so they can visit today.",
        [{"counterpart.agency": "mental_health"}],
    ),
]

WRITTEN: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "call-back-without-subject-names-the-caller",
        "Re Mr Sid Varga, seventy. Monday, call from Anna Berg, solicitor at Kemp Rowe LLP, acting for his "
        "nephew. Wanted his care records. Checked with my manager, rang back and declined, Sid has said no.",
        [{"counterpart.name": "Anna Berg", "counterpart.agency": "legal"}],
    ),
    (
        "name-in-apposition-before-the-role",
        "Re Mr Ned Cole, seventy. Joan Paley, estates officer, Brightside Homes, rang. Ned's neighbours "
        "say he has not been out for days.",
        [{"counterpart.name": "Joan Paley", "counterpart.organisation": "Brightside Homes"}],
    ),
    (
        "corrected-name-wins",
        "Re Ivy Dale, six. At nine I rang Dr Paul Keane, no, sorry, it was Dr Paul Hesketh, her GP, and "
        "asked for Ivy's growth chart. He refused without mum's consent.",
        [{"counterpart.name": "Paul Hesketh"}],
    ),
    (
        "gave-her-name-as",
        "Re Leo Marsh, eight. I have just spoken to the manager at Safe Harbour Refuge, who gave her name as "
        "Fiona. I asked whether Leo and his mum are staying there. She would not confirm it.",
        [{"counterpart.name": "Fiona"}],
    ),
    (
        "common-words-before-police-are-not-an-organisation",
        "Re Ela Mann, four. At ten I rang Tess Hume, the health visitor. I told her that there were three "
        "police call-outs to the home last month, so she can visit sooner.",
        [{"counterpart.name": "Tess Hume", "counterpart.agency": "health"}],
    ),
    (
        "time-terse-note-opening-on-the-time",
        "Two for Mr Abel Quint, eighty. Ten forty, district nurse Sue Marsh, Hillcrest Community Nursing, "
        "rang. Abel has a leg ulcer and his son won't let the carers in.",
        [
            {
                "occurred_at": "2026-06-09T10:40",
                "counterpart.name": "Sue Marsh",
                "counterpart.agency": "health",
            }
        ],
    ),
    (
        "time-in-the-contact-sentence-beats-an-earlier-date",
        "Note for Kit Ward, nine. After the review on 2 June, which went badly, I rang Beth Lowe at Vale "
        "Primary School this morning at 9.50 and shared that Kit is now on a plan.",
        [{"occurred_at": "2026-06-09T09:50"}],
    ),
    (
        "time-corrected-day-of-month",
        "Re Ada Frost, seven. On the 3rd, no, sorry, the 4th, I rang Ian Pike at Moor Road Surgery and asked "
        "for Ada's immunisation record. He refused without mum's consent.",
        [{"occurred_at": "2026-06-04"}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in WRITTEN], ids=[c[0] for c in WRITTEN])
def test_counterpart_and_time_as_written(
    extractor: Extractor, text: str, expect: list[dict[str, Any]]
) -> None:
    assert _check(extractor, text, expect) == []


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in BOTH], ids=[c[0] for c in BOTH])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_counterpart_and_time(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    assert _check(extractor, variant(text), expect) == []


TIME_WORDING: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "time-coming-up-to-hour",
        "Note for Zac Hale, six. Coming up to three I rang Nia Rees at Oakmoor Primary School and told her "
        "that Zac has a new bruise on his cheek, so she can keep an eye on him.",
        [{"occurred_at": "2026-06-09T15:00"}],
    ),
    (
        "time-hour-ish-in-a-clause",
        "Re Mina Doyle, ten. Eleven-ish I phoned Rob Tate at Fenwick Surgery and passed on that Mina has lost "
        "weight, so the GP can review her.",
        [{"occurred_at": "2026-06-09T11:00"}],
    ),
    (
        "time-twenty-four-hour-speech",
        "Re Tom Keel, fifteen. At fifteen hundred hours DS Carl Pryce of Harbury Police rang and told me that "
        "Tom was found with a knife, so we can plan a strategy meeting.",
        [{"occurred_at": "2026-06-09T15:00"}],
    ),
    (
        "time-digits-in-spoken-offset",
        "Note for Lily Brand, four. At 25 past 2 I rang Jo Penn, the health visitor at Ashcroft Health Visiting "
        "Team, and shared that Lily missed her check.",
        [{"occurred_at": "2026-06-09T14:25"}],
    ),
    (
        "time-hyphenated-half-past",
        "Re Omar Fitch, nine. At half-past ten I rang Kay Lund at Ridgeway Academy and let her know Omar is "
        "staying with his aunt this week.",
        [{"occurred_at": "2026-06-09T10:30"}],
    ),
    (
        "time-correction-keeps-the-hour",
        "Re Ben Orr, seven. At twenty past three, sorry, no, twenty to, PC Gail Hoyle from Norbury Police rang "
        "and told me Ben's dad was arrested last night.",
        [{"occurred_at": "2026-06-09T14:40"}],
    ),
    (
        "time-vague-part-of-a-named-day",
        "Note for Ivy Sand, eight. Friday teatime, about quarter to six, I rang Pam Drew at Copse Lane Surgery "
        "and told her Ivy had been sick all week.",
        [{"occurred_at": "2026-06-05T17:45"}],
    ),
    (
        "time-vague-part-alone-is-today",
        "Re Eli Marr, three. Mid-afternoon I spoke to Sam Clegg at Brookside Nursery and shared that Eli is "
        "now on a child protection plan.",
        [{"occurred_at": "2026-06-09"}],
    ),
    (
        "time-minutes-ago",
        "Re Ada Kerr, eleven. Twenty minutes ago I rang Dev Shah at Millfield School and told him that Ada "
        "will be collected by her gran from now on.",
        [{"occurred_at": "2026-06-09T17:00"}],
    ),
    (
        "time-a-week-last-weekday",
        "Re Finn Lowe, twelve. A week last Thursday I rang Joy Amos at Hatch End Surgery and told her Finn "
        "had been self-harming.",
        [{"occurred_at": "2026-05-28"}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in TIME_WORDING], ids=[c[0] for c in TIME_WORDING])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_time_wording(extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any) -> None:
    assert _check(extractor, variant(text), expect) == []
