"""How well the rule tables alone give the coded fields of labelled memos (gold spans, no model).

    .venv/bin/python bench/rules_check.py [SET_DIR ...] [--asr] [--show FIELD]

Per case: legislation / protocols / lawful_basis / advice_sought over the whole memo against the
union of the expected records' values; consent.reasons likewise; counterpart.agency from the gold
organisation and role; occurred_at of the first record from the first time group. Prints the share
right per field and set; --show prints the misses of one field (text stays on the terminal).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from speakcase.pipelines.extract.rules import load_rules  # noqa: E402
from speakcase.pipelines.extract.scoring import asr_variant  # noqa: E402

DEFAULT_SETS = ["tests/heldout", *[f"bench/heldout{i}" for i in range(2, 13)], "../shared/eval/dev"]
LISTS = {
    "legislation": "legislation",
    "protocols": "protocols",
    "lawful_basis": "lawful_bases",
    "advice_sought": "advice",
    "consent.reasons": "consent_reasons",
}


def _union(records: list[dict[str, Any]], field: str) -> list[str]:
    out: dict[str, None] = {}
    for record in records:
        value = record["consent"]["reasons"] if field == "consent.reasons" else record[field]
        out.update(dict.fromkeys(value))
    return sorted(out)


def check(case: dict[str, Any], asr: bool) -> dict[str, tuple[bool, Any, Any]]:
    rules = load_rules()
    text = asr_variant(case["text"]) if asr else case["text"]
    records = case["expected"]["records"]
    out: dict[str, tuple[bool, Any, Any]] = {}
    for field, method in LISTS.items():
        got, want = sorted(getattr(rules, method)(text)), _union(records, field)
        out[field] = (got == want, got, want)
    for i, record in enumerate(records):
        cp = record["counterpart"]
        org, role = cp.get("organisation"), cp.get("role")
        if asr:
            org, role = (asr_variant(org) if org else None), (asr_variant(role) if role else None)
        got = rules.agency(org, role)
        out[f"counterpart.agency#{i}"] = (got == cp.get("agency"), got, cp.get("agency"))
    if records:
        got = rules.occurred_at(text, case["recorded_at"])
        out["occurred_at"] = (got == records[0]["occurred_at"], got, records[0]["occurred_at"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=DEFAULT_SETS)
    parser.add_argument("--asr", action="store_true")
    parser.add_argument("--show", default=None)
    args = parser.parse_args()
    fields = [*LISTS, "counterpart.agency", "occurred_at"]
    print("| set | " + " | ".join(fields) + " |")
    print("|---" * (len(fields) + 1) + "|")
    total: dict[str, list[int]] = {f: [0, 0] for f in fields}
    for set_dir in args.sets:
        path = (ROOT / set_dir).resolve()
        if not path.exists() and set_dir.startswith("../shared/"):  # from a worktree
            path = ROOT.parent.parent / "shared" / set_dir.removeprefix("../shared/")
        counts: dict[str, list[int]] = {f: [0, 0] for f in fields}
        for file in sorted(path.glob("*.json")):
            case = json.loads(file.read_text(encoding="utf-8"))
            for key, (ok, got, want) in check(case, args.asr).items():
                field = key.split("#")[0]
                counts[field][0] += ok
                counts[field][1] += 1
                total[field][0] += ok
                total[field][1] += 1
                if not ok and args.show == field:
                    print(f"  {file.name}: got {got} want {want}")
        cells = [f"{c[0] / c[1]:.2f}" if c[1] else "-" for c in counts.values()]
        label = (
            path.name
            if path.name != "tiny.en" and path.name != "base"
            else f"{path.parent.name} ({path.name})"
        )
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| all | " + " | ".join(f"{c[0] / c[1]:.3f}" for c in total.values()) + " |")


if __name__ == "__main__":
    main()
