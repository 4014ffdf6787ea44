#!/usr/bin/env bash
# Real mail stack for JoeCash.Scheduler integration tests and benchmarks.
#
#   Postfix (SMTP, 127.0.0.1:$JC_SMTP_PORT) --LMTP--> Dovecot (IMAP, 127.0.0.1:$JC_IMAP_PORT)
#   Postfix smtp-sink (accept and discard, 127.0.0.1:$JC_SINK_PORT) for throughput benchmarks
#
# Both daemons run as private instances: their own config, queue, sockets, pid files and logs
# live in $JC_MAILSTACK_DIR. The system's default Postfix/Dovecot (/etc/postfix, /etc/dovecot)
# are never configured or started, and a second copy with another state dir and other ports
# does not collide with this one.
#
# Usage: mail-stack.sh install|start|stop|restart|status|sink-start|sink-stop|clean
# See tests/env/README.md.

set -euo pipefail

# Daemons and admin tools live in sbin, which a non-login root shell may not have on PATH.
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

readonly SMTP_PORT="${JC_SMTP_PORT:-2525}"
readonly IMAP_PORT="${JC_IMAP_PORT:-1143}"
readonly SINK_PORT="${JC_SINK_PORT:-2526}"
readonly STATE_DIR="${JC_MAILSTACK_DIR:-/tmp/joecash-mailstack}"

# Every test address lives under one of these; mail to any other domain is refused.
readonly MAIL_DOMAINS="example.test shop.test joecash.test"
readonly MAIL_PASSWORD="secret"
readonly VMAIL_USER="vmail"
readonly START_TIMEOUT=30
readonly STOP_TIMEOUT=15

readonly PACKAGES=(postfix dovecot-imapd dovecot-lmtpd)
readonly APT_OPTS=(-o DPkg::Lock::Timeout=120)

# Layout of the state dir.
readonly PF_CONF_DIR="$STATE_DIR/postfix/conf"
readonly PF_QUEUE_DIR="$STATE_DIR/postfix/spool"
readonly PF_DATA_DIR="$STATE_DIR/postfix/data"
readonly PF_PID_FILE="$PF_QUEUE_DIR/pid/master.pid"
readonly DC_CONF="$STATE_DIR/dovecot/dovecot.conf"
readonly DC_USERS="$STATE_DIR/dovecot/users"
readonly DC_BASE_DIR="$STATE_DIR/dovecot/run"
readonly DC_STATE_SUBDIR="$STATE_DIR/dovecot/state"
readonly DC_PID_FILE="$DC_BASE_DIR/master.pid"
readonly LMTP_SOCKET="$DC_BASE_DIR/lmtp"
readonly MAIL_DIR="$STATE_DIR/mail"
readonly LOG_DIR="$STATE_DIR/log"
readonly SINK_PID_FILE="$STATE_DIR/smtp-sink.pid"
readonly SINK_LOG="$LOG_DIR/smtp-sink.log"
readonly START_LOG="$LOG_DIR/start.log"
readonly FINGERPRINT_FILE="$STATE_DIR/running.fingerprint"
readonly SINK_PORT_FILE="$STATE_DIR/smtp-sink.port"
# Next to the state dir, not inside it, so "clean" can delete the whole dir while holding it.
# Never deleted: a process waiting on a deleted lock file would lock nothing.
readonly LOCK_FILE="${STATE_DIR%/}.lock"

