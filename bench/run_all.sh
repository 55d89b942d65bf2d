#!/bin/sh
# The full transcription benchmark, sequential so timings do not compete: nohup sh bench/run_all.sh &
# Essentials first (all 40 dev memos), then the RTF comparison, then ablations on a subset.
cd "$(dirname "$0")/.." || exit 1
PY=.venv/bin/python
$PY bench/transcribe.py --models tiny.en --voices flite-slt espeak-gb --configs default bias
$PY bench/transcribe.py --models base --voices flite-slt espeak-gb --configs default
$PY bench/rtf.py --repeats 2
$PY bench/transcribe.py --models tiny.en --voices flite-slt --configs cond beam1 prompt --limit 10
$PY bench/transcribe.py --models base --voices flite-slt --configs bias --limit 10
$PY bench/transcribe.py --rescore
for d in bench/out/asr_cases_*; do echo "$d"; .venv/bin/speakcase evaluate "$d" --json | grep '"score"'; done
