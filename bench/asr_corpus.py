"""Speech-recogniser corpus: labelled memos spoken by synthetic voices, transcribed, labels re-aligned.

    nice -n 10 .venv/bin/python bench/asr_corpus.py SET_DIR [SET_DIR ...] [--out corpus/asr]
        [--split train|tune|measure|test] [--voices-per-memo 1] [--model tiny.en] [--base-every 0]
        [--threads 1] [--limit N] [--realign]

For every case `X.json` of each SET_DIR, each chosen (voice, speed, degradation) is synthesised
(flite or espeak-ng, then sox: telephone band, added noise, quieter), transcribed by the project's own
`Transcriber` (faster-whisper), and written as a labelled case

    <out>/<set name>/<model>/<X>__<voice>-<speed>-<degradation>.json

whose `text` is the transcript and whose `expected` labels are aligned to it:

- coded fields (kind, occurred_at, agency, lawful_basis, legislation, consent status and reasons,
  family_informed, advice_sought, protocols, third_party) are copied unchanged;
- free-text fields (role, organisation, information, reason, consent.explanation) and names
  (counterpart.name, subject, consent.given_by) become the transcript substring their words align
  to (word alignment of normalised tokens with difflib), so names are labelled as the recogniser
  heard them ("Helen Pryce");
- a label that cannot be placed keeps its written value and is listed in `asr.unplaced`.

Each case carries `asr`: source set and id, split, model, voice, speed, degradation, the counts of
placed and unplaced labels. Audio is synthesised in a temporary directory and never kept: only these
small JSON files are. Existing outputs are skipped, so the script resumes; `--realign` only
recomputes the labels of every existing transcript of the given sets (no audio, no decoding).
A summary (cases, labels placed / unplaced per field) is printed and written to <out>/summary.json.

The fresh test set (measured once, never trained on) goes outside the corpus, in the measured condition:

    nice -n 10 .venv/bin/python bench/asr_corpus.py /work/private/SET --split test --voice flite-slt
    .venv/bin/python bench/accuracy.py /work/private/SET --asr-root bench/out/asr
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (engine, engine voice) per voice name; speeds are words per minute for espeak-ng and a duration
# stretch for flite (1.0 = normal, 0.85 = faster, 1.15 = slower).
VOICES: dict[str, tuple[str, str]] = {
    "flite-slt": ("flite", "slt"),
    "flite-rms": ("flite", "rms"),
    "flite-awb": ("flite", "awb"),
    "flite-kal": ("flite", "kal16"),
    "espeak-gb": ("espeak-ng", "en-gb"),
    "espeak-rp": ("espeak-ng", "en-gb-x-rp"),
    "espeak-us": ("espeak-ng", "en-us"),
    "espeak-scot": ("espeak-ng", "en-gb-scotland"),
}
SPEEDS = ("normal", "fast", "slow")
DEGRADATIONS = ("clean", "phone", "noise", "quiet")
# Rotation: flite voices more often (the target measure is tiny.en on flite speech).
ROTATION: tuple[tuple[str, str, str], ...] = (
    ("flite-slt", "normal", "clean"),
    ("flite-rms", "normal", "phone"),
    ("flite-awb", "fast", "clean"),
    ("espeak-gb", "normal", "clean"),
    ("flite-kal", "normal", "noise"),
    ("flite-slt", "slow", "quiet"),
    ("espeak-rp", "fast", "phone"),
    ("flite-rms", "fast", "clean"),
    ("espeak-us", "normal", "noise"),
    ("flite-awb", "normal", "quiet"),
    ("espeak-scot", "slow", "clean"),
    ("flite-kal", "fast", "phone"),
)

CODED_FIELDS = ("kind", "occurred_at", "lawful_basis", "legislation", "family_informed", "advice_sought")
TEXT_FIELDS: tuple[tuple[str, ...], ...] = (
    ("counterpart", "name"),
    ("counterpart", "role"),
    ("counterpart", "organisation"),
    ("subject",),
    ("information",),
    ("reason",),
    ("consent", "given_by"),
    ("consent", "explanation"),
)
"""Label paths whose value is a substring of the memo and so is re-placed in the transcript."""

# --- synthesis -------------------------------------------------------------------------------------


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def synthesise(text: str, voice: str, speed: str, degradation: str, out_wav: Path) -> None:
    """Speak `text` into a 16 kHz mono wav, then apply the degradation."""
    engine, engine_voice = VOICES[voice]
    tmp = out_wav.parent
    raw, clean = tmp / "raw.wav", tmp / "clean.wav"
    text_file = tmp / "text.txt"
    text_file.write_text(text, encoding="utf-8")
    if engine == "flite":
        stretch = {"normal": "1.0", "fast": "0.85", "slow": "1.15"}[speed]
        _run(
            ["flite", "-voice", engine_voice, "--setf", f"duration_stretch={stretch}"]
            + ["-f", str(text_file), "-o", str(raw)]
        )
    else:
        wpm = {"normal": "160", "fast": "185", "slow": "135"}[speed]
        _run(["espeak-ng", "-v", engine_voice, "-s", wpm, "-f", str(text_file), "-w", str(raw)])
    _run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(clean)])
    if degradation == "clean":
        clean.rename(out_wav)
    elif degradation == "phone":  # telephone band at 8 kHz, back to 16 kHz for the decoder
        _run(["sox", str(clean), str(out_wav), "sinc", "300-3400", "rate", "8000", "rate", "16000"])
    elif degradation == "quiet":
        _run(["sox", str(clean), str(out_wav), "vol", "0.15"])
    elif degradation == "noise":
        seconds = subprocess.run(
            ["soxi", "-D", str(clean)], check=True, capture_output=True, text=True
        ).stdout.strip()
        noise = tmp / "noise.wav"
        _run(
            ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(noise), "synth", seconds, "pinknoise"]
            + ["vol", "0.06"]
        )
        _run(["sox", "-m", str(clean), str(noise), str(out_wav)])
    else:
        raise ValueError(f"unknown degradation {degradation!r}")


# --- alignment -------------------------------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SPELLING = {
    "inquiry": "enquiry",
    "inquiries": "enquiries",
    "mom": "mum",
    "organization": "organisation",
    "okay": "ok",
    "cams": "camhs",
}


def _number_words(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([] if n % 10 == 0 else [_ONES[n % 10]])
    if n < 1000:
        rest = n % 100
        return [_ONES[n // 100], "hundred"] + ([] if rest == 0 else ["and", *_number_words(rest)])
    if 2000 <= n < 2010:
        return ["two", "thousand"] + (["and", _ONES[n % 10]] if n % 10 else [])
    if 1900 < n < 2100:
        return _number_words(n // 100) + (_number_words(n % 100) if n % 100 else ["hundred"])
    return [_ONES[int(d)] for d in str(n)]


_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class Tok:
    norm: str
    start: int
    end: int


def tokens(text: str) -> list[Tok]:
    """Normalised sub-tokens (numbers spelt out, lower case, British spelling) with character spans."""
    out: list[Tok] = []
    for m in _WORD.finditer(text):
        word = m.group().casefold().replace("’", "'")
        digits = re.fullmatch(r"(\d+)(st|nd|rd|th)?", word)
        if digits:
            out.extend(Tok(w, m.start(), m.end()) for w in _number_words(int(digits.group(1))))
            continue
        if word.endswith("'s"):
            word = word[:-2]
        out.append(Tok(_SPELLING.get(word, word), m.start(), m.end()))
    return out


class Aligner:
    """Word alignment of a memo to its transcript; maps memo substrings to transcript substrings."""

    MIN_LIKENESS = 0.3
    """Least character likeness of a short label (up to 4 words) and the words it is placed on."""
    MAX_REPLACE = 4
    """Longest run of differing words (either side) mapped word for word; longer runs count as lost."""

    def __init__(self, memo: str, transcript: str) -> None:
        self.memo, self.transcript = memo, transcript
        self.a, self.b = tokens(memo), tokens(transcript)
        matcher = difflib.SequenceMatcher(
            None, [t.norm for t in self.a], [t.norm for t in self.b], autojunk=False
        )
        # memo token index -> (transcript token index or None, exact?)
        self.map: list[tuple[int | None, int | None, bool]] = [(None, None, False)] * len(self.a)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for i in range(i1, i2):
                if tag == "equal":
                    j = j1 + i - i1
                    self.map[i] = (j, j + 1, True)
                elif tag == "replace" and max(i2 - i1, j2 - j1) <= self.MAX_REPLACE:
                    lo = j1 + (i - i1) * (j2 - j1) // (i2 - i1)
                    hi = j1 + -(-(i - i1 + 1) * (j2 - j1) // (i2 - i1))
                    self.map[i] = (lo, max(hi, lo + 1), False)

    def find(self, value: str) -> tuple[int, int] | None:
        """Memo token range [i, j) of `value`: exact substring first, else best token match."""
        want = [t.norm for t in tokens(value)]
        if not want:
            return None
        norms = [t.norm for t in self.a]
        n = len(want)
        for i in range(len(norms) - n + 1):
            if norms[i : i + n] == want:
                return i, i + n
        best, best_ratio = None, 0.0
        for i in range(len(norms)):
            for j in (i + n - 1, i + n, i + n + 1):
                if j <= i or j > len(norms):
                    continue
                ratio = difflib.SequenceMatcher(None, norms[i:j], want, autojunk=False).ratio()
                if ratio > best_ratio:
                    best, best_ratio = (i, j), ratio
        return best if best_ratio >= 0.6 else None

    def place(self, value: str) -> tuple[str | None, bool]:
        """(the transcript substring `value` aligns to or None, whether every word matched exactly)."""
        span = self.find(value)
        if span is None:
            return None, False
        mapped = [self.map[i] for i in range(*span)]
        hits = [(lo, hi) for lo, hi, _ in mapped if lo is not None and hi is not None]
        exact = sum(1 for _, _, e in mapped if e)
        # at least half the words reach the transcript; one heard exactly unless it is a short name;
        # a long passage needs half its words exact
        if not hits or len(hits) * 2 < len(mapped):
            return None, False
        if (exact == 0 and len(mapped) > 2) or (len(mapped) >= 6 and exact * 2 < len(mapped)):
            return None, False
        lo = min(h[0] for h in hits)
        hi = max(h[1] for h in hits)
        hi = min(hi, len(self.b))
        if lo >= hi:
            return None, False
        lo, hi = self._trim(lo, hi, self.a[span[0]].norm, self.a[span[1] - 1].norm)
        text = self.transcript[self.b[lo].start : self.b[hi - 1].end]
        if exact < len(mapped) and len(mapped) <= 4:  # a short label must still sound like itself
            said = " ".join(t.norm for t in self.a[span[0] : span[1]])
            heard = " ".join(t.norm for t in self.b[lo:hi])
            if difflib.SequenceMatcher(None, said, heard).ratio() < self.MIN_LIKENESS:
                return None, False
        return text.strip(" ,.;:!?\"'"), exact == len(mapped)

    def _trim(self, lo: int, hi: int, first: str, last: str) -> tuple[int, int]:
        """Drop heard words at either edge that a word-for-word run added ("Evans" -> "Evansie, it")."""

        def like(a: str, b: str) -> float:
            return difflib.SequenceMatcher(None, a, b).ratio()

        while hi - lo > 1 and like(self.b[hi - 1].norm, last) < 0.5 <= like(self.b[hi - 2].norm, last):
            hi -= 1
        while hi - lo > 1 and like(self.b[lo].norm, first) < 0.5 <= like(self.b[lo + 1].norm, first):
            lo += 1
        return lo, hi

    def coverage(self) -> float:
        """Share of the memo's words matched exactly in the transcript."""
        return sum(1 for _, _, e in self.map if e) / len(self.map) if self.map else 0.0


