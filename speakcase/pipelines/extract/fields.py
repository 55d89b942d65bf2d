"""Subject, kind, information, reason and third-party detection for one event."""

from __future__ import annotations

import re

from speakcase.pipelines.extract.counterpart import Mention, name_after, name_like, roles_in
from speakcase.pipelines.extract.segment import Event, expand
from speakcase.pipelines.extract.text import TextView, alternation, resource, rx, trim

_P = resource("patterns.json")
_LEX = resource("lexicon.json")
_SHARE = rx(expand("share_verb"))
_RECEIVED = rx(_P["received_verb"])
_INCOMING = rx(_P["incoming"])
_ASK = rx(_P["ask_verb"])
# What was asked for may open with 'which' or 'who' too ("asking which school she goes to").
_ASK_INFO = rx(
    _P["ask_verb"].replace(
        "(?:for|whether|what|why|if|about|how|where|when",
        "(?:for|whether|what|which|who|why|if|about|how|where|when",
    )
)
_WITHHELD = rx(expand("withheld"))
_REFUSAL = rx(expand("refusal"))
_REFUSAL_NAME = rx(_P["refusal_name"])
# Why-cues: the core list, the general purpose/cause phrases, and the ambiguous short words ('as', 'since',
# 'given', 'for', 'otherwise') that open a reason only after a comma, semicolon or dash.
_REASON = rx(
    _P["reason_cue"]
    + r"|\b(?:"
    + "|".join(_P["reason_cue_more"])
    + r")\b|(?:,|;|\s[-\u2013])\s*\b(?:"
    + "|".join(_P["reason_cue_comma"])
    + r")\b|\b(?:"
    + "|".join(_P["reason_cue_weak"])
    + r")\b"
)
# An occasion rather than a purpose ('ahead of the MARAC', 'as part of the assessment'): a reason only when no
# other
# cue gives one.
_REASON_WEAK = rx(r"\b(?:" + "|".join(_P["reason_cue_weak"]) + r")\b")
# The cue words a reason's text leaves out: a cause cue or a 'the point was' frame, not a purpose
# ('so that...').
_REASON_LEAD = rx(r"[\s,;:\u2013-]*" + _P["reason_cue_lead"])
_INFO_STOP = rx(_P["info_stop"])
_ANY_CONTACT = rx(
    r"\b(?:rang|phoned|called|rung|emailed|texted|spoke|spoken|met|told|shared|sent|passed|asked|messaged|wrote)\b"
)
_THAT_IS_WHY = rx(r"[\s,;-]*(?:(?:which|that)(?:\s+is|'s|\s+was)\s+why|hence)\b")
_THEIR_VIEW = rx(
    r"\b(?:his|her|their|the)\s+(?:reason|view|position|explanation|answer)\s+(?:was|is|being)\s+(?:that\s+)?"
)
# Our telling in other verbs, when the common share verbs find nothing: the person first
# ("notified her of...",
# "brought him up to speed on...") or what first ("passed X on to her", "raised X with him").
_SHARE_PERSON_FIRST = rx(_P["info_share_person_first"])
_SHARE_WHAT_FIRST = rx(_P["info_share_what_first"])
_RECIPIENT_TAIL = rx(_P["info_recipient_tail"])
_REASON_STOP = rx(_P["reason_stop"])
_CALL_BACK = rx(r"(?:rang|ran|phoned|called|rung)\s+(?:me|us)\s+back\b|returning\s+my\s+call\b")
_CONSENTISH = rx(
    r"\b(?:consent|agreed|permission)\b|\b(?:didn't|did\s+not|haven't|have\s+not|hadn't)\s+(?:ask|asked|seek|sought|check"
    r"|checked|go|gone|ring|rung|call|called|speak|spoken)\b"
)
_KIN_RX = rx(r"(?<!\ba\s)(?<!\bany\s)" + alternation(_LEX["kin"])[:-2] + r"(?:'?s)?\b")
_THIRD_RX = rx(alternation(_LEX["third_party_words"]))
_SUBJECT_INTRO = rx(
    r"\b(?:note|notes|memo|update|one|bits|things|calls|call|record|entry|case|line|file)\s+(?:\w+\s+)?"
    r"(?:for|on|about|re|regarding|concerning)\s+(?:(?:mr|mrs|ms|miss|baby|young|little|master)\.?\s+)?|\bjust\s+"
    r"(?:for|on|about|re|regarding|concerning)\s+(?:(?:mr|mrs|ms|miss|baby|young|little|master)\.?\s+)?"
    r"|(?:^|[,.;:]\s*|\bnote\s+)(?:re|regarding|concerning)\s+(?:(?:mr|mrs|ms|miss|baby|young|little|master)\.?\s+)?"
    r"|\b(?:baby|newborn)\s+(?=[a-z])"
    r"|\bthis\s+(?:is|one\s+is|one's)\s+(?:(?:about|for|re|regarding)\s+)?(?=(?:mr|mrs|ms|miss|baby|master)\b)"
    r"(?:(?:mr|mrs|ms|miss|baby|master)\.?\s+)|\bthis\s+(?:is|one\s+is|one's)\s+(?:about|for|re|regarding)\s+"
    r"|\b(?P<opening>(?:patient|resident|tenant|client|pupil|service\s+user)\s+(?:mr|mrs|ms|miss|master)\.?\s+)"
    r"|\b(?:subject|client|child|young\s+person|service\s+user)(?:\s+is|'s|\s*:)\s+"
    r"(?:(?:mr|mrs|ms|miss|baby|young|little|master)\.?\s+)?"
)
_SUBJECT_AGE = rx(
    r"(?=\s*,?\s*(?:who's|who\s+is|he's|she's|they're|aged|age|who's\s+aged)\s+(?:only\s+|just\s+|about\s+)?"
    r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b"
    r"|\s*,?\s*\d{1,2}\b(?!\s*(?:am|pm|[:.]\d|o'clock|minutes|hours))"
    r"|\s*,?\s*(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|six|"
    r"seven|eight|nine)|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"(?:\s+(?:years?|months?|weeks?|days?)(?:\s+old)?)?"
    r"(?=\s*[,.;:)]|\s+(?:and|who|with|is|was|has|had|missing|looked|in|at|lives)\b|\s*$))"
)
_AGE_LOOSE = rx(
    r"\s*,?\s*(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen)\b(?!\s*(?:years?|months?|weeks?|days?|hours?|minutes?|o'clock|am|pm|past|to|"
    r"times|of|or|more|other|people|thirty|fifteen|forty|fifty|twenty)\b)"
)
_AGE_BEFORE = rx(
    r"\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen)[\s-]+(?:year|month|week)[\s-]+old\s+(?:(?:boy|girl|baby|child)\s*,?\s+)?$"
)
_AGE_UNPUNCTUATED = rx(
    r"\s+(?:aged\s+|age\s+)?(?:\d{1,2}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen)(?:\s+(?:years?|months?|weeks?)\s+old)?\s+(?!(?:years?|months?|weeks?|days?|hours?|"
    r"minutes?|o'clock|am|pm|past|to|times|of|or|more|other|people|calls|things|bits|children|kids)\b)[a-z]"
)
_POSSESSED = rx(
    r"\s+(?:file|case|record|records|notes|maternal|paternal|mum|mam|dad|mother|father|parents|family|school|nan|gran|"
    r"grandma|grandad|sister|brother|home|address|house|flat|foster|teacher|gp|carer|partner|account|placement|"
    r"social\s+worker|key\s+worker|behalf)\b"
)
_TITLED = rx(r"\b(?:mr|mrs|ms|miss)\.?\s+")
_DESCRIBED = rx(r"\s*,\s*(?:[a-z-]+\s+){0,2}[a-z-]+(?=\s*,)")
_DESCRIBED_LOOSE = (rx(r"\s+[a-z-]+"), rx(r"\s+[a-z-]+\s+[a-z-]+"))
_SUBJECT_CUE_BEFORE = rx(
    r"\b(?:on|about|re|regarding|concerning|for|that|whether|see|saw|seen|visited|disclosed|told|said)\s+$"
)
_WANTED = rx(r"\b(?:he|she|they)\s+wanted\s+(?:me|us)\s+to\s+(?:know|be\s+aware)\b")
_RECEIVED_THAT = rx(
    r"\b(?P<verb>(?:shared|passed\s+on|explained|confirmed|reported|disclosed|advised|stated|informed\s+(?:the\s+)?[\w'-]+"
    r"|told\s+(?:the\s+)?[\w'-]+)(?:\s+with\s+(?:me|us))?(?=\s+that\b))"
)
_OPENS_REASON = rx(
    r"[\s,]*(?:so\b|because\b|as\s+(?:she|he|they|we|i)\b|in\s+order\s+to\b|to\s+(?:help|allow|enable)\b)"
)
_RECIPIENT_THAT = rx(r"(?:with|to)\s+[^.;:!?]{0,120}?,?\s*that\b|[^.;:!?,]{0,60},[^.;:!?]{0,80}?,\s*that\b")
_INFO_END = rx(
    r",?\s*(?:and\s+)?\b(?:she|he|they)\s+(?:refused|declined|said\s+no|wouldn't|would\s+not|couldn't|could\s+not)\b"
    r"|,\s*who\s+(?:we|i)\s+(?:think|believe|suspect)\b"
    r"|,?\s*which\s+(?:he|she|they)\s+(?:said\s+)?(?:\w+\s+)?(?:passed|shared|told|gave|sent|was\s+sharing|were\s+sharing)\b"
)
_EXPLICIT_REASON = rx(
    r"\b(?:i|we|he|she|they)\s+(?:only\s+|also\s+)?(?:shared|told|passed|gave|sent|disclosed|was\s+letting|were\s+letting)"
    r"(?:\s+(?:it|this|that|them|this\s+information|the\s+information|me|us|her|him))?(?:\s+on)?"
    r"(?:\s+with\s+(?:him|her|them|the\s+\w+))?\s+(?=so\b|because\b|in\s+order\s+to\b)"
)
_REFUSAL_SAID = rx(
    r"[\s,;]*(?:and\s+)?(?:(?:he|she|they)\s+)?(?:said|stated|explained|told\s+me|saying|stating)\s+(?:that\s+)?"
)
_MORE_KIN = rx(
    r"\b(?:kids'?|children(?!'s\s+(?:services|social|centre|hospital|home|team|society))|siblings?|grandson|granddaughter|grandchild|grandchildren|grandparents?|stepbrother|stepsister|ex|exes|fianc[eé]e?|"
    r"lad|lads|youths?|family's|famil(?:y|ies)\s+(?:home|flat|house|address))\b"
)
_PLACE_WORDS = frozenset(
    "road street lane avenue close drive way crescent estate park gardens court place square green hill "
    "house centre center hall ward surgery school academy college primary nursery hospital station police "
    "team".split()
)
_CLAUSE_STOP = rx(
    r"\b(?:he|she|they)\s+(?:said|had|has|told|explained|also\s+said|confirmed|stated|advised|added)\b|\bso\s+(?:vital|public|legal|legitimate)\s+"
    r"(?:interests?|task|obligation)\b|\b(?:no|without)\s+consent\b|\bno\s+need\s+(?:for|to)\b|\bconsent\s+(?:wasn't|was\s+not)\b"
    r"|\b(?:mum|dad|mother|father|nan|gran|parents|family|carers?|[\w'-]+'s\s+(?:mum|mother|dad|father|parents|family))\s+"
    r"(?:has|have|had|hasn't|haven't|hadn't|has\s+not|knows|is|are)\s+(?:not\s+)?"
    r"(?:been\s+)?(?:told|informed|aware)\b|\bstill\s+(?:no|refused|declined|wouldn't)\b|\b(?:explained|suggested)\s+"
    r"(?:this|that|it|a|the)\b|\bi\s+(?:ran|spoke|discussed|checked|explained)\b"
)
_CALLED_NAME = rx(r"\b(?:called|named)\s+(?=[a-z])")
_NAME_BEFORE_KIN = rx(
    r"\b([\w'-]+)\s*,\s*(?:[\w'-]+'s|his|her|their)\s+"
    r"(?:ex|partner|boyfriend|girlfriend|husband|wife|brother|sister|uncle|dad|father|stepdad)\b"
)
_SAID = rx(r"\b(?:he|she|they)\s+(?:said|stated|explained|advised)\s+(?:that\s+)?")
# Written text: the refuser said by name, with a role between commas ("Pauline said...",
# "the officer, Emyr, said...").
_NAMED_SAID = rx(
    r"\b(?:he|she|they|(?!(?:i|we|and|mum|dad|mam)\b)[a-z][\w'-]+(?:,\s*[^,.]{1,40},)?)\s+(?:said|stated|explained|advised)"
    r"\s+(?:that\s+)?"
)
_REFUSAL_CUE = rx(
    r"\b(?:stating|saying|explaining|adding|citing|because|since|as\s+(?=(?:she|he|they|it|the|their|this|there)\b))"
    r"(?:\s+that\b)?"
)
_REFUSAL_OBJECT = rx(
    r"(?:\s+to\s+(?:[\w'-]+)(?:\s+or\s+(?:[\w'-]+))?|(?<=t)\s+(?:say|discuss|tell|share|give|confirm|deny|disclose|provide|"
    r"release|send|pass|comment|help|go\s+into)(?:\s+or\s+(?:[\w'-]+))?)?(?:\s+(?:it|this|that|them|anything|any\s+of\s+it|the\s+request"
    r"|(?:any|the)\s+(?:information|details|records)))?(?:\s+(?:at\s+this\s+stage|over\s+the\s+phone|on\s+the\s+phone))?"
)
_WITHHOLD_DECISION = rx(
    r"\b(?:decided|chose|agreed|opted)\s+not\s+to\s+(?:share|send|give|pass|disclose|tell|release|confirm|provide)\b"
    r"|\b(?:declined|refused)\s+to\s+(?:share|send|give|pass|disclose|tell|release|confirm|provide)\b"
    r"|\b(?:didn't|did\s+not|won't|will\s+not|wouldn't|would\s+not)\s+(?:share|send|give|pass\s+on|disclose|release)\b"
)
_WITHHELD_OBJECT = rx(r"[\s,]*(?!(?:it|that|this|them|anything|any|him|her|on|with|to)\b)(?=[a-z])")
_PURPOSE_START = rx(
    r"[\s,]*(?:so\b|because\b|in\s+order\s+to\b|to\s+(?!(?:me|us|him|her|them|the|a|an|his|their|my|our)\b)\w+)"
)
_PURPOSE_SENTENCE = rx(
    r"(?:\bshared\s+(?:it\s+|this\s+)?(?=so\b|because\b|in\s+order\s+to\b))"
    r"|(?:^|[.;!?]\s*|,\s*|\b(?:said|explained|told\s+(?:me|us))\s+(?:that\s+)?)(?:that's|that\s+is|that\s+was|this\s+was|this\s+is|it\s+was|it's|shared|done"
    r"|the\s+(?:purpose|point|aim|reason)(?:\s+(?:of|for|behind)\s+(?:the|this|my|our|it)(?:\s+[\w-]+)?)?\s+(?:was|is)"
    r"|i\s+did\s+(?:this|that|it)|(?:he|she|they)\s+(?:was|were|is|are)\s+(?:sharing|telling\s+(?:me|us)|passing)"
    r"(?:\s+(?:it|this|that|them|this\s+information|the\s+information))?(?:\s+on)?)\s+(?=so\b|because\b|in\s+order\s+to\b|to\s+\w)"
)
_THEIR_PURPOSE = rx(
    r"\b(?:ringing|calling|phoning|emailing|texting|writing|getting\s+in\s+touch|telling\s+(?:me|us)|letting\s+(?:me|us)\s+know"
    r"|passing\s+(?:it|this|that|them)\s+on|passing\s+(?:it|this|that)\s+on|passing\s+on\s+(?:it|this|that)"
    r"|sharing(?:\s+(?:it|this|that|them|this\s+information|the\s+information))?|raising\s+(?:it|this|that)"
    r"|reporting\s+(?:it|this|that)|contacting\s+(?:me|us)|flagging\s+(?:it|this|that))"
    r"(?:\s+(?:with\s+(?:me|us)|today|now|in))?[\s,]+(?=so\b|because\b|cos\b|as\s+(?!well\b|soon\b|part\b|a\b)|since\b|in\s+order\s+to\b"
    r"|to\s+(?!(?:me|us|him|her|them|the|a|an|his|their|my|our|say|tell|let|ask|pass|share|report)\b)\w)"
)
_SIDE_TALK = rx(
    r"\b(?:sharing|share|shared|passing\s+(?:it|this)\s+on)\s+(?:this\s+|it\s+|that\s+)?(?:under|in\s+(?:her|his|their|the)\s+vital|on\s+the\s+basis)\b"
    r"|\blawful\s+basis\b|\bvital\s+interests?\b|\bpublic\s+task\b|\blegitimate\s+interests?\b|\blegal\s+obligation\b"
    r"|\b(?:had|has|have|gave|given)\s+(?:agreed|consented|consent)\b|\bagreed\s+to\s+(?:her|him|them|us|me)\s+"
    r"(?:contacting|ringing|calling|letting|telling|sharing|passing)\b"
)
_CONTACT_TAIL = rx(
    r"(?:\s+(?:me|us|back|in|through|today|earlier|yesterday|just\s+now|this\s+(?:morning|afternoon|evening)|last\s+night"
    r"|(?:at|about|around)\s+(?:[\w-]+\s+){0,2}?(?:o'clock|am|pm|past\s+[\w-]+|to\s+[\w-]+|(?=\w+\s+(?:this|today)\b)\w+)"
    r"|(?:on\s+)?the\s+(?:duty\s+)?(?:line|phone|office|mobile|team)))+\b"
)
_OUR_CALL_TO_TELL = rx(
    r"\b(?:i|we)\s+(?:also\s+|then\s+|just\s+)?(?:rang|phoned|called|emailed|contacted|texted|messaged|wrote\s+to|spoke\s+to)\b"
    r"[^.;!?]{0,120}?\bto\s+(?P<verb>(?:tell|inform|update|advise)\s+(?:him|her|them|[\w'-]+)(?:\s+(?:that|about))?"
    r"|let\s+(?:him|her|them|[\w'-]+)\s+know(?:\s+(?:that|about))?|(?:share|pass\s+on)(?:\s+with\s+(?:him|her|them))?)\b"
)
_INFO_WAS = rx(
    r"\bthe\s+(?P<verb>(?:information|details?)\s+(?:i\s+|we\s+)?(?:disclosed|shared|passed\s+on|given|provided|gave|sent)"
    r"\s+(?:was|were)(?:\s+that)?)\b"
)
_APPOSITION = rx(
    r"(?:(?:the|a|an|their|his|her|our)\s+)?(?:[\w'-]+\s+){0,5}?(?:officer|worker|adviser|advisor|nurse|manager|lead|practitioner|"
    r"coordinator|co-ordinator|clinician|doctor|gp|consultant|therapist|teacher|head|sergeant|constable|inspector|visitor|"
    r"midwife|advocate|idva|dsl|senco|there)(?:\s+(?:at|in|from|for|with|of)\s+(?:[\w'&-]+\s*){1,6})?"
    r"|(?:a|the)\s+(?:guy|man|woman|lady|bloke|chap)\s+called\s+[\w'-]+(?:\s+[\w'-]+)?"
)
_REASON_IS = rx(
    r"\bthe\s+reason\s+(?:why\s+)?(?:he|she|they|i|we)\s+(?:rang|called|phoned|emailed|wrote|got\s+in\s+touch|shared|told\s+(?:me|us|them|him|her)"
    r"|passed\s+(?:it|this)\s+on|contacted\s+(?:me|us|them|him|her))\b(?:[^.;!?]{0,80}?,)?\s*(?:is|was)\s+(?:that\s+|because\s+)?"
)
_CONSENT_REFUSED = rx(
    r"\b(?!(?:has|had|have|and|as|because|since)\b)[\w']+\s+(?:refused|declined|withheld)\s+(?:her\s+|his\s+|their\s+)?consent\b"
)
_CONSIDER = rx(_P["consider_verb"])
_WE_WANTED = rx(
    r"\b(?:i|we)\s+(?:wanted|want|needed|need)\s+(?:him|her|them|the\s+[\w-]+|[\w'-]+)\s+to\s+(?!(?:know|be\s+aware)\b)"
)
_SHARED_BARE = rx(
    r"\b(?P<verb>shared|passed\s+on|disclosed)\b(?=\s+(?:with\s+[\w'-]+\s+)?(?:that|the|his|her|their|what|details|a|an|our|my)\b)"
)
_ANSWER = rx(
    r"\b(?:declined|refused|said\s+no|wouldn't|would\s+not|couldn't|could\s+not|can't|cannot|won't|will\s+not"
    r"|didn't\s+(?:confirm|tell|share|give|say)|did\s+not\s+(?:confirm|tell|share|give|say))\b"
)
_SO_PURPOSE = rx(
    r"\bso\s+(?:that\s+)?(?:[\w'-]+\s+){1,3}?(?:can|could|would|will|may|might|are\s+able|is\s+able|were\s+able|knows?|"
    r"understands?|gets?|get|is\s+aware|are\s+aware|were\s+aware|was\s+aware|'re\s+aware|has|have)\b"
)
_COMMA_TO = rx(
    r",\s*(?:in\s+order\s+)?to\s+(?!(?:me|us|him|her|them|the|a|an|his|their|my|our|be|say|tell|let)\b)(?=[a-z])"
    r"|\s(?:in\s+order\s+)?to\s+(?!(?:me|us|him|her|them|the|a|an|his|their|my|our|be|say|tell|let|and|or)\b)(?=[a-z]+\s+"
    r"(?:up|out|in|on|a|an|the|his|her|their|him|them|whether|if|how|what|any|some)\b)"
)
_OWN_SHARE = rx(
    r"\b(?:i|we)(?:'ve|'d|\s+have|\s+had|\s+then|\s+also|\s+just)?\s+(?:shared|passed|told|gave|sent|informed)\b"
)
_THIRD_SHARING = rx(
    r"\b(?:he|she|they)\s+(?:was|were|is|are)\s+(?:sharing|passing\s+(?:it|this|that)\s+on|telling\s+(?:me|us))\b"
    r"|\b(?:he|she|they)\s+(?:shared|passed)\s+(?:it|this|that)\b"
)
_CALLED_TO_TELL = rx(
    r"\b(?:rang|phoned|called|emailed|texted|messaged|wrote)\s+(?:[\w':]+\s+){0,5}?to\s+"
    r"(?:pass\s+on|let\s+(?:me|us)\s+know|tell\s+(?:me|us)|share|report|inform|update|flag|raise)\b"
)
_ASK_LOOSE = rx(
    r"\b(?:asked|asking|requested|requesting|to\s+request|enquired|enquiring|inquired|inquiring|"
    r"wanted\s+to\s+know|wanting\s+to\s+know|what\s+i\s+(?:was\s+after|wanted|needed))\b"
)
_PERMISSION_ASK = rx(
    r"\b(?:asked|asking)\s+(?:\w+\s+){0,3}?(?:if|whether)\s+(?:i|we)\s+(?:could|can|might|may)\b"
)
_BARE_REFUSAL = rx(
    r"(?P<lead>(?:^|[.;:!?]\s*|\band\s+|,\s*then\s+|\bback\s+and\s+))"
    r"(?:declined|refused|said\s+no|wouldn't\s+(?:say|discuss|share|confirm|tell|give)|would\s+not\s+(?:say|discuss|share)|"
    r"won't\s+(?:say|discuss|share|confirm))\b"
)
_OUR_CALL_BEFORE = rx(
    r"\b(?:i|we)\s+(?:\w+\s+){0,2}?(?:rang|phoned|called|emailed|e-mailed|texted|wrote|contacted|spoke|"
    r"telephoned|messaged)\b"
)
_UNSAID_WITHHELD = rx(
    r"(?:^|[.;:!?]\s*)(?:didn't|did\s+not)\s+(?:share|send|give|pass|disclose|tell|confirm|release|provide|reveal)\b"
    r"|(?:^|[.;:!?]\s*)not\s+(?:sharing|sending|giving|passing|disclosing|releasing|providing)\b"
    r"|\b(?:i|we)\s+(?:didn't|did\s+not)\s+(?:confirm|release|provide|reveal)\b"
    r"|\bdecision\s+(?:was\s+|has\s+been\s+)?(?:made|taken|reached)\s+not\s+to\s+"
    r"(?:share|send|give|pass|disclose|tell|inform|release|provide)\b"
)
_OUR_ANCHOR = rx(r"\b(?:i|we)\s+(?:(?:then|also|later|just|have|had|'ve|'d)\s+)?$")
_BARE_CALL = rx(
    r"(?:rang|phoned|called|telephoned|rung|emailed|texted|messaged|got\s+in\s+touch)"
    r"(?:\s+(?:by|on\s+the)\s+(?:phone|email|e-mail|text))?(?=\s*[.;!?])"
)
_TITLED_BEFORE = rx(alternation(_LEX["titles"] + _LEX["ranks"]) + r"\.?\s+[\w'-]+\s+$")
_BARE_REFUSAL_LOOSE = rx(r"\b(?:declined|refused|said\s+no(?!\s+to\b))\b")
_UNSAID_LOOSE = rx(
    r"\b(?:didn't|did\s+not)\s+(?:share|send|give|pass|disclose|confirm|release|provide|reveal)\b"
    r"|\bnot\s+(?:sharing|sending|giving|passing|disclosing|releasing|providing)\b"
)
_SUBJECTISH = frozenset(
    "i we he she they who which it that this there has had have was were is are am be been being not never "
    "also then just i'm we're he's she's they're it's i've we've i'd we'd mum dad mother father parents "
    "consent guardian".split()
)
_KIN_WORDS = frozenset(_LEX["kin"])
_TOLD_MEETING = rx(
    r"\b(?:told|informed|updated|advised|reported\s+to|shared\s+with)\s+the\s+(?:meeting|conference|panel|"
    r"core\s+group|strategy\s+(?:meeting|discussion)|professionals(?:'|\s+meeting)?)\b"
)
_OURS_BEFORE = rx(r"\b(?:i|we)\s+(?:\w+\s+){0,2}$|\b(?:i|we)\b[^,.;]{0,80}\band\s+$")
_BARE_CALL_CLAUSE = rx(
    r"(?:rang|phoned|called|telephoned|got\s+in\s+touch)(?=\s+(?!(?:me|us|back|the|a|an|to|about|asking|and)\b)"
    r"(?:[\w'-]+\s+){1,2}(?:has|had|have|is|was|were|are|'s|said|says|told|needs|wants|wanted|found|been|"
    r"can't|cannot|won't|isn't|wasn't|hasn't|doesn't|didn't)\b)"
)
_BARE_CALL_SAID = rx(
    r"(?:rang|phoned|called|telephoned|got\s+in\s+touch)(?:\s+(?:by|on\s+the)\s+(?:phone|email|e-mail|text))?"
    r"(?=\s+(?:he|she|they)\s+(?:said|told|was|were|wanted|explained|reported)\b)"
)
_PASSIVE_WITHHELD = rx(
    r"\b(?:would|will)\s+not\s+be\s+(?:shared|disclosed|released|passed\s+on|provided|sent|given)\b"
)
_FAMILY_AFTER = rx(_P["contact_family_object"])
_SAYS = rx(
    r"\b(?:it|which|the\s+(?:letter|report|email|referral|form))\s+(?:says|said|states|stated|shows|showed)(?:\s+that)?\b"
)
_BARE_BEFORE = rx(r"(?:^|\bthe\s+)$")
_UNNAMED_GROUP = rx(r"\b(?:older|younger|unknown|some|several|other|adult|various|local)\s+$")
_NEW_CLAUSE = rx(
    r"\b(?:i'm|i\s+am|i've|i'll|i\s+will|i\s+(?:then\s+|also\s+|have\s+|had\s+|later\s+|did\s+|subsequently\s+)?(?:ran|rang|phoned|"
    r"called|emailed|spoke|checked|visited|told|tell|asked|explained|shared|share|passed|sent|made|decided|refused|"
    r"declined|gave|didn't|did\s+not|haven't|texted|let|contacted|telephoned|referred|messaged|updated|filled|got\s+hold))\b"
    r"|\b(?:then\s+)?(?:at\s+)?(?:about\s+|around\s+|approximately\s+)?(?:half|quarter)\s+(?:past|to)\s+(?:one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|midday|noon)\b(?!\s+(?:minutes|hours))"
    r"|\band\s+(?:mum|dad|[\w'-]+)\s+(?:has|had)\s+(?:also\s+)?(?:asked|said|told)\b"
    r"|\b(?:he|she|they)(?:'ll|\s+will|\s+(?:then\s+|also\s+)?(?:refused|declined|rang|phoned|called|emailed))\b"
    r"|\b(?:mr|mrs|ms|miss|dr)\s+[\w'-]+\s+(?:asked|said|told|agreed|refused|consented)\b"
    r"|\bunder\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?act\b|\bunder\s+operation\b"
    r"|\b(?:consent|permission)\s+(?:wasn't|was\s+not|was|has|hasn't)\b"
)
_NEW_CLAUSE_INFO = rx(r"\b(?:it's|it\s+is|it\s+isn't|there's|there\s+is)\s+(?:not|no)\b")
_PASSED_ON_TO = rx(
    r"\b(?:i|we)\s+(?:also\s+|then\s+|just\s+)?(?:passed|handed)\s+(?P<obj>(?:[\w'-]+\s+){1,8}?)on\s+(?:to|with)\b"
)
_SO_BEFORE = rx(r"(?:,|\band)\s*so\s+(?:(?!i\b|we\b)[\w']+\s+){0,3}(?=(?:i|we)\b)")
_CLAUSE_LEAD = rx(r"[\s,]*(?:(?:but|and|so|then|erm|um|er)\b[\s,]*)*")
_PURPOSE_BEFORE = rx(r"\b(?:because|since|so\s+that|in\s+order\s+to)\b[^.;!?]*?,")
_TELL_LEAD = rx(
    r"[\s,]*(?:and\s+)?(?:i|we)\s+(?:told|explained\s+to|said\s+to|informed|advised)\s+(?:him|her|them|[\w'-]+)\s+(?:that\s+)?"
    r"|[\s,]*(?:and\s+)?(?:i|we)\s+(?:explained|said)\s+(?:that\s+)?"
)
_AND_SAID = rx(
    r",?\s*and\s+(?:(?:he|she|they)\s+)?(?:also\s+)?(?:said|added|explained|mentioned)\b"
    r"|,\s*and\s+[\w'-]+\s+(?:has|had|have)\s+(?:also\s+)?(?:told|said|asked)\b"
)


