#!/usr/bin/python3
"""Run a command under the seccomp part of a systemd unit's sandbox, without systemd.

    seccomp-exec.py UNIT [--mdwe] -- COMMAND [ARGS...]

Reads these directives from UNIT's [Service] section and installs the same seccomp filter that
systemd 252 would, then execs COMMAND:

  SystemCallFilter= (all lines; @sets expanded by `systemd-analyze syscall-filter`, @default always
  allowed, like systemd), SystemCallErrorNumber= (default: kill the process, like systemd),
  SystemCallArchitectures=native (libseccomp's default: other ABIs kill the process),
  RestrictAddressFamilies= (socket() with another family -> EAFNOSUPPORT),
  RestrictNamespaces=yes (unshare/setns -> EPERM, clone with CLONE_NEW* -> EPERM, clone3 -> ENOSYS
  so that glibc falls back to clone, as systemd does), RestrictRealtime=yes, LockPersonality=yes,
  MemoryDenyWriteExecute=yes (or --mdwe to try it although the unit leaves it out).

It is an approximation of systemd's own filter (same sets, same argument rules) for hosts where
systemd is not PID 1; tests/env/unit-check.sh uses it to see which directives the .NET runtime
tolerates. Needs python3-seccomp (Debian package). Prints what it installs on stderr; with
SECCOMP_EXEC_LIST=FILE also writes the allowed system calls there (for a deny-list: "~name" each).
"""
import errno
import os
import subprocess
import sys

import seccomp

CLONE_NEW_FLAGS = (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000
                   | 0x40000000 | 0x00000080)  # NS, CGROUP, UTS, IPC, USER, PID, NET, TIME
PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000
FAMILIES = {name: value for value, name in enumerate([
    "AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX", "AF_APPLETALK", "AF_NETROM", "AF_BRIDGE",
    "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet", "AF_NETBEUI", "AF_SECURITY", "AF_KEY",
    "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC", "AF_RDS", "AF_SNA", "AF_IRDA",
    "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS", "AF_CAN", "AF_TIPC", "AF_BLUETOOTH",
    "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET", "AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC",
    "AF_VSOCK", "AF_KCM", "AF_QIPCRTR", "AF_SMC", "AF_XDP", "AF_MCTP"])}


def read_service(path):
    """The [Service] section as a list of (key, value), continuation lines joined."""
    entries, section, pending = [], None, ""
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = pending + raw.strip()
            pending = ""
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line
                continue
            if section == "[Service]" and "=" in line:
                key, value = line.split("=", 1)
                entries.append((key.strip(), value.strip()))
    return entries


def syscall_sets():
    """Every @set of this systemd, with its members (names and nested @sets) as printed."""
    out = subprocess.run(["systemd-analyze", "syscall-filter"], check=True, capture_output=True,
                         text=True).stdout
    sets, current = {}, None
    for line in out.splitlines():
        if line.startswith("@"):
            current = sets.setdefault(line.strip(), [])
        elif current is not None and line.strip() and not line.strip().startswith("#"):
            current.append(line.strip())
    return sets


def expand(names, sets):
    result = set()
    for name in names:
        if name.startswith("@"):
            if name not in sets:
                sys.exit(f"seccomp-exec: unknown system call set {name}")
            result |= expand(sets[name], sets)
        else:
            result.add(name)
    return result


def is_yes(value):
    return value.lower() in ("1", "yes", "true", "on")


def add_rule(f, action, name):
    """Adds a rule for a system call of this architecture; names of other ABIs (mmap2, ...) are skipped."""
    try:
        if seccomp.resolve_syscall(seccomp.Arch.NATIVE, name) < 0:
            return
        f.add_rule(action, name)
    except (ValueError, RuntimeError):
        pass


