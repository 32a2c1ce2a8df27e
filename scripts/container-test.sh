#!/usr/bin/env bash
# Builds the Docker image with podman and checks it as a user would run it: healthcheck, JSON and XML answers, 401,
# a scenario from a mounted fixtures folder, a bad scenario, a prompt graceful stop, the logs, and the README's
# Testcontainers example (examples/testcontainers.test.mjs) against podman's Docker-compatible API.
#
#   bash scripts/container-test.sh
#
# About 20 s when the image layers are cached, about 1 minute when package-lock.json changed (npm ci runs again),
# plus about 1 minute the first time on a machine (the prepare tool installs podman and builds the base image);
# the Testcontainers example adds about 13 s (npm install of testcontainers, then one container start).
#
# Needs podman (no Docker engine is used). It runs the prepare tool found at $CONTAINER_PREPARE,
# <repo>/../shared/container/prepare or /work/shared/container/prepare when that says something is missing; with no
# prepare tool, podman and the base image must be installed already, or the run fails (it never skips).
# Environment: IMAGE (tag to build, default chat-capacity-simulator:container-test), CONTAINER_BUILD_FLAGS (extra
# `podman build` flags, e.g. "--network host"), NODE_MAJOR (the Dockerfile's ARG).
# Prints "ok N - ..." / "not ok N - ..." per check, "# ..." notes and timings; the last line is "N passed, N failed".
# shellcheck disable=SC2015,SC2016,SC2001 # ok/not_ok always return 0, so `A && ok || not_ok` is safe; sed and JS in single quotes
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD

IMAGE=${IMAGE:-chat-capacity-simulator:container-test}
NODE_MAJOR=${NODE_MAJOR:-$(sed -nE 's/^ARG NODE_MAJOR=([0-9]+).*/\1/p' Dockerfile | head -n 1)}
BASE_IMAGE="docker.io/library/node:${NODE_MAJOR:-24}-bookworm-slim"
export DISABLE_HC_SYSTEMD=true # no systemd here: podman's healthcheck timers cannot start, and would say so

# The default scenario's sessions (README, fixtures/default.json).
JOHN=313d06c0208c8ab418ba1b28ba0432d40fec06e385ac8780446a5eafacba23b0
MARY=23449ce923944deecde94c914b148f60ef46d057a61af09d9115ad0cb143134b
# The mounted fixture's only session (made up for this test).
ZED=7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de7e57c0de

RUN_ID="cct-$$"
MAIN="$RUN_ID-main"
MOUNTED="$RUN_ID-fixtures"
BAD="$RUN_ID-bad"
TC_RUNNER="$RUN_ID-tc" # runs the Testcontainers example when the host's node is too old for testcontainers
TC_SERVICE_PID=""      # podman system service, serving the Docker API to testcontainers
TC_BEFORE=""           # set once testcontainers may start containers: those it had left before this run
TMP=$(mktemp -d)

