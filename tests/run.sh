#!/usr/bin/env bash
# Runs every test project against real components, as a new user and CI do:
#   tests/run.sh
# Installs what the tests need, builds, starts the test servers (mail, PostgreSQL), runs all tests, stops the servers,
# and prints the totals over all test projects as its last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=Release
log=$(mktemp)
unit_log=$(mktemp)

# The real mail stack (Postfix -> Dovecot on 127.0.0.1) for the end-to-end mail tests; stopped on any exit.
tests/env/mail-stack.sh install
trap 'tests/env/mail-stack.sh stop >/dev/null 2>&1 || true; tests/env/postgres.sh stop >/dev/null 2>&1 || true; rm -f "$log" "$unit_log"' EXIT
tests/env/mail-stack.sh start

# A private PostgreSQL server (Debian's, 127.0.0.1 on a port of its own) for the second storage provider's tests.
tests/env/postgres.sh install
tests/env/postgres.sh start
JC_PG_CONNECTION=$(tests/env/postgres.sh url)
export JC_PG_CONNECTION

# Debian's Chromium for the page tests (Playwright for .NET drives it; nothing is downloaded).
tests/env/browser.sh install

# Mozilla's ical.js, the independent parser every invitation is checked with.
npm ci --prefix tests/ical-check --no-audit --no-fund --loglevel=error

dotnet build JoeCash.Scheduler.sln -c "$configuration" --nologo -v quiet -clp:ErrorsOnly

set +e
dotnet test --solution JoeCash.Scheduler.sln -c "$configuration" --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# MTP's closing summary covers every test assembly of the solution.
passed=$(grep -E '^[[:space:]]+succeeded: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
failed=$(grep -E '^[[:space:]]+failed: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
passed=${passed:-0}
failed=${failed:-0}

# A test project that silently did not run must fail the run: integration tests are the proof.
for project in tests/*.Tests; do
  name=$(basename "$project")
  if ! grep -qE "${name}\.dll \(net[0-9.]+\|[a-z0-9]+\) (passed|failed)" "$log"; then
    echo "test project ${name} did not run" >&2
    status=1
    failed=$((failed + 1))
  fi
done

# The systemd unit (tests/env/unit-check.sh): security score, verify against a published layout, one
# run under its sandbox. Its checks count in the totals; a failed one fails the run.
set +e
JC_UNIT_CHECK_NO_BUILD=1 tests/env/unit-check.sh 2>&1 | tee "$unit_log"
unit_status=${PIPESTATUS[0]}
set -e
unit_passed=$(sed -n 's/^unit-check: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$unit_log" | tail -n 1)
unit_failed=$(sed -n 's/^unit-check: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$unit_log" | tail -n 1)
passed=$((passed + ${unit_passed:-0}))
failed=$((failed + ${unit_failed:-0}))
if [ "$unit_status" -ne 0 ]; then
  status=1
  # The script died before its totals, or failed without counting it: still one failure.
  if [ "${unit_failed:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
fi

if [ "$passed" -eq 0 ]; then
  echo "no test passed: something is wrong with the run" >&2
  status=1
fi

echo "${passed} passed, ${failed} failed"
exit "$status"