def find_subject(view: TextView, first_anchor: int) -> Mention | None:
    """The child or adult the memo is about, from its opening words or an age given after a name."""
    found = _find_subject(view, first_anchor)
    if found is None or view.punctuated:
        return found
    # Without apostrophes "kai thompson's file" reads "kai thompsons file": the possessive 's goes.
    words = found.text.split()
    if len(words) > 1 and words[-1].lower().endswith("s") and _POSSESSED.match(view.norm, found.end):
        text = " ".join(words[:-1] + [words[-1][:-1]])
        return Mention(found.start, found.start + len(text), text, found.strength)
    return found


def _find_subject(view: TextView, first_anchor: int) -> Mention | None:
    intro: list[Mention] = []
    for limit in (max(first_anchor, 1), len(view.norm)):
        for m in _SUBJECT_INTRO.finditer(view.norm, 0, limit):
            # "Ward 12, patient Mr Leonard Osei": only among the memo's opening words.
            if m.group("opening") and view.word_index(m.start()) > 10:
                continue
            name = name_after(view, m.end(), len(view.norm))
            if name:
                intro.append(name)
        if intro:
            break
    if intro:
        best = max(intro, key=lambda n: (len(n.text.split()), n.start))
        return Mention(best.start, best.end, best.text, 0.9)
    cased = view.original != view.norm
    for word in view.words:
        if name_like(word.text) and not (cased and not view.original[word.start].isupper()):
            name = name_after(view, word.start, len(view.norm))
            described = _DESCRIBED.match(view.norm, name.end) if name and cased else None
            if name and not cased and len(name.text.split()) > 1 and view.word_index(name.start) <= 2:
                for loose in _DESCRIBED_LOOSE:
                    found = loose.match(view.norm, name.end)
                    if found and (
                        _SUBJECT_AGE.match(view.norm, found.end()) or _AGE_LOOSE.match(view.norm, found.end())
                    ):
                        described = found
                        break
            if name and (
                _SUBJECT_AGE.match(view.norm, name.end)
                or (
                    described
                    and (
                        _SUBJECT_AGE.match(view.norm, described.end())
                        or (not cased and _AGE_LOOSE.match(view.norm, described.end()))
                    )
                )
                or (len(name.text.split()) > 1 and _AGE_LOOSE.match(view.norm, name.end))
                or (not cased and len(name.text.split()) > 1 and _AGE_UNPUNCTUATED.match(view.norm, name.end))
                or _AGE_BEFORE.search(view.norm, max(0, name.start - 40), name.start)
            ):
                return Mention(name.start, name.end, name.text, 0.7)
    return _labelled_opening(view) or _titled_opening(view)