def align_expected(expected: dict[str, Any], memo: str, transcript: str) -> tuple[dict[str, Any], dict]:
    """The labels re-placed in the transcript, and a report {placed, fuzzy, unplaced: [field...]}."""
    aligner = Aligner(memo, transcript)
    out = copy.deepcopy(expected)
    report: dict[str, Any] = {
        "placed": 0,
        "fuzzy": 0,
        "unplaced": [],
        "coverage": round(aligner.coverage(), 3),
    }
    for record in out.get("records", []):
        for path in TEXT_FIELDS:
            holder = record
            for key in path[:-1]:
                holder = holder.get(key) or {}
            value = holder.get(path[-1]) if isinstance(holder, dict) else None
            if not isinstance(value, str) or not value.strip():
                continue
            placed, exact = aligner.place(value)
            if placed:
                holder[path[-1]] = placed
                report["placed"] += 1
                report["fuzzy"] += 0 if exact else 1
            else:
                report["unplaced"].append(".".join(path))
    return out, report


# --- driver ----------------------------------------------------------------------------------------


def choices_for(case_id: str, n: int) -> list[tuple[str, str, str]]:
    """`n` (voice, speed, degradation) triples for a case, rotated deterministically by its id."""
    start = int(hashlib.sha1(case_id.encode()).hexdigest(), 16) % len(ROTATION)
    return [ROTATION[(start + k) % len(ROTATION)] for k in range(n)]


