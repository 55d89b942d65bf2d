#!/bin/sh
# The full transcription benchmark, sequential so timings do not compete: nohup sh bench/run_all.sh &
cd "$(dirname "$0")/.." || exit 1
PY=.venv/bin/python
$PY bench/transcribe.py --models tiny.en --voices flite-slt espeak-gb --configs default bias prompt cond beam1
$PY bench/transcribe.py --models base --voices flite-slt espeak-gb --configs default bias
$PY bench/rtf.py