def _labelled_opening(view: TextView) -> Mention | None:
    """A full name set off after the memo's opening label and named again later ("DSL note, Tia Brannigan,
    Year 9. ... Tia's account"; "Court work, Isla Grant. ... Isla's")."""
    if not view.punctuated:
        return None
    label = re.match(r"\s*(?:[a-z][\w'-]*\s+){0,3}[a-z][\w'-]*\s*[,:;-]\s*", view.norm)
    if label is None:
        return None
    name = name_after(view, label.end(), len(view.norm))
    if name is None or name.start != label.end() or len(name.text.split()) < 2:
        return None
    if not re.match(r"\s*(?:[,.:;-]|$)", view.norm[name.end : name.end + 2]):
        return None
    first, last = name.text.lower().split()[0], name.text.lower().split()[-1]
    if rx(r"\b(?:" + re.escape(first) + "|" + re.escape(last) + r")(?:'?s)?\b").search(view.norm, name.end):
        return Mention(name.start, name.end, name.text, 0.6)
    return None


def _titled_opening(view: TextView) -> Mention | None:
    """A titled full name among the memo's first words, named again later and given no role ("Adult
    safeguarding, Mrs Gloria Mensah. ... Mrs Mensah's flat")."""
    opening = view.words[min(8, len(view.words)) - 1].end if view.words else 0
    for m in _TITLED.finditer(view.norm, 0, opening):
        name = name_after(view, m.end(), len(view.norm))
        if name is None or len(name.text.split()) < 2:
            continue
        surname = name.text.lower().split()[-1]
        again = rx(r"\b" + re.escape(surname) + r"(?:'?s)?\b").search(view.norm, name.end)
        # A memo that opens on the titled name ("Mr Harold Fenwick. Rang the bank...") is about them.
        again = again or view.word_index(m.start()) <= 3
        if again and not roles_in(view, max(0, m.start() - 30), min(len(view.norm), name.end + 30)):
            return Mention(name.start, name.end, name.text, 0.6)
    return None


