#!/usr/bin/python3
"""Stand in for systemd around one service process, for tests/env/unit-check.sh.

    notify-parent.py SOCKET LOG -- COMMAND [ARGS...]

Plays the two parts of PID 1 a Type=notify service sees: its parent process is named "systemd"
and runs as root (what Microsoft.Extensions.Hosting.Systemd checks in /proc/<ppid>/comm), and
$NOTIFY_SOCKET is a datagram socket that receives READY=1 / STOPPING=1. Every message goes to LOG,
one a line. COMMAND runs as a child with NOTIFY_SOCKET set; it is expected to set
SYSTEMD_EXEC_PID to its own PID itself (exec keeps the PID), as systemd does. Exits with the
child's exit code; SIGTERM is passed on to the child.
"""
import ctypes
import os
import signal
import socket
import sys
import threading

sock_path, log_path = sys.argv[1], sys.argv[2]
command = sys.argv[sys.argv.index("--") + 1:]
ctypes.CDLL(None).prctl(15, b"systemd", 0, 0, 0)  # PR_SET_NAME

listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
listener.bind(sock_path)
os.chmod(sock_path, 0o777)  # the service runs as another user


def receive():
    with open(log_path, "a", encoding="utf-8") as log:
        while True:
            log.write(listener.recv(4096).decode(errors="replace").replace("\n", " ") + "\n")
            log.flush()


threading.Thread(target=receive, daemon=True).start()
child = os.fork()
if child == 0:
    os.environ["NOTIFY_SOCKET"] = sock_path
    os.execvp(command[0], command)
signal.signal(signal.SIGTERM, lambda *_: os.kill(child, signal.SIGTERM))
while True:
    try:
        _, status = os.waitpid(child, 0)
        break
    except InterruptedError:
        continue
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
import time; time.sleep(0.2)  # let the last message (STOPPING=1) reach the log
sys.exit(os.waitstatus_to_exitcode(status))
