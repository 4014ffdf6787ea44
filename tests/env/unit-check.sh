#!/usr/bin/env bash
# Checks the shipped systemd unit, config/joecash-scheduler.service (issue 17):
#
#   1. score     systemd-analyze security --offline=true rates it at most $JC_UNIT_MAX_EXPOSURE (2.0).
#   2. verify    publishes the service to <work>/opt/joecash-scheduler (work: /var/lib/joecash-unit-check.*,
#                outside /tmp, which the unit makes private), the layout the unit's header
#                describes, and runs systemd-analyze verify on a copy whose ExecStart points there;
#                any warning (a misspelt directive, a missing binary) fails.
#   3. sandbox   runs the published `serve` once under the unit's sandbox: it must start, send the
#                demo emails to the pickup folder, (emulated) answer a page and the health check, and exit
#                0 on SIGTERM.
#                - systemd is PID 1: a transient unit (systemd-run) with the unit's [Service] settings.
#                - otherwise (containers, this CI machine): "skipped: systemd is not PID 1 here", and
#                  instead an emulation of the sandbox: the same seccomp filter (seccomp-exec.py),
#                  the same /proc, /dev, /tmp, read-only-system mounts in a mount namespace, no
#                  capabilities, a non-root user; under strace, then every system call the service
#                  made must be inside the unit's SystemCallFilter.
#
# Prints one line per check ("unit-check: PASS|FAIL|SKIP <name>: ...") and, last, its totals as
# "unit-check: N passed, N failed"; exits 1 if a check failed. Run as root (mount namespace,
# apt-get for missing packages). About 15 s after a Release build (JC_UNIT_CHECK_NO_BUILD=1), 60 s
# with a full publish on 2 cores.
#
#   tests/env/unit-check.sh                       # all checks
#   JC_UNIT_CHECK_PUBLISHED=DIR tests/env/unit-check.sh   # reuse a published folder, no publish
#   JC_UNIT_CHECK_KEEP=1 ...                      # keep the work folder (traces, logs) and say where
#   JC_UNIT_CHECK_UNIT=FILE ...                   # check another unit file (to see the checks fail)
#   JC_UNIT_CHECK_NO_BUILD=1 ...                  # publish what `dotnet build -c Release` already built
#                                                 # (portable and JIT only: the ReadyToRun layout the unit ships
#                                                 #  needs the publish's own build, as without this variable)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

readonly UNIT="${JC_UNIT_CHECK_UNIT:-config/joecash-scheduler.service}"
readonly MAX_EXPOSURE="${JC_UNIT_MAX_EXPOSURE:-2.0}"
readonly RUN_TIMEOUT=60
readonly APT_OPTS=(-o DPkg::Lock::Timeout=120)

passed=0
failed=0
pass() { echo "unit-check: PASS $*"; passed=$((passed + 1)); }
fail() { echo "unit-check: FAIL $*"; failed=$((failed + 1)); }
skip() { echo "unit-check: SKIP $*"; }
note() { echo "unit-check: $*"; }