def frequent_subject(view: TextView, exclude: set[str]) -> Mention | None:
    """The person named most often, counterparts and `exclude` aside: whom a memo with no intro is about."""
    cased = view.original != view.norm
    counts: dict[str, int] = {}
    firsts: dict[str, Mention] = {}
    cued: set[str] = set()
    for index, word in enumerate(view.words):
        text = word.text[:-2] if word.text.endswith("'s") else word.text
        if text in exclude or not name_like(text):
            continue
        if cased and not view.original[word.start].isupper():
            continue
        if index and view.words[index - 1].text == text:
            continue
        counts[text] = counts.get(text, 0) + 1
        if text != word.text or _SUBJECT_CUE_BEFORE.search(view.norm, max(0, word.start - 12), word.start):
            cued.add(text)
        if text not in firsts or len(firsts[text].text.split()) < 2:
            name = name_after(view, word.start, len(view.norm))
            end = word.start + len(text)
            if name is None and text != word.text:
                name = Mention(word.start, end, view.original[word.start : end])
            elif name is not None and name.end == end and index + 1 < len(view.words):
                nxt = view.words[index + 1]
                if nxt.text.endswith("'s") and name_like(nxt.text[:-2]) and nxt.start - end <= 1:
                    name = Mention(word.start, nxt.end - 2, view.original[word.start : nxt.end - 2])
            if (
                name is not None
                and name.text.lower().split()[0] == text
                and (text not in firsts or len(name.text.split()) > len(firsts[text].text.split()))
            ):
                firsts[text] = name
    ranked = [
        t
        for t in counts
        if t in firsts
        and (counts[t] >= 2 or t in cued)
        and (cased or len(firsts[t].text.split()) > 1 or counts[t] >= 3)
    ]
    if not ranked:
        return None
    best = max(ranked, key=lambda t: (counts[t] + (t in cued), -firsts[t].start))
    found = firsts[best]
    words = found.text.split()
    if not cased and len(words) > 1 and words[-1].endswith("s"):
        words = words[:-1]
    text = " ".join(words)
    return Mention(found.start, found.start + len(text), text, 0.5)