def out_name(case_id: str, voice: str, speed: str, degradation: str) -> str:
    return f"{case_id}__{voice}-{speed}-{degradation}.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="default corpus/asr; bench/out/asr (not in git) for --split test",
    )
    parser.add_argument("--split", default="train", help="split to mark the cases with (train/tune/measure)")
    parser.add_argument("--voices-per-memo", type=int, default=1)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="first N cases of each set")
    parser.add_argument(
        "--voice", default=None, help="force one voice (e.g. flite-slt) clean at normal speed"
    )
    parser.add_argument("--realign", action="store_true", help="only recompute labels of existing outputs")
    args = parser.parse_args(argv)
    corpus = ROOT / "corpus"
    if args.out is None:
        args.out = ROOT / "bench" / "out" / "asr" if args.split == "test" else corpus / "asr"
    inside_corpus = args.out.resolve().is_relative_to(corpus.resolve())
    if inside_corpus and (
        args.split == "test" or any("private" in Path(s).resolve().parts for s in args.sets)
    ):
        parser.error(
            "a test set's transcripts never go into corpus/ (the training corpus): use --out bench/out/..."
        )

    transcriber = None
    totals: Counter[str] = Counter()
    unplaced_fields: Counter[str] = Counter()
    for set_dir in args.sets:
        set_dir = set_dir.resolve()
        set_name = set_dir.name
        dest = args.out / set_name / args.model
        dest.mkdir(parents=True, exist_ok=True)
        files = sorted(set_dir.glob("*.json"))[: args.limit or None]
        for case_file in files:
            case = json.loads(case_file.read_text(encoding="utf-8"))
            case_id = case.get("id", case_file.stem)
            picks = (
                [(args.voice, "normal", "clean")]
                if args.voice
                else choices_for(case_id, args.voices_per_memo)
            )
            targets = [dest / out_name(case_file.stem, *pick) for pick in picks]
            if args.realign:  # every transcript of this memo, whatever its voice
                targets = sorted(dest.glob(f"{case_file.stem}__*.json"))
            for target in targets:
                voice, speed, degradation = target.stem.split("__", 1)[1].rsplit("-", 2)
                if target.exists() and not args.realign:
                    continue
                if args.realign:
                    transcript_text = json.loads(target.read_text(encoding="utf-8"))["text"]
                    info: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))["asr"]
                else:
                    if transcriber is None:
                        from speakcase.pipelines.transcribe import Transcriber

                        transcriber = Transcriber(args.model, cpu_threads=args.threads)
                    with tempfile.TemporaryDirectory() as tmp:
                        wav = Path(tmp) / "memo.wav"
                        synthesise(case["text"], voice, speed, degradation, wav)
                        started = time.perf_counter()
                        transcript = transcriber.transcribe(wav)
                        decode = time.perf_counter() - started
                    transcript_text = transcript.text
                    info = {
                        "source_set": str(case_file.parent),
                        "source_id": case_id,
                        "split": args.split,
                        "model": args.model,
                        "voice": voice,
                        "engine_voice": "/".join(VOICES[voice]),
                        "speed": speed,
                        "degradation": degradation,
                        "audio_seconds": round(transcript.duration, 2),
                        "decode_seconds": round(decode, 2),
                    }
                expected, report = align_expected(case["expected"], case["text"], transcript_text)
                info.update(
                    {
                        "labels_placed": report["placed"],
                        "labels_fuzzy": report["fuzzy"],
                        "word_coverage": report["coverage"],
                        "unplaced": report["unplaced"],
                    }
                )
                out_case = {
                    "id": f"{case_id}__{voice}-{speed}-{degradation}",
                    "recorded_at": case["recorded_at"],
                    "text": transcript_text,
                    "expected": expected,
                    "asr": info,
                }
                target.write_text(json.dumps(out_case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
                totals["cases"] += 1
                totals["placed"] += report["placed"]
                totals["fuzzy"] += report["fuzzy"]
                totals["unplaced"] += len(report["unplaced"])
                unplaced_fields.update(report["unplaced"])
                print(
                    f"{set_name}/{target.name}: placed {report['placed']} unplaced {len(report['unplaced'])}",
                    flush=True,
                )
    summary = summarise(args.out)
    print(json.dumps({"this_run": dict(totals), **summary}, indent=2))
    return 0


def summarise(out: Path) -> dict[str, Any]:
    """Counts over every case under `out`: cases per split, labels placed, fuzzy, unplaced per field."""
    totals: Counter[str] = Counter()
    splits: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    for path in sorted(out.glob("*/*/*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))["asr"]
        totals["cases"] += 1
        splits[info["split"]] += 1
        totals["labels_placed"] += info["labels_placed"]
        totals["labels_fuzzy"] += info["labels_fuzzy"]
        totals["labels_unplaced"] += len(info["unplaced"])
        fields.update(info["unplaced"])
    summary = {"all": dict(totals), "splits": dict(splits), "unplaced_by_field": dict(fields)}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


if __name__ == "__main__":
    raise SystemExit(main())