def main(argv):
    if "--" not in argv or len(argv) < 4:
        sys.exit(__doc__)
    sep = argv.index("--")
    options, command = argv[1:sep], argv[sep + 1:]
    unit, force_mdwe = options[0], "--mdwe" in options[1:]
    entries = read_service(unit)
    sets = syscall_sets()

    allow, deny, allow_mode, errno_name, families_line = set(), set(), None, None, None
    flags = {}
    for key, value in entries:
        if key == "SystemCallFilter":
            invert = value.startswith("~")
            names = value.lstrip("~").split()
            if allow_mode is None:
                allow_mode = not invert
            # Like systemd: the first line decides allow- or deny-list; later lines add or remove.
            if invert == (not allow_mode):
                (allow if allow_mode else deny).update(expand(names, sets))
            else:
                (allow if allow_mode else deny).difference_update(expand(names, sets))
        elif key == "SystemCallErrorNumber":
            errno_name = value
        elif key == "RestrictAddressFamilies":
            families_line = value
        else:
            flags[key] = value
    if force_mdwe:
        flags["MemoryDenyWriteExecute"] = "yes"

    denied_action = (seccomp.ERRNO(getattr(errno, errno_name)) if errno_name
                     else seccomp.KILL_PROCESS)
    default_syscalls = expand(["@default"], sets)
    if allow_mode:
        f = seccomp.SyscallFilter(defaction=denied_action)
        for name in sorted((allow | default_syscalls)):
            add_rule(f, seccomp.ALLOW, name)
    else:
        f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for name in sorted(deny - default_syscalls):
            add_rule(f, denied_action, name)
    if flags.get("SystemCallArchitectures", "") not in ("", "native"):
        sys.exit("seccomp-exec: only SystemCallArchitectures=native is emulated")

    # Argument rules go into a second filter that allows everything else, as systemd installs one
    # filter per directive: the kernel runs them all and the most restrictive answer wins.
    # It is loaded before the system-call filter, which may not allow seccomp() itself.
    g = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    if families_line:
        allowed_families = {FAMILIES[n] for n in families_line.lstrip("~").split()}
        inverted = families_line.startswith("~")
        for value in range(len(FAMILIES)):
            if (value in allowed_families) == inverted:
                g.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.EQ, value))
    if is_yes(flags.get("RestrictNamespaces", "no")):
        g.add_rule(seccomp.ERRNO(errno.EPERM), "unshare")
        g.add_rule(seccomp.ERRNO(errno.EPERM), "setns")
        for bit in [b for b in range(32) if CLONE_NEW_FLAGS & (1 << b)]:
            g.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, 1 << bit, 1 << bit))
        g.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    if is_yes(flags.get("RestrictRealtime", "no")):
        for name in ("sched_setscheduler", "sched_setattr"):
            g.add_rule(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(1, seccomp.MASKED_EQ, 0x7, 1))
            g.add_rule(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(1, seccomp.MASKED_EQ, 0x7, 2))
            g.add_rule(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(1, seccomp.MASKED_EQ, 0x7, 6))
    if is_yes(flags.get("LockPersonality", "no")):
        # Stricter than systemd, which also lets the query 0xffffffff through; the runtime makes neither.
        g.add_rule(seccomp.ERRNO(errno.EPERM), "personality", seccomp.Arg(0, seccomp.NE, 0))
    if is_yes(flags.get("MemoryDenyWriteExecute", "no")):
        both = PROT_WRITE | PROT_EXEC
        g.add_rule(seccomp.ERRNO(errno.EPERM), "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, both, both))
        g.add_rule(seccomp.ERRNO(errno.EPERM), "mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
        g.add_rule(seccomp.ERRNO(errno.EPERM), "pkey_mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
        g.add_rule(seccomp.ERRNO(errno.EPERM), "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))

    print(f"seccomp-exec: {'allow' if allow_mode else 'deny'}-list of "
          f"{len(allow | default_syscalls) if allow_mode else len(deny - default_syscalls)} system calls, "
          f"denied -> {errno_name or 'SIGSYS'}; families {families_line or 'any'}; "
          f"MemoryDenyWriteExecute={'yes' if is_yes(flags.get('MemoryDenyWriteExecute', 'no')) else 'no'}",
          file=sys.stderr)
    if os.environ.get("SECCOMP_EXEC_LIST"):
        with open(os.environ["SECCOMP_EXEC_LIST"], "w", encoding="utf-8") as out:
            # Allow-list: the names allowed; deny-list: the names refused, each as "~name".
            names = sorted(allow | default_syscalls) if allow_mode else ["~" + n for n in sorted(deny - default_syscalls)]
            out.write("\n".join(names) + "\n")
    g.load()  # sets no_new_privs first, like NoNewPrivileges=yes
    f.load()
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv)