def find_kind(view: TextView, event: Event, name_words: set[str]) -> tuple[str, Mention]:
    """Whether the event shared, received, was refused or withheld information."""
    norm, start, end = view.norm, event.start, event.end
    withheld = (
        _WITHHELD.search(norm, start, end)
        or _our_withholding(view, start, end)
        or _unsaid_withholding(view, start, end)
    )
    if withheld:
        return "withheld", _mention(view, withheld, 0.8)
    bare = _bare_refusal(view, start, end, name_words)
    if bare is not None:
        ours = _request_is_ours(view, start, bare.start())
        if ours is False:
            return "withheld", _mention(view, bare, 0.7)
        if ours:
            return "refused", _mention(view, bare, 0.7)
    asks = [m.start() for m in (_ASK.search(norm, start, end), _ASK_LOOSE.search(norm, start, end)) if m]
    if asks:
        for m in list(_REFUSAL.finditer(norm, start, end)) + list(_REFUSAL_NAME.finditer(norm, start, end)):
            if m.start() < min(asks):
                continue
            before = norm[max(start, m.start() - 60) : m.start()]
            after = norm[m.end() : m.end() + 12]
            subject_word = before.split()[-1].strip(",;:") if before.split() else ""  # "Meg Tate, refused"
            if _CONSENTISH.search(before[-45:]) or _CONSENTISH.search(after):
                continue
            if _PERMISSION_ASK.search(
                norm, max(start, view.sentence_start_before(m.start()) - 200), m.start()
            ):
                continue
            if (
                m.re is _REFUSAL
                or subject_word in name_words | {"he", "she", "they"}
                or _written_name(view, m.start())
            ):
                return "refused", _mention(view, m, 0.75)
    share = _SHARE.search(norm, max(start, event.anchor_start - 12), end)
    # What the subject told us before our own call ("Erin told me today...; I rang the nurse") is not
    # what the call received.
    ours = event.contact and _OUR_ANCHOR.search(norm, max(start, event.anchor_start - 24), event.anchor_start)
    from_at = max(start, event.anchor_start) if ours else start
    incoming = (
        _INCOMING.search(norm, from_at, end)
        or _their_call_to_tell(view, from_at, end)
        or _their_bare_call(view, event)
    )
    answered = share is not None and _ASK.search(norm, start, share.start())
    if (
        isinstance(answered, re.Match)
        and incoming is not None
        and _CALL_BACK.match(norm, incoming.start())
        and answered.end() <= incoming.start()
    ):
        # "I asked X whether ...; she rang me back and told me": the call-back answers our question.
        answered = None
    if incoming and not answered and (share is None or incoming.start() < share.start()):
        return "received", _mention(view, incoming, 0.75)
    meeting = _TOLD_MEETING.search(norm, start, end)
    if (
        meeting
        and not _OURS_BEFORE.search(norm[max(start, meeting.start() - 100) : meeting.start()])
        and not _OWN_SHARE.search(norm, start, end)
    ):
        # "The probation officer, Lee Shaw, told the meeting that...": shared with us at a meeting.
        return "received", _mention(view, meeting, 0.6)
    if share and share.group("verb2") and not answered and _THIRD_SHARING.search(norm, start, end):
        if not _OWN_SHARE.search(norm, start, end):
            return "received", _mention(view, share, 0.6)
    if share:
        return "shared", _mention(view, share, 0.8)
    return "shared", Mention(event.anchor_start, event.anchor_end, "shared", 0.4)


def _their_bare_call(view: TextView, event: Event) -> re.Match[str] | None:
    """A call told as the counterpart's, closing its clause ("At ten, nurse Bev Ash, Hill Trust, rang.")."""
    if not event.contact:
        return None
    norm = view.norm
    m = _BARE_CALL.match(norm, event.anchor_start) or _BARE_CALL_SAID.match(norm, event.anchor_start)
    if m is None and not view.punctuated:
        # "district nurse bev ash sandford nursing rang irene has a pressure sore": no full stop after the
        # call, the next clause's own subject and verb follow it.
        m = _BARE_CALL_CLAUSE.match(norm, event.anchor_start)
    if m is None:
        return None
    sentence = view.sentence_start_before(event.anchor_start) if view.punctuated else event.anchor_start - 60
    before = norm[max(event.start, sentence) : event.anchor_start]
    if re.search(r"\b(?:i|we)\b", before) or not before.strip():
        return None
    return m


def _written_name(view: TextView, at: int) -> bool:
    """Whether a titled name ("Dr Stroud") or, as written, a capitalised name ends just before `at`."""
    if _TITLED_BEFORE.search(view.norm, max(0, at - 40), at):
        return True
    if view.original == view.norm:
        return False
    m = re.search(r"\b([A-Z][\w'-]+)\s+$", view.original[max(0, at - 30) : at])
    return bool(m) and m.group(1).lower() not in _KIN_WORDS and m.group(1).lower() not in _SUBJECTISH


def _bare_refusal(view: TextView, start: int, end: int, name_words: set[str]) -> re.Match[str] | None:
    """A refusal told with no one named as its subject ("Refused.", "...rang back and declined")."""
    norm = view.norm
    for m in _BARE_REFUSAL.finditer(norm, start, end):
        if _CONSENTISH.search(norm, m.end(), m.end() + 14):
            continue
        if m.group("lead").strip() in ("", ".", ";", ":", "!", "?") and not view.punctuated:
            continue
        return m
    if not view.punctuated:
        for m in _BARE_REFUSAL_LOOSE.finditer(norm, start, end):
            if _CONSENTISH.search(norm, m.end(), m.end() + 14) or not _subject_less(norm, m.start()):
                continue
            if norm[max(0, m.start() - 30) : m.start()].split()[-1] in name_words:
                continue
            return m
    return None


def _subject_less(norm: str, at: int) -> bool:
    """Whether the word before `at` leaves the verb at `at` with no subject of its own (unpunctuated text)."""
    words = norm[max(0, at - 30) : at].split()
    return bool(words) and words[-1] not in _SUBJECTISH and words[-1] not in _KIN_WORDS


def _request_is_ours(view: TextView, start: int, at: int) -> bool | None:
    """Whether the request answered at `at` was ours (True), the counterpart's (False), or none was told."""
    norm = view.norm
    asks = list(_ASK_LOOSE.finditer(norm, start, at))
    if not asks:
        return None
    ask = asks[-1]
    if view.punctuated:
        clause = norm[max(start, view.sentence_start_before(ask.start())) : ask.start()]
    else:
        clause = norm[max(start, ask.start() - 100) : ask.start()]
    if ask.group().startswith(("asking", "wanting", "requesting", "enquiring", "inquiring")):
        return bool(_OUR_CALL_BEFORE.search(clause))
    pronouns = re.findall(r"\b(?:i|we|he|she|they)\b", clause)
    if pronouns:
        return pronouns[-1] in ("i", "we")
    return _INCOMING.search(norm, start, ask.start()) is None


def _unsaid_withholding(view: TextView, start: int, end: int) -> re.Match[str] | None:
    """The writer's refusal told without a subject or in the passive ("Didn't confirm or deny.", "Not
    sending the file.", "the decision was made not to share", "the names would not be shared")."""
    norm = view.norm
    found = list(_UNSAID_WITHHELD.finditer(norm, start, end))
    if not view.punctuated:
        found += [m for m in _UNSAID_LOOSE.finditer(norm, start, end) if _subject_less(norm, m.start())]
    # "...advised that the names would not be shared" answers their request; after our own telling it is
    # a reassurance ("told mum the detail would not be shared with other parents").
    found += [
        m
        for m in _PASSIVE_WITHHELD.finditer(norm, start, end)
        if _request_is_ours(view, start, m.start()) is False
    ]
    for m in sorted(found, key=lambda m: m.start()):
        if not _FAMILY_AFTER.match(norm, m.end()):
            return m
    return None


def _their_call_to_tell(view: TextView, start: int, end: int) -> re.Match[str] | None:
    """A call the counterpart made to pass something on ("PC Brooks phoned yesterday to pass on that")."""
    for m in _CALLED_TO_TELL.finditer(view.norm, start, end):
        before = view.norm[max(start, view.sentence_start_before(m.start())) : m.start()]
        words = before.split()
        if (
            words
            and words[-1] not in ("i", "we", "also", "then", "just", "and")
            and not re.search(r"\b(?:i|we)\s+(?:\w+\s+){0,2}$", before)
        ):
            return m
    return None


def _our_withholding(view: TextView, start: int, end: int) -> re.Match[str] | None:
    """A decision not to share made by the practitioner ("I checked ... and decided not to share")."""
    for m in _WITHHOLD_DECISION.finditer(view.norm, start, end):
        before = view.norm[max(start, view.sentence_start_before(m.start())) : m.start()]
        subjects = list(re.finditer(r"\b(?:i|we|he|she|they|the|who|which|[\w'-]+'s)\b", before))
        if (
            subjects
            and subjects[-1].group() in ("i", "we")
            and len(before[subjects[-1].end() :].split()) <= 8
        ):
            return m
    return None


