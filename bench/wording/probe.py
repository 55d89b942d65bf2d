"""Probe the extractor with every phrase of phrase_catalogue.json (an independent linguist's catalogue of
how practitioners say each concept) in a fixed memo frame: a wording-coverage measure, not a labelled set.

    .venv/bin/python bench/wording/probe.py [CONCEPT ...] [--asr] [--show] [--score=FILE]

FILE is the shared scorer, relative to the repository (default ../shared/eval/score.py).

Prints, per concept, how many phrases give the expected record and (with --show) the ones that fail.
"""

import importlib.util
import json
import re
import sys
from datetime import datetime
from pathlib import Path

from speakcase.pipelines.extract import load_extractor

SCORE = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--score=")), "../shared/eval/score.py")
spec = importlib.util.spec_from_file_location("s", Path(__file__).resolve().parents[2] / SCORE)
S = importlib.util.module_from_spec(spec)
spec.loader.exec_module(S)

CAT = json.loads(Path(__file__).with_name("phrase_catalogue.json").read_text())
AT = datetime(2026, 11, 18, 15, 30)
OPEN = "Note for Lily Brook, aged six. "
WHO = "Ann Lee, the DSL at Hill Top Primary"
X = "Lily came in with a bruise on her arm"
BASE_SHARED = (
    OPEN
    + "At ten this morning I rang "
    + WHO
    + " and told her that "
    + X
    + ", so that school can monitor her. "
)


def fill(p, person, x=X):
    return p.replace("PERSON", person).replace("X", x)


def cap(s):
    return s[0].upper() + s[1:]


def frames(concept, p):
    """(text, expected fields) for one phrase."""
    if concept == "contact_out":
        return (
            OPEN
            + "At ten this morning I "
            + fill(p, WHO)
            + ". I told her that "
            + X
            + ", so that school can monitor her.",
            {"kind": "shared", "counterpart.name": "Ann Lee", "occurred_at": "2026-11-18T10:00"},
        )
    if concept == "contact_in":
        return (
            OPEN
            + "At ten this morning "
            + fill(p, WHO)
            + ". She told me that "
            + X
            + ", because she is worried about her.",
            {"kind": "received", "counterpart.name": "Ann Lee", "occurred_at": "2026-11-18T10:00"},
        )
    if concept == "share_out":
        return (
            OPEN
            + "At ten this morning I spoke to "
            + WHO
            + ". I "
            + fill(p, "her")
            + ", so that school can monitor her.",
            {"kind": "shared", "counterpart.name": "Ann Lee", "information": X},
        )
    if concept == "share_in":
        return (
            OPEN
            + "At ten this morning "
            + WHO
            + " rang me. "
            + cap(fill(p, "She"))
            + ", because she is worried about her.",
            {"kind": "received", "counterpart.name": "Ann Lee", "information": X},
        )
    if concept == "refuse_them":
        return (
            OPEN
            + "At ten this morning I rang "
            + WHO
            + " and asked for Lily's attendance record. "
            + cap(fill(p, "She", "it"))
            + ".",
            {"kind": "refused", "counterpart.name": "Ann Lee", "information": "Lily's attendance record"},
        )
    if concept == "withhold_us":
        return (
            OPEN
            + "At ten this morning "
            + WHO
            + " rang asking for a copy of Lily's assessment. I "
            + fill(p, "her", "the assessment")
            + ", as it holds details about mum's health.",
            {"kind": "withheld", "counterpart.name": "Ann Lee"},
        )
    if concept == "consent_obtained":
        return (
            BASE_SHARED + cap(fill(p, "mum", "it")) + ".",
            {"consent.status": "obtained", "consent.given_by": "mum"},
        )
    if concept == "consent_refused":
        return (
            BASE_SHARED + cap(fill(p, "mum", "it")) + ".",
            {"consent.status": "refused", "consent.given_by": "mum"},
        )
    if concept == "consent_not_sought":
        return (
            BASE_SHARED + cap(fill(p, "mum", "it")) + ", as it could put Lily at risk.",
            {"consent.status": "not_sought"},
        )
    if concept == "family_informed_true":
        return (BASE_SHARED + cap(fill(p, "mum", "it")) + ".", {"family_informed": True})
    if concept == "family_informed_false":
        return (BASE_SHARED + cap(fill(p, "mum", "it")) + ".", {"family_informed": False})
    if concept == "reason_cue":
        return (
            OPEN
            + "At ten this morning I rang "
            + WHO
            + " and told her that "
            + X
            + ", "
            + p
            + " school can keep an eye on her.",
            {"reason": "school can keep an eye on her", "information": X},
        )
    if concept == "advice":
        return (
            BASE_SHARED + "I " + fill(p, "my manager", "it") + " before I rang.",
            {"advice_sought": ["manager"]},
        )
    return None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    asr, show = "--asr" in sys.argv, "--show" in sys.argv
    ex = load_extractor()
    total = [0, 0]
    for concept, body in CAT.items():
        if not isinstance(body, dict) or "phrases" not in body or (args and concept not in args):
            continue
        ok, bad = 0, []
        for p in body["phrases"]:
            if "PERSON" not in p and concept in ("contact_out", "contact_in", "share_out", "share_in"):
                continue
            fr = frames(concept, p)
            if fr is None:
                continue
            text, want = fr
            if asr:
                text = re.sub(r"[^\w\s'-]", "", text.lower())
            recs = ex.extract_json(text, AT)["records"]
            miss = (
                [f"count={len(recs)}"]
                if len(recs) != 1
                else [f for f, v in want.items() if not S.field_match(f, S_exp(f, v), recs[0])]
            )
            if miss:
                bad.append((p, miss))
            else:
                ok += 1
        n = ok + len(bad)
        if n:
            total[0] += ok
            total[1] += n
            print(f"{concept:24s} {ok:4d}/{n:<4d} {ok / n:.2f}")
            if show:
                for p, m in bad:
                    print("    FAIL", repr(p), m)
    print(f"{'ALL':24s} {total[0]:4d}/{total[1]:<4d} {total[0] / max(1, total[1]):.2f}")


def S_exp(field, value):
    rec = {}
    cur = rec
    parts = field.split(".")
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value
    return rec


if __name__ == "__main__":
    main()