# --- What the checks need, installed like tests/env/mail-stack.sh does --------------------------------
need_packages=()
command -v systemd-analyze >/dev/null || need_packages+=(systemd)
command -v strace >/dev/null || need_packages+=(strace)
command -v setpriv >/dev/null || need_packages+=(util-linux)
/usr/bin/python3 -c 'import seccomp' 2>/dev/null || need_packages+=(python3-seccomp)
if [ ${#need_packages[@]} -gt 0 ]; then
  note "installing ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy "${need_packages[@]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get "${APT_OPTS[@]}" update -qq
  fi
  apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
fi

# Outside /tmp and /var/tmp: the unit's PrivateTmp= hides those from the service under test.
work=$(mktemp -d /var/lib/joecash-unit-check.XXXXXX)
chmod 0755 "$work"
service_pid=
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then kill -KILL "$service_pid" 2>/dev/null || true; fi
  if [ "${JC_UNIT_CHECK_KEEP:-}" = 1 ]; then echo "unit-check: work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The [Service] directives of a unit, one "Key=Value" a line, comments and blank lines dropped.
service_directives() {
  awk '/^\[/{s=$0; next} s=="[Service]" && !/^[[:space:]]*([#;]|$)/{print}' "$1"
}
directive() { service_directives "$UNIT" | sed -n "s/^$1=//p" | tail -n 1; }

# --- 1. score ------------------------------------------------------------------------------------------
security_out=$(systemd-analyze security --offline=true "$UNIT" 2>&1) || true
score=$(printf '%s\n' "$security_out" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
if [ -z "$score" ]; then
  fail "score: systemd-analyze security printed no overall exposure level:"
  printf '%s\n' "$security_out" | tail -n 5
elif awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then
  pass "score: systemd-analyze security rates $UNIT $score $(printf '%s\n' "$security_out" | sed -n 's/.*Overall exposure level for .*: [0-9.]* \([A-Z]*\).*/\1/p') (at most $MAX_EXPOSURE allowed)"
else
  fail "score: systemd-analyze security rates $UNIT $score, more than $MAX_EXPOSURE; what it counts against the unit:"
  printf '%s\n' "$security_out" | grep '✗' || true
fi

# --- 2. publish and verify -----------------------------------------------------------------------------
layout="$work/opt/joecash-scheduler"
if [ -n "${JC_UNIT_CHECK_PUBLISHED:-}" ]; then
  mkdir -p "$work/opt" && cp -a "$JC_UNIT_CHECK_PUBLISHED" "$layout"
elif ! dotnet publish src/JoeCash.Scheduler -c Release ${JC_UNIT_CHECK_NO_BUILD:+--no-build} -o "$layout" --nologo -v quiet -clp:ErrorsOnly -maxcpucount:2 >"$work/publish.log" 2>&1; then
  fail "verify: dotnet publish failed:"; tail -n 20 "$work/publish.log"
fi
exec_start=$(directive ExecStart)
binary=${exec_start%% *}
if [ "${binary%/joecash-scheduler}" != /opt/joecash-scheduler ]; then
  fail "verify: ExecStart=$exec_start does not start /opt/joecash-scheduler/joecash-scheduler as the unit's header installs it"
fi
verify_unit="$work/joecash-scheduler.service"
sed "s#^ExecStart=/opt/joecash-scheduler/#ExecStart=$layout/#" "$UNIT" >"$verify_unit"
if verify_out=$(systemd-analyze verify "$verify_unit" 2>&1) && [ -z "$verify_out" ]; then
  pass "verify: systemd-analyze verify accepts the unit with ExecStart=$layout/joecash-scheduler"
else
  fail "verify: systemd-analyze verify complains:"; printf '%s\n' "$verify_out"
fi

# --- 3. sandbox ----------------------------------------------------------------------------------------
wait_for_mail() {  # pickup folder, seconds[, pid that must stay alive]
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    if compgen -G "$1/*.eml" >/dev/null; then return 0; fi
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
  return 1
}

sandbox_with_systemd() {
  local name="joecash-unit-check-$$" props=() line key
  # The unit's own [Service] settings, except what points at the installed layout or the real user:
  # the run uses a dynamic user and a state folder of its own, so it needs no joecash account and
  # leaves nothing of an installed service touched.
  while IFS= read -r line; do
    key=${line%%=*}
    case "$key" in
      ExecStart | User | Group | WorkingDirectory | EnvironmentFile | StateDirectory | ReadWritePaths | Restart | RestartSec) ;;
      Environment) case "$line" in *JOECASH_*) ;; *) props+=(-p "$line") ;; esac ;;
      *) props+=(-p "$line") ;;
    esac
  done < <(service_directives "$UNIT")
  props+=(-p DynamicUser=yes -p "StateDirectory=$name" -p "WorkingDirectory=/var/lib/$name"
    -p "Environment=JOECASH_Storage__Path=/var/lib/$name/scheduler.db"
    -p "Environment=JOECASH_Mail__PickupDirectory=/var/lib/$name/pickup"
    -p "Environment=JOECASH_Web__Urls=http://127.0.0.1:0")
  # --wait: systemd-run stays until the service has ended and then reports how it ended
  # ("Finished with result: ...", "Main processes terminated with: code=exited/status=0"), exiting
  # non-zero if it failed; a transient unit is unloaded right after, so `systemctl show` could not.
  local run_log="$work/systemd-run.log" state="/var/lib/private/$name" rc
  systemd-run --wait --unit="$name" "${props[@]}" "$layout/joecash-scheduler" serve --demo >"$run_log" 2>&1 &
  local run_pid=$!
  # DynamicUser= keeps the state folder under /var/lib/private.
  if wait_for_mail "$state/pickup" 40 "$run_pid"; then
    sleep 2  # let the first outbox pass finish
    # Emails go out before READY=1 is sent only if readiness is broken: "activating" means systemd
    # still waits for it and would kill the service after TimeoutStartSec.
    local active
    active=$(systemctl show -p ActiveState --value "$name")
    if [ "$active" = active ]; then
      pass "sandbox: Type=notify: systemd got READY=1 from serve under the unit's sandbox"
    else
      fail "sandbox: Type=notify: the unit is '$active' after its first emails: no READY=1 from serve"
    fi
    systemctl stop "$name" || true
    set +e; wait "$run_pid"; rc=$?; set -e
    sent=$(find "$state/pickup" -name '*.eml' | wc -l)
    if [ "$rc" = 0 ] && grep -q 'Finished with result: success' "$run_log"; then
      pass "sandbox: serve ran under systemd with the unit's sandbox, sent $sent email(s) to the pickup folder, stopped on SIGTERM with exit 0"
    else
      fail "sandbox: serve did not stop cleanly on SIGTERM (systemd-run exit $rc):"
      cat "$run_log"
      journalctl -u "$name" --no-pager -n 30 || true
    fi
  else
    fail "sandbox: serve under the unit's sandbox sent no email within 40 s:"
    systemctl stop "$name" 2>/dev/null || true
    wait "$run_pid" || true
    cat "$run_log"
    journalctl -u "$name" --no-pager -n 30 || true
  fi
  systemctl reset-failed "$name" 2>/dev/null || true
  rm -rf "$state" "/var/lib/$name"
}