def _mention(view: TextView, m: re.Match[str], confidence: float) -> Mention:
    return Mention(m.start(), m.end(), m.group(), confidence)


def _skip_recipient(view: TextView, offset: int, spans: list[Mention]) -> int:
    norm = view.norm
    while True:
        m = re.match(
            r"[\s,]*(?:(?:with|to|from|at)\s+|(?:him|her|them|us)\b\s*|(?:the|a|an|his|her|their)\s+(?=\S))?",
            norm[offset:],
        )
        moved = offset + (m.end() if m else 0)
        span = next((s for s in spans if s.start <= moved < s.end or s.start == moved), None)
        if span is not None:
            moved = span.end
        if moved == offset:
            break
        offset = moved
    that = re.match(r"[\s,]*that\b", norm[offset:])
    return offset + (that.end() if that else 0)


def find_information(view: TextView, event: Event, kind: str, spans: list[Mention]) -> Mention | None:
    """The core phrase for what was shared, received or asked for."""
    norm, start, end = view.norm, event.start, event.end
    if kind == "withheld":
        decision = _our_withholding(view, start, end)
        obj = _WITHHELD_OBJECT.match(norm, decision.end()) if decision else None
        if obj and re.match(r"decided|chose|agreed|opted|declined|refused", decision.group()):
            begin = obj.end()
            comma = norm.find(",", begin, end)
            found = _clip(view, begin, comma if comma != -1 else end, spans)
            if found and len(found.text.split()) >= 2:
                return found
    if kind in ("refused", "withheld"):
        m = _ASK_INFO.search(norm, start, end)
        if m:
            lead = re.search(r"(?:for|about|to\s+see|to\s+have)\s*$", m.group())
            begin = m.end() if lead else m.end() - len(re.search(r"\w+$", m.group()).group())
            # The question's own words may name people and bodies: no counterpart cut inside it.
            answer = None if view.punctuated else _ANSWER.search(norm, view.advance_words(begin, 3), end)
            return _clip(view, begin, answer.start() if answer else end, [])
    if kind == "received":
        found = [f for f in (_received_verb(view, event), _their_call_to_tell(view, start, end)) if f]
        m = min(found, key=lambda f: f.start()) if found else _SAYS.search(norm, start, end)
    else:
        m = _SHARE.search(norm, max(start, event.anchor_start - 12), end) or _SHARE.search(norm, start, end)
        told = _OUR_CALL_TO_TELL.search(norm, start, end) or _INFO_WAS.search(norm, start, end)
        if told and (m is None or told.start() < m.start()):
            m = told
        if m is None and kind == "shared":
            m = next(
                (
                    b
                    for b in _SHARED_BARE.finditer(norm, start, end)
                    if not re.search(
                        r"\b(?:he|she|they|who|has|had|have|been|was|were)\s+$",
                        norm[max(start, b.start() - 12) : b.start()],
                    )
                ),
                None,
            )  # "...Avonmere Police control room shared that Harold's been found..." (no 'I', no full stop)
        if m is None and kind == "shared":
            return _told_in_other_words(view, event, spans)
        if m is None and kind == "withheld":
            m = _CONSIDER.search(norm, start, end)  # "I thought about telling X that ..."
    if m is None:
        split = _PASSED_ON_TO.search(norm, start, end)
        if split:
            s, e, text = trim(view.original, split.start("obj"), split.end("obj"))
            return Mention(s, e, text, 0.6) if text else None
        return _after_contact(view, event, spans) if kind == "received" else None
    verb_end = m.end("verb") if m.groupdict().get("verb") else m.end()
    # "sent over to Priya Deol, the adviser at Cafcass, our history...": past the particle to the recipient.
    particle = re.match(r"\s+(?:over|across|on|back|out|through)\s+to\b", norm[verb_end : verb_end + 20])
    verb_end += particle.end() if particle else 0
    begin = _skip_recipient(view, verb_end, spans)
    begin = _skip_appositive(view, begin, end, spans)
    what_was = re.match(
        r"\s*(?:was|is)\s+(?:that\s+)?", norm[begin : begin + 16]
    )  # "What he told me was that..."
    begin += what_was.end() if what_was else 0
    that = _RECIPIENT_THAT.match(norm, verb_end + len(norm[verb_end:]) - len(norm[verb_end:].lstrip()))
    if that and that.end() < view.sentence_end_after(verb_end, end):
        begin = that.end()
    else:
        # "told her form tutor at Brook High Mrs Ann Rowe that ...": a recipient the spans know, then 'that'.
        named = re.match(r"(?:[\s,]+[\w'&-]+){1,14}?[\s,]+that\b", norm[verb_end : min(end, verb_end + 160)])
        if (
            named
            and verb_end + named.end() < view.sentence_end_after(verb_end, end)
            and any(verb_end <= sp.start < verb_end + named.end() for sp in spans)
            and begin < verb_end + named.end()
        ):
            begin = verb_end + named.end()
    keep_because = _EXPLICIT_REASON.search(norm, begin, end) is not None
    return _clip(view, begin, end, spans, keep_because)


def _told_in_other_words(view: TextView, event: Event, spans: list[Mention]) -> Mention | None:
    """What we told, introduced by a verb outside the common share verbs: "notified her of X", "made him aware
    that X", "passed X on to her", "raised X with them", "mentioned to her that X"."""
    norm, start, end = view.norm, event.start, event.end
    lo = max(start, event.anchor_start - 12)
    person = _SHARE_PERSON_FIRST.search(norm, lo, end) or _SHARE_PERSON_FIRST.search(norm, start, end)
    what = _SHARE_WHAT_FIRST.search(norm, lo, end) or _SHARE_WHAT_FIRST.search(norm, start, end)
    if person and (what is None or person.start() <= what.start()):
        return _clip(view, person.end(), end, spans)
    if what is None:
        return None
    verb_end = what.end("verb")
    that = _RECIPIENT_THAT.match(norm, verb_end + len(norm[verb_end:]) - len(norm[verb_end:].lstrip()))
    if that and that.end() < view.sentence_end_after(verb_end, end):
        return _clip(view, that.end(), end, spans)
    begin = verb_end + len(re.match(r"[\s,]*(?:that\s+)?", norm[verb_end:]).group())
    sentence_end = view.sentence_end_after(begin, end)
    tail = _RECIPIENT_TAIL.search(norm, begin, sentence_end)
    found = _clip(view, begin, tail.start() if tail else end, spans)
    if found is None or tail is None:
        return found
    return found


def _side_talk(view: TextView, offset: int) -> bool:
    """Whether what a 'said' introduces is their basis or the consent position, not the information."""
    return bool(
        _SIDE_TALK.search(
            view.norm, offset, min(view.advance_words(offset, 9), view.sentence_end_after(offset))
        )
    )


def _after_contact(view: TextView, event: Event, spans: list[Mention]) -> Mention | None:
    """What they told us when no verb introduces it: the words right after their call ("Kofi Mensah, Ridgeway
    Homes, rang. Neighbours say ...")."""
    norm, end = view.norm, event.end
    if view.punctuated:
        begin = view.sentence_end_after(event.anchor_end, end) + 1
        rest = norm[event.anchor_end : begin - 1]
        if len(rest.split()) > 6 or begin >= end:
            return None
    else:
        begin = event.anchor_end
        for span in spans:
            if begin <= span.start <= begin + 2:
                begin = span.end
        lead = _CONTACT_TAIL.match(norm, begin)
        begin = lead.end() if lead else begin
    begin += len(_CLAUSE_LEAD.match(norm, begin).group())
    if _THEIR_PURPOSE.match(norm, begin) or _OPENS_REASON.match(norm, begin) or _SIDE_TALK.match(norm, begin):
        return None
    found = _clip(view, begin, end, [s for s in spans if s.start >= begin])
    return found if found and len(found.text.split()) >= 3 else None


def _skip_appositive(view: TextView, begin: int, end: int, spans: list[Mention]) -> int:
    """Past the rest of a recipient told between commas ("sent Ann Bell, adviser at Cafcass, our chronology";
    "gave the practitioner there, a man called Dev, the school's account")."""
    norm = view.norm
    for _ in range(2):
        comma = norm.find(",", begin, min(end, view.advance_words(begin, 9)))
        if comma == -1 or view.sentence_end_after(begin, end) < comma:
            break
        chunk = norm[begin:comma]
        lead = begin + len(chunk) - len(chunk.lstrip())
        covered = any(s.start <= lead + 4 and s.end > lead for s in spans)
        if not (covered or _APPOSITION.fullmatch(chunk.strip())) or not chunk.strip():
            break
        begin = comma + 1
    return begin


def _received_verb(view: TextView, event: Event) -> re.Match[str] | None:
    """The first verb that introduces what the counterpart told us (not one that opens their reason)."""
    norm, start, end = view.norm, event.start, event.end
    found = []
    for pattern in (_RECEIVED, _RECEIVED_THAT):
        for lo in (max(start, event.anchor_start - 12), start):
            for m in pattern.finditer(norm, lo, end):
                verb_end = m.end("verb") if m.groupdict().get("verb") else m.end()
                if not _OPENS_REASON.match(norm, verb_end) and not _side_talk(view, verb_end):
                    found.append((lo != start, m))
                    break
    if not found:
        return None
    near = [m for preferred, m in found if preferred] or [m for _, m in found]
    return min(near, key=lambda m: m.start())


