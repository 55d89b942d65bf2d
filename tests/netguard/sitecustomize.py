"""A network guard for test subprocesses: put this folder first on PYTHONPATH.

Two layers, installed before any other code runs in every Python process started with it (batch
workers too, since they inherit PYTHONPATH):
- a seccomp filter (inherited by every thread and child) that kills the process with SIGSYS the
  moment anything, native code included, creates a socket that is not AF_UNIX;
- an audit hook that writes every Python-level socket creation, connect, bind, send or name
  lookup to the file named by NETGUARD_LOG, before the call is made.
NETGUARD_STATUS names a file where each process notes whether the seccomp layer is on.
"""

import ctypes
import os
import platform
import socket
import struct
import sys

_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}  # (AUDIT_ARCH, __NR_socket)
_LOG = os.environ.get("NETGUARD_LOG")


def _record(what):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {what}\n")


def _hook(event, args):
    if event == "socket.__new__":
        family = args[1]
        if family != socket.AF_UNIX and family != -1:
            _record(f"{event} family={family}")
    elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        if getattr(sock, "family", None) != socket.AF_UNIX:
            _record(f"{event} {args[1]!r}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        _record(f"{event} {args[0]!r}")


def _seccomp():
    """Install the filter; returns why not when it cannot be."""
    arch = _ARCH.get(platform.machine())
    if arch is None:
        return f"unsupported machine {platform.machine()}"
    audit_arch, nr_socket = arch

    def stmt(code, k, jt=0, jf=0):
        return struct.pack("HBBI", code, jt, jf, k)

    ld_abs, jeq, ret = 0x20, 0x15, 0x06
    program = b"".join(
        [
            stmt(ld_abs, 4),  # seccomp_data.arch
            stmt(jeq, audit_arch, 0, 5),
            stmt(ld_abs, 0),  # seccomp_data.nr
            stmt(jeq, nr_socket, 0, 3),
            stmt(ld_abs, 16),  # seccomp_data.args[0]: the address family
            stmt(jeq, socket.AF_UNIX, 1, 0),
            stmt(ret, 0x80000000),  # SECCOMP_RET_KILL_PROCESS
            stmt(ret, 0x7FFF0000),  # SECCOMP_RET_ALLOW
        ]
    )
    buf = ctypes.create_string_buffer(program, len(program))

    class Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Prog(len(program) // 8, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(38, 1, None, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return f"PR_SET_NO_NEW_PRIVS failed (errno {ctypes.get_errno()})"
    if libc.prctl(22, 2, ctypes.addressof(prog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        return f"PR_SET_SECCOMP failed (errno {ctypes.get_errno()})"
    return None


sys.addaudithook(_hook)
_problem = _seccomp()
if os.environ.get("NETGUARD_STATUS"):
    with open(os.environ["NETGUARD_STATUS"], "a", encoding="utf-8") as _fh:
        _fh.write(f"{os.getpid()} {'seccomp on' if _problem is None else 'seccomp off: ' + _problem}\n")
