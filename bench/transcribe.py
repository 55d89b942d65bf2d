"""Issue 12: SpeakCase transcription beside a bare faster-whisper call, same model, same audio, one run.

    .venv/bin/python bench/transcribe.py [--sets bench/heldout3 ...] [--limit N] [--models tiny.en]
        [--voices flite-slt espeak-gb] [--conditions clean phone] [--strategies bare old guard ...]
        [--extract] [--tag NAME]

Memo texts (with their labels) come from the labelled sets given as paths relative to the repository;
each is spoken by a synthetic voice under an audio condition (telephone band, noise, quiet, long
pauses) and cached in bench/out/audio/. For every memo the strategies run one after another, their
order rotated memo by memo, so that the machine's varying load falls on all alike. Measured against
the memo text: WER, inserted words, invented phrases (3+ hypothesis words in a row that are not the
reference and do not sound like it), deleted words, dropped sentences (under half their words heard),
glossary-term misses, name accuracy (subjects and counterparts), optionally the extraction score,
and decoding time. Rows go to bench/out/transcribe.jsonl and a table to bench/out/transcribe.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import jellyfish  # noqa: E402
import jiwer  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from synth import CONDITIONS, spoken  # noqa: E402

from speakcase.pipelines.transcribe import TranscribeOptions, Transcriber  # noqa: E402

OUT = ROOT / "bench" / "out"
DEFAULT_SETS = [f"bench/heldout{n}" for n in range(3, 9)]
# Strategy name -> changes to the TranscribeOptions defaults ("bare" is faster-whisper called directly).
# "old" is the decoding before issue 12; "caseload" is "default" given the memo's caseload.
STRATEGIES: dict[str, dict] = {
    "bare": {},
    "old": {"condition_on_previous_text": False, "guard": False, "correct": False},
    "cond": {"guard": False, "correct": False},
    "hst": {"guard": False, "correct": False, "hallucination_silence_threshold": 2.0},
    "chunks": {"decode_mode": "chunks", "guard": False, "correct": False},
    "guard": {"correct": False},
    "chunks_guard": {"decode_mode": "chunks", "correct": False},
    "bias": {"correct": False, "bias": True},
    "default": {},
    "bias_correct": {"bias": True},
    "caseload": {},
}
CASELOAD_STRATEGIES = {"caseload"}

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen \
sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
# US and variant spellings Whisper prefers, mapped to the British forms the memos use.
_SPELLING = {
    "inquiry": "enquiry",
    "inquiries": "enquiries",
    "mom": "mum",
    "moms": "mums",
    "mom's": "mum's",
    "organization": "organisation",
    "okay": "ok",
}


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + _number_words(rest))
    if 2000 <= n < 2010:  # years, as spoken
        return "two thousand" + (" and " + _ONES[n % 10] if n % 10 else "")
    if 1900 < n < 2100:
        return _number_words(n // 100) + " " + (_number_words(n % 100) if n % 100 else "hundred")
    return " ".join(_ONES[int(d)] for d in str(n))


def normalise(text: str) -> str:
    """Lower case, numbers as words, British spellings, no punctuation: what WER compares."""
    text = text.casefold().replace("-", " ")
    text = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"\d+", lambda m: " " + _number_words(int(m.group())) + " ", text)
    words = re.sub(r"[^\w' ]+", " ", text).split()
    return " ".join(_SPELLING.get(w.strip("'"), w.strip("'")) for w in words)


# Scored terms: fixed here, apart from the biasing glossary, so that changing the glossary cannot flatter
# the score; everyday words (police, consent) are left out.
SCORED_TERMS = (
    "section 47, section 17, section 20, section 42, strategy discussion, strategy meeting, "
    "child protection plan, child protection conference, child in need, MASH, MARAC, MAPPA, LADO, CAMHS, "
    "DSL, designated safeguarding lead, Cafcass, Caldicott guardian, health visitor, school nurse, GP, "
    "Working Together, Children Act, Care Act, Data Protection Act, UK GDPR, IDVA, early help"
).split(", ")
GLOSSARY = tuple(dict.fromkeys(normalise(t) for t in SCORED_TERMS))


def _count(term: str, text: str) -> int:
    return len(re.findall(rf"\b{re.escape(term)}\b", text)) if term else 0


def glossary_counts(reference: str, hypothesis: str) -> tuple[int, int]:
    """(occurrences of glossary terms in the reference, how many of them the hypothesis also has)."""
    total = hits = 0
    for term in GLOSSARY:
        expected = _count(term, reference)
        total += expected
        hits += min(expected, _count(term, hypothesis))
    return total, hits


def memo_names(case: dict) -> dict[str, list[str]]:
    """The memo's subjects and counterparts by name, from its labels."""
    subjects, counterparts = [], []
    for record in case.get("expected", {}).get("records") or []:
        if record.get("subject"):
            subjects.append(record["subject"])
        name = (record.get("counterpart") or {}).get("name")
        if name:
            counterparts.append(name)
    return {"subject": list(dict.fromkeys(subjects)), "counterpart": list(dict.fromkeys(counterparts))}