def _clip(
    view: TextView, begin: int, end: int, spans: list[Mention], keep_because: bool = False
) -> Mention | None:
    limit = min(
        end, view.sentence_end_after(begin, end), view.advance_words(begin, 60 if view.punctuated else 40)
    )
    limit = unpunctuated_clause_end(view, begin, limit)
    if not view.punctuated:
        info_clause = _NEW_CLAUSE_INFO.search(view.norm, view.advance_words(begin, 2), limit)
        limit = info_clause.start() if info_clause else limit
    for pattern in (_REASON, _INFO_STOP, _INFO_END, _SO_PURPOSE):
        for stop in pattern.finditer(view.norm, begin + 1, limit):
            if (
                keep_because
                and pattern is _REASON
                and re.match(r"[\s,;-]*(?:because|as\b)", stop.group(), re.I)
            ):
                continue
            limit = stop.start()
            break
    first_word = view.advance_words(begin, 1)
    for span in spans:
        # A possessed role is part of what was told ("the screenshots Noah's foster carer took"),
        # not the recipient.
        if first_word < span.start < limit and not re.search(
            r"\w's\s+$", view.norm[max(0, span.start - 30) : span.start]
        ):
            limit = span.start
    s, e, text = trim(view.original, begin, limit)
    text = re.sub(r"(?:\s+(?:to|with|from|for)(?:\s+(?:the|a|an|his|her|their))?)+$", "", text)
    return Mention(s, s + len(text), text, 0.7) if text else None


def find_reason(
    view: TextView, event: Event, kind: str, info: Mention | None, kind_at: Mention
) -> Mention | None:
    """Why the decision the record records was taken, in the memo's words."""
    norm, end = view.norm, event.end
    if kind == "refused":
        cue_end = None
        said = _NAMED_SAID if view.punctuated else _SAID
        for m in said.finditer(norm, max(event.start, view.sentence_start_before(kind_at.start)), end):
            said_no = re.match(r"\s*no\b[\s,:;-]*", norm[m.end() : m.end() + 8])
            if said_no is None:
                cue_end = m.end()
                break
            if not re.match(r"\s*no\s*(?:[.!?]|$)", norm[m.end() : m.end() + 8]):
                cue_end = m.end() + said_no.end()  # "She said no, she wasn't prepared to..."
                break
            # "She said no." is the refusal itself: its reason comes after.
        right_after = _REFUSAL_SAID.match(norm, kind_at.end)
        cue_end = cue_end if cue_end is not None else (right_after.end() if right_after else None)
        if cue_end is None:
            because = rx(r"\bbecause\b").search(norm, kind_at.start, end)
            cue_end = because.end() if because else None
        if cue_end is None:  # "She wasn't prepared to go into it. Her view was that..."
            frame = _THEIR_VIEW.search(norm, kind_at.end, end)
            cue_end = frame.end() if frame else None
        found = _reason_text(view, cue_end, end) if cue_end else None
        return found or _after_refusal(view, kind_at, end)
    if kind == "withheld":
        return _withheld_reason(view, event, kind_at)
    after = info.end if info else event.anchor_end
    begin = event.anchor_start if kind == "shared" else after
    reason_is = _REASON_IS.search(norm, event.start, end)
    if reason_is:
        found = _reason_text(view, reason_is.end(), end)
        if found:
            return found
    for stated in _THEIR_PURPOSE.finditer(
        norm, event.start if kind == "received" else event.anchor_start, end
    ):
        if info and info.start <= stated.start() < info.end:
            continue
        strip = re.match(r"[\s,]*(?:because|cos|as|since)\b", norm[stated.end() :])
        found = _reason_text(view, stated.end() + (strip.end() if strip else 0), end)
        if found:
            return found
    purpose = _PURPOSE_SENTENCE.search(norm, event.start, end)
    if purpose and not (info and info.start <= purpose.start() < info.end):
        opening = _PURPOSE_START.match(norm, purpose.end())
        if opening:
            strip = re.match(r"[\s,]*(?:because|as|since)\b", norm[purpose.end() :])
            found = _reason_text(view, purpose.end() + (strip.end() if strip else 0), end)
            if found:
                return found
    if kind == "shared":
        opening = _purpose_before(view, event, opening_only=True)
        if opening:
            return opening
    explicit = _EXPLICIT_REASON.search(norm, event.start, end)
    if explicit:
        begin = explicit.end()
    cased = view.original != norm
    to_cues = [
        m
        for m in _COMMA_TO.finditer(norm, begin, end)
        if (
            "," in m.group() and view.original[m.end()].islower()
            if cased
            else "," not in m.group() or not name_like(norm[m.end() :].split()[0])
        )
    ]
    cues = sorted(
        list(_REASON.finditer(norm, begin, end)) + list(_SO_PURPOSE.finditer(norm, begin, end)) + to_cues,
        key=lambda c: (_REASON_WEAK.match(c.group()) is not None, c.start()),
    )
    for cue in cues:
        clause = norm[max(event.start, cue.start() - 50) : cue.start()]
        if _CONSENTISH.search(clause[clause.rfind(".") + 1 :]) or (
            info and info.start <= cue.start() < info.end
        ):
            continue
        if _THAT_IS_WHY.match(norm, cue.start()):
            # "They pass on any incident like this, which is why it came to us": the reason is the
            # clause before.
            lo = max(event.start, view.sentence_start_before(cue.start()))
            lo += len(_CLAUSE_LEAD.match(norm, lo).group())
            s, e, text = trim(view.original, lo, cue.start())
            if text and len(text.split()) >= 3 and not (info and lo < info.end and info.start < cue.start()):
                return Mention(s, e, text, 0.55)
            continue
        wanted = _WANTED.search(norm, after, cue.start())
        if kind == "received" and wanted and view.sentence_end_after(wanted.end(), end) < cue.start():
            return Mention(wanted.start(), wanted.end(), view.original[wanted.start() : wanted.end()], 0.6)
        return _reason_text(view, _reason_begin(norm, cue.start()), end)
    wanted = _WANTED.search(norm, after, end)
    if wanted:
        return Mention(wanted.start(), wanted.end(), view.original[wanted.start() : wanted.end()], 0.6)
    if kind == "shared":
        wanted_them = _WE_WANTED.search(norm, event.anchor_start, end)
        if wanted_them:
            return _reason_text(view, wanted_them.start(), end)
        return _purpose_before(view, event) or _reason_sentence_before(view, event)
    return None


def _reason_sentence_before(view: TextView, event: Event) -> Mention | None:
    """A why said in its own sentence before the call: "I'll start with the why: so that school can...",
    "Because mum is in hospital, school needs to know who collects him. At ten I rang..."."""
    if not view.punctuated:
        return None
    norm = view.norm
    anchor_sentence = view.sentence_start_before(event.anchor_start)
    # The memo's lead-in before its first call belongs to that call.
    at = 0 if not _ANY_CONTACT.search(norm, 0, event.start) else event.start
    while at < anchor_sentence:
        sentence_end = view.sentence_end_after(at + 1, anchor_sentence)
        begin = at + len(norm[at:sentence_end]) - len(norm[at:sentence_end].lstrip())
        cue = _REASON.match(norm, begin) or _SO_PURPOSE.match(norm, begin)
        if cue is None:  # "And because ...", "Erm, so that ..."
            begin += len(_CLAUSE_LEAD.match(norm, begin).group())
            cue = _REASON.match(norm, begin) or _SO_PURPOSE.match(norm, begin)
        if cue and not _OWN_SHARE.search(norm, begin, sentence_end):
            start = _reason_begin(norm, begin)
            s, e, text = trim(view.original, start, sentence_end)
            if text and len(text.split()) >= 3:
                return Mention(s, e, text, 0.5)
        at = sentence_end + 1
    return None


def _reason_begin(norm: str, at: int) -> int:
    """Where a reason's text starts at a cue: after a cause cue or a 'the idea being' frame, at a
    purpose cue."""
    lead = _REASON_LEAD.match(norm, at)
    if lead and lead.end() < len(norm) and not norm[lead.end() - 1].isalnum():
        return lead.end()
    return at + len(norm[at:]) - len(norm[at:].lstrip(" ,;:-\u2013"))