# Without systemd: the unit's mounts in a private mount namespace, then a non-root user without
# capabilities (CapabilityBoundingSet=, NoNewPrivileges=), then the unit's seccomp filter, under strace.
sandbox_emulated() {
  local data="$work/var/lib/joecash-scheduler" trace="$work/strace.txt" log="$work/serve.log" rc
  # The unit as seccomp-exec.py reads it, and the script itself, copied where the private /tmp cannot
  # hide them (a clone of the repository under /tmp, as CI may make, is invisible in the sandbox).
  cp "$UNIT" "$work/unit.service"
  cp tests/env/seccomp-exec.py "$work/seccomp-exec.py" && chmod 0644 "$work/seccomp-exec.py"
  mkdir -p "$work/dev" "$data" && chown 65534:65534 "$data" && chmod 0750 "$data"
  on() { case "$(directive "$1")" in 1 | yes | true | on) return 0 ;; *) return 1 ;; esac; }
  {
    echo 'set -e'
    echo "echo \$\$ >'$work/service.pid'"
    echo "umask $(directive UMask || echo 0022)"
    echo "# ReadWritePaths=: the data folder stays writable when / turns read-only."
    echo "mount --bind '$data' '$data'"
    echo "mount --bind '$layout' '$layout'; mount -o remount,bind,ro '$layout'"
    if on PrivateTmp; then
      echo "mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp; mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp"
    fi
    if on ProtectHome; then
      echo "mount -t tmpfs -o mode=0755,ro tmpfs /home; mount -t tmpfs -o mode=0700,ro tmpfs /root"
    fi
    local proc_options=
    [ -n "$(directive ProtectProc)" ] && proc_options="hidepid=$(directive ProtectProc)"
    [ "$(directive ProcSubset)" = pid ] && proc_options="${proc_options:+$proc_options,}subset=pid"
    [ -n "$proc_options" ] && echo "mount -t proc -o $proc_options proc /proc"
    if on PrivateDevices; then
      # A /dev with null, zero, full, random, urandom, tty and shm only.
      echo "mount -t tmpfs -o mode=0755,nosuid tmpfs '$work/dev'; mkdir '$work/dev/shm'"
      echo "for d in null zero full random urandom tty; do touch '$work/dev/'\$d; mount --bind /dev/\$d '$work/dev/'\$d; done"
      echo "mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs '$work/dev/shm'; ln -s /proc/self/fd '$work/dev/fd'"
      echo "mount --move '$work/dev' /dev"
    fi
    if on ProtectKernelTunables; then echo "mount -o remount,bind,ro /sys"; fi
    case "$(directive ProtectSystem)" in
      strict) echo "mount -o remount,bind,ro /" ;;
      '' | no | false) ;;
      *) echo "mount -o remount,bind,ro /usr" ;;
    esac
    echo "cd '$data'"
    # The unit's DOTNET_* settings; the JOECASH_* paths point into the work folder.
    echo "exec env -i PATH=/usr/bin:/bin HOME='$data' LANG=C.UTF-8 NOTIFY_SOCKET=\"\$NOTIFY_SOCKET\" SYSTEMD_EXEC_PID=\$\$ $(service_directives "$UNIT" | sed -n 's/^Environment=\(DOTNET_[^ ]*\)$/\1/p' | tr '\n' ' ') \\"
    echo "  JOECASH_Storage__Path='$data/scheduler.db' JOECASH_Mail__PickupDirectory='$data/pickup' JOECASH_Web__Urls=http://127.0.0.1:0 SECCOMP_EXEC_LIST='$data/allowed-syscalls.txt' \\"
    echo "  setpriv --reuid=65534 --regid=65534 --clear-groups --bounding-set=-all --inh-caps=-all --no-new-privs \\"
    echo "  /usr/bin/python3 '$work/seccomp-exec.py' '$work/unit.service' -- '$layout/joecash-scheduler' serve --demo"
  } >"$work/enter.sh"
  local started=$SECONDS
  # The service's parent plays systemd: a root process named "systemd" with the notify socket.
  strace -f -qq -s 256 -o "$trace" /usr/bin/python3 tests/env/notify-parent.py "$work/notify.sock" "$work/notify.log" -- \
    unshare --mount --propagation private bash "$work/enter.sh" >"$log" 2>&1 &
  local strace_pid=$!
  local i=0
  while [ ! -s "$work/service.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  service_pid=$(cat "$work/service.pid" 2>/dev/null || true)
  if [ -z "$service_pid" ] || ! wait_for_mail "$data/pickup" 40 "$strace_pid"; then
    fail "sandbox (emulated): serve sent no email within 40 s; its output:"
    tail -n 20 "$log"
    [ -n "$service_pid" ] && kill -TERM "$service_pid" 2>/dev/null || true
    wait "$strace_pid" || true
    return
  fi
  sleep 2  # let the first outbox pass finish
  # serve builds its pages and reads its signing keys on the first request: ask for a page and the health check
  # under the sandbox, so that path's system calls are traced too.
  local address answers=
  if address=$(grep -o 'Web pages at http://127\.0\.0\.1:[0-9]*' "$log"); then
    address=${address#Web pages at }
    answers=$(/usr/bin/python3 - "$address" <<'PY' 2>&1 || true
import sys, urllib.request
answers = []
for path in ("/health/live", "/sign-in"):
    with urllib.request.urlopen(sys.argv[1] + path, timeout=20) as response:
        answers.append(f"{path} {response.status}")
print("; ".join(answers))
PY
)
  fi
  kill -TERM "$service_pid"
  set +e; wait "$strace_pid"; rc=$?; set -e
  service_pid=
  sent=$(find "$data/pickup" -name '*.eml' | wc -l)
  if ! grep -qx 'READY=1' "$work/notify.log" 2>/dev/null; then
    fail "sandbox (emulated): Type=notify: serve never sent READY=1 (systemd would kill it after TimeoutStartSec); notify messages: $(paste -sd ' ' "$work/notify.log" 2>/dev/null)"
  else
    pass "sandbox (emulated): Type=notify: serve sent READY=1 to systemd's socket under the sandbox, then $(grep -vx 'READY=1' "$work/notify.log" | paste -sd ' ')"
  fi
  if [ "$rc" = 0 ] && grep -q 'Outbox dispatcher stopped' "$log"; then
    pass "sandbox (emulated): serve ran as nobody under the unit's seccomp filter and mounts, sent $sent email(s) to the pickup folder, stopped on SIGTERM with exit 0 ($((SECONDS - started)) s)"
  else
    fail "sandbox (emulated): serve did not stop cleanly on SIGTERM (exit $rc); its output:"
    tail -n 20 "$log"
  fi
  if [ -z "$address" ]; then
    fail "sandbox (emulated): the web server did not start under the sandbox; its output:"
    tail -n 20 "$log"
  elif [ "$answers" = "/health/live 200; /sign-in 200" ]; then
    pass "sandbox (emulated): the web server answered under the sandbox at $address: $answers"
  else
    fail "sandbox (emulated): the web server at $address did not answer a page under the sandbox: ${answers:-no answer}; its output:"
    tail -n 20 "$log"
  fi

  # Every system call the service made (after exec of the binary) against the filter's allow list.
  local parent_pid
  parent_pid=$(head -n 1 "$trace" | cut -d' ' -f1)
  sed -n "\#execve(\"$layout/joecash-scheduler\"#,\$p" "$trace" | grep -v "^$parent_pid " \
    | sed -E 's/^[0-9]+ +//; /^<\.\.\./d; /^\+\+\+|^---/d' | grep -oE '^[a-z_0-9]+\(' | tr -d '(' | sort -u >"$work/used-syscalls.txt"
  if grep -q '^~' "$data/allowed-syscalls.txt"; then  # a deny-list: used and listed is outside
    outside=$(comm -12 "$work/used-syscalls.txt" <(sed -n 's/^~//p' "$data/allowed-syscalls.txt" | sort -u) | paste -sd ' ')
  else
    outside=$(comm -23 "$work/used-syscalls.txt" <(sort -u "$data/allowed-syscalls.txt") | paste -sd ' ')
  fi
  refused=$(sed -n "\#execve(\"$layout/joecash-scheduler\"#,\$p" "$trace" | grep -v "^$parent_pid " | grep -E '= -1 (EPERM|EAFNOSUPPORT)' \
    | sed -E 's/^[0-9]+ +//; s/^<\.\.\. ([a-z_0-9]+) resumed>/\1(/' | grep -oE '^[a-z_0-9]+\(' | tr -d '(' | sort -u | paste -sd ' ' || true)
  if ! service_directives "$UNIT" | grep -q '^SystemCallFilter='; then
    fail "syscalls: the unit sets no SystemCallFilter="
    return
  fi
  note "system calls made by serve ($(wc -l <"$work/used-syscalls.txt")): $(tr '\n' ' ' <"$work/used-syscalls.txt")"
  if [ -z "$outside" ] && [ -z "$refused" ]; then
    pass "syscalls: every system call serve made is inside SystemCallFilter=$(service_directives "$UNIT" | sed -n 's/^SystemCallFilter=//p' | paste -sd ' ') and none was refused"
  else
    fail "syscalls: outside the unit's filter: ${outside:-none}; refused (EPERM/EAFNOSUPPORT): ${refused:-none}"
  fi
}

if [ "$(ps -p 1 -o comm=)" = systemd ]; then
  sandbox_with_systemd
else
  skip "sandbox: skipped: systemd is not PID 1 here; the sandbox run needs a systemd host (PID 1 is $(ps -p 1 -o comm=)); emulating the sandbox instead"
  sandbox_emulated
fi

echo "unit-check: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