def caseload_for(case: dict, others: list[dict], extra: int = 30) -> list[str]:
    """A practitioner's caseload: this memo's people among `extra` names from other memos."""
    own = memo_names(case)
    people = own["subject"] + own["counterpart"]
    for record in case.get("expected", {}).get("records") or []:
        given = (record.get("consent") or {}).get("given_by")
        if given:
            people.append(given)
    pool = [n for other in others for ns in memo_names(other).values() for n in ns if n not in people]
    return list(dict.fromkeys(people + pool[:extra]))


def name_counts(case: dict, reference: str, hypothesis: str) -> dict[str, list[int]]:
    """{"subject"|"counterpart": [occurrences in the reference, how many the hypothesis has right]}."""
    out: dict[str, list[int]] = {}
    for role, names in memo_names(case).items():
        total = hits = 0
        for name in names:
            key = normalise(name)
            expected = _count(key, reference)
            total += expected
            hits += min(expected, _count(key, hypothesis))
        out[role] = [total, hits]
    return out


def _sounds_like(a: str, b: str) -> float:
    """0-100: how alike two word strings sound (metaphone codes of their letters compared)."""
    code_a, code_b = (jellyfish.metaphone(re.sub(r"[^a-z]", "", x)) for x in (a, b))
    return fuzz.ratio(code_a, code_b)


INVENTED: list[str] = []
"""Every invented phrase found, as "'hypothesis' for 'reference'" (printed with --verbose)."""


def alignment_figures(sentences: list[str], hypothesis: str) -> dict[str, int]:
    """Inserted, deleted words, invented phrases and their words, dropped sentences of one memo."""
    ref_words = [w for s in sentences for w in s.split()]
    hyp_words = hypothesis.split()
    figures = {"ins": 0, "del": 0, "sub": 0, "hits": 0, "invented_phrases": 0, "invented_words": 0}
    if not ref_words:
        figures["ins"] = len(hyp_words)
        return figures | {"dropped_sentences": 0, "ref_words": 0}
    if not hyp_words:
        return figures | {
            "del": len(ref_words),
            "dropped_sentences": len(sentences),
            "ref_words": len(ref_words),
        }
    out = jiwer.process_words(" ".join(ref_words), " ".join(hyp_words))
    hit = [False] * len(ref_words)
    run: list[tuple[int, int, int, int]] = []

    def close_run() -> None:
        if not run:
            return
        r = " ".join(ref_words[run[0][0] : run[-1][1]])
        h = hyp_words[run[0][2] : run[-1][3]]
        if len(h) >= 3 and _sounds_like(" ".join(h), r) < 50:
            INVENTED.append(f"{' '.join(h)!r} for {r!r}")
            figures["invented_phrases"] += 1
            figures["invented_words"] += len(h)
        run.clear()

    for chunk in out.alignments[0]:
        if chunk.type == "equal":
            close_run()
            for i in range(chunk.ref_start_idx, chunk.ref_end_idx):
                hit[i] = True
            figures["hits"] += chunk.ref_end_idx - chunk.ref_start_idx
            continue
        run.append((chunk.ref_start_idx, chunk.ref_end_idx, chunk.hyp_start_idx, chunk.hyp_end_idx))
        if chunk.type == "insert":
            figures["ins"] += chunk.hyp_end_idx - chunk.hyp_start_idx
        elif chunk.type == "delete":
            figures["del"] += chunk.ref_end_idx - chunk.ref_start_idx
        else:
            figures["sub"] += chunk.ref_end_idx - chunk.ref_start_idx
    close_run()
    dropped, at = 0, 0
    for sentence in sentences:
        n = len(sentence.split())
        if n and sum(hit[at : at + n]) * 2 < n:
            dropped += 1
        at += n
    return figures | {"dropped_sentences": dropped, "ref_words": len(ref_words)}


def load_cases(sets: list[str], limit: int | None) -> list[tuple[str, dict]]:
    """(id, case) of every labelled memo in the sets, taken in turn from each set up to `limit`."""
    per_set = [sorted((ROOT / s).glob("*.json")) for s in sets]
    files: list[Path] = []
    for i in range(max((len(p) for p in per_set), default=0)):
        files.extend(p[i] for p in per_set if i < len(p))
    files = files[: limit or None]
    return [(f.stem, json.loads(f.read_text(encoding="utf-8"))) for f in files]


