#!/usr/bin/env bash
# Installs this repository into a scratch project as a user would from a fresh clone — by path
# (`npm install ../chat-capacity-simulator`) and by git URL — and checks that the library and the command work.
#
#   bash scripts/install-test.sh
#
# About 1.5 minutes (two full installs from npm's cache). Installs what is committed (HEAD), not uncommitted edits.
# Prints "ok N - ..." / "not ok N - ..." per check; the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

passed=0
failed=0
n=0
ok () { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check () { local name=$1; shift; if "$@" >"$WORK/out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' "$WORK/out" | tail -n 20; fi; }

# What a project does with the package: imports it, starts the busy scenario, asks it, stops it; runs the command.
cat >"$WORK/use.mjs" <<'JS'
import { startSimulator } from 'chat-capacity-simulator'
const sim = await startSimulator({ scenario: 'busy' })
const health = await (await fetch(`${sim.url}/__admin/health`)).json()
await sim.close()
if (health.scenario !== 'busy') throw new Error(`unexpected health answer ${JSON.stringify(health)}`)
JS
version=$(node -p "require('./package.json').version")

project () {
  mkdir -p "$WORK/$1" && cp "$WORK/use.mjs" "$WORK/$1/" &&
    echo '{ "name": "my-widget-tests", "private": true, "type": "module" }' >"$WORK/$1/package.json"
}
uses () { (cd "$WORK/$1" && node use.mjs && [ "$(npx --no-install chat-capacity-simulator --version)" = "$version" ]); }

git clone --quiet "$ROOT" "$WORK/chat-capacity-simulator"
project by-path
check 'npm install ../chat-capacity-simulator (a fresh clone, nothing installed in it)' \
  bash -c "cd '$WORK/by-path' && npm install --no-audit --no-fund ../chat-capacity-simulator"
check 'by path: import { startSimulator } answers, and the command prints its version' uses by-path

project by-git
check 'npm install git+file://… (a git URL)' bash -c "cd '$WORK/by-git' && npm install --no-audit --no-fund 'git+file://$ROOT'"
check 'by git URL: import { startSimulator } answers, and the command prints its version' uses by-git

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
