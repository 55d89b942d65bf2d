"""No packet leaves the machine: every library's telemetry and downloads are switched off before it loads.

ONNX Runtime (loaded by faster-whisper's voice detection) otherwise looks up
mobile.events.data.microsoft.com and keeps a device id under ~/.cache/Microsoft; Hugging Face Hub
would try to download a model it cannot find. The variables are forced, not defaulted: SpeakCase
holds personal data and promises to work offline.
"""

from __future__ import annotations

import os
import socket
import sys

__all__ = ["OFFLINE_ENV", "NetworkRefused", "allow_host", "enforce_offline", "silence_onnxruntime"]

OFFLINE_ENV = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
}


class NetworkRefused(PermissionError):
    """A library tried to open a network socket or look up a host name in a SpeakCase process."""


_allowed_hosts: set[str] = set()
_installed: list[bool] = []


def allow_host(host: str) -> None:
    """Let a name lookup of `host` through: the database server a --db URL names (team mode)."""
    _allowed_hosts.add(host)


def _refuse_network(event: str, args: tuple[object, ...]) -> None:
    # Python-level only (native code is covered by the variables above); raised before the call,
    # so a library probing for IPv6 at import (urllib3, via spaCy) just finds no network.
    if event == "socket.__new__" and args[1] not in (socket.AF_UNIX, -1):
        raise NetworkRefused("SpeakCase works offline: network sockets are refused.")
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        if args[0] is not None and str(args[0]) not in _allowed_hosts:
            raise NetworkRefused("SpeakCase works offline: host name lookups are refused.")


def enforce_offline() -> None:
    """Set the offline variables in this process (and so in every worker it starts), and refuse
    Python-level network sockets from here on."""
    os.environ.update(OFFLINE_ENV)
    if not _installed:
        sys.addaudithook(_refuse_network)
        _installed.append(True)
    # Textual's devtools connect to a websocket when TEXTUAL names them.
    features = [f for f in os.environ.get("TEXTUAL", "").split(",") if f.strip() and f.strip() != "devtools"]
    if features:
        os.environ["TEXTUAL"] = ",".join(features)
    else:
        os.environ.pop("TEXTUAL", None)


def silence_onnxruntime() -> None:
    """Switch ONNX Runtime's telemetry off through its API as well, if it is installed."""
    try:
        import onnxruntime
    except ImportError:
        return
    disable = getattr(onnxruntime, "disable_telemetry_events", None)
    if disable is not None:
        disable()