def _after_refusal(view: TextView, kind_at: Mention, end: int) -> Mention | None:
    """Their reason told after the refusal with no 'said' cue: "declined, stating that...", "She wouldn't
    say, needs the tenant's consent", "Refused. Practice needs a signed form."."""
    norm = view.norm
    lo = view.sentence_start_before(kind_at.start)
    so = re.search(r"[\s,]+(?:and\s+)?so\s+(?:[\w']+\s+){0,2}$", norm[lo : kind_at.start])
    if so and kind_at.start - lo < 400:
        begin = lo + len(_CLAUSE_LEAD.match(norm, lo).group())
        s, e, text = trim(view.original, begin, lo + so.start())
        if text and len(text.split()) >= 3:
            return Mention(s, e, text, 0.55)
    sentence_end = view.sentence_end_after(kind_at.end, end)
    cue = _REFUSAL_CUE.search(norm, kind_at.end, min(sentence_end, view.advance_words(kind_at.end, 14)))
    if cue:
        return _reason_text(view, cue.end(), end)
    obj = _REFUSAL_OBJECT.match(norm, kind_at.end)
    offset = obj.end() if obj else kind_at.end
    if view.punctuated:
        comma = norm.find(",", offset, min(sentence_end, view.advance_words(offset, 3)))
        if comma != -1:
            lead = _REFUSAL_SAID.match(norm, comma + 1)
            found = _reason_text(view, lead.end() if lead else comma + 1, end)
            if found and len(found.text.split()) >= 3:
                return found
        if sentence_end + 1 >= end:
            return None
        offset = sentence_end + 1
    lead = _REFUSAL_SAID.match(norm, offset)
    found = _reason_text(view, lead.end() if lead else offset, end)
    return found if found and len(found.text.split()) >= 3 else None


def _purpose_before(view: TextView, event: Event, opening_only: bool = False) -> Mention | None:
    """A purpose clause said before the decision verb ("because she scored high, I sent..."); with
    `opening_only`, only one that opens the sentence ("So that she can plan, I emailed...")."""
    lo = max(event.start, view.sentence_start_before(event.anchor_start))
    if opening_only:
        lo += len(view.norm[lo : lo + 8]) - len(view.norm[lo : lo + 8].lstrip())
        lo += len(_CLAUSE_LEAD.match(view.norm, lo).group()) if not view.norm.startswith("so", lo) else 0
    for m in _PURPOSE_BEFORE.finditer(view.norm, lo, event.anchor_start + 1):
        if opening_only and (m.start() != lo or not view.punctuated):
            break
        lead = re.match(r"because|since", m.group())
        begin = m.start() + (lead.end() if lead else 0)
        s, e, text = trim(view.original, begin, m.end() - 1)
        if text and len(text.split()) >= 2:
            return Mention(s, e, text, 0.5)
    return None


def unpunctuated_clause_end(view: TextView, begin: int, limit: int) -> int:
    """In text without punctuation, where a new clause starts ("... at risk he refused he said ...")."""
    if view.punctuated:
        return limit
    found = _NEW_CLAUSE.search(view.norm, view.advance_words(begin, 2), limit)
    return found.start() if found else limit


def _reason_text(view: TextView, begin: int, end: int) -> Mention | None:
    cap = 45 if view.punctuated else 28
    limit = min(end, view.sentence_end_after(begin + 1, end), view.advance_words(begin, cap))
    limit = unpunctuated_clause_end(view, begin, limit)
    clause = _CLAUSE_STOP.search(view.norm, view.advance_words(begin, 3), limit)
    limit = clause.start() if clause else limit
    said = _AND_SAID.search(view.norm, begin + 1, limit)
    limit = said.start() if said else limit
    if not view.punctuated:  # "... a safe and well visit bert refused consent when I saw him"
        refusal = _CONSENT_REFUSED.search(view.norm, view.advance_words(begin, 4), limit)
        limit = refusal.start() if refusal else limit
    stop = _REASON_STOP.search(view.norm, begin + 1, limit)
    s, e, text = trim(view.original, begin, stop.start() if stop else limit)
    return Mention(s, e, text, 0.65) if text else None


class _At:
    """A found span that reads like a regex match (start() and end())."""

    def __init__(self, mention: Mention) -> None:
        self._start, self._end = mention.start, mention.end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _withheld_reason(view: TextView, event: Event, kind_at: Mention | None = None) -> Mention | None:
    norm, end = view.norm, event.end
    ours = _our_withholding(view, event.start, end)
    cues = sorted(
        list(_WITHHELD.finditer(norm, event.start, end)) + ([ours] if ours else []), key=lambda c: c.start()
    )
    if not cues and kind_at is not None and event.start <= kind_at.start < kind_at.end <= end:
        cues = [_At(kind_at)]
    for cue in cues[:1]:
        lo = max(event.start, view.sentence_start_before(cue.start()))
        so = _SO_BEFORE.search(norm, lo, cue.start() + 1)
        if so and re.fullmatch(
            r"(?:(?:i|we)(?:\s+(?:then|have|had|also))?\s*)?", norm[so.end() : cue.start()]
        ):
            begin = lo + len(_CLAUSE_LEAD.match(norm, lo).group())
            s, e, text = trim(view.original, begin, so.start())
            if text and len(text.split()) >= 3:
                return Mention(s, e, text, 0.55)
    for cue in cues:
        because = rx(r"\b(?:because|as)\b").search(
            norm, cue.end(), min(end, view.advance_words(cue.end(), 15))
        )
        if because and view.sentence_end_after(cue.end(), end) > because.start():
            return _reason_text(view, because.end(), end)
    if not cues:  # a withheld record whose wording no cue knows: no reason rather than a crash
        return None
    cue = cues[0]
    sentence_end = view.sentence_end_after(cue.end(), end)
    near = view.advance_words(cue.end(), 12)
    comma = norm.find(",", cue.end(), min(sentence_end, near))
    if comma != -1:
        lead = _TELL_LEAD.match(norm, comma + 1)
        begin = lead.end() if lead else comma + 1
        return _reason_text(view, begin, end) or _first_next_sentence(view, cues, end)
    if sentence_end < near and sentence_end < end:
        return _reason_text(view, sentence_end + 1, end)
    obj = rx(r"\b(?:it|anything|that|them|this|records|information|him|her|details)\b").search(
        norm, cue.end(), near
    )
    begin = obj.end() if obj else cue.end()
    # "i didn't give it to him i said the placement address is confidential...": past the recipient
    # and 'I said'.
    recipient = re.match(r"\s+(?:to|with)\s+(?:him|her|them|the\s+[\w'-]+)\b", norm[begin : begin + 30])
    begin += recipient.end() if recipient else 0
    lead = _TELL_LEAD.match(norm, begin)
    found = _reason_text(view, lead.end() if lead else begin, end)
    return found or _first_next_sentence(view, cues, end)


def _first_next_sentence(view: TextView, cues: list[re.Match[str]], end: int) -> Mention | None:
    for cue in cues:
        found = _next_sentence(view, cue.end(), end)
        if found:
            return found
    return None


def _next_sentence(view: TextView, offset: int, end: int) -> Mention | None:
    sentence_end = view.sentence_end_after(offset, end)
    return _reason_text(view, sentence_end + 1, end) if sentence_end + 1 < end else None


def _full_name(view: TextView, mention: Mention, exclude: set[str]) -> bool:
    """Whether cased text names someone in full ("Darren Pike") who is neither subject nor counterpart."""
    if view.original == view.norm:
        return False
    words = view.words_between(mention.start, mention.end)
    for index, (first, second) in enumerate(zip(words, words[1:], strict=False)):
        if second.start - first.end != 1 or view.sentence_start_before(first.start) >= first.start:
            continue
        after = words[index + 2] if index + 2 < len(words) else None
        if after is not None and view.original[after.start].isupper():
            continue
        last = second.text.removesuffix("'s")
        if not (view.original[first.start].isupper() and view.original[second.start].isupper()):
            continue
        if last in _PLACE_WORDS:
            continue
        if name_like(first.text) and name_like(last) and not {first.text, last} & exclude:
            return True
    return False


def third_party_names(view: TextView) -> set[str]:
    """First names the memo introduces as relatives or partners ("her partner Lee Carter")."""
    names = set()
    for m in _KIN_RX.finditer(view.norm):
        name = name_after(
            view, m.end() + (1 if view.norm[m.end() : m.end() + 1] == "," else 0), len(view.norm)
        )
        if name:
            names.add(name.text.split()[0].lower())
    for m in _CALLED_NAME.finditer(view.norm):
        name = name_after(view, m.end(), len(view.norm))
        if name:
            names.add(name.text.split()[0].lower())
    for m in _NAME_BEFORE_KIN.finditer(view.norm):
        if name_like(m.group(1)):
            names.add(m.group(1))
    return names


def _plural(word: str) -> bool:
    return word.rstrip("'").endswith(("s", "men", "children"))


def mentions_third_party(
    view: TextView,
    texts: list[Mention | None],
    kin_only: list[Mention | None],
    names: set[str],
    exclude: set[str] = frozenset(),
) -> Mention | None:
    """The first mention of someone other than the subject in the given texts."""
    for mention in texts:
        if mention is None:
            continue
        chunk = view.norm[mention.start : mention.end]
        third = _THIRD_RX.search(chunk)
        if (
            third
            and _plural(third.group())
            and (
                _UNNAMED_GROUP.search(chunk, 0, third.start()) or _BARE_BEFORE.search(chunk, 0, third.start())
            )
        ):
            third = None  # "neighbours have reported...": no one identifiable
        more = _MORE_KIN.search(chunk)
        if more and _plural(more.group()) and _UNNAMED_GROUP.search(chunk, 0, more.start()):
            more = None
        hit = _KIN_RX.search(chunk) or third or more
        hit = hit or _CALLED_NAME.search(chunk) or _full_name(view, mention, exclude)
        words = re.findall(r"[a-z]+", chunk)
        words += [w[:-1] for w in words if w.endswith("s")]
        if hit or names.intersection(words):
            return mention
    for mention in kin_only:
        if mention is not None and _KIN_RX.search(view.norm[mention.start : mention.end]):
            return mention
    return None
