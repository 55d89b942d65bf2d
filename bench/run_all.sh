#!/bin/sh
# The full transcription benchmark, sequential so timings do not compete: nohup sh bench/run_all.sh &
# Essentials first (all 40 dev memos), then ablations on the first 20, then the RTF comparison.
cd "$(dirname "$0")/.." || exit 1
PY=.venv/bin/python
$PY bench/transcribe.py --models tiny.en --voices flite-slt --configs default bias
$PY bench/transcribe.py --models tiny.en --voices espeak-gb --configs default bias
$PY bench/transcribe.py --models base --voices flite-slt espeak-gb --configs default
$PY bench/transcribe.py --models tiny.en --voices flite-slt --configs prompt cond beam1 --limit 20
$PY bench/transcribe.py --models base --voices flite-slt --configs bias --limit 20
$PY bench/rtf.py
$PY bench/transcribe.py --rescore
