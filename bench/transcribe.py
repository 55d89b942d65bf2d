"""Word error rate of SpeakCase transcription on the dev memos spoken by synthetic voices.

    .venv/bin/python bench/transcribe.py [--models tiny.en base] [--voices flite-slt espeak-gb]
        [--configs default bias] [--limit N] [--dev DIR]

Synthesised audio is cached in bench/out/audio/<voice>/; results go to bench/out/transcribe.jsonl
(one line per model, voice and configuration, appended as each finishes) and
bench/out/transcribe.md; transcripts become case files in bench/out/asr_cases_<model>_<voice>[_<config>]/.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import jiwer  # noqa: E402
from synth import synthesize  # noqa: E402

from speakcase.pipelines.transcribe import TranscribeOptions, Transcriber  # noqa: E402

OUT = ROOT / "bench" / "out"
DEV = "../shared/eval/dev"
"""The dev memos spoken and scored, relative to the repository (--dev)."""
CONFIGS = {
    "default": {},
    "bias": {"bias": True, "bias_mode": "hotwords"},
    # Results kept from the first glossary (30 terms, everyday words too, 600 characters); not rerunnable.
    "biaslong": {"bias": True, "bias_mode": "hotwords"},
    "prompt": {"bias": True, "bias_mode": "initial_prompt"},
    "cond": {"condition_on_previous_text": True},
    "beam1": {"beam_size": 1, "best_of": 1},
    "nobias": {"bias": False},
}
"""Configuration name -> changes to the TranscribeOptions defaults."""

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
    "cams": "camhs",
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
    "section 47, section 17, section 20, strategy discussion, strategy meeting, child protection plan, "
    "child protection conference, child in need, MASH, MARAC, MAPPA, LADO, CAMHS, DSL, "
    "designated safeguarding lead, Cafcass, Caldicott guardian, health visitor, school nurse, GP, "
    "Working Together, Children Act, Data Protection Act, UK GDPR, IDVA, early help"
).split(", ")
GLOSSARY = tuple(dict.fromkeys(normalise(t) for t in SCORED_TERMS))


def glossary_counts(reference: str, hypothesis: str) -> tuple[int, int]:
    """(occurrences of glossary terms in the reference, how many of them the hypothesis also has)."""
    total = hits = 0
    for term in GLOSSARY:
        pattern = re.compile(rf"\b{re.escape(term)}\b")
        expected = len(pattern.findall(reference))
        total += expected
        hits += min(expected, len(pattern.findall(hypothesis)))
    return total, hits


def repo_path(value: str) -> Path:
    """A path given relative to the repository root (an absolute one as it is)."""
    return ROOT / value


def load_cases(dev: Path, limit: int | None) -> list[tuple[Path, dict]]:
    files = sorted(dev.glob("*.json"))[: limit or None]
    return [(f, json.loads(f.read_text(encoding="utf-8"))) for f in files]


def audio_for(case_file: Path, case: dict, voice: str) -> Path:
    path = OUT / "audio" / voice / f"{case_file.stem}.wav"
    if not path.exists():
        synthesize(case["text"], voice, path)
    return path


def score_dir(cases: list[tuple[Path, dict]], out_dir: Path) -> dict:
    """WER and glossary-term miss rate of the transcripts written as case files in `out_dir`."""
    refs, hyps, gloss_total, gloss_hits = [], [], 0, 0
    for case_file, case in cases:
        transcript = json.loads((out_dir / case_file.name).read_text(encoding="utf-8"))["text"]
        ref, hyp = normalise(case["text"]), normalise(transcript)
        refs.append(ref)
        hyps.append(hyp)
        total, hits = glossary_counts(ref, hyp)
        gloss_total += total
        gloss_hits += hits
    return {
        "wer": round(jiwer.wer(refs, hyps), 4),
        "glossary_terms": gloss_total,
        "glossary_miss_rate": round(1 - gloss_hits / gloss_total, 4) if gloss_total else None,
    }


def run_one(transcriber: Transcriber, options: TranscribeOptions, cases, voice: str, out_dir: Path) -> dict:
    """Transcribe every case with one configuration into case files; score them; real-time factor."""
    out_dir.mkdir(parents=True, exist_ok=True)
    audio_seconds = decode_seconds = 0.0
    for case_file, case in cases:
        path = audio_for(case_file, case, voice)
        started = time.perf_counter()
        transcript = transcriber.transcribe(path, options=options)
        decode_seconds += time.perf_counter() - started
        audio_seconds += transcript.duration
        (out_dir / case_file.name).write_text(
            json.dumps({**case, "text": transcript.text}, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return {
        **score_dir(cases, out_dir),
        "rtf": round(decode_seconds / audio_seconds, 4),
        "audio_seconds": round(audio_seconds, 1),
        "memos": len(cases),
    }


def out_dir_for(model: str, voice: str, config: str) -> Path:
    return OUT / f"asr_cases_{model}_{voice}{'' if config == 'default' else '_' + config}"


def rescore(dev: Path) -> None:
    """Recompute WER from the written case files (scoring changes need no re-transcription)."""
    rows = [json.loads(line) for line in (OUT / "transcribe.jsonl").read_text().splitlines() if line]
    lines = [
        "| model | voice | config | WER | glossary miss rate (terms) | RTF |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cases = load_cases(dev, row["memos"])
        row.update(score_dir(cases, out_dir_for(row["model"], row["voice"], row["config"])))
        lines.append(
            f"| {row['model']} | {row['voice']} | {row['config']} | {row['wer']:.3f} | "
            f"{row['glossary_miss_rate']:.2f} ({row['glossary_terms']}) | {row['rtf']:.3f} |"
        )
    (OUT / "transcribe.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--voices", nargs="+", default=["flite-slt", "espeak-gb"])
    parser.add_argument("--configs", nargs="+", default=["default", "bias"], choices=sorted(CONFIGS))
    parser.add_argument("--limit", type=int, default=None, help="only the first N dev memos")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--rescore", action="store_true", help="only rescore bench/out/transcribe.jsonl rows")
    parser.add_argument("--dev", type=repo_path, default=repo_path(DEV), help=f"dev memos (default {DEV})")
    args = parser.parse_args()
    if args.rescore:
        rescore(args.dev)
        return
    cases = load_cases(args.dev, args.limit)
    for voice in args.voices:  # synthesise first so timings never include it
        for case_file, case in cases:
            audio_for(case_file, case, voice)
    results_path = OUT / "transcribe.jsonl"
    for model in args.models:
        transcriber = Transcriber(model, cpu_threads=args.threads)
        for voice in args.voices:
            for config in args.configs:
                options = replace(TranscribeOptions(), **CONFIGS[config])
                out_dir = out_dir_for(model, voice, config)
                result = {"model": model, "voice": voice, "config": config}
                result.update(run_one(transcriber, options, cases, voice, out_dir))
                with open(results_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(result) + "\n")
                print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