# Milliseconds since an $EPOCHREALTIME value.
elapsed_ms() {
  local now=$EPOCHREALTIME
  echo $(((${now//[.,]/} - ${1//[.,]/}) / 1000))
}

log() { printf 'mail-stack: %s\n' "$*"; }
die() { printf 'mail-stack: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
Usage: $(basename "$0") <command>

  install      install postfix, dovecot-imapd, dovecot-lmtpd (idempotent)
  start        write config to \$JC_MAILSTACK_DIR and start Postfix + Dovecot; if already
               running with the same settings, leave it running (restart if settings changed)
  stop         stop Postfix, Dovecot and the smtp-sink (ok if not running)
  restart      stop, then start (always a fresh restart)
  status       show what is running; exit 0 if Postfix and Dovecot both run, 3 otherwise
  sink-start   start smtp-sink (accept and discard) on 127.0.0.1:\$JC_SINK_PORT
  sink-stop    stop smtp-sink
  clean        stop everything and delete \$JC_MAILSTACK_DIR (mailboxes, queue, logs)

Environment (defaults):
  JC_SMTP_PORT=2525  JC_IMAP_PORT=1143  JC_SINK_PORT=2526  JC_MAILSTACK_DIR=/tmp/joecash-mailstack
EOF
}

require_root() {
  # The Postfix master and Dovecot master must start as root (they drop privileges themselves).
  [[ $EUID -eq 0 ]] || die "must run as root"
}

validate_port() {
  local name="$1" value="$2"
  # No leading zeros: bash arithmetic would read "08" as a (bad) octal number.
  if ! [[ $value =~ ^[1-9][0-9]{0,4}$ ]] || ((value > 65535)); then
    die "$name must be a TCP port (1-65535), got '$value'"
  fi
}

validate_settings() {
  validate_port JC_SMTP_PORT "$SMTP_PORT"
  validate_port JC_IMAP_PORT "$IMAP_PORT"
  validate_port JC_SINK_PORT "$SINK_PORT"
  if [[ $SMTP_PORT == "$IMAP_PORT" || $SMTP_PORT == "$SINK_PORT" || $IMAP_PORT == "$SINK_PORT" ]]; then
    die "JC_SMTP_PORT, JC_IMAP_PORT and JC_SINK_PORT must differ"
  fi
  [[ $STATE_DIR == /* ]] || die "JC_MAILSTACK_DIR must be an absolute path, got '$STATE_DIR'"
  # Unix socket paths are limited to 107 bytes; the LMTP socket is the longest one we create.
  ((${#LMTP_SOCKET} < 100)) || die "JC_MAILSTACK_DIR is too long for Unix socket paths: $STATE_DIR"
}

# ---------------------------------------------------------------------------------------------
# Small process and port helpers
# ---------------------------------------------------------------------------------------------

# True if the process exists and is not a zombie. The daemons are reparented to pid 1, and in a
# container pid 1 may reap exited processes only every second or so; a zombie has stopped
# serving and must count as gone, or every stop would wait for the reaper.
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }" # fields after "(comm) "; the first one is the state
  [[ ${stat%% *} != Z ]]
}

# Prints the pid from a pid file if that process is alive and is the program we expect
# (a stale pid file must never make us signal an unrelated process that reused the pid).
live_pid() {
  local pid_file="$1" expected_comm="$2" pid comm
  [[ -r $pid_file ]] || return 1
  pid="$(tr -dc '0-9' <"$pid_file")"
  [[ -n $pid ]] || return 1
  comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
  [[ $comm == "$expected_comm" ]] || return 1
  pid_alive "$pid" || return 1
  printf '%s\n' "$pid"
}

port_listening() {
  [[ -n "$(ss -Hltn "sport = :$1")" ]]
}

# True once the server on 127.0.0.1:$1 sends a greeting starting with $2 ("220" / "* OK").
# A greeting, not just an accepted TCP connection, means the daemon behind it is really serving.
greeting_ok() {
  local port="$1" prefix="$2"
  # shellcheck disable=SC2016 # the inner script expands its own $1/$2/$line
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    IFS= read -r line <&3 || exit 1
    [[ $line == "$2"* ]]' _ "$port" "$prefix" 2>/dev/null
}

wait_for_greeting() {
  local port="$1" prefix="$2" what="$3" deadline=$((SECONDS + START_TIMEOUT))
  until greeting_ok "$port" "$prefix"; do
    ((SECONDS < deadline)) || { log "$what did not answer on 127.0.0.1:$port within ${START_TIMEOUT}s"; return 1; }
    sleep 0.2
  done
}

# Waits for a pid to exit; SIGKILLs it after $STOP_TIMEOUT seconds.
wait_for_exit() {
  local pid="$1" what="$2" deadline=$((SECONDS + STOP_TIMEOUT))
  while pid_alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "$what (pid $pid) did not stop in ${STOP_TIMEOUT}s, killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
}

wait_for_port_closed() {
  local port="$1" deadline=$((SECONDS + STOP_TIMEOUT))
  while port_listening "$port"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# Serializes commands that change state, e.g. two test assemblies running "start" at the same
# time. The lock lives on fd 9; every daemon is launched with "9>&-", or it would inherit the
# fd and hold the lock for as long as it runs.
acquire_lock() {
  validate_settings
  mkdir -p "$(dirname "$LOCK_FILE")"
  exec 9>"$LOCK_FILE"
  flock -w 120 9 || die "another mail-stack.sh has been busy with $STATE_DIR for 120 s"
}

ensure_port_free() {
  local port="$1" what="$2"
  if port_listening "$port"; then
    ss -Hltnp "sport = :$port" >&2 || true
    die "port $port ($what) is already in use by another process; pick another one with the JC_* variables"
  fi
}

# ---------------------------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------------------------

all_packages_installed() {
  local pkg
  for pkg in "${PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] || return 1
  done
}

ensure_vmail_user() {
  # Dovecot stores every test mailbox as this one unprivileged user (static userdb).
  if ! getent passwd "$VMAIL_USER" >/dev/null; then
    useradd --system --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin --comment "JoeCash test mailboxes" "$VMAIL_USER"
    log "created system user $VMAIL_USER"
  fi
}

cmd_install() {
  require_root
  if all_packages_installed; then
    log "packages already installed: ${PACKAGES[*]}"
  else
    # Only refresh the package lists when apt does not know postfix at all (fresh container);
    # an update costs time and needs the network.
    if ! apt-cache policy postfix 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      log "package lists lack postfix, running apt-get update"
      apt-get "${APT_OPTS[@]}" update
    fi
    # Answer the postfix questions up front so the install never prompts. This only shapes the
    # system's default instance, which this script never starts.
    debconf-set-selections <<'EOF'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string mailstack.joecash.test
EOF
    # The dpkg lock timeout matters: another apt process may be running on this machine.
    DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y --no-install-recommends \
      "${PACKAGES[@]}"
  fi
  ensure_vmail_user
  log "smtp-source (benchmark client): $(command -v smtp-source || echo 'not found')"
}

# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------

check_dovecot_version() {
  # Dovecot 2.4 changed the configuration syntax (dovecot_config_version, new passdb/userdb
  # blocks, auth_allow_cleartext instead of disable_plaintext_auth); this config is 2.3 syntax,
  # which is what Debian 12 ships.
  local version
  version="$(dovecot --version)"
  [[ $version == 2.3.* ]] || die "Dovecot $version found; this script writes Dovecot 2.3 configuration"
}

write_postfix_config() {
  install -d -m 0755 "$PF_CONF_DIR"
  # queue_directory must belong to root; Postfix ("post-install create-missing", run by
  # "postfix start") creates its subdirectories with the right owners itself.
  install -d -m 0755 -o root -g root "$PF_QUEUE_DIR"
  install -d -m 0700 -o postfix -g postfix "$PF_DATA_DIR"

  cat >"$PF_CONF_DIR/main.cf" <<EOF
# Generated by tests/env/mail-stack.sh; rewritten on every start.
compatibility_level = 3.6

# A private instance: own queue, data and log, package binaries.
queue_directory = $PF_QUEUE_DIR
data_directory = $PF_DATA_DIR
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-joecash
# No syslog daemon in containers: log to a file through postlogd (see master.cf).
maillog_file = $LOG_DIR/postfix.log
maillog_file_prefixes = $LOG_DIR

myhostname = mailstack.joecash.test
mydomain = joecash.test
myorigin = \$myhostname
smtpd_banner = \$myhostname ESMTP JoeCash test mail stack

# Loopback only, IPv4 only.
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8

# Everything for the test domains goes to Dovecot over LMTP. An empty virtual_mailbox_maps
# means "every address in these domains exists", so any address works without setup.
virtual_mailbox_domains = $MAIL_DOMAINS
virtual_mailbox_maps =
virtual_transport = lmtp:unix:$LMTP_SOCKET

# No local delivery, no aliases, no relaying. Other domains are rejected at RCPT time
# (554 Relay access denied), so a test that mails a wrong domain fails at once instead of
# leaving mail stuck in a queue that can never reach the outside world.
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:local delivery is disabled in the JoeCash test mail stack
default_transport = error:outbound mail is disabled in the JoeCash test mail stack
relay_transport = \$default_transport
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =

# There is no network and no DNS: never try a lookup.
smtp_dns_support_level = disabled
lmtp_host_lookup = native
smtpd_peername_lookup = no
smtpd_tls_security_level = none
smtp_tls_security_level = none

# Dovecot 2.3's LMTP does not offer SMTPUTF8. If Postfix offered it, a client using it would get
# "250 OK" and the message would then bounce between Postfix and Dovecot, never reaching the
# mailbox. Not offering it makes clients encode headers (RFC 2047, MailKit's default) or fail
# visibly. Plain 8-bit bodies and headers still pass (8BITMIME).
smtputf8_enable = no

# If Dovecot is briefly unavailable, retry within seconds instead of the default minutes,
# and do not keep undeliverable test mail for days.
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 30s
maximal_queue_lifetime = 1h
bounce_queue_lifetime = 1h

biff = no
append_dot_mydomain = no
readme_directory = no
EOF

  # Standard services, none chrooted (a chroot would need copies of /etc files and could not
  # reach the LMTP socket in the state dir). Only the SMTP listener is bound to the network.
  cat >"$PF_CONF_DIR/master.cf" <<EOF
# Generated by tests/env/mail-stack.sh; rewritten on every start.
# service                type  private unpriv chroot wakeup maxproc command
127.0.0.1:$SMTP_PORT     inet  n       -      n      -      -       smtpd
pickup                   unix  n       -      n      60     1       pickup
cleanup                  unix  n       -      n      -      0       cleanup
qmgr                     unix  n       -      n      300    1       qmgr
rewrite                  unix  -       -      n      -      -       trivial-rewrite
bounce                   unix  -       -      n      -      0       bounce
defer                    unix  -       -      n      -      0       bounce
trace                    unix  -       -      n      -      0       bounce
verify                   unix  -       -      n      -      1       verify
flush                    unix  n       -      n      1000?  0       flush
proxymap                 unix  -       -      n      -      -       proxymap
proxywrite               unix  -       -      n      -      1       proxymap
showq                    unix  n       -      n      -      -       showq
error                    unix  -       -      n      -      -       error
retry                    unix  -       -      n      -      -       error
discard                  unix  -       -      n      -      -       discard
lmtp                     unix  -       -      n      -      -       lmtp
anvil                    unix  -       -      n      -      1       anvil
scache                   unix  -       -      n      -      1       scache
postlog                  unix-dgram n  -      n      -      1       postlogd
EOF
}

write_dovecot_config() {
  local vmail_uid
  vmail_uid="$(id -u "$VMAIL_USER")"
  install -d -m 0755 "$STATE_DIR/dovecot"
  install -d -m 0750 -o root -g root "$DC_STATE_SUBDIR"
  # Mailboxes are created on first delivery, as vmail, under mail/<domain>/<local part>.
  install -d -m 0750 -o "$VMAIL_USER" -g "$VMAIL_USER" "$MAIL_DIR"

  # Named users, as in the application's configuration. Everybody else is covered by the static
  # passdb below with the same password.
  cat >"$DC_USERS" <<EOF
support@joecash.test:{PLAIN}$MAIL_PASSWORD
tech@joecash.test:{PLAIN}$MAIL_PASSWORD
EOF
  chmod 0644 "$DC_USERS"

  # Self-contained file: the package's /etc/dovecot/conf.d is deliberately not included
  # (it enables system users via PAM, SSL certificates and ports 143/993).
  cat >"$DC_CONF" <<EOF
# Generated by tests/env/mail-stack.sh; rewritten on every start. Dovecot 2.3 syntax.
instance_name = joecash-mailstack-$IMAP_PORT
base_dir = $DC_BASE_DIR
state_dir = $DC_STATE_SUBDIR
log_path = $LOG_DIR/dovecot.log

listen = 127.0.0.1
protocols = imap lmtp
ssl = no
# Plain-text passwords over the unencrypted loopback connection are the point here.
# (Dovecot 2.4 renamed this to auth_allow_cleartext.)
disable_plaintext_auth = no
auth_mechanisms = plain login
# "Someone@Shop.Test" and "someone@shop.test" are one mailbox, as in real mail systems.
auth_username_format = %Lu

# Named users first, then a catch-all: any user name logs in with the shared password.
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DC_USERS
}
passdb {
  driver = static
  args = password=$MAIL_PASSWORD
}
# Every user, named or not, gets a maildir owned by vmail. allow_all_users lets LMTP accept
# any recipient without a passdb lookup.
userdb {
  driver = static
  args = uid=$VMAIL_USER gid=$VMAIL_USER home=$MAIL_DIR/%d/%n allow_all_users=yes
}
first_valid_uid = $vmail_uid
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
# Postfix's lmtp client runs as user postfix.
service lmtp {
  unix_listener lmtp {
    user = postfix
    group = postfix
    mode = 0600
  }
}
EOF
  chmod 0644 "$DC_CONF"
}

# ---------------------------------------------------------------------------------------------
# start / stop / status
# ---------------------------------------------------------------------------------------------

postfix_pid() { live_pid "$PF_PID_FILE" master; }
dovecot_pid() { live_pid "$DC_PID_FILE" dovecot; }
sink_pid() { live_pid "$SINK_PID_FILE" smtp-sink; }

# Shows what the daemons said, leaves nothing half-started behind, and exits 1.
start_failed() {
  local f
  for f in "$START_LOG" "$LOG_DIR/dovecot.log" "$LOG_DIR/postfix.log"; do
    if [[ -s $f ]]; then
      echo "--- last lines of $f" >&2
      tail -n 10 "$f" >&2
    fi
  done
  stop_mail_stack >&2
  die "$1"
}

# Everything the generated configuration depends on: this script (its config templates), the
# ports, the state dir and vmail's uid.
settings_fingerprint() {
  {
    cat "${BASH_SOURCE[0]}"
    echo "$SMTP_PORT $IMAP_PORT $STATE_DIR $(id -u "$VMAIL_USER" 2>/dev/null || true)"
  } | sha256sum | cut -d' ' -f1
}

cmd_start() {
  require_root
  validate_settings
  all_packages_installed || die "packages missing; run: $0 install"
  check_dovecot_version

  local fingerprint
  fingerprint="$(settings_fingerprint)"
  if postfix_pid >/dev/null || dovecot_pid >/dev/null; then
    # Several test runs may call "start"; restarting under a run that is using the stack would
    # break it. So a healthy stack with unchanged settings is left alone.
    if [[ ${FORCE_RESTART:-} != yes && "$(cat "$FINGERPRINT_FILE" 2>/dev/null)" == "$fingerprint" ]] &&
      postfix_pid >/dev/null && dovecot_pid >/dev/null &&
      greeting_ok "$IMAP_PORT" "* OK" && greeting_ok "$SMTP_PORT" 220; then
      log "already running: SMTP 127.0.0.1:$SMTP_PORT, IMAP 127.0.0.1:$IMAP_PORT, state $STATE_DIR"
      return 0
    fi
    if [[ ${FORCE_RESTART:-} == yes ]]; then
      log "restarting"
    else
      log "running with other settings or not healthy, restarting"
    fi
    stop_mail_stack
  fi
  rm -f "$FINGERPRINT_FILE"
  ensure_port_free "$SMTP_PORT" JC_SMTP_PORT
  ensure_port_free "$IMAP_PORT" JC_IMAP_PORT
  # Not running (checked above), so a Dovecot pid file is stale, e.g. left by a killed container.
  # Dovecot only checks whether that pid exists and would refuse to start if it was reused.
  # (Postfix locks its pid file and is not fooled.)
  rm -f "$DC_PID_FILE"

  ensure_vmail_user
  install -d -m 0755 "$STATE_DIR" "$LOG_DIR"
  # Postfix's lmtp client (user postfix) must be able to walk down to the LMTP socket.
  runuser -u postfix -- test -x "$STATE_DIR" ||
    die "user postfix cannot enter $STATE_DIR; choose a JC_MAILSTACK_DIR under a world-searchable path"
  write_dovecot_config
  write_postfix_config

  local started=$EPOCHREALTIME
  # Dovecot first, so the LMTP socket exists before Postfix can accept a message.
  # Both daemons get stdio pointing at a file: the Dovecot master keeps the stderr it was started
  # with, and an inherited pipe would make a caller that reads our output (a test harness) wait
  # for EOF until Dovecot stops.
  : >"$START_LOG"
  dovecot -c "$DC_CONF" </dev/null >>"$START_LOG" 2>&1 9>&- ||
    start_failed "dovecot failed to start"
  postfix -c "$PF_CONF_DIR" start </dev/null >>"$START_LOG" 2>&1 9>&- ||
    { postfix -c "$PF_CONF_DIR" check >>"$START_LOG" 2>&1 || true; start_failed "postfix failed to start"; }

  if ! wait_for_greeting "$IMAP_PORT" "* OK" Dovecot || ! wait_for_greeting "$SMTP_PORT" 220 Postfix; then
    start_failed "mail stack did not come up"
  fi
  printf '%s\n' "$fingerprint" >"$FINGERPRINT_FILE"
  log "running (up in $(elapsed_ms "$started") ms): SMTP 127.0.0.1:$SMTP_PORT, IMAP 127.0.0.1:$IMAP_PORT, state $STATE_DIR"
}

# Signals the Postfix master; prints its pid so the caller can wait for it. SIGTERM is what
# "postfix stop" sends, but "postfix stop" then polls in 1-second sleeps; waiting ourselves lets
# Postfix and Dovecot wind down in parallel.
signal_postfix() {
  local pid
  pid="$(postfix_pid)" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  printf '%s\n' "$pid"
}

# Signals the Dovecot master (what "doveadm stop" does); prints its pid.
signal_dovecot() {
  local pid
  pid="$(dovecot_pid)" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  printf '%s\n' "$pid"
}

stop_mail_stack() {
  local pf_pid dc_pid
  # Each master takes up to about a second to wind down, so signal both first and then wait,
  # instead of stopping one after the other.
  pf_pid="$(signal_postfix)"
  dc_pid="$(signal_dovecot)"
  [[ -z $pf_pid ]] || { wait_for_exit "$pf_pid" "postfix master"; log "postfix stopped"; }
  [[ -z $dc_pid ]] || { wait_for_exit "$dc_pid" "dovecot master"; log "dovecot stopped"; }
  # Children (smtpd, imap-login, ...) exit with their master; make sure nothing still listens.
  wait_for_port_closed "$SMTP_PORT" || log "warning: something still listens on $SMTP_PORT"
  wait_for_port_closed "$IMAP_PORT" || log "warning: something still listens on $IMAP_PORT"
}

cmd_stop() {
  require_root
  validate_settings
  stop_sink
  stop_mail_stack
  rm -f "$FINGERPRINT_FILE"
  log "stopped"
}

cmd_restart() {
  FORCE_RESTART=yes cmd_start
}

describe() {
  local what="$1" pid_fn="$2" endpoint="$3" pid
  if pid="$($pid_fn)"; then
    printf '%-9s running  pid %-7s %s\n' "$what" "$pid" "$endpoint"
  else
    printf '%-9s stopped\n' "$what"
  fi
}

cmd_status() {
  validate_settings
  describe postfix postfix_pid "smtp://127.0.0.1:$SMTP_PORT"
  describe dovecot dovecot_pid "imap://127.0.0.1:$IMAP_PORT"
  describe smtp-sink sink_pid "smtp://127.0.0.1:$(cat "$SINK_PORT_FILE" 2>/dev/null || echo "$SINK_PORT")"
  printf 'state     %s\n' "$STATE_DIR"
  if postfix_pid >/dev/null && dovecot_pid >/dev/null; then return 0; else return 3; fi
}

# ---------------------------------------------------------------------------------------------
# smtp-sink
# ---------------------------------------------------------------------------------------------

cmd_sink_start() {
  require_root
  validate_settings
  local sink
  sink="$(command -v smtp-sink)" || die "smtp-sink not found (package postfix); run: $0 install"
  if sink_pid >/dev/null; then
    if [[ "$(cat "$SINK_PORT_FILE" 2>/dev/null)" == "$SINK_PORT" ]]; then
      log "smtp-sink already running on 127.0.0.1:$SINK_PORT (pid $(sink_pid))"
      return 0
    fi
    log "smtp-sink runs on another port, restarting it"
    stop_sink
  fi
  ensure_port_free "$SINK_PORT" JC_SINK_PORT
  install -d -m 0755 "$STATE_DIR" "$LOG_DIR"
  # -4: IPv4 only. -u postfix: drop root after binding (required when started as root).
  # -a: do not offer AUTH. smtp-sink would offer it but answer AUTH with "250" instead of "235",
  # which real clients treat as a failed login; like the Postfix instance, it takes mail without.
  # -m 1000: accept up to 1000 concurrent sessions (default 256) so a parallel benchmark is
  # never throttled by the sink. 1000: listen backlog. -c: running counters written to the log
  # as "sess=N quit=N mesg=N" records separated by CR, so a benchmark can cross-check how many
  # messages arrived (the readiness probe below counts as one session, no message).
  # setsid: own session, so the sink survives the calling shell and Ctrl-C of a test run.
  setsid "$sink" -4 -a -c -u postfix -m 1000 "127.0.0.1:$SINK_PORT" 1000 </dev/null >"$SINK_LOG" 2>&1 9>&- &
  echo $! >"$SINK_PID_FILE"
  echo "$SINK_PORT" >"$SINK_PORT_FILE"
  if ! wait_for_greeting "$SINK_PORT" 220 smtp-sink; then
    cat "$SINK_LOG" >&2 || true
    stop_sink
    die "smtp-sink did not come up"
  fi
  log "smtp-sink running: SMTP 127.0.0.1:$SINK_PORT (pid $(sink_pid)), log $SINK_LOG"
}

stop_sink() {
  local pid
  if pid="$(sink_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    wait_for_exit "$pid" smtp-sink
    log "smtp-sink stopped"
  fi
  rm -f "$SINK_PID_FILE" "$SINK_PORT_FILE"
}

cmd_sink_stop() {
  require_root
  validate_settings
  stop_sink
  wait_for_port_closed "$SINK_PORT" || log "warning: something still listens on $SINK_PORT"
}

# ---------------------------------------------------------------------------------------------
# clean
# ---------------------------------------------------------------------------------------------

cmd_clean() {
  cmd_stop
  # Guard against deleting something that is obviously not our state dir.
  case "$STATE_DIR" in
    / | /tmp | /root | /home | /var | /etc | /usr) die "refusing to delete $STATE_DIR" ;;
  esac
  rm -rf -- "$STATE_DIR"
  log "deleted $STATE_DIR"
}

main() {
  local command="${1:-}"
  case "$command" in
    install) cmd_install ;;
    start) acquire_lock; cmd_start ;;
    stop) acquire_lock; cmd_stop ;;
    restart) acquire_lock; cmd_restart ;;
    status) cmd_status ;;
    sink-start) acquire_lock; cmd_sink_start ;;
    sink-stop) acquire_lock; cmd_sink_stop ;;
    clean) acquire_lock; cmd_clean ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