cleanup () {
  local c
  for c in "$MAIN" "$MOUNTED" "$BAD" "$TC_RUNNER"; do podman rm -f -i -t 0 "$c" >/dev/null 2>&1; done
  [ -n "$TC_BEFORE" ] && for c in $(tc_started); do podman rm -f -i -t 0 "$c" >/dev/null 2>&1; done
  [ -n "$TC_SERVICE_PID" ] && { kill "$TC_SERVICE_PID" 2>/dev/null; wait "$TC_SERVICE_PID" 2>/dev/null; TC_SERVICE_PID=""; }
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'not_ok "the run completes" "interrupted by a signal"; finish' INT TERM

passed=0
failed=0
n=0
STARTED="" # set once containers may have been started
ok () { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok () { # description, reason
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  [ -n "${2:-}" ] && sed 's/^/  # /' <<<"$2"
  return 0
}
note () { echo "# $*"; }
finish () {
  cleanup
  if [ -n "$STARTED" ]; then
    left=$(podman ps -a --format '{{.Names}}' 2>/dev/null | grep -F -- "$RUN_ID-")
    [ -z "$left" ] && ok "test containers removed" || not_ok "test containers removed" "left: $left"
  fi
  note "total: $(since "$SCRIPT_START") s"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

now () { echo "${EPOCHREALTIME/,/.}"; }
since () { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
SCRIPT_START=$(now)
PHASE_START=$SCRIPT_START
phase () { note "phase: $1 took $(since "$PHASE_START") s"; PHASE_START=$(now); }

# request URL [curl args...]: sets STATUS, CTYPE and BODY (BODY empty and STATUS 000 when curl fails).
request () {
  local url=$1; shift
  local out
  out=$(curl -sS --max-time 5 -o "$TMP/body" -w '%{http_code}\n%{content_type}' "$@" "$url" 2>"$TMP/curl.err")
  STATUS=$(sed -n 1p <<<"$out")
  CTYPE=$(sed -n 2p <<<"$out")
  BODY=$(cat "$TMP/body" 2>/dev/null)
  [ -s "$TMP/curl.err" ] && BODY="curl: $(cat "$TMP/curl.err")"
  : > "$TMP/body"
  return 0
}

# expect DESCRIPTION STATUS CTYPE BODY-REGEX: the last request's answer.
expect () {
  local why=""
  [ "$STATUS" = "$2" ] || why+="status $STATUS, expected $2"$'\n'
  [ "$CTYPE" = "$3" ] || why+="content-type '$CTYPE', expected '$3'"$'\n'
  [[ "$BODY" =~ $4 ]] || why+="body: $BODY"$'\n'"expected (regex): $4"$'\n'
  if [ -z "$why" ]; then ok "$1"; else not_ok "$1" "${why%$'\n'}"; fi
}

# healthy NAME SECONDS: runs the HEALTHCHECK by hand until it passes; fails early if the container stops.
healthy () {
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    podman healthcheck run "$1" >/dev/null 2>&1 && return 0
    [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = "true" ] || return 1
    sleep 0.25
  done
  return 1
}

host_port () { podman port "$1" 8080/tcp 2>/dev/null | head -n 1 | sed -E 's/.*:([0-9]+)$/\1/'; }

re_quote () { sed 's/[][\.|$(){}?+*^]/\\&/g' <<<"$1"; }

JSON='application/json; charset=utf-8'
XML_DECL='<?xml version="1.0" encoding="UTF-8"?>'

# ---- podman ready? ----
find_prepare () {
  local c
  for c in "${CONTAINER_PREPARE:-}" "$ROOT/../shared/container/prepare" /work/shared/container/prepare; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}
# With the prepare tool: its --check (0.1 s) says whether anything is missing (podman, runc, containers.conf, the
# stand-in base image); without it, podman and the base image must already be there.
if PREPARE=$(find_prepare); then
  if ! "$PREPARE" --check --build-arg "NODE_MAJOR=${NODE_MAJOR:-24}" "$ROOT/Dockerfile" >"$TMP/prepare.log" 2>&1; then
    note "$(grep -m 1 'missing' "$TMP/prepare.log" || tail -n 1 "$TMP/prepare.log")"
    note "running $PREPARE (about 1 minute the first time)"
    if "$PREPARE" --build-arg "NODE_MAJOR=${NODE_MAJOR:-24}" "$ROOT/Dockerfile" >"$TMP/prepare.log" 2>&1; then
      ok "podman prepared with $PREPARE"
    else
      not_ok "podman prepared with $PREPARE" "$(tail -n 20 "$TMP/prepare.log")"
      finish
    fi
  fi
elif ! command -v podman >/dev/null 2>&1 || ! podman image exists "$BASE_IMAGE" 2>/dev/null; then
  not_ok "podman and the base image $BASE_IMAGE are ready" "$(command -v podman >/dev/null 2>&1 && echo "the base image is missing" || echo "podman is not installed"), and no prepare tool was found (set CONTAINER_PREPARE, or put it at ../shared/container/prepare or /work/shared/container/prepare)"
  finish
fi
command -v curl >/dev/null 2>&1 || { not_ok "curl is installed" "install curl"; finish; }
phase "prepare"

# ---- build ----
# --format docker: the OCI format has no HEALTHCHECK. --pull=never: no registry here; the base image is local.
# shellcheck disable=SC2086
if podman build --format docker --pull=never ${CONTAINER_BUILD_FLAGS:-} \
    --build-arg "NODE_MAJOR=${NODE_MAJOR:-24}" -t "$IMAGE" "$ROOT" >"$TMP/build.log" 2>&1; then
  ok "image $IMAGE builds"
else
  not_ok "image $IMAGE builds" "$(tail -n 25 "$TMP/build.log")"
  finish
fi
note "image size: $(podman image ls --format '{{.Size}}' "$IMAGE" | head -n 1)"
phase "build"

# ---- image configuration ----
config=$(podman image inspect --format \
  'user={{.Config.User}} healthcheck={{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}}{{end}} ports={{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}env={{range .Config.Env}}{{.}} {{end}}' \
  "$IMAGE")
why=""
[[ "$config" == *"user=node "* ]] || why+="does not run as user node"$'\n'
[[ "$config" == *"healthcheck=[CMD node -e "* ]] || why+="no HEALTHCHECK running node (built in OCI format?)"$'\n'
[[ "$config" == *"8080/tcp"* ]] || why+="port 8080 not exposed"$'\n'
for e in HOST=0.0.0.0 PORT=8080 FIXTURES_DIR=/fixtures NODE_ENV=production; do
  [[ "$config" == *" $e "* || "$config" == *"=$e "* ]] || why+="ENV $e missing"$'\n'
done
if [ -z "$why" ]; then ok "image runs as node, exposes 8080, has a node HEALTHCHECK and the ENV"; else not_ok "image runs as node, exposes 8080, has a node HEALTHCHECK and the ENV" "${why}$config"; fi

STARTED=1
out=$(timeout 20 podman run --rm "$IMAGE" --help 2>&1)
status=$?
if [ "$status" -eq 0 ] && [[ "$out" == *Usage* ]]; then ok "arguments after the image name reach the server (--help)"; else not_ok "arguments after the image name reach the server (--help)" "exit $status: $out"; fi
phase "image checks"

# ---- default scenario ----
# Requests logged (not the default) so that the check below that no token reaches the logs has lines to read.
started=$(now)
if podman run -d --name "$MAIN" -p 127.0.0.1::8080 -e LOG_REQUESTS=true "$IMAGE" >"$TMP/run.log" 2>&1 && healthy "$MAIN" 30; then
  ok "container with the default scenario (and no /fixtures) is healthy (after $(since "$started") s)"
else
  not_ok "container with the default scenario (and no /fixtures) is healthy" "$(cat "$TMP/run.log"; podman logs "$MAIN" 2>&1 | tail -n 20)"
fi
health=$(podman inspect --format '{{.State.Health.Status}}' "$MAIN" 2>/dev/null)
[ "$health" = healthy ] && ok "podman reports the container healthy" || not_ok "podman reports the container healthy" "status '$health'"
PORT=$(host_port "$MAIN")
BASE="http://127.0.0.1:${PORT:-0}"
SLOTS="$BASE/api/account/12345678/agentSession/sessJohn/chat/availableSlots"
note "published on $BASE"
phase "start and healthy"

request "$BASE/__admin/health"
expect "GET /__admin/health answers 200 {\"status\":\"ok\", ...}" 200 "$JSON" '^\{"status":"ok"[,}]'

request "$SLOTS?v=1&NC=true" -H "Authorization: Bearer $JOHN"
expect "JSON: availableSlots for the whole account is 3" 200 "$JSON" '^\{"availableSlots":3\}$'

request "$SLOTS.json?v=1&skill=Sales" -H "Authorization: Bearer $JOHN"
expect "JSON (.json suffix): skill Sales has 2" 200 "$JSON" '^\{"availableSlots":2\}$'

request "$SLOTS.xml?v=1&agent=John" -H "Authorization: Bearer $JOHN"
expect "XML (.xml suffix): agent John has 2" 200 "application/xml; charset=utf-8" "^$(re_quote "$XML_DECL")<availableSlots>2</availableSlots>\$"

request "$BASE/api/account/12345678/agentSession/sessMary/chat/availableSlots?v=1&skill=Billing" \
  -H 'Accept: application/xml' -H "Authorization: Bearer $MARY"
expect "XML (Accept: application/xml): skill Billing has 3" 200 "application/xml; charset=utf-8" "^$(re_quote "$XML_DECL")<availableSlots>3</availableSlots>\$"

request "$SLOTS?v=1"
expect "no Authorization: 401 with the error body and internalCode 10" 401 "$JSON" \
  '^\{"error":\{"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[^"]+Z","message":"[^"]+","internalCode":10\}\}$'

# The dashboard works in a container: its page and its charting library come from the image, not a CDN.
request "$BASE/dashboard"
expect "GET /dashboard: the page" 200 "text/html; charset=utf-8" '<script type="module" src="/dashboard/app.js"></script>'
request "$BASE/dashboard/uPlot.esm.js"
expect "GET /dashboard/uPlot.esm.js: uPlot, from the image" 200 "text/javascript; charset=utf-8" 'export'
phase "requests"

# ---- a scenario from a mounted fixtures folder ----
mkdir -p "$TMP/fixtures"
cat >"$TMP/fixtures/mine.json" <<EOF
{
  "description": "container-test: one account of one's own, mounted at /fixtures",
  "accounts": {
    "77770001": {
      "skills": { "Support": { "id": 7001, "queued": 1, "meanHandleTimeSec": 300 } },
      "agents": {
        "Zed": { "id": 71, "nickname": "Zed", "chatState": "Online", "maxChats": 5, "activeChats": 1, "skills": ["Support"] }
      },
      "sessions": { "sessZed": { "agent": "Zed", "bearer": "$ZED" } }
    }
  }
}
EOF
chmod 755 "$TMP" "$TMP/fixtures" && chmod 644 "$TMP/fixtures/mine.json" # the container's node user (uid 1000) reads it

started=$(now)
if podman run -d --name "$MOUNTED" -p 127.0.0.1::8080 -v "$TMP/fixtures:/fixtures:ro" -e SCENARIO=mine "$IMAGE" >"$TMP/run.log" 2>&1 \
    && healthy "$MOUNTED" 30; then
  ok "container with -v ...:/fixtures -e SCENARIO=mine is healthy (after $(since "$started") s)"
else
  not_ok "container with -v ...:/fixtures -e SCENARIO=mine is healthy" "$(cat "$TMP/run.log"; podman logs "$MOUNTED" 2>&1 | tail -n 20)"
fi
MPORT=$(host_port "$MOUNTED")
request "http://127.0.0.1:${MPORT:-0}/api/account/77770001/agentSession/sessZed/chat/availableSlots?v=1&skill=Support" \
  -H "Authorization: Bearer $ZED"
expect "the mounted fixture's account 77770001 answers: skill Support has 4 - 1 queued = 3" 200 "$JSON" '^\{"availableSlots":3\}$'
request "http://127.0.0.1:${MPORT:-0}/api/account/12345678/agentSession/sessJohn/chat/availableSlots?v=1" \
  -H "Authorization: Bearer $JOHN"
[ "$STATUS" != 200 ] && ok "the default scenario's account is not served by it (status $STATUS)" \
  || not_ok "the default scenario's account is not served by it" "status $STATUS: $BODY"
mounted_logs=$(podman logs "$MOUNTED" 2>&1)
podman rm -f -i -t 0 "$MOUNTED" >/dev/null 2>&1
phase "mounted fixtures"

# ---- a scenario that does not exist ----
podman run -d --name "$BAD" -e SCENARIO=no-such-scenario "$IMAGE" >"$TMP/run.log" 2>&1
code=$(timeout 20 podman wait "$BAD" 2>&1)
bad_logs=$(podman logs "$BAD" 2>&1)
lines=$(grep -c '' <<<"$bad_logs")
if [ "$code" = 1 ] && [ "$lines" = 1 ] && [[ "$bad_logs" == "error: "*no-such-scenario* ]]; then
  ok "SCENARIO=no-such-scenario: exit 1 and one line: ${bad_logs:0:100}..."
else
  not_ok "SCENARIO=no-such-scenario: exit 1 and one line 'error: ...no-such-scenario...'" "exit code '$code', $lines log lines:"$'\n'"$(cat "$TMP/run.log")$bad_logs"
fi
phase "bad scenario"

# ---- graceful stop ----
started=$(now)
podman stop -t 10 "$MAIN" >/dev/null 2>&1
took=$(since "$started")
if awk -v t="$took" 'BEGIN { exit !(t < 1) }'; then ok "podman stop took $took s (< 1 s)"; else not_ok "podman stop took < 1 s" "it took $took s: SIGTERM not handled promptly?"; fi
code=$(podman inspect --format '{{.State.ExitCode}}' "$MAIN" 2>&1)
[ "$code" = 0 ] && ok "exit code 0 after SIGTERM" || not_ok "exit code 0 after SIGTERM" "exit code $code"
phase "stop"

# ---- logs ----
main_logs=$(podman logs "$MAIN" 2>&1)
# Pino lines are JSON objects with level, time and msg; anything else (a banner, pretty output) is reported.
# Parsed with node: the host's if there is one, else the image's.
if command -v node >/dev/null 2>&1; then NODE=(node); else NODE=(podman run --rm -i --entrypoint node "$IMAGE"); fi
verdict=$("${NODE[@]}" -e '
  const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l !== "")
  const bad = lines.filter((l) => { try { const o = JSON.parse(l); return typeof o !== "object" || o === null || !("level" in o) || !("time" in o) } catch { return true } })
  console.log(bad.length === 0 && lines.length > 0 ? `ok ${lines.length}` : `${lines.length} lines, ${bad.length} not pino JSON:\n${bad.slice(0, 5).join("\n")}`)
' <<<"$main_logs" 2>&1)
if [[ "$verdict" == "ok "* ]]; then
  ok "logs are ${verdict#ok } JSON lines (pino)"
else
  not_ok "logs are JSON lines (pino)" "$verdict"$'\n'"(anything the server writes to stdout/stderr besides pino's lines, e.g. a banner, breaks log collectors)"
fi
leaks=""
for token in "$JOHN" "$MARY" "$ZED"; do
  grep -qF "$token" <<<"$main_logs$mounted_logs" && leaks+="${token:0:8}... "
done
grep -qi 'bearer [0-9a-f]' <<<"$main_logs$mounted_logs" && leaks+="'Bearer <hex>' "
[ -z "$leaks" ] && ok "logs hold no bearer token" || not_ok "logs hold no bearer token" "found: $leaks"
phase "logs"

# ---- the README's Testcontainers example ----
# examples/testcontainers.test.mjs as a user runs it: `node --test`, with testcontainers from npm (a scratch folder, not
# this project's dependencies) talking to podman's Docker-compatible API instead of a Docker engine. With podman:
#   DOCKER_HOST=unix://<socket of `podman system service`>: testcontainers only looks for Docker's own sockets;
#   TESTCONTAINERS_RYUK_DISABLED=true: the reaper image (testcontainers/ryuk) is pulled from Docker Hub, out of reach
#   here; without it, a container the test does not stop (a crash, Ctrl-C) stays, so this section removes what is left.
# Port mapping needs nothing special with rootful podman (netavark bridge): testcontainers publishes 8080 on a free host
# port and getHost() answers "localhost", or, where /.dockerenv exists (as on this machine), the podman network's
# gateway (10.88.0.1), which reaches the published port too (TESTCONTAINERS_HOST_OVERRIDE=... sets it otherwise).
# testcontainers 12 needs Node >= 22.22 (undici 8 needs zlib's zstd): with an older host node (Node 20 fails at import
# with "Cannot read properties of undefined (reading 'bind')"), npm and node run in the base image instead, with
# --network host so that "localhost:<published port>" is the host's, and the socket and folder at the same paths.
TC_MAJOR=12
# podman 4.3's ancestor filter misses "name:tag" for a localhost/ image; the image's id always matches.
TC_IMAGE_ID=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null)
tc_started () { # ids of testcontainers' containers of $IMAGE that were not there before this section
  podman ps -a -q --no-trunc --filter label=org.testcontainers=true --filter "ancestor=${TC_IMAGE_ID:-$IMAGE}" 2>/dev/null \
    | grep -vxF -f <(printf '%s\n' "$TC_BEFORE") || true
}
if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 22) ? 0 : 1)' 2>/dev/null; then
  TC_RUN=(env)
  tc_where="on the host"
else
  TC_RUN=(podman run --rm --name "$TC_RUNNER" --pull=never --network host -v "$TMP/tc:$TMP/tc" -v "$TMP/podman.sock:$TMP/podman.sock"
    -w "$TMP/tc" "$BASE_IMAGE" env)
  tc_where="in $BASE_IMAGE (the host's node is $(node --version 2>/dev/null || echo "missing"))"
fi
mkdir -p "$TMP/tc"
podman system service --time=0 "unix://$TMP/podman.sock" >"$TMP/service.log" 2>&1 &
TC_SERVICE_PID=$!
for _ in $(seq 40); do
  [ "$(curl -sS --max-time 1 --unix-socket "$TMP/podman.sock" http://podman/_ping 2>/dev/null)" = OK ] && break
  sleep 0.25
done
TC_BEFORE=none
TC_BEFORE=$(tc_started)
TC_BEFORE=${TC_BEFORE:-none}
tc_desc="the README's Testcontainers example passes against the image"
# --ignore-scripts: the optional native addons of ssh2 (SSH Docker hosts only) need no node-gyp build.
if ! "${TC_RUN[@]}" npm install --no-audit --no-fund --no-update-notifier --ignore-scripts --prefix "$TMP/tc" "testcontainers@$TC_MAJOR" \
    >"$TMP/tc-install.log" 2>&1; then
  not_ok "$tc_desc" "npm install testcontainers@$TC_MAJOR failed:"$'\n'"$(tail -n 20 "$TMP/tc-install.log")"
elif ! [ -S "$TMP/podman.sock" ]; then
  not_ok "$tc_desc" "podman system service did not answer on $TMP/podman.sock:"$'\n'"$(tail -n 20 "$TMP/service.log")"
else
  cp "$ROOT/examples/testcontainers.test.mjs" "$TMP/tc/"
  note "testcontainers $(sed -nE 's/^ *"version": "([^"]+)".*/\1/p' "$TMP/tc/node_modules/testcontainers/package.json" | head -n 1), node $("${TC_RUN[@]}" node --version 2>&1) $tc_where"
  started=$(now)
  (cd "$TMP/tc" && timeout 180 "${TC_RUN[@]}" DOCKER_HOST="unix://$TMP/podman.sock" TESTCONTAINERS_RYUK_DISABLED=true \
    SIMULATOR_IMAGE="$IMAGE" node --test testcontainers.test.mjs) >"$TMP/tc-test.log" 2>&1
  status=$?
  tc_pass=$(sed -nE 's/^ℹ pass ([0-9]+)$/\1/p' "$TMP/tc-test.log")
  if [ "$status" -eq 0 ] && [ "${tc_pass:-0}" -gt 0 ]; then # node --test passes a file with no test at all
    ok "$tc_desc (node --test: $tc_pass passed, 0 failed, $(since "$started") s)"
  else
    # node --test lists the failures last, after the summary; from there, or the output's tail.
    not_ok "$tc_desc" "$(grep -q 'failing tests:' "$TMP/tc-test.log" && sed -n '/failing tests:/,$p' "$TMP/tc-test.log" | head -n 40 || tail -n 30 "$TMP/tc-test.log")"
  fi
fi
left=$(tc_started)
[ -z "$left" ] && ok "testcontainers removed its container" || not_ok "testcontainers removed its container" "left (removed now): $left"
for c in $left; do podman rm -f -i -t 0 "$c" >/dev/null 2>&1; done
kill "$TC_SERVICE_PID" 2>/dev/null; wait "$TC_SERVICE_PID" 2>/dev/null; TC_SERVICE_PID=""
phase "testcontainers example"

finish
