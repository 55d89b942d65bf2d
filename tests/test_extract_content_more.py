"""Content fields in forms the cue lists missed: reasons told after a refusal or a withholding with no
'said', purposes in other words, information with no 'told me', subjects after formal openings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor
from speakcase.pipelines.extract.scoring import asr_variant
from tests.test_extract import _misses

RECORDED = datetime(2026, 3, 12, 16, 20)


def _check(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> list[str]:
    return _misses(extractor, {"recorded_at": RECORDED.isoformat(), "expect": expect}, text)


# Both variants: as written and lower-cased without punctuation.
BOTH: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "refusal-reason-after-a-comma",
        "Note re Mr Alfie Roper, seventy. At ten I rang Lockwood Lettings and asked the agent, Priya Dhar, "
        "whether Alfie's nephew is named on the lease. She wouldn't tell me, needs Alfie's signed "
        "authority before she can talk about any tenancy.",
        [
            {
                "kind": "refused",
                "information": "whether Alfie's nephew is named on the lease",
                "reason": "needs Alfie's signed authority before she can talk about any tenancy",
            }
        ],
    ),
    (
        "refusal-reason-in-the-next-sentence",
        "Mrs Ruth Okafor, eighty one. This morning I rang Dr Sam Hale at Elmwood Surgery and asked for "
        "her last three blood test results. He wouldn't release them. Surgery rules require a written "
        "request from the safeguarding lead first.",
        [
            {
                "kind": "refused",
                "information": "her last three blood test results",
                "reason": "Surgery rules require a written request from the safeguarding lead first",
            }
        ],
    ),
]

BOTH += [
    (
        "their-purpose-as-a-gerund",
        "Note for Kezia Munro, nine. At eleven Mr Owen Tate, the learning mentor at Hillcrest Primary, rang "
        "and told me Kezia has been sleeping in class and says she looks after her baby brother at night. "
        "Ringing so we can look at whether mum needs more support at home.",
        [
            {
                "kind": "received",
                "information": "Kezia has been sleeping in class and says she looks after her baby "
                "brother at night",
                "reason": "so we can look at whether mum needs more support at home",
            }
        ],
    ),
    (
        "their-purpose-letting-us-know",
        "Re Bilal Qadir, fourteen. Sergeant Ruth Amos from Eastbrook Police rang me at nine. She "
        "told me Bilal "
        "was found in a car with two older men in the early hours. She was letting us know because she "
        "thinks he is being exploited.",
        [{"kind": "received", "reason": "she thinks he is being exploited"}],
    ),
]

BOTH += [
    (
        "asked-which-and-withheld",
        "Note for Corey Blake, aged nine. A man who said he was Corey's uncle, Dean Blake, rang the duty "
        "line at ten asking which foster home Corey is living in. I didn't tell him. The placement address "
        "is confidential and Corey's father is not allowed to know it.",
        [{"kind": "withheld", "information": "which foster home Corey is living in"}],
    ),
    (
        "rang-to-tell-her",
        "Re Daisy Pitt, four. At noon I rang Fiona Lake, the nursery manager at Little Acorns, to tell her "
        "Daisy's grandad must not collect her any more because of the court order.",
        [{"kind": "shared", "information": "Daisy's grandad must not collect her any more"}],
    ),
]

BOTH += [
    (
        "their-reason-ends-before-my-next-call",
        "note for aaron pike aged ten at nine the school nurse jo dale from hilltop primary rang me and told "
        "me aaron has lost a lot of weight this term she was letting me know because she has "
        "concerns about neglect then "
        "at about half past eleven i contacted his gp dr ben hall at moor lane surgery and shared the "
        "school's concerns so he can arrange a health check",
        [
            {"kind": "received", "reason": "she has concerns about neglect"},
            {"kind": "shared", "reason": "so he can arrange a health check"},
        ],
    ),
    (
        "considered-telling-then-decided-not-to",
        "Note on Layla Hart, fourteen. I thought about telling her form tutor at Brook High, Mrs Ann Rowe, "
        "that Layla's mum has been admitted to a psychiatric ward, because Layla has been upset in class. "
        "Layla asked me not to, and there is no safeguarding reason to override her, so today I decided "
        "not to share it.",
        [{"kind": "withheld", "information": "Layla's mum has been admitted to a psychiatric ward"}],
    ),
]

BOTH += [
    (
        "titled-subject-with-age-then-a-header",
        "Night duty. Mrs Ivy Crane, eighty three, dementia, lives with her son. At two this morning I spoke "
        "to PC Tom Hale, Marsh Police, and shared that she has been found outside in her nightdress twice "
        "this month, so officers know she may be vulnerable if found again.",
        [{"kind": "shared", "subject": "Ivy Crane"}],
    ),
    (
        "subject-opens-the-memo",
        "Mr Walter Grieve. Rang Castle Bank at ten and asked the fraud adviser, Nina Shah, whether there "
        "have been large transfers from his account this month. She wouldn't say, needs a power of attorney "
        "before she can discuss any account.",
        [{"kind": "refused", "subject": "Walter Grieve"}],
    ),
]

BOTH += [
    (
        "unnamed-neighbours-are-no-third-party",
        "Mr Ken Daly, sixty seven, self neglect. Anya Rice, tenancy officer at Vale Homes, rang "
        "me. Neighbours "
        "have reported a bad smell from Ken's flat and post piling up behind his door. She's letting us "
        "know as she thinks he needs a welfare visit.",
        [{"kind": "received", "third_party": False, "reason": "she thinks he needs a welfare visit"}],
    ),
]

BOTH += [
    (
        "i-wanted-her-to",
        "Home visit to the Okoro family today. At four I rang Jess Marr, the health visitor at Westfield "
        "Clinic, and told her baby Tobi Okoro has had a rash and a high temperature for three days. I "
        "wanted Jess to call in tomorrow. Mum was happy for me to ring her.",
        [{"kind": "shared", "reason": "I wanted Jess to call in tomorrow"}],
    ),
]

BOTH += [
    (
        "shared-that-with-no-i",
        "EDT note. Mrs Olive Tran, eighty eight, lives alone. At half past ten tonight I rang PC Sam Lowe at "
        "Dunmore Police. Shared that Olive has been leaving her gas hob on and the neighbours smelt gas "
        "twice this week.",
        [
            {
                "kind": "shared",
                "information": "Olive has been leaving her gas hob on and the neighbours smelt gas",
            }
        ],
    ),
]

WRITTEN: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "their-reason-stops-before-what-the-mother-was-told",
        "Note for Zac Rowe, aged thirteen. At 3pm the school nurse, Mrs Dee Hart of Lindon Academy, "
        "rang me and told me that Zac collapsed in PE after taking tablets a friend gave him. Mrs Hart "
        "advised that she was sharing this because of concerns about drug misuse, and that Zac's mother had "
        "been told by the school that we would be informed.",
        [{"kind": "received", "reason": "concerns about drug misuse"}],
    ),
    (
        "refusal-reason-after-stating",
        "Note for Kian Doyle, aged seven. At two I telephoned the Hollins Tenancy Team and asked the "
        "officer, Mr Ray Benn, whether Kian's father is still living at the flat. Mr Benn refused to "
        "confirm this, stating that tenancy records are released only to the police.",
        [{"kind": "refused", "reason": "tenancy records are released only to the police"}],
    ),
    (
        "recipient-told-between-commas",
        "Note for Jamal Reid, aged twelve. On Monday I emailed Tessa Grey, the family support worker at "
        "Northgate Family Hub, the summary of our last review and the school attendance figures, so that "
        "she can plan the group work.",
        [
            {
                "kind": "shared",
                "information": "the summary of our last review and the school attendance figures",
                "reason": "so that she can plan the group work",
            }
        ],
    ),
    (
        "purpose-opens-the-sentence",
        "Note on Megan Soto, sixteen. So that her college can make a safe timetable for her, I rang the "
        "student welfare officer, Omar Khan at Riverside College, this morning and told him that her "
        "ex-boyfriend has been waiting outside the gates. Megan agreed to it.",
        [{"kind": "shared", "reason": "So that her college can make a safe timetable for her"}],
    ),
    (
        "the-information-disclosed-was",
        "Adult safeguarding note: Mr Cyril Vane, aged eighty. At 2pm I made a referral to the Westmoor "
        "Fire Service and spoke to the prevention officer, Lucy Hart. The information disclosed was that "
        "Mr Vane smokes in bed and his smoke alarm has no battery. The purpose was to arrange a home "
        "fire safety visit.",
        [{"kind": "shared", "information": "Mr Vane smokes in bed and his smoke alarm has no battery"}],
    ),
    (
        "as-the-court-directed",
        "Court work for Ruby Marsh. At four I sent Ian Cole, the children's guardian at Cafcass, our "
        "contact notes and the viability assessment, as the judge ordered last week.",
        [
            {
                "kind": "shared",
                "information": "our contact notes and the viability assessment",
                "reason": "as the judge ordered last week",
            }
        ],
    ),
    (
        "the-purpose-of-the-referral-was",
        "Note for Finn Hardy, Year 8. At 11am I telephoned Redbank CAMHS and spoke to the duty worker, "
        "Asha Bell. I shared that Finn has been cutting his arms since half term. The purpose of "
        "the call was "
        "to get him seen by the crisis team this week.",
        [{"kind": "shared", "reason": "to get him seen by the crisis team this week"}],
    ),
    (
        "the-reason-she-rang-is-that",
        "Note for Ella Stone, who's four. Nurse Kim Vale at Parkway Clinic rang me at nine, and the reason "
        "she rang, she said so twice, is that a burn on a child's palm always needs a second look. What "
        "she told me was that Ella came in with a round burn on her hand that mum couldn't explain.",
        [
            {
                "kind": "received",
                "information": "Ella came in with a round burn on her hand that mum couldn't explain",
                "reason": "a burn on a child's palm always needs a second look",
            }
        ],
    ),
    (
        "said-no-then-reason-after-a-comma",
        "Re Tom Irwin, seventeen. I rang Dr Kay Ross at Hillside Practice and asked for his last two "
        "prescriptions. She said no, she can't release anything without Tom's own consent now he's over "
        "sixteen.",
        [
            {
                "kind": "refused",
                "reason": "she can't release anything without Tom's own consent now he's over sixteen",
            }
        ],
    ),
    (
        "refusal-with-its-reason-before-so",
        "Re Amira Ghani, aged two. At four I rang the ward sister at Elm Ward, Pat Lowe, and asked when "
        "Amira's mum is likely to be discharged. Pat was sorry but mum has told the ward not to share "
        "anything with us, so they won't.",
        [{"kind": "refused", "reason": "mum has told the ward not to share anything with us"}],
    ),
    (
        "received-information-with-no-telling-verb",
        "Mr Harold Finch, seventy eight. Gemma Rhodes, warden at Ashdown Court sheltered housing, rang me. "
        "Harold has been found wandering outside at night twice this week without a coat. She's raising "
        "it as she thinks his memory is getting worse.",
        [
            {
                "kind": "received",
                "information": "Harold has been found wandering outside at night twice this week "
                "without a coat",
                "reason": "she thinks his memory is getting worse",
            }
        ],
    ),
    (
        "received-information-not-their-basis",
        "Note for Poppy Lane, six. PC Dan Muir, Westfold Police, rang this morning. Officers were called to "
        "Poppy's home last night after dad threatened mum with a bottle. Telling us so we can visit today. "
        "Said they are sharing under public task.",
        [
            {
                "kind": "received",
                "information": "Officers were called to Poppy's home last night after dad "
                "threatened mum with a bottle",
                "reason": "so we can visit today",
            }
        ],
    ),
]


# Why-cues in other words: cause cues ('given that', 'seeing as', 'owing to'), purpose frames ('with a view
# to',
# 'the idea being'), and an occasion ('ahead of') only when no other cue gives the reason.
BOTH += [
    (
        "reason-cue-given-that",
        "Note for Theo Marsh, nine. At two I rang Gwen Pryce, the learning mentor at Ashcombe Juniors, and "
        "told her that Theo has been sleeping at his aunt's since Sunday, given that his transport to school "
        "has changed.",
        [{"kind": "shared", "reason": "his transport to school has changed"}],
    ),
    (
        "reason-cue-the-idea-being",
        "Re Keira Bolt, fourteen. I emailed Omar Quayle at Ridley Youth Service and passed on that Keira has "
        "a new phone number, the idea being that his team can reach her directly over half term.",
        [{"kind": "shared", "reason": "his team can reach her directly over half term"}],
    ),
    (
        "reason-cue-with-a-view-to",
        "Note for Ollie Fenn, four. At eleven I phoned Ruth Amadi, the health visitor at Brookside Clinic, "
        "and told her that Ollie missed his two year check with a view to her offering a home visit.",
        [{"kind": "shared", "reason": "with a view to her offering a home visit"}],
    ),
]

WRITTEN += [
    (
        "reason-cue-owing-to-after-a-comma",
        "Note for Asha Pike, seven. At nine I rang Len Doyle, the DSL at Marsh Lane Primary, and told him "
        "that Asha will be collected by her grandad this week, owing to mum being in hospital.",
        [{"kind": "shared", "reason": "mum being in hospital"}],
    ),
]


# Our telling in verbs outside the common share verbs: the person first or what first.
BOTH += [
    (
        "told-in-other-words-person-first",
        "Note for Reuben Sloane, eleven. At half two I phoned Mina Castell, the DSL at Holloway Academy. I "
        "made her aware that Reuben's stepfather has been released on bail, so that staff can watch the "
        "gate.",
        [{"kind": "shared", "information": "Reuben's stepfather has been released on bail"}],
    ),
    (
        "told-in-other-words-what-first",
        "Note for Tia Brennan, three. This afternoon I rang Colm Weir, the health visitor at Fenwick Clinic. "
        "I flagged up the missed hearing appointments to him, so that he can rebook them.",
        [{"kind": "shared", "information": "the missed hearing appointments"}],
    ),
]


# Their telling in other verbs ('rang to warn me that'), a reason named as 'his reason was' / 'her view was',
# 'that way they can...', and a recipient after 'sent over to'.
BOTH += [
    (
        "received-warn-me-that",
        "Note for Maisie Crane, twelve. At four PC Tom Aldous from Hartfield Police rang to warn me that "
        "Maisie "
        "was found at a party in a flat on Quarry Road last night. His reason was that they want a joint "
        "visit "
        "this week.",
        [
            {
                "kind": "received",
                "information": "Maisie was found at a party in a flat on Quarry Road last night",
                "reason": "they want a joint visit this week",
            }
        ],
    ),
]

WRITTEN += [
    (
        "refusal-reason-her-view-was",
        "Note re Mr Walter Gee, eighty. At ten I rang Pinewood Dental and asked the practice manager, Joy "
        "Ndlovu, "
        "whether Walter's daughter has been cancelling his appointments. She wouldn't discuss it. Her view "
        "was "
        "that the practice can only talk to Walter or his attorney.",
        [{"kind": "refused", "reason": "the practice can only talk to Walter or his attorney"}],
    ),
    (
        "shared-sent-over-to-recipient-then-what",
        "Note for Ruby Stott, five. This afternoon I sent over to Aled Price, the adviser at Cafcass, our "
        "chronology and the last two visit notes. That way the court has the background before Friday.",
        [
            {
                "kind": "shared",
                "information": "our chronology and the last two visit notes",
                "reason": "the court has the background before Friday",
            }
        ],
    ),
]


# 'which is why' looks back: the reason is the clause before it; a possessed role inside what was told is
# not the
# recipient; a reason stops at ', and that the police...'.
WRITTEN += [
    (
        "reason-before-which-is-why",
        "Note for Jude Marr, two. Yesterday at three Watch Manager Kath Rees at Dunmore Fire and Rescue "
        "rang me. "
        "She told me crews found Jude alone in the flat during a kitchen fire. The service refers every "
        "child "
        "found unsupervised, which is why she called us.",
        [{"kind": "received", "reason": "The service refers every child found unsupervised"}],
    ),
    (
        "information-keeps-a-possessed-role",
        "Note for Alfie Dunn, ten. At nine I rang DC Ross Penry at Thornbury Police and passed on the photos "
        "Alfie's social worker took of the bruising on his back, so that the police can plan a joint visit.",
        [
            {
                "kind": "shared",
                "information": "the photos Alfie's social worker took of the bruising on his back",
            }
        ],
    ),
]


# A name set off after the opening label is the subject; a refusal's reason after '<name> said'; a cue inside
# 'didn't ask mum as...' is about consent, not the record's reason; 'detained under section...' stays in.
WRITTEN += [
    (
        "subject-after-an-opening-label",
        "Court work, Noor Bashir. At two I rang Cafcass and told the adviser, Gail Penn, that Noor's "
        "father has "
        "moved back into the area, so that the court report is up to date. Noor's mum agreed.",
        [{"kind": "shared", "subject": "Noor Bashir"}],
    ),
    (
        "refusal-reason-after-a-named-said",
        "Note re Mrs Enid Lowe, eighty one. On Monday I rang Castlegate Bank and asked a man called Ravi "
        "whether "
        "Enid's nephew has been using her card. Ravi said he couldn't discuss a customer's account without "
        "her "
        "written authority.",
        [
            {
                "kind": "refused",
                "reason": "he couldn't discuss a customer's account without her written authority",
            }
        ],
    ),
    (
        "no-reason-from-a-consent-clause",
        "Quick one for Ivy Marsh, Year 2. Just rang the MASH and told them Ivy came in with a burn on her "
        "hand "
        "and says her uncle did it. Didn't ask mum as it's a child protection matter.",
        [{"kind": "shared", "reason": None}],
    ),
]


# A why said in its own sentence before the call it belongs to.
WRITTEN += [
    (
        "reason-sentence-before-the-call-colon",
        "Note for Cody Vane, nine. First the why: so that his class teacher can let him rest at lunch while "
        "his dad is in hospital. At eleven I phoned Paula Kerr, the DSL at Elm Park Primary, and told her "
        "that dad had an operation on Friday.",
        [
            {
                "kind": "shared",
                "reason": "so that his class teacher can let him rest at lunch while his dad is in hospital",
            }
        ],
    ),
    (
        "reason-main-clause-after-because-lead-in",
        "Note for Cody Vane, nine. Because his nan is now collecting him, the school office needs her "
        "details "
        "on file. At eleven I phoned Paula Kerr, the DSL at Elm Park Primary, and gave her nan's mobile "
        "number.",
        [{"kind": "shared", "reason": "the school office needs her details on file"}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in BOTH], ids=[c[0] for c in BOTH])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_content_fields_both_variants(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    assert _check(extractor, variant(text), expect) == []


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in WRITTEN], ids=[c[0] for c in WRITTEN])
def test_content_fields_as_written(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    assert _check(extractor, text, expect) == []