def long_case(cases: list[tuple[str, dict]], minutes: float) -> list[tuple[str, dict]]:
    """One memo of about `minutes` minutes: the memos' texts one after another (flite: ~2.7 words/s)."""
    texts, records, words = [], [], 0
    for _, case in cases:
        if words >= minutes * 60 * 2.7:
            break
        texts.append(case["text"])
        records.extend(case.get("expected", {}).get("records") or [])
        words += len(case["text"].split())
    joined = {
        "text": " ".join(texts),
        "recorded_at": cases[0][1]["recorded_at"],
        "expected": {"records": records},
    }
    return [(f"long{minutes:g}min", joined)]


def audio_for(memo_id: str, case: dict, voice: str, condition: str) -> Path:
    path = OUT / "audio" / f"{voice}_{condition}" / f"{memo_id}.wav"
    if not path.exists():
        spoken(case["text"], voice, path, condition=condition)
    return path


class Bare:
    """faster-whisper called as a new user would: the same model directory, beam 5, English, VAD."""

    def __init__(self, transcriber: Transcriber) -> None:
        from faster_whisper import WhisperModel

        self.model = WhisperModel(
            str(transcriber.model_dir), device="cpu", compute_type="int8", cpu_threads=transcriber.cpu_threads
        )

    def text(self, path: Path) -> str:
        segments, _ = self.model.transcribe(str(path), beam_size=5, language="en", vad_filter=True)
        return " ".join(s.text.strip() for s in segments)


def _options(strategy: str) -> tuple[TranscribeOptions, bool]:
    changes = dict(STRATEGIES[strategy])
    correct = changes.pop("correct", True)
    return replace(TranscribeOptions(), **changes), correct


def run(args: argparse.Namespace) -> list[dict]:
    cases = load_cases(args.sets, args.limit)
    if args.long_minutes:
        cases = long_case(load_cases(args.sets, None), args.long_minutes)
    jobs = [(v, c) for v in args.voices for c in args.conditions]
    for voice, condition in jobs:  # synthesise first so timings never include it
        for memo_id, case in cases:
            audio_for(memo_id, case, voice, condition)
    extractor = None
    if args.extract:
        from speakcase.pipelines.extract import load_extractor

        extractor = load_extractor()
    rows: list[dict] = []
    for model in args.models:
        transcriber = Transcriber(model, cpu_threads=args.threads)
        bare = Bare(transcriber) if "bare" in args.strategies else None
        for voice, condition in jobs:
            acc = {s: _Acc() for s in args.strategies}
            for n, (memo_id, case) in enumerate(cases):
                path = audio_for(memo_id, case, voice, condition)
                sentences = [normalise(s) for s in re.split(r"(?<=[.?!])\s+", case["text"])]
                order = (
                    args.strategies[n % len(args.strategies) :] + args.strategies[: n % len(args.strategies)]
                )
                for strategy in order:
                    started = time.perf_counter()
                    corrections = 0
                    if strategy == "bare":
                        assert bare is not None
                        text = bare.text(path)
                        duration = None
                    else:
                        options, correct = _options(strategy)
                        terms = (
                            caseload_for(case, [c for _, c in cases])
                            if strategy in CASELOAD_STRATEGIES
                            else ()
                        )
                        transcript = transcriber.transcribe(
                            path, extra_terms=terms, options=options, correct=correct
                        )
                        text, duration = transcript.text, transcript.duration
                        corrections = len(transcript.corrections())
                        acc[strategy].review += sum(1 for s in transcript.segments if s.review)
                    elapsed = time.perf_counter() - started
                    acc[strategy].texts[memo_id] = text
                    acc[strategy].add(case, sentences, text, elapsed, duration, corrections, extractor)
                    if args.verbose:
                        print(
                            memo_id,
                            strategy,
                            round(elapsed, 2),
                            INVENTED[-1:] if INVENTED else "",
                            flush=True,
                        )
                    INVENTED.clear()
            for strategy in args.strategies:
                row = {"model": model, "voice": voice, "condition": condition, "strategy": strategy}
                row |= acc[strategy].summary(acc.get("bare"))
                row |= {
                    "memos": len(cases),
                    "tag": args.tag,
                    "at": datetime.now().isoformat(timespec="seconds"),
                }
                rows.append(row)
                saved = (
                    OUT / "transcripts" / (args.tag or "run") / f"{model}_{voice}_{condition}_{strategy}.json"
                )
                saved.parent.mkdir(parents=True, exist_ok=True)
                saved.write_text(
                    json.dumps(acc[strategy].texts, indent=1, ensure_ascii=False), encoding="utf-8"
                )
                with open(OUT / "transcribe.jsonl", "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(row) + "\n")
                print(json.dumps(row), flush=True)
    return rows


class _Acc:
    """Sums over the memos of one model, voice, condition and strategy."""

    def __init__(self) -> None:
        self.refs: list[str] = []
        self.hyps: list[str] = []
        self.fig: dict[str, int] = {}
        self.gloss = [0, 0]
        self.names: dict[str, list[int]] = {"subject": [0, 0], "counterpart": [0, 0]}
        self.seconds = 0.0
        self.audio = 0.0
        self.corrections = 0
        self.review = 0
        self.score = None
        self.texts: dict[str, str] = {}

    def add(self, case, sentences, text, elapsed, duration, corrections, extractor) -> None:
        ref, hyp = " ".join(sentences), normalise(text)
        self.refs.append(ref)
        self.hyps.append(hyp)
        for key, value in alignment_figures(sentences, hyp).items():
            self.fig[key] = self.fig.get(key, 0) + value
        total, hits = glossary_counts(ref, hyp)
        self.gloss[0] += total
        self.gloss[1] += hits
        for role, (t, h) in name_counts(case, ref, hyp).items():
            self.names[role][0] += t
            self.names[role][1] += h
        self.seconds += elapsed
        self.audio += duration or len(ref.split()) / 2.7
        self.corrections += corrections
        if extractor is not None:
            from speakcase.pipelines.extract.scoring import Score

            self.score = self.score or Score()
            when = datetime.fromisoformat(case["recorded_at"])
            predicted = extractor.extract_json(text, when)["records"] if text.strip() else []
            self.score.add_case(case["expected"].get("records") or [], predicted)

    def summary(self, bare: _Acc | None) -> dict:
        n = len(self.refs)
        out = {
            "wer": round(jiwer.wer(self.refs, self.hyps), 4),
            "inserted_words_per_memo": round(self.fig["ins"] / n, 3),
            "invented_phrases": self.fig["invented_phrases"],
            "invented_words": self.fig["invented_words"],
            "deleted_words": self.fig["del"],
            "dropped_sentences": self.fig["dropped_sentences"],
            "dropped_sentences_per_memo": round(self.fig["dropped_sentences"] / n, 3),
            "glossary_terms": self.gloss[0],
            "glossary_miss_rate": round(1 - self.gloss[1] / self.gloss[0], 4) if self.gloss[0] else None,
            "subject_name_acc": round(self.names["subject"][1] / self.names["subject"][0], 4)
            if self.names["subject"][0]
            else None,
            "counterpart_name_acc": round(self.names["counterpart"][1] / self.names["counterpart"][0], 4)
            if self.names["counterpart"][0]
            else None,
            "corrections": self.corrections,
            "review_marks": self.review,
            "decode_s": round(self.seconds, 2),
            "rtf": round(self.seconds / self.audio, 4) if self.audio else None,
        }
        if bare is not None and bare.seconds:
            out["time_vs_bare"] = round(self.seconds / bare.seconds, 3)
        if self.score is not None:
            out["extraction_score"] = self.score.summary()["score"]
        return out


def write_table(rows: list[dict]) -> str:
    cols = [
        ("model", "model"),
        ("voice", "voice"),
        ("condition", "cond."),
        ("strategy", "strategy"),
        ("wer", "WER"),
        ("invented_phrases", "invented phrases"),
        ("inserted_words_per_memo", "ins./memo"),
        ("deleted_words", "deleted words"),
        ("dropped_sentences", "dropped sent."),
        ("glossary_miss_rate", "gloss. miss"),
        ("subject_name_acc", "subject"),
        ("counterpart_name_acc", "counterpart"),
        ("extraction_score", "extraction"),
        ("review_marks", "review marks"),
        ("rtf", "RTF"),
        ("time_vs_bare", "time/bare"),
    ]
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for row in rows:
        lines.append("| " + " | ".join(str(row.get(k, "")) for k, _ in cols) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=DEFAULT_SETS, help="labelled memo sets, repo-relative")
    parser.add_argument("--limit", type=int, default=24)
    parser.add_argument("--models", nargs="+", default=["tiny.en"])
    parser.add_argument("--voices", nargs="+", default=["flite-slt", "espeak-gb"])
    parser.add_argument("--conditions", nargs="+", default=["clean"], choices=sorted(CONDITIONS))
    parser.add_argument(
        "--strategies", nargs="+", default=["bare", "old", "default"], choices=list(STRATEGIES)
    )
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--extract", action="store_true", help="also score extraction from the transcripts")
    parser.add_argument("--long-minutes", type=float, default=None, help="one long memo of this many minutes")
    parser.add_argument("--tag", default="")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    rows = run(args)
    table = write_table(rows)
    with open(OUT / "transcribe.md", "a", encoding="utf-8") as fh:
        fh.write(f"\n## {args.tag or 'run'} {datetime.now().isoformat(timespec='minutes')}\n\n" + table)
    print(table)


if __name__ == "__main__":
    main()
