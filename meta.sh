#!/usr/bin/env bash
# meta.sh — the polyrepo tool of the agent platform.
#
# Builds, tests, publishes, verifies (Pact), starts and stops the whole set of repos that live
# side by side in this folder. Every repo still builds alone; this script only runs each one in
# its own folder, in the right order, and adds the cross-repo steps (pacts, end-to-end tests).
#
#   ./meta.sh help        lists the commands
#
set -euo pipefail

# ----------------------------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------------------------
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
META_DIR="$ROOT/.meta"
LOG_DIR="$META_DIR/logs"
PID_DIR="$META_DIR/pids"
PACT_DIR="$META_DIR/pacts"
MATRIX_FILE="$PACT_DIR/verification-matrix.tsv"
SECRETS_FILE="$META_DIR/secrets.env"

META_PG_PORT="${META_PG_PORT:-55432}"
META_REDIS_PORT="${META_REDIS_PORT:-56379}"
CONTRACTS_RELEASE_REPO="${CONTRACTS_RELEASE_REPO:-file://$HOME/.m2/agentplatform-releases}"
CONTRACTS_RELEASE_REPO="${CONTRACTS_RELEASE_REPO%/}"
META_JAVA_OPTS="${META_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
M2_REPO="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
HEALTH_TIMEOUT=60
STOP_TIMEOUT=20

MVN=(mvn -B -ntp)
# The npm package has several executables; `pact-broker` is the broker client (publish, can-i-deploy).
PACT_BROKER_CLI=(npx --yes -p @pact-foundation/pact-cli@18.1.2 pact-broker)

# Build/test order. contracts-repo always comes first: every other repo consumes its artifact.
REPOS=(contracts-repo github-service-repo jira-service-repo slack-service-repo sentry-service-repo
       gateway-repo agent-repo dashboard-repo)

# name            repo                 port  database
SERVICES_TABLE="
gateway           gateway-repo         8080  gateway
github-service    github-service-repo  8081  github_service
jira-service      jira-service-repo    8082  jira_service
slack-service     slack-service-repo   8083  slack_service
sentry-service    sentry-service-repo  8084  sentry_service
dashboard         dashboard-repo       8085  dashboard
agent             agent-repo           8090  agent
"
# Start order, one phase at a time (each phase is started, then waited for).
START_PHASES=("github-service jira-service slack-service sentry-service" "agent" "gateway dashboard")
# Variables of the user's environment handed to every service as they are.
PASSTHROUGH_RE='^(GITHUB|JIRA|SLACK|SENTRY|AGENT|OPENAI|DASHBOARD|MICRONAUT|OTEL)_[A-Za-z0-9_]*$|^(ALLOWED_USERS|JAVA_HOME|LANG|LC_ALL|TZ|TMPDIR|USER)$'

SERVICE_NAMES=()
declare -A SVC_REPO=() SVC_PORT=() SVC_DB=()
while read -r _name _repo _port _db; do
  if [[ -z "$_name" ]]; then continue; fi
  SERVICE_NAMES+=("$_name"); SVC_REPO[$_name]=$_repo; SVC_PORT[$_name]=$_port; SVC_DB[$_name]=$_db
done <<<"$SERVICES_TABLE"
unset _name _repo _port _db

# ----------------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------------
say()  { printf '%s\n' "$*"; }
note() { printf '  · %s\n' "$*"; }
warn() { printf '  ! %s\n' "$*" >&2; }
die()  { printf 'meta.sh: %s\n' "$*" >&2; exit 1; }
# Bad usage: one line saying what is wrong and how to fix it, exit 2.
usage_error() { printf 'meta.sh: %s\n' "$*" >&2; exit 2; }

have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ $EUID -eq 0 ]]; }
now_utc() { date -u +%Y-%m-%dT%H:%M:%SZ; }
mtime_utc() { date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ; }
root_hash() { printf '%s' "$ROOT" | cksum | cut -d' ' -f1; }
ensure_meta_dirs() { mkdir -p "$LOG_DIR" "$PID_DIR" "$PACT_DIR"; }
env_key() { local s=${1^^}; printf '%s' "${s//-/_}"; }   # github-service -> GITHUB_SERVICE
is_tty() { [[ -t 1 ]]; }

# Print the text of a POM element given by its path from the root, e.g. project/version or
# project/properties/contracts.baseline.version (comments ignored; direct children only).
pom_get() {
  awk -v want="$1" '
    { buf = buf $0 "\n" }
    END {
      while ((s = index(buf, "<!--")) > 0) {
        rest = substr(buf, s + 4); e = index(rest, "-->")
        if (e == 0) { buf = substr(buf, 1, s - 1); break }
        buf = substr(buf, 1, s - 1) substr(rest, e + 3)
      }
      n = split(buf, parts, "<"); path = ""
      for (i = 2; i <= n; i++) {
        p = parts[i]; c = substr(p, 1, 1)
        if (c == "?" || c == "!") continue
        gt = index(p, ">"); tag = substr(p, 1, gt - 1); text = substr(p, gt + 1)
        if (c == "/") { sub(/\/[^\/]*$/, "", path); continue }
        if (substr(tag, length(tag), 1) == "/") continue
        name = tag; sub(/[ \t\r\n].*/, "", name)
        path = (path == "" ? name : path "/" name)
        if (path == want) { gsub(/^[ \t\r\n]+|[ \t\r\n]+$/, "", text); print text; exit }
      }
    }'
}

# Run a command as the PostgreSQL owner: user `postgres` when we are root (PostgreSQL refuses
# to run as root), ourselves otherwise.
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# HTTP status code of a GET, "000" when nothing answers.
http_code() {
  local url=$1 code
  if have curl; then
    code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "$url" 2>/dev/null) || true
    printf '%s' "${code:-000}"
  else
    local hostport=${url#http://}; hostport=${hostport%%/*}; local path=/${url#http://*/}
    code=$( { exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}" &&
              printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3 &&
              timeout 3 head -n1 <&3; } 2>/dev/null | awk '{print $2}') || true
    printf '%s' "${code:-000}"
  fi
}

port_listening() {
  local port=$1
  if have ss; then
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# "name pid" of the process listening on a port, when it can be seen.
port_owner() {
  if have ss; then
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 pid \2/p' | sed -n 1p
  fi
}

# Indent lines as "  | …", without terminal colour codes, always ending in a newline.
clean_lines() { sed 's/\x1b\[[0-9;]*m//g' | awk '{ print "  | " $0 }'; }

# True unless the process listening on the port can be seen and is not $2.
port_is_ours() {
  local owner
  owner=$(port_owner "$1")
  [[ -z "$owner" || "${owner##* }" == "$2" ]]
}

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Stop a process: TERM, wait up to STOP_TIMEOUT seconds, then KILL.
stop_pid() {
  local pid=$1 label=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < STOP_TIMEOUT * 2; i++)); do
    pid_alive "$pid" || { note "$label stopped"; return 0; }
    sleep 0.5
  done
  warn "$label did not stop within ${STOP_TIMEOUT}s: KILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# ----------------------------------------------------------------------------------------------
# Name resolution (repos and services)
# ----------------------------------------------------------------------------------------------
# Accepts a repo folder (github-service-repo), a service name (github-service) or "contracts".
resolve_repo() {
  local a=${1%/} r
  for r in "${REPOS[@]}"; do
    if [[ "$a" == "$r" || "$a-repo" == "$r" ]]; then printf '%s' "$r"; return 0; fi
  done
  return 1
}

resolve_service() {
  local a=${1%/} n
  for n in "${SERVICE_NAMES[@]}"; do
    if [[ "$a" == "$n" || "$a" == "${SVC_REPO[$n]}" ]]; then printf '%s' "$n"; return 0; fi
  done
  return 1
}

# ----------------------------------------------------------------------------------------------
# Git information of a repo folder (works in this combined checkout and in a separate clone)
# ----------------------------------------------------------------------------------------------
git_top()    { git -C "$ROOT/$1" rev-parse --show-toplevel 2>/dev/null; }
git_prefix() { git -C "$ROOT/$1" rev-parse --show-prefix 2>/dev/null; }

# Short sha of the last commit touching the repo folder ("uncommitted" when there is none).
repo_version() {
  local sha
  sha=$(git -C "$ROOT/$1" log -1 --format=%h -- . 2>/dev/null) || true
  printf '%s' "${sha:-uncommitted}"
}

git_branch() {
  local b
  b=$(git -C "$ROOT" symbolic-ref --short -q HEAD 2>/dev/null) ||
    b=${GIT_BRANCH:-${CI_COMMIT_BRANCH:-detached}}
  printf '%s' "$b"
}

# ----------------------------------------------------------------------------------------------
# Step bookkeeping and the summary table
# ----------------------------------------------------------------------------------------------
SUM_STEP=() SUM_RESULT=() SUM_TIME=() SUM_NOTE=()
record() { SUM_STEP+=("$1"); SUM_RESULT+=("$2"); SUM_TIME+=("$3"); SUM_NOTE+=("${4:-}"); }
any_failed() { local r; for r in "${SUM_RESULT[@]}"; do [[ "$r" == FAIL ]] && return 0; done; return 1; }

print_summary() {
  local i w=4
  for i in "${!SUM_STEP[@]}"; do (( ${#SUM_STEP[$i]} > w )) && w=${#SUM_STEP[$i]}; done
  say ""
  say "Summary"
  printf "  %-${w}s  %-6s  %6s  %s\n" "step" "result" "time" "note"
  printf "  %-${w}s  %-6s  %6s  %s\n" "$(printf '%*s' "$w" '' | tr ' ' -)" "------" "------" "----"
  for i in "${!SUM_STEP[@]}"; do
    printf "  %-${w}s  %-6s  %5ss  %s\n" "${SUM_STEP[$i]}" "${SUM_RESULT[$i]}" "${SUM_TIME[$i]}" "${SUM_NOTE[$i]}"
  done
}

# ----------------------------------------------------------------------------------------------
# Maven runs
# ----------------------------------------------------------------------------------------------
# Run Maven in a repo's own folder, as if the repo were cloned alone. Full output to $log.
mvn_in_repo() {
  local repo=$1 log=$2; shift 2
  (cd "$ROOT/$repo" && "${MVN[@]}" -f "$ROOT/$repo/pom.xml" "$@") >"$log" 2>&1
}

# After a Maven run: the Surefire/Failsafe closing "Tests run:" lines always, and the last 40
# lines of the log on failure.
show_mvn_result() {
  local log=$1 rc=$2
  grep -E 'Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+' "$log" |
    grep -v 'Time elapsed' || true
  if (( rc != 0 )); then
    say "  ---- last 40 lines of ${log#"$ROOT"/} ----"
    tail -n 40 "$log" | clean_lines
  fi
}

# One repo's build or test step. Sets LAST_RC.
LAST_RC=0
run_repo_step() {
  local mode=$1 repo=$2 goal_desc log t0 rc=0 args=()
  log="$LOG_DIR/build-$repo.log"
  if [[ "$repo" == contracts-repo ]]; then
    args=(install "-Dcontracts.release.repo=$CONTRACTS_RELEASE_REPO")
  elif [[ "$mode" == test ]]; then
    args=(verify)
  else
    args=(package)
  fi
  if [[ "$mode" == build ]]; then args+=(-DskipTests); fi
  goal_desc="mvn ${args[*]}"
  say "▶ $repo: $goal_desc …"
  t0=$(date +%s)
  mvn_in_repo "$repo" "$log" "${args[@]}" || rc=$?
  show_mvn_result "$log" "$rc"
  if (( rc == 0 )); then
    record "$repo" PASS $(( $(date +%s) - t0 )) "log: ${log#"$ROOT"/}"
  else
    say "  ✘ $repo failed (exit $rc), full log: ${log#"$ROOT"/}"
    record "$repo" FAIL $(( $(date +%s) - t0 )) "log: ${log#"$ROOT"/}"
  fi
  LAST_RC=$rc
}

# ----------------------------------------------------------------------------------------------
# Contracts: the released baseline for the breaking-change gate
# ----------------------------------------------------------------------------------------------
release_artifact_exists() {   # <repo url> <relative path>
  local url=$1 rel=$2
  case "$url" in
    file://*) [[ -f "${url#file://}/$rel" ]] ;;
    http://*|https://*) curl -fsIL -m 20 "$url/$rel" >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

# Newest commit whose contracts-repo/pom.xml has <version>$1</version> as project version.
# Prints the commit; returns 2 when contracts-repo has no commit at all, 1 when none matches.
contracts_commit_with_version() {
  local want=$1 top prefix c blob ver
  top=$(git_top contracts-repo) || return 2
  prefix=$(git_prefix contracts-repo)
  git -C "$top" rev-parse -q --verify HEAD >/dev/null 2>&1 || return 2
  [[ -n "$(git -C "$top" rev-list -n1 HEAD -- "${prefix:-.}" 2>/dev/null)" ]] || return 2
  declare -A seen=()
  while read -r c; do
    blob=$(git -C "$top" rev-parse -q --verify "$c:${prefix}pom.xml" 2>/dev/null) || continue
    if [[ -z "${seen[$blob]+x}" ]]; then
      seen[$blob]=$(git -C "$top" cat-file -p "$blob" | pom_get project/version)
    fi
    ver=${seen[$blob]}
    if [[ "$ver" == "$want" ]]; then printf '%s' "$c"; return 0; fi
  done < <(git -C "$top" rev-list HEAD)
  return 1
}

# Make sure the baseline contracts jar named by <contracts.baseline.version> is in the release
# repository; when it is a file:// repository and the jar is missing, publish it from git history.
contracts_gate_prepare() {
  local pom="$ROOT/contracts-repo/pom.xml" v rel t0 commit rc=0 tmp top prefix log
  t0=$(date +%s)
  v=$(pom_get project/properties/contracts.baseline.version <"$pom")
  if [[ -z "$v" ]]; then
    note "contracts-repo/pom.xml has no <contracts.baseline.version>: no baseline to prepare"
    record "contracts baseline" SKIP 0 "no <contracts.baseline.version>"
    return 0
  fi
  rel="org/agentplatform/contracts/$v/contracts-$v.jar"
  say "▶ contracts baseline $v in $CONTRACTS_RELEASE_REPO …"
  if release_artifact_exists "$CONTRACTS_RELEASE_REPO" "$rel"; then
    note "baseline contracts $v is released"
    record "contracts baseline" PASS $(( $(date +%s) - t0 )) "contracts $v released"
    return 0
  fi
  if [[ "$CONTRACTS_RELEASE_REPO" != file://* ]]; then
    note "baseline contracts $v is not in $CONTRACTS_RELEASE_REPO and meta.sh publishes only to file:// repositories: the contracts build decides (its gate warns and skips)"
    record "contracts baseline" SKIP $(( $(date +%s) - t0 )) "contracts $v not in remote release repo"
    return 0
  fi
  commit=$(contracts_commit_with_version "$v") || rc=$?
  if (( rc == 2 )); then
    note "contracts-repo is not in git history yet: baseline $v cannot be published from it (the contracts gate skips without a baseline)"
    record "contracts baseline" SKIP $(( $(date +%s) - t0 )) "contracts-repo has no commit yet"
    return 0
  elif (( rc != 0 )); then
    say "  ✘ no commit has contracts version $v (project <version> in contracts-repo/pom.xml): fix <contracts.baseline.version>"
    record "contracts baseline" FAIL $(( $(date +%s) - t0 )) "version $v not in git history"
    return 1
  fi
  note "publishing baseline contracts $v from commit ${commit:0:10} to $CONTRACTS_RELEASE_REPO"
  top=$(git_top contracts-repo); prefix=$(git_prefix contracts-repo)
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/contracts-baseline.XXXXXX")
  log="$LOG_DIR/build-contracts-baseline.log"
  mkdir -p "$tmp/src" "${CONTRACTS_RELEASE_REPO#file://}"
  if git -C "$top" archive "$commit" ${prefix:+"$prefix"} | tar -x -C "$tmp/src" &&
     (cd "$tmp/src/$prefix" && "${MVN[@]}" -q deploy -DskipTests -Dcontracts.gate.skip=true \
        -Dmaven.install.skip=true "-Dcontracts.release.repo=$CONTRACTS_RELEASE_REPO" \
        "-DaltDeploymentRepository=releases::default::$CONTRACTS_RELEASE_REPO") >"$log" 2>&1 &&
     release_artifact_exists "$CONTRACTS_RELEASE_REPO" "$rel"; then
    rm -rf "$tmp"
    # Forget an earlier "not found" of this version so Maven resolves it now.
    rm -f "$M2_REPO/org/agentplatform/contracts/$v/"*.lastUpdated 2>/dev/null || true
    note "baseline contracts $v published"
    record "contracts baseline" PASS $(( $(date +%s) - t0 )) "published $v from ${commit:0:10}"
    return 0
  fi
  rm -rf "$tmp"
  say "  ✘ publishing baseline contracts $v failed; log: ${log#"$ROOT"/}"
  tail -n 40 "$log" | clean_lines
  record "contracts baseline" FAIL $(( $(date +%s) - t0 )) "publish of $v failed"
  return 1
}

# ----------------------------------------------------------------------------------------------
# build / test
# ----------------------------------------------------------------------------------------------
SELECTED=()
FULL_RUN=1
select_repos() {
  local a r want=() seen
  SELECTED=(); FULL_RUN=1
  if (( $# == 0 )); then SELECTED=("${REPOS[@]}"); return 0; fi
  FULL_RUN=0
  for a in "$@"; do
    r=$(resolve_repo "$a") || usage_error "unknown repo '$a': use one of ${REPOS[*]}"
    want+=("$r")
  done
  # A subset without contracts-repo uses the contracts already installed; install them if none.
  if [[ " ${want[*]} " != *" contracts-repo "* ]] && ! compgen -G "$M2_REPO/org/agentplatform/contracts/*/contracts-*.jar" >/dev/null; then
    note "no org.agentplatform:contracts in $M2_REPO yet: adding contracts-repo"
    want+=(contracts-repo)
  fi
  for r in "${REPOS[@]}"; do
    seen=0
    for a in "${want[@]}"; do [[ "$a" == "$r" ]] && seen=1; done
    if (( seen )); then SELECTED+=("$r"); fi
  done
}

# Runs the selected repos in order. Returns 1 when contracts failed (cross-repo steps stop).
build_repos() {
  local mode=$1 repo contracts_failed=0
  for repo in "${SELECTED[@]}"; do
    if [[ ! -f "$ROOT/$repo/pom.xml" ]]; then
      note "$repo: no pom.xml yet, skipped"
      record "$repo" SKIP 0 "no pom.xml"
      continue
    fi
    if [[ "$repo" == contracts-repo ]]; then
      contracts_gate_prepare || contracts_failed=1
      run_repo_step "$mode" "$repo"
      if (( LAST_RC != 0 )); then contracts_failed=1; fi
    else
      run_repo_step "$mode" "$repo"
    fi
  done
  return "$contracts_failed"
}

cmd_build() {
  ensure_meta_dirs
  select_repos "$@"
  build_repos build || true
  print_summary
  if any_failed; then return 1; fi
}

cmd_test() {
  chaos_stream 10 15
  ensure_meta_dirs
  select_repos "$@"
  local contracts_ok=1
  build_repos test || contracts_ok=0
  if (( contracts_ok )); then
    pact_steps
    e2e_step
    if (( FULL_RUN )) && [[ "${META_SKIP_CHAOS:-}" != 1 ]]; then chaos_step; scenarios_step; fi
  else
    say "✘ contracts failed: cross-repo steps (pacts, end-to-end) not run"
    record "pacts" SKIP 0 "contracts failed"
    record "platform-tests" SKIP 0 "contracts failed"
  fi
  print_summary
  if any_failed; then return 1; fi
}

# ----------------------------------------------------------------------------------------------
# Pacts: collect or publish, provider verification, verification matrix
# ----------------------------------------------------------------------------------------------
# consumer.name / provider.name of a pact file.
pact_party() {
  local file=$1 role=$2 v=""
  if have jq; then
    v=$(jq -r ".${role}.name // empty" "$file" 2>/dev/null) || v=""
  else
    v=$(tr -d '\n\r' <"$file" |
        sed -n "s/.*\"$role\"[[:space:]]*:[[:space:]]*{[^}]*\"name\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p")
  fi
  if [[ -z "$v" ]]; then   # fall back on the file name <consumer>-<provider>.json
    local base c
    base=$(basename "$file" .json)
    for c in gateway agent dashboard; do
      if [[ "$base" == "$c-"* ]]; then
        if [[ "$role" == consumer ]]; then v=$c; else v=${base#"$c-"}; fi
      fi
    done
  fi
  printf '%s' "$v"
}

# Pact files in .meta/pacts whose provider is $1.
pacts_for_provider() {
  local f
  for f in "$PACT_DIR"/*.json; do
    [[ -f "$f" ]] || continue
    if [[ "$(pact_party "$f" provider)" == "$1" ]]; then printf '%s\n' "$f"; fi
  done
}

# Copy every consumer's target/pacts/*.json into .meta/pacts (keeping their time stamps), and
# drop the collected pacts a consumer no longer writes.
pact_collect() {
  local t0 f n=0 c base removed=0
  t0=$(date +%s)
  say "▶ pacts: collect */target/pacts/*.json into .meta/pacts …"
  mkdir -p "$PACT_DIR"
  for f in "$ROOT"/*/target/pacts/*.json; do
    [[ -f "$f" ]] || continue
    cp -p "$f" "$PACT_DIR/"
    n=$((n + 1))
  done
  for f in "$PACT_DIR"/*.json; do
    [[ -f "$f" ]] || continue
    c=$(pact_party "$f" consumer); base=$(basename "$f")
    if [[ -d "$ROOT/$c-repo/target/pacts" && ! -f "$ROOT/$c-repo/target/pacts/$base" ]]; then
      rm -f "$f"; removed=$((removed + 1)); note "removed $base: $c no longer writes it"
    fi
  done
  note "$n pact file(s) collected$( ((removed)) && printf ', %s stale one(s) removed' "$removed")"
  if (( n == 0 )); then
    record "pacts: collect" SKIP $(( $(date +%s) - t0 )) "no consumer pacts yet"
  else
    record "pacts: collect" PASS $(( $(date +%s) - t0 )) "$n file(s) in .meta/pacts"
  fi
}

# Publish each consumer repo's pacts with that repo's version and the current branch.
pact_publish() {
  local dir repo sha branch t0 rc log
  branch=$(git_branch)
  for dir in "$ROOT"/*/target/pacts; do
    compgen -G "$dir/*.json" >/dev/null || continue
    repo=$(basename "$(dirname "$(dirname "$dir")")")
    sha=$(repo_version "$repo")
    log="$LOG_DIR/pact-publish-$repo.log"
    say "▶ pacts: publish $repo pacts (version $sha, branch $branch) to $PACT_BROKER_BASE_URL …"
    t0=$(date +%s); rc=0
    "${PACT_BROKER_CLI[@]}" publish "$dir" --broker-base-url "$PACT_BROKER_BASE_URL" \
      --consumer-app-version "$sha" --branch "$branch" >"$log" 2>&1 || rc=$?
    if (( rc == 0 )); then
      record "pacts: publish $repo" PASS $(( $(date +%s) - t0 )) "version $sha"
    else
      tail -n 20 "$log" | clean_lines
      record "pacts: publish $repo" FAIL $(( $(date +%s) - t0 )) "log: ${log#"$ROOT"/}"
    fi
  done
}

# ok|failed for one consumer from a provider's Surefire reports. Pact JVM names the pair in each
# verified interaction's output ("Verifying a pact between <consumer> and <provider>"). A pair is
# ok only when its own interactions were verified and passed; a failed run that cannot be pinned
# on other consumers, or a pact that was never verified, fails the pair.
pact_pair_result() {
  local consumer=$1 provider=$2 rc=$3 reports_dir=$4 log=$5 reports=() in_log=0
  shopt -s nullglob; reports=("$reports_dir"/TEST-*PactVerification*.xml); shopt -u nullglob
  if (( ${#reports[@]} == 0 )); then printf failed; return 0; fi
  if grep -q "between $consumer and $provider" "$log" 2>/dev/null; then in_log=1; fi
  cat "${reports[@]}" | awk -v c="$consumer" -v p="$provider" -v rc="$rc" -v in_log="$in_log" '
    { buf = buf $0 "\n" }
    function judge(tc,   e, name, failed, skipped, mine) {
      e = index(tc, ">")                                  # end of the <testcase …> start tag
      if (substr(tc, e - 1, 1) == "/") tc = substr(tc, 1, e)
      else if ((e = index(tc, "</testcase>")) > 0) tc = substr(tc, 1, e)
      name = ""
      if (match(tc, /[ \t\n]name="[^"]*"/)) name = substr(tc, RSTART + 7, RLENGTH - 8)
      failed = (tc ~ /<(failure|error)[ >\/]/); skipped = (tc ~ /<skipped[ >\/]/)
      mine = (index(tc, "between " c " and " p) > 0 || index(name, c " - ") > 0)
      if (failed) { all_failed++; if (mine) my_failed++ }
      else if (!skipped) { all_passed++; if (mine) my_passed++ }
    }
    END {
      n = split(buf, cases, "<testcase")
      for (i = 2; i <= n; i++) judge(cases[i])
      if (my_failed > 0) r = "failed"
      else if (my_passed > 0) r = (rc == 0 || all_failed > 0) ? "ok" : "failed"
      else r = (rc == 0 && all_passed > 0 && in_log == 1) ? "ok" : "failed"   # output not in the XML
      printf "%s", r
    }'
}

# Replace the row of a consumer/provider pair in the verification matrix.
matrix_upsert() {
  local c=$1 p=$2 result=$3 ts=$4 tmp
  mkdir -p "$PACT_DIR"
  if [[ ! -f "$MATRIX_FILE" ]]; then printf 'consumer\tprovider\tresult\ttimestamp\n' >"$MATRIX_FILE"; fi
  tmp=$(mktemp "$PACT_DIR/.matrix.XXXXXX")
  awk -F'\t' -v c="$c" -v p="$p" 'NR == 1 || !($1 == c && $2 == p)' "$MATRIX_FILE" >"$tmp"
  printf '%s\t%s\t%s\t%s\n' "$c" "$p" "$result" "$ts" >>"$tmp"
  chmod 644 "$tmp"
  mv "$tmp" "$MATRIX_FILE"
}

pact_verify_provider() {
  local repo=$1 provider=${1%-repo} log t0 rc=0 pacts=() f c result summary="" sha branch
  local args=(test "-Dtest=*PactVerification*Test" -Dsurefire.failIfNoSpecifiedTests=false)
  mapfile -t pacts < <(pacts_for_provider "$provider")
  if [[ -n "${PACT_BROKER_BASE_URL:-}" ]]; then
    sha=$(repo_version "$repo"); branch=$(git_branch)
    args+=("-Dpactbroker.url=$PACT_BROKER_BASE_URL" -Dpact.verifier.publishResults=true
           "-Dpact.provider.version=$sha" "-Dpact.provider.branch=$branch")
    if [[ -n "${PACT_BROKER_TOKEN:-}" ]]; then args+=("-Dpactbroker.auth.token=$PACT_BROKER_TOKEN"); fi
  else
    if (( ${#pacts[@]} == 0 )); then
      note "$provider: no consumer pacts for it in .meta/pacts"
      record "pact verify: $provider" SKIP 0 "no consumer pacts"
      return 0
    fi
    args+=("-Dpactfolder.path=$PACT_DIR")
  fi
  log="$LOG_DIR/pact-verify-$repo.log"
  say "▶ $repo: pact verification of ${#pacts[@]} consumer pact(s) …"
  rm -f "$ROOT/$repo/target/surefire-reports/"TEST-*PactVerification*.xml
  t0=$(date +%s)
  mvn_in_repo "$repo" "$log" "${args[@]}" || rc=$?
  show_mvn_result "$log" "$rc"
  for f in "${pacts[@]}"; do
    c=$(pact_party "$f" consumer)
    result=$(pact_pair_result "$c" "$provider" "$rc" "$ROOT/$repo/target/surefire-reports" "$log")
    matrix_upsert "$c" "$provider" "$result" "$(now_utc)"
    summary+="${summary:+, }$c $result"
    # With a pact folder every pact there must be verified: one that is not fails the step.
    if [[ "$result" != ok && -z "${PACT_BROKER_BASE_URL:-}" && $rc -eq 0 ]]; then rc=1; fi
  done
  if (( rc == 0 )); then
    record "pact verify: $provider" PASS $(( $(date +%s) - t0 )) "$summary"
  else
    record "pact verify: $provider" FAIL $(( $(date +%s) - t0 )) "${summary:-see log} (log: ${log#"$ROOT"/})"
  fi
}

pact_steps() {
  local repo
  pact_collect
  if [[ -n "${PACT_BROKER_BASE_URL:-}" ]]; then pact_publish; fi
  for repo in "${SELECTED[@]}"; do
    [[ "$repo" != contracts-repo && -f "$ROOT/$repo/pom.xml" && -d "$ROOT/$repo/src/test" ]] || continue
    if [[ -n "$(find "$ROOT/$repo/src/test" -name '*PactVerification*Test.java' -print -quit)" ]]; then
      pact_verify_provider "$repo"
    fi
  done
}

e2e_step() {
  local t0 rc=0 log="$LOG_DIR/build-platform-tests.log"
  if [[ ! -f "$ROOT/platform-tests/pom.xml" ]]; then
    note "platform-tests/pom.xml does not exist: end-to-end tests skipped"
    record "platform-tests" SKIP 0 "no platform-tests/pom.xml"
    return 0
  fi
  if (( ! FULL_RUN )); then
    note "end-to-end tests run only with the whole set (./meta.sh test without repos)"
    record "platform-tests" SKIP 0 "subset run"
    return 0
  fi
  say "▶ platform-tests: mvn verify (end-to-end) …"
  t0=$(date +%s)
  (cd "$ROOT/platform-tests" && "${MVN[@]}" verify -f "$ROOT/platform-tests/pom.xml" "-Dplatform.root=$ROOT") >"$log" 2>&1 || rc=$?
  show_mvn_result "$log" "$rc"
  if (( rc == 0 )); then
    record "platform-tests" PASS $(( $(date +%s) - t0 )) "log: ${log#"$ROOT"/}"
  else
    record "platform-tests" FAIL $(( $(date +%s) - t0 )) "log: ${log#"$ROOT"/}"
  fi
}

# ----------------------------------------------------------------------------------------------
# chaos: faults, hostile input and contract fuzzing on the real jars (platform-tests, @Tag("chaos"))
# ----------------------------------------------------------------------------------------------
# Runs the platform-tests of one JUnit tag (chaos | scenarios) and writes chaos/<results> from their
# figures; records a PASS/FAIL row named after the tag.
tagged_step() {
  local tag=$1 results=$2 t0 rc=0 log="$LOG_DIR/$1.log" figures="$ROOT/platform-tests/target/chaos-results/figures.tsv"
  if [[ ! -f "$ROOT/platform-tests/pom.xml" ]]; then
    record "$tag" SKIP 0 "no platform-tests/pom.xml"
    return 0
  fi
  t0=$(date +%s)
  rm -f "$figures"
  (cd "$ROOT/platform-tests" && "${MVN[@]}" verify -f "$ROOT/platform-tests/pom.xml" "-Dplatform.root=$ROOT" \
      "-Dchaos.groups=$tag" -Dchaos.excluded=none "-Dchaos.rate=$CHAOS_STREAM_RATE" \
      "-Dchaos.seconds=$CHAOS_STREAM_SECONDS" ${CHAOS_MVN_ARGS:-}) >"$log" 2>&1 || rc=$?
  show_mvn_result "$log" "$rc"
  chaos_results "$figures" "$rc" "$ROOT/chaos/$results" "$tag"
  if (( rc == 0 )); then
    record "$tag" PASS $(( $(date +%s) - t0 )) "results: chaos/$results, log: ${log#"$ROOT"/}"
  else
    record "$tag" FAIL $(( $(date +%s) - t0 )) "results: chaos/$results, log: ${log#"$ROOT"/}"
  fi
}

# The webhook stream of every fault scenario. ./meta.sh chaos runs the issue's figure, 20 webhooks a
# second for 30 s; inside ./meta.sh test the stream is 10/s for 15 s, which keeps the whole suite well
# inside the CI budget on 2 cores. CHAOS_RATE and CHAOS_SECONDS override either.
CHAOS_STREAM_RATE=10
CHAOS_STREAM_SECONDS=15

chaos_stream() {
  CHAOS_STREAM_RATE=${CHAOS_RATE:-$1}
  CHAOS_STREAM_SECONDS=${CHAOS_SECONDS:-$2}
  [[ "$CHAOS_STREAM_RATE" =~ ^[1-9][0-9]{0,3}$ ]] \
    || die "CHAOS_RATE='$CHAOS_STREAM_RATE' is not a number of webhooks a second: use a whole number from 1 to 9999, e.g. CHAOS_RATE=20"
  [[ "$CHAOS_STREAM_SECONDS" =~ ^[1-9][0-9]{0,3}$ ]] \
    || die "CHAOS_SECONDS='$CHAOS_STREAM_SECONDS' is not a number of seconds: use a whole number from 1 to 9999, e.g. CHAOS_SECONDS=30"
}

chaos_step() {
  say "▶ chaos: faults, hostile input and contract fuzzing on the real jars, $CHAOS_STREAM_RATE webhooks/s for $CHAOS_STREAM_SECONDS s a scenario …"
  tagged_step chaos results.md
}

scenarios_step() {
  say "▶ scenarios: the four independent-deployment scenarios on the real jars, $CHAOS_STREAM_RATE webhooks/s for $CHAOS_STREAM_SECONDS s each …"
  tagged_step scenarios scenarios.md
}

# figures.tsv (one line a scenario, written by ChaosReport) -> chaos/results.md
chaos_results() {
  local figures=$1 rc=$2 out=$3 tag=$4
  [[ -f "$figures" ]] || : >"$figures"
  mkdir -p "$ROOT/chaos"
  {
    printf '# %s results\n\n' "${tag^}"
    printf 'Written by `./meta.sh %s` (also part of `./meta.sh test`) on %s, commit %s, %s cores; ' "$tag" \
      "$(now_utc)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" "$(nproc 2>/dev/null || echo '?')"
    printf 'a stream of %s webhooks a second for %s s in every fault scenario; ' "$CHAOS_STREAM_RATE" "$CHAOS_STREAM_SECONDS"
    if (( rc == 0 )); then printf 'every check passed.\n\n'; else printf '**the run failed** (see .meta/logs/%s.log).\n\n' "$tag"; fi
    printf 'What each scenario does and why: [README.md](README.md).\n'
    chaos_table "$figures" scenario 'Scenarios' \
      '| scenario | accepted | finished | answered | duplicated | lost | what was checked |' '|---|---:|---:|---:|---:|---:|---|'
    chaos_table "$figures" fuzz 'Contract fuzzing' \
      '| service | requests | 5xx | 4xx not problem+json | writes | what was checked |' '|---|---:|---:|---:|---:|---|'
    chaos_table "$figures" hostile 'Hostile input and access' \
      '| check | tried | answered wrongly | what was checked |' '|---|---:|---:|---|'
  } >"$out"
  say ""
  # the figures with their names, one line each (the table with what was checked is in the results file)
  awk -F'\t' '
    $1 == "scenario" { printf "  %-52s accepted %4s  finished %4s  answered %4s  duplicated %s  lost %s\n", $2, $3, $4, $5, $6, $7 }
    $1 == "fuzz"     { printf "  fuzzing %-43s requests %4s  5xx %s  4xx not problem+json %s  writes %s\n", $2, $3, $4, $5, $6 }
    $1 == "hostile"  { printf "  %-52s tried %4s  answered wrongly %s\n", $2, $3, $4 }' "$figures"
  say "results: ${out#"$ROOT"/}"
}

# One markdown table of the figures of one kind (columns 2.. of its lines), left out when there are none.
chaos_table() {
  local figures=$1 kind=$2 title=$3 header=$4 rule=$5
  grep -q "^$kind"$'\t' "$figures" || return 0
  printf '\n## %s\n\n%s\n%s\n' "$title" "$header" "$rule"
  awk -F'\t' -v k="$kind" '$1 == k { line = "|"; for (i = 2; i <= NF; i++) line = line " " $i " |"; print line }' "$figures"
}

# Builds the jars that are missing for these services (default: all); chaos, scenarios and bench run the real jars.
ensure_service_jars() {
  local name missing=()
  have java || die "java not found: run ./meta.sh doctor"
  have mvn || die "mvn not found: run ./meta.sh doctor"
  for name in "${@:-${SERVICE_NAMES[@]}}"; do
    if [[ -z "$(service_jar "$name")" ]]; then missing+=("${SVC_REPO[$name]}"); fi
  done
  if (( ${#missing[@]} > 0 )); then
    say "▶ no jar yet for ${missing[*]}: ./meta.sh build ${missing[*]}"
    (cmd_build "${missing[@]}") || die "the build failed: see .meta/logs"
  fi
}

# ./meta.sh chaos | scenarios: the real jars (built when missing), then that step and the summary.
cmd_tagged() {
  local step=$1
  ensure_meta_dirs
  ensure_service_jars
  "$step"
  print_summary
  if any_failed; then return 1; fi
}

cmd_chaos() {
  (( $# == 0 )) || usage_error "chaos takes no arguments: ./meta.sh chaos (CHAOS_RATE=… CHAOS_SECONDS=… change the stream)"
  chaos_stream 20 30
  cmd_tagged chaos_step
}

cmd_scenarios() {
  (( $# == 0 )) || usage_error "scenarios takes no arguments: ./meta.sh scenarios"
  chaos_stream 10 15
  cmd_tagged scenarios_step
}

# ----------------------------------------------------------------------------------------------
# publish-contracts
# ----------------------------------------------------------------------------------------------
cmd_publish_contracts() {
  (( $# == 0 )) || usage_error "publish-contracts takes no arguments (set CONTRACTS_RELEASE_REPO to choose the repository)"
  ensure_meta_dirs
  local pom="$ROOT/contracts-repo/pom.xml" v log t0 rc=0 released=0 args step
  [[ -f "$pom" ]] || die "contracts-repo/pom.xml does not exist yet"
  v=$(pom_get project/version <"$pom")
  contracts_gate_prepare || { print_summary; return 1; }
  if [[ "$v" != *-SNAPSHOT ]] && release_artifact_exists "$CONTRACTS_RELEASE_REPO" "org/agentplatform/contracts/$v/contracts-$v.jar"; then
    released=1
  fi
  log="$LOG_DIR/build-contracts-repo.log"
  t0=$(date +%s)
  if (( released )); then
    # A released version never changes: build, test and install it (the gate fails when the
    # contract files differ from the released jar), but upload nothing.
    say "▶ contracts-repo: contracts $v is already released in $CONTRACTS_RELEASE_REPO: mvn install only (raise <version> to release changes) …"
    args=(install "-Dcontracts.release.repo=$CONTRACTS_RELEASE_REPO"); step="contracts-repo install"
  else
    if [[ "$CONTRACTS_RELEASE_REPO" == file://* ]]; then mkdir -p "${CONTRACTS_RELEASE_REPO#file://}"; fi
    say "▶ contracts-repo: mvn deploy of contracts $v to $CONTRACTS_RELEASE_REPO …"
    # deploy runs the whole lifecycle: tests (with the gate), install into ~/.m2, then the upload.
    args=(deploy "-Dcontracts.release.repo=$CONTRACTS_RELEASE_REPO"
          "-DaltDeploymentRepository=releases::default::$CONTRACTS_RELEASE_REPO"); step="contracts-repo deploy"
  fi
  mvn_in_repo contracts-repo "$log" "${args[@]}" || rc=$?
  show_mvn_result "$log" "$rc"
  if (( rc == 0 )); then
    if (( released )); then record "$step" PASS $(( $(date +%s) - t0 )) "contracts $v already released, unchanged"
    else record "$step" PASS $(( $(date +%s) - t0 )) "contracts $v released"; fi
  else
    record "$step" FAIL $(( $(date +%s) - t0 )) "log: ${log#"$ROOT"/}"
  fi
  print_summary
  if any_failed; then return 1; fi
}

# ----------------------------------------------------------------------------------------------
# Infrastructure: PostgreSQL
# ----------------------------------------------------------------------------------------------
PG_BINDIR=""
find_pg_bindir() {
  local c d
  if [[ -n "$PG_BINDIR" ]]; then return 0; fi
  for c in initdb pg_ctl; do
    if have "$c"; then
      d=$(dirname "$(readlink -f "$(command -v "$c")")")
      if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then PG_BINDIR=$d; return 0; fi
    fi
  done
  if have pg_config; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then PG_BINDIR=$d; return 0; fi
  fi
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then PG_BINDIR=$d; return 0; fi
  return 1
}
pg_tool() { local t=$1; if [[ -x "$PG_BINDIR/$t" ]]; then printf '%s' "$PG_BINDIR/$t"; else command -v "$t"; fi; }

# Where our PostgreSQL lives: .meta/pg, or a /tmp folder when the postgres user cannot reach .meta.
PG_BASE="" PG_DATA="" PG_SOCK=""
pg_locate() {
  if [[ -f "$META_DIR/pg.dir" ]]; then PG_BASE=$(<"$META_DIR/pg.dir"); else PG_BASE="$META_DIR/pg"; fi
  PG_DATA="$PG_BASE/data"
  PG_SOCK="$PG_BASE/run"
  if (( ${#PG_SOCK} > 90 )); then PG_SOCK="/tmp/agentplatform-pgsock-$(root_hash)"; fi
}

pg_prepare_base() {
  mkdir -p "$PG_BASE"
  if is_root; then
    id postgres >/dev/null 2>&1 || die "PostgreSQL cannot run as root and there is no 'postgres' user: create one (useradd -r -m postgres) or run meta.sh as a normal user"
    chown postgres: "$PG_BASE"; chmod 700 "$PG_BASE"
    if ! runuser -u postgres -- test -w "$PG_BASE"; then
      PG_BASE="/tmp/agentplatform-pg-$(root_hash)"
      note "the postgres user cannot reach .meta/pg (a parent folder is not traversable): using $PG_BASE"
      mkdir -p "$PG_BASE"; chown postgres: "$PG_BASE"; chmod 700 "$PG_BASE"
      printf '%s\n' "$PG_BASE" >"$META_DIR/pg.dir"
      pg_locate
    fi
  fi
  mkdir -p "$PG_SOCK"
  if is_root; then chown postgres: "$PG_SOCK"; fi
}

pg_running() { [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]] && as_pg "$(pg_tool pg_ctl)" status -D "$PG_DATA" >/dev/null 2>&1; }
pg_pid()  { sed -n 1p "$PG_DATA/postmaster.pid" 2>/dev/null || true; }
pg_port() { if [[ -f "$PG_DATA/postmaster.pid" ]]; then sed -n 4p "$PG_DATA/postmaster.pid"; else printf '%s' "$META_PG_PORT"; fi; }
pg_psql() { as_pg "$(pg_tool psql)" -X -q -h "$PG_SOCK" -p "$(pg_port)" -d postgres -v ON_ERROR_STOP=1 "$@"; }

pg_start() {
  find_pg_bindir || die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: apt-get install -y postgresql-15, or set DATABASE_URL"
  pg_locate
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    pg_prepare_base
    say "▶ PostgreSQL: initdb in $PG_DATA …"
    if ! as_pg "$PG_BINDIR/initdb" -D "$PG_DATA" --auth-local=peer --auth-host=scram-sha-256 \
          -E UTF8 --locale=C >"$LOG_DIR/postgres-initdb.log" 2>&1; then
      tail -n 20 "$LOG_DIR/postgres-initdb.log" >&2
      die "initdb failed (log: .meta/logs/postgres-initdb.log)"
    fi
  fi
  mkdir -p "$PG_SOCK"; if is_root; then chown postgres: "$PG_SOCK"; fi
  ln -sfn "$PG_BASE/postgres.log" "$LOG_DIR/postgres.log"
  if pg_running; then
    note "PostgreSQL already running (pid $(pg_pid), port $(pg_port))"
  else
    if port_listening "$META_PG_PORT"; then
      die "port $META_PG_PORT is taken by another process ($(port_owner "$META_PG_PORT")): stop it or set META_PG_PORT"
    fi
    say "▶ PostgreSQL: starting on 127.0.0.1:$META_PG_PORT …"
    if ! as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_BASE/postgres.log" -w -t 60 \
          -o "-p $META_PG_PORT -c listen_addresses=127.0.0.1 -k '$PG_SOCK'" start >/dev/null 9>&-; then
      tail -n 20 "$PG_BASE/postgres.log" >&2 || true
      die "PostgreSQL did not start (log: .meta/logs/postgres.log)"
    fi
  fi
  pg_setup_databases
}

# One login role and one database per service; the role owns its database, nobody else may
# connect to it. Passwords come from .meta/secrets.env (generated once).
pg_setup_databases() {
  local n db pw sql="" dbs=()
  for n in "${SERVICE_NAMES[@]}"; do
    db=${SVC_DB[$n]}; dbs+=("$db"); pw=$(secret "PG_PASSWORD_$(env_key "$db")")
    sql+="SELECT 'CREATE ROLE $db LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$db')\\gexec
ALTER ROLE $db WITH LOGIN PASSWORD '$pw';
SELECT 'CREATE DATABASE $db OWNER $db' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db')\\gexec
REVOKE ALL ON DATABASE $db FROM PUBLIC;
GRANT ALL ON DATABASE $db TO $db;
"
  done
  pg_psql -f - <<<"$sql" >/dev/null || die "creating the service databases failed (log: .meta/logs/postgres.log)"
  note "databases (one login role each): ${dbs[*]}"
}

pg_stop() {
  find_pg_bindir || return 0
  pg_locate
  if pg_running; then
    say "▶ PostgreSQL: stopping (pid $(pg_pid)) …"
    if as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null; then note "PostgreSQL stopped"
    else warn "pg_ctl stop failed (log: .meta/logs/postgres.log)"; return 1; fi
  fi
}

# ----------------------------------------------------------------------------------------------
# Infrastructure: Redis
# ----------------------------------------------------------------------------------------------
REDIS_PIDFILE="$PID_DIR/redis.pid"
redis_pid()  { cat "$REDIS_PIDFILE" 2>/dev/null || true; }
redis_port() { cat "$PID_DIR/redis.port" 2>/dev/null || printf '%s' "$META_REDIS_PORT"; }
redis_running() {
  local p; p=$(redis_pid)
  pid_alive "$p" || return 1
  if [[ -r "/proc/$p/cmdline" ]]; then tr '\0' ' ' <"/proc/$p/cmdline" | grep -q redis; fi
}
redis_ping() {
  local port=$1 r
  if have redis-cli; then
    r=$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) || true
  else
    r=$( { exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && timeout 2 head -c5 <&3; } 2>/dev/null) || true
  fi
  [[ "$r" == *PONG* ]]
}

ensure_redis_installed() {
  have redis-server && return 0
  if is_root && have apt-get; then
    note "redis-server is missing: installing it with apt-get"
    apt_install redis-server || true
  fi
  have redis-server || die "redis-server is not installed: install it (apt-get install -y redis-server) or set REDIS_URL"
}

redis_start() {
  local i port=$META_REDIS_PORT
  ensure_redis_installed
  if redis_running; then note "Redis already running (pid $(redis_pid), port $(redis_port))"; return 0; fi
  if port_listening "$port"; then
    die "port $port is taken by another process ($(port_owner "$port")): stop it or set META_REDIS_PORT"
  fi
  mkdir -p "$META_DIR/redis"
  say "▶ Redis: starting on 127.0.0.1:$port …"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$META_DIR/redis" --daemonize yes \
    --pidfile "$REDIS_PIDFILE" --logfile "$LOG_DIR/redis.log" --save '' --appendonly no >/dev/null 9>&-
  printf '%s\n' "$port" >"$PID_DIR/redis.port"
  for ((i = 0; i < 40; i++)); do
    if redis_running && redis_ping "$port"; then note "Redis ready"; return 0; fi
    sleep 0.25
  done
  tail -n 20 "$LOG_DIR/redis.log" >&2 || true
  die "Redis did not start (log: .meta/logs/redis.log)"
}

redis_stop() {
  local pid port i
  pid=$(redis_pid); port=$(redis_port)
  if ! pid_alive "$pid"; then rm -f "$REDIS_PIDFILE"; return 0; fi
  say "▶ Redis: stopping (pid $pid) …"
  if have redis-cli; then redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true; fi
  for ((i = 0; i < 20; i++)); do pid_alive "$pid" || break; sleep 0.25; done
  if pid_alive "$pid"; then stop_pid "$pid" Redis; else note "Redis stopped"; fi
  rm -f "$REDIS_PIDFILE"
}

# ----------------------------------------------------------------------------------------------
# Secrets (.meta/secrets.env, mode 600, each value generated once)
# ----------------------------------------------------------------------------------------------
random_secret() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }

secret() {
  local key=$1 v
  if [[ ! -f "$SECRETS_FILE" ]]; then
    (umask 077; printf '# generated by meta.sh: local passwords and service tokens (never commit)\n' >"$SECRETS_FILE")
  fi
  chmod 600 "$SECRETS_FILE"
  v=$(sed -n "s/^$key=//p" "$SECRETS_FILE" | tail -n1)
  if [[ -z "$v" ]]; then
    v=$(random_secret)
    printf '%s=%s\n' "$key" "$v" >>"$SECRETS_FILE"
  fi
  printf '%s' "$v"
}

service_tokens_list() {   # name:token,name:token,…
  local n out=""
  for n in "${SERVICE_NAMES[@]}"; do out+="${out:+,}$n:$(secret "SERVICE_TOKEN_$(env_key "$n")")"; done
  printf '%s' "$out"
}

# ----------------------------------------------------------------------------------------------
# Services
# ----------------------------------------------------------------------------------------------
svc_pidfile() { printf '%s' "$PID_DIR/$1.pid"; }
svc_pid() { cat "$(svc_pidfile "$1")" 2>/dev/null || true; }
svc_running() {
  local pid; pid=$(svc_pid "$1")
  pid_alive "$pid" || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q java; fi
}
svc_url() { printf 'http://127.0.0.1:%s' "${SVC_PORT[$1]}"; }

# The runnable jar of a service repo: target/<artifactId>-*.jar (not original-*, sources, …).
service_jar() {
  local repo=${SVC_REPO[$1]} art f best="" jars=()
  art=$(pom_get project/artifactId <"$ROOT/$repo/pom.xml" 2>/dev/null || true)
  if [[ -n "$art" ]]; then jars=("$ROOT/$repo/target/$art"-*.jar); else jars=("$ROOT/$repo/target/"*.jar); fi
  for f in "${jars[@]}"; do
    [[ -f "$f" && "$f" != */original-* && ! "$f" =~ -(sources|javadoc|tests)\.jar$ ]] || continue
    if [[ -z "$best" || "$f" -nt "$best" ]]; then best=$f; fi
  done
  printf '%s' "$best"
}

# The environment of a service: ours, plus the user's vendor variables (which win).
service_env() {
  local name=$1 n db k
  SVC_ENV=("PATH=$PATH" "HOME=$HOME" "PORT=${SVC_PORT[$name]}" "REDIS_URL=$INFRA_REDIS_URL"
           "SERVICE_TOKEN=$(secret "SERVICE_TOKEN_$(env_key "$name")")" "SERVICE_TOKENS=$(service_tokens_list)")
  for n in github-service jira-service slack-service sentry-service gateway agent; do
    SVC_ENV+=("$(env_key "$n")_URL=$(svc_url "$n")")
  done
  db=${SVC_DB[$name]}
  if [[ -n "${DATABASE_URL:-}" ]]; then
    SVC_ENV+=("DATABASE_URL=${DATABASE_URL//\{db\}/$db}")
    if [[ -n "${DATABASE_USER:-}" ]]; then SVC_ENV+=("DATABASE_USER=$DATABASE_USER"); fi
    if [[ -n "${DATABASE_PASSWORD:-}" ]]; then SVC_ENV+=("DATABASE_PASSWORD=$DATABASE_PASSWORD"); fi
  else
    SVC_ENV+=("DATABASE_URL=jdbc:postgresql://127.0.0.1:$(pg_port)/$db" "DATABASE_USER=$db"
              "DATABASE_PASSWORD=$(secret "PG_PASSWORD_$(env_key "$db")")")
  fi
  # Local defaults for what a real installation configures: webhook secrets (so deliveries can be
  # signed and tried at once) and the dashboard's admin password. The user's variables win.
  case $name in
    gateway)
      for k in GITHUB_WEBHOOK_SECRET SLACK_SIGNING_SECRET JIRA_WEBHOOK_SECRET SENTRY_CLIENT_SECRET; do
        if [[ -z "${!k:-}" ]]; then SVC_ENV+=("$k=$(secret "$k")"); fi
      done ;;
    dashboard)
      if [[ -z "${DASHBOARD_ADMIN_PASSWORD:-}" && -z "${DASHBOARD_USERS:-}" ]]; then
        SVC_ENV+=("DASHBOARD_ADMIN_PASSWORD=$(secret DASHBOARD_ADMIN_PASSWORD)")
      fi ;;
  esac
  while IFS= read -r k; do
    if [[ "$k" =~ $PASSTHROUGH_RE ]]; then SVC_ENV+=("$k=${!k}"); fi
  done < <(compgen -e)
}

# Build (once, together) the service repos that have a pom.xml but no runnable jar yet.
build_missing_jars() {
  local name missing=()
  for name in "${SERVICE_NAMES[@]}"; do
    if svc_running "$name"; then continue; fi
    if [[ -f "$ROOT/${SVC_REPO[$name]}/pom.xml" && -z "$(service_jar "$name")" ]]; then
      missing+=("${SVC_REPO[$name]}")
    fi
  done
  if (( ${#missing[@]} > 0 )); then
    say "▶ no jar yet for ${missing[*]}: ./meta.sh build ${missing[*]}"
    (cmd_build "${missing[@]}") || true
  fi
}

# Tracing export: off unless OTEL_TRACES_EXPORTER names an exporter (e.g. otlp, with
# OTEL_EXPORTER_OTLP_ENDPOINT). Then every service runs with the OpenTelemetry Java agent (fetched
# once from Maven Central into ~/.m2) under its own OTEL_SERVICE_NAME; all OTEL_* variables pass through.
OTEL_JAVAAGENT_VERSION=2.24.0
otel_javaagent_opts() {
  local jar
  case "${OTEL_TRACES_EXPORTER:-none}" in none|"") return 0 ;; esac
  jar="$HOME/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL_JAVAAGENT_VERSION/opentelemetry-javaagent-$OTEL_JAVAAGENT_VERSION.jar"
  if [[ ! -f "$jar" ]]; then
    "${MVN[@]}" dependency:get "-Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_JAVAAGENT_VERSION" \
      >"$LOG_DIR/otel-javaagent.log" 2>&1 || true
  fi
  if [[ -f "$jar" ]]; then
    printf '%s' "-javaagent:$jar"
  else
    warn "OTEL_TRACES_EXPORTER=$OTEL_TRACES_EXPORTER but the OpenTelemetry Java agent could not be fetched (see ${LOG_DIR#"$ROOT"/}/otel-javaagent.log): starting without tracing export"
  fi
}

# Start one service in the background (own session, so it survives this shell).
# Returns 0 when started or already running, 1 on a problem, 3 when the repo is not there yet,
# 4 when it has no runnable jar.
start_service() {
  local name=$1 repo=${SVC_REPO[$1]} port=${SVC_PORT[$1]} jar log pid otel
  log="$LOG_DIR/$name.log"
  if svc_running "$name"; then note "$name already running (pid $(svc_pid "$name"))"; return 0; fi
  rm -f "$(svc_pidfile "$name")"
  if [[ ! -f "$ROOT/$repo/pom.xml" ]]; then return 3; fi
  jar=$(service_jar "$name")
  if [[ -z "$jar" ]]; then return 4; fi
  if port_listening "$port"; then
    warn "$name: port $port is taken by another process ($(port_owner "$port")): not started"
    return 1
  fi
  service_env "$name"
  otel=$(otel_javaagent_opts)
  if [[ -n "$otel" ]]; then SVC_ENV+=("OTEL_SERVICE_NAME=$name"); fi
  say "▶ $name: java -jar ${jar#"$ROOT"/} on :$port${otel:+ (OpenTelemetry export: $OTEL_TRACES_EXPORTER)} …"
  printf '\n===== %s start %s =====\n' "$name" "$(now_utc)" >>"$log"
  # shellcheck disable=SC2086  # META_JAVA_OPTS is a list of JVM flags
  setsid nohup env -i "${SVC_ENV[@]}" java $META_JAVA_OPTS $otel -jar "$jar" >>"$log" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$(svc_pidfile "$name")"
}

# Wait for GET /health to answer 200 (HEALTH_TIMEOUT seconds), with progress dots.
wait_healthy() {
  local name=$1 url pid t0 deadline
  url="$(svc_url "$name")/health"; pid=$(svc_pid "$name")
  t0=$SECONDS; deadline=$((SECONDS + HEALTH_TIMEOUT))
  printf '  waiting for %s (%s) ' "$name" "$url"
  while (( SECONDS < deadline )); do
    if pid_alive "$pid" && [[ "$(http_code "$url")" == 200 ]] && port_is_ours "${SVC_PORT[$name]}" "$pid"; then
      printf ' healthy (%ss)\n' "$((SECONDS - t0))"; return 0
    fi
    if ! pid_alive "$pid"; then
      printf ' exited\n'
      tail -n 20 "$LOG_DIR/$name.log" | clean_lines
      rm -f "$(svc_pidfile "$name")"
      return 1
    fi
    printf '.'; sleep 1
  done
  printf ' no 200 from /health after %ss (log: .meta/logs/%s.log)\n' "$HEALTH_TIMEOUT" "$name"
  return 1
}

stop_service() {
  local name=$1 pid
  pid=$(svc_pid "$name")
  if svc_running "$name"; then
    say "▶ $name: stopping (pid $pid) …"
    stop_pid "$pid" "$name"
  fi
  rm -f "$(svc_pidfile "$name")"
}

# ----------------------------------------------------------------------------------------------
# up / down / status / logs
# ----------------------------------------------------------------------------------------------
INFRA_REDIS_URL=""
with_lock() {
  exec 9>"$META_DIR/.lock"
  flock -n 9 || die "another meta.sh up/down is running in this folder"
}

cmd_up() {
  local build=1
  case "${1:-}" in
    "") ;;
    --no-build) build=0; shift ;;
    *) usage_error "unknown argument '$1' for up: use ./meta.sh up [--no-build] (DATABASE_URL / REDIS_URL select your own servers)" ;;
  esac
  (( $# == 0 )) || usage_error "up takes at most one argument: ./meta.sh up [--no-build]"
  ensure_meta_dirs; with_lock
  local phase name rc problems=0 absent=() unbuilt=()
  if [[ -z "${DATABASE_URL:-}" ]]; then pg_start; else note "PostgreSQL: using DATABASE_URL ($DATABASE_URL)"; fi
  if [[ -z "${REDIS_URL:-}" ]]; then
    redis_start; INFRA_REDIS_URL="redis://127.0.0.1:$(redis_port)"
  else
    INFRA_REDIS_URL=$REDIS_URL; note "Redis: using REDIS_URL ($REDIS_URL)"
  fi
  service_tokens_list >/dev/null   # generate every token once
  if (( build )); then build_missing_jars; fi
  for phase in "${START_PHASES[@]}"; do
    local this_phase=()
    for name in $phase; do
      rc=0; start_service "$name" || rc=$?
      case $rc in
        0) this_phase+=("$name") ;;
        3) absent+=("$name") ;;
        4) unbuilt+=("$name")
           if (( build )); then
             say "  ✘ $name: no runnable jar in ${SVC_REPO[$name]}/target (see .meta/logs/build-${SVC_REPO[$name]}.log)"
             problems=$((problems + 1))
           fi ;;
        *) problems=$((problems + 1)) ;;
      esac
    done
    for name in "${this_phase[@]}"; do
      wait_healthy "$name" || problems=$((problems + 1))
    done
  done
  if (( ${#absent[@]} > 0 )); then note "not there yet (no pom.xml): ${absent[*]}"; fi
  if (( ${#unbuilt[@]} > 0 && ! build )); then note "not started, no jar (--no-build): ${unbuilt[*]}"; fi
  say ""
  print_urls
  if (( problems > 0 )); then say "✘ $problems service(s) did not come up: see ./meta.sh status and ./meta.sh logs <name>"; return 1; fi
}

print_urls() {
  local name
  say "Platform"
  printf '  %-16s %s\n' "component" "address"
  if [[ -n "${DATABASE_URL:-}" ]]; then
    printf '  %-16s %s\n' postgresql "$DATABASE_URL (yours)"
  else
    printf '  %-16s %s\n' postgresql "jdbc:postgresql://127.0.0.1:$(pg_port)/<service db>  (roles and passwords: .meta/secrets.env)"
  fi
  printf '  %-16s %s\n' redis "${INFRA_REDIS_URL:-redis://127.0.0.1:$(redis_port)}"
  for name in "${SERVICE_NAMES[@]}"; do
    if svc_running "$name"; then printf '  %-16s %s\n' "$name" "$(svc_url "$name")"; fi
  done
  if svc_running dashboard && [[ -z "${DASHBOARD_ADMIN_PASSWORD:-}" && -z "${DASHBOARD_USERS:-}" ]]; then
    say "  dashboard login: admin, password DASHBOARD_ADMIN_PASSWORD in .meta/secrets.env"
  fi
  if svc_running gateway; then
    say "  webhook secrets (unless you exported your own): GITHUB_WEBHOOK_SECRET, SLACK_SIGNING_SECRET,"
    say "  JIRA_WEBHOOK_SECRET, SENTRY_CLIENT_SECRET in .meta/secrets.env"
  fi
}

cmd_down() {
  (( $# == 0 )) || usage_error "down takes no arguments"
  ensure_meta_dirs; with_lock
  local i name
  for ((i = ${#START_PHASES[@]} - 1; i >= 0; i--)); do
    for name in ${START_PHASES[$i]}; do stop_service "$name"; done
  done
  redis_stop
  pg_stop
  say "everything meta.sh started is stopped"
}

status_row() { printf '  %-16s %-9s %-8s %-6s %s\n' "$@"; }

cmd_status() {
  (( $# == 0 )) || usage_error "status takes no arguments"
  ensure_meta_dirs
  local name state pid port health code
  status_row component state pid port health
  # PostgreSQL
  if [[ -n "${DATABASE_URL:-}" ]]; then
    status_row postgresql external - - "$DATABASE_URL"
  elif find_pg_bindir && pg_locate && pg_running; then
    port=$(pg_port)
    if as_pg "$(pg_tool pg_isready)" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1; then health="accepting connections"; else health="not ready"; fi
    status_row postgresql running "$(pg_pid)" "$port" "$health"
  else
    status_row postgresql stopped - "$META_PG_PORT" -
  fi
  # Redis
  if [[ -n "${REDIS_URL:-}" ]]; then
    status_row redis external - - "$REDIS_URL"
  elif redis_running; then
    port=$(redis_port)
    if redis_ping "$port"; then health=PONG; else health="no answer"; fi
    status_row redis running "$(redis_pid)" "$port" "$health"
  else
    status_row redis stopped - "$(redis_port)" -
  fi
  # Services
  for name in "${SERVICE_NAMES[@]}"; do
    port=${SVC_PORT[$name]}
    if svc_running "$name"; then
      code=$(http_code "$(svc_url "$name")/health")
      if ! port_is_ours "$port" "$(svc_pid "$name")"; then health="port held by another process ($(port_owner "$port"))"
      elif [[ "$code" == 200 ]]; then health="200 /health"; else health="/health: $code"; fi
      status_row "$name" running "$(svc_pid "$name")" "$port" "$health"
    else
      state=stopped; health=-
      if [[ ! -f "$ROOT/${SVC_REPO[$name]}/pom.xml" ]]; then health="(repo not there yet)"
      elif port_listening "$port"; then health="port used by another process ($(port_owner "$port"))"; fi
      status_row "$name" "$state" - "$port" "$health"
    fi
  done
}

cmd_logs() {
  (( $# == 1 )) || usage_error "logs needs one name: ./meta.sh logs <service|postgres|redis|build-<repo>>"
  local name=$1 file svc
  if svc=$(resolve_service "$name"); then file="$LOG_DIR/$svc.log"
  elif [[ "$name" == postgres || "$name" == postgresql ]]; then file="$LOG_DIR/postgres.log"
  elif [[ "$name" == redis ]]; then file="$LOG_DIR/redis.log"
  elif [[ -f "$LOG_DIR/${name%.log}.log" ]]; then file="$LOG_DIR/${name%.log}.log"
  else usage_error "unknown log '$name': use a service (${SERVICE_NAMES[*]}), postgres, redis or a file name from .meta/logs"
  fi
  [[ -e "$file" ]] || die "no log for '$name' yet ($file): start it with ./meta.sh up"
  if is_tty; then exec tail -n 200 -f "$file"; else exec tail -n 200 "$file"; fi
}

# ----------------------------------------------------------------------------------------------
# can-i-deploy
# ----------------------------------------------------------------------------------------------
matrix_row() { printf '  %-12s %-16s %-8s %-21s %s\n' "$@"; }

cmd_can_i_deploy() {
  (( $# == 1 )) || usage_error "can-i-deploy needs one repo or service: ./meta.sh can-i-deploy <name>"
  local arg=${1%/} name f c p row result ts pt status bad=0 n=0 repo
  if name=$(resolve_service "$arg"); then :
  elif [[ "$arg" == *-repo ]]; then name=${arg%-repo}
  else name=$arg; fi
  if [[ "$name" == contracts ]]; then usage_error "contracts-repo has no pacts: name a service (${SERVICE_NAMES[*]})"; fi
  if [[ -n "${PACT_BROKER_BASE_URL:-}" ]]; then
    repo="$name-repo"
    local args=(can-i-deploy --broker-base-url "$PACT_BROKER_BASE_URL" --pacticipant "$name"
                --version "$(repo_version "$repo")")
    if [[ -n "${PACT_ENVIRONMENT:-}" ]]; then args+=(--to-environment "$PACT_ENVIRONMENT"); fi
    exec "${PACT_BROKER_CLI[@]}" "${args[@]}"
  fi
  say "can-i-deploy $name (pacts in .meta/pacts, results in .meta/pacts/verification-matrix.tsv)"
  matrix_row consumer provider result verified status
  for f in "$PACT_DIR"/*.json; do
    [[ -f "$f" ]] || continue
    c=$(pact_party "$f" consumer); p=$(pact_party "$f" provider)
    [[ "$c" == "$name" || "$p" == "$name" ]] || continue
    n=$((n + 1))
    row=$(awk -F'\t' -v c="$c" -v p="$p" 'NR > 1 && $1 == c && $2 == p' "$MATRIX_FILE" 2>/dev/null | tail -n1)
    result=$(cut -f3 <<<"$row"); ts=$(cut -f4 <<<"$row"); pt=$(mtime_utc "$f")
    if [[ -z "$row" ]]; then status="not verified"; bad=1; result=-; ts=-
    elif [[ "$result" != ok ]]; then status="verification failed"; bad=1
    elif [[ "$ts" < "$pt" ]]; then status="pact changed after verification ($pt)"; bad=1
    else status=ok; fi
    matrix_row "$c" "$p" "$result" "$ts" "$status"
  done
  if (( n == 0 )); then
    say "  no pact in .meta/pacts involves $name (run ./meta.sh test first): nothing blocks it"
    return 0
  fi
  if (( bad )); then say "✘ $name cannot be deployed"; return 1; fi
  say "✔ $name can be deployed"
}

# ----------------------------------------------------------------------------------------------
# doctor
# ----------------------------------------------------------------------------------------------
apt_install() {
  local log="$LOG_DIR/apt.log"
  mkdir -p "$LOG_DIR"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1 && return 0
  apt-get update -q -o DPkg::Lock::Timeout=300 >>"$log" 2>&1 || true
  apt-get install -y -q -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1
}

# Check a tool; install it with apt when we are root, else say what to install.
DOCTOR_PROBLEMS=0
doctor_tool() {
  local cmd=$1 pkg=$2 what=$3
  if have "$cmd"; then return 0; fi
  if is_root && have apt-get; then
    say "  … $what missing: apt-get install -y $pkg"
    if apt_install "$pkg" && have "$cmd"; then say "  ✔ $what installed ($pkg)"; return 0; fi
  fi
  say "  ✘ $what missing: install it (apt-get install -y $pkg)"
  DOCTOR_PROBLEMS=$((DOCTOR_PROBLEMS + 1))
  return 1
}

cmd_doctor() {
  (( $# == 0 )) || usage_error "doctor takes no arguments"
  ensure_meta_dirs
  local v major p owner ports name
  DOCTOR_PROBLEMS=0
  say "doctor: checking this machine for meta.sh"
  # Java >= 17
  if doctor_tool java openjdk-17-jdk-headless "Java (JDK 17+)"; then
    v=$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
    major=${v%%.*}; if [[ "$major" == 1 ]]; then major=$(cut -d. -f2 <<<"$v"); fi
    if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 17 )); then say "  ✔ Java $v"
    else say "  ✘ Java $v is too old: install JDK 17 or newer (apt-get install -y openjdk-17-jdk-headless)"; DOCTOR_PROBLEMS=$((DOCTOR_PROBLEMS + 1)); fi
  fi
  # Maven
  if doctor_tool mvn maven "Maven"; then say "  ✔ $(mvn -v 2>/dev/null | sed -n 's/\x1b\[[0-9;]*m//g; 1p')"; fi
  # PostgreSQL
  if [[ -n "${DATABASE_URL:-}" ]]; then
    say "  ✔ PostgreSQL: DATABASE_URL is set, local server not needed"
  elif find_pg_bindir && [[ -x "$PG_BINDIR/psql" || -n "$(command -v psql)" ]]; then
    say "  ✔ PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') ($PG_BINDIR)"
    if is_root && ! id postgres >/dev/null 2>&1; then
      say "  ✘ running as root but there is no 'postgres' user to run PostgreSQL: useradd -r -m postgres"
      DOCTOR_PROBLEMS=$((DOCTOR_PROBLEMS + 1))
    fi
  else
    say "  ✘ PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) missing: install them (apt-get install -y postgresql-15) or set DATABASE_URL"
    DOCTOR_PROBLEMS=$((DOCTOR_PROBLEMS + 1))
  fi
  # Redis
  if [[ -n "${REDIS_URL:-}" ]]; then say "  ✔ Redis: REDIS_URL is set, local server not needed"
  elif doctor_tool redis-server redis-server "redis-server"; then say "  ✔ $(redis-server --version | awk '{print $1, $2, $3}')"; fi
  # Optional helpers
  if have jq; then say "  ✔ jq"; else say "  · jq not found (optional; pact files are read with sed)"; fi
  if have npx; then say "  ✔ npx (for a Pact Broker)"; else say "  · npx not found (only needed with PACT_BROKER_BASE_URL: apt-get install -y nodejs npm)"; fi
  if have curl; then say "  ✔ curl"; else say "  · curl not found (optional; /health is checked through bash)"; fi
  # Ports
  ports=(8080 8081 8082 8083 8084 8085 8090)
  if [[ -z "${DATABASE_URL:-}" ]]; then ports+=("$META_PG_PORT"); fi
  if [[ -z "${REDIS_URL:-}" ]]; then ports+=("$META_REDIS_PORT"); fi
  local free=()
  for p in "${ports[@]}"; do
    if ! port_listening "$p"; then free+=("$p"); continue; fi
    owner=$(ours_on_port "$p")
    if [[ -n "$owner" ]]; then say "  ✔ port $p is used by meta.sh's own $owner"; continue; fi
    owner=$(port_owner "$p")
    say "  ✘ port $p is in use by ${owner:-another process}: stop it$(port_hint "$p")"
    DOCTOR_PROBLEMS=$((DOCTOR_PROBLEMS + 1))
  done
  if (( ${#free[@]} > 0 )); then say "  ✔ ports free: ${free[*]}"; fi
  if (( DOCTOR_PROBLEMS > 0 )); then say "doctor: $DOCTOR_PROBLEMS problem(s)"; return 1; fi
  say "doctor: all good"
}

port_hint() {
  if [[ "$1" == "$META_PG_PORT" ]]; then printf ' or set META_PG_PORT'
  elif [[ "$1" == "$META_REDIS_PORT" ]]; then printf ' or set META_REDIS_PORT'; fi
}

# Which of our own processes uses a port, if any.
ours_on_port() {
  local p=$1 name
  for name in "${SERVICE_NAMES[@]}"; do
    if [[ "${SVC_PORT[$name]}" == "$p" ]] && svc_running "$name"; then printf '%s' "$name"; return 0; fi
  done
  if [[ "$p" == "$(redis_port)" ]] && redis_running; then printf 'Redis'; return 0; fi
  if find_pg_bindir && pg_locate && pg_running && [[ "$(pg_port)" == "$p" ]]; then printf 'PostgreSQL'; return 0; fi
  return 0
}

# ----------------------------------------------------------------------------------------------
# bench
# ----------------------------------------------------------------------------------------------
# The benchmarks of bench/ (see bench/README.md): the real jars of github-service, gateway and
# agent with their own PostgreSQL, Redis and a fake GitHub on 127.0.0.1, each figure beside a
# baseline measured in the same run -> bench/results.md and bench/results.json.
cmd_bench() {
  (( $# == 0 )) || usage_error "bench takes no arguments: ./meta.sh bench"
  ensure_meta_dirs
  local log="$LOG_DIR/build-bench.log" runner_jar rc=0
  if ! have wrk; then
    if is_root && have apt-get; then
      say "▶ wrk missing: apt-get install -y wrk"
      apt_install wrk || true
    fi
    have wrk || die "wrk not found: install it (apt-get install -y wrk)"
  fi
  ensure_service_jars github-service gateway agent
  # the bench's own code (baseline app + runner): built when missing or older than its sources
  runner_jar="$ROOT/bench/runner/target/bench-runner-0.1.0.jar"
  if [[ ! -f "$runner_jar" || ! -f "$ROOT/bench/baseline-app/target/bench-baseline-app-0.1.0.jar" ||
        -n "$(find "$ROOT/bench" -path '*/target' -prune -o -type f \( -name pom.xml -o -path '*/src/*' \) \
              -newer "$runner_jar" -print 2>/dev/null | head -n1)" ]]; then
    say "▶ bench: mvn package -DskipTests (baseline app and runner) …"
    mvn_in_repo bench "$log" package -DskipTests || rc=$?
    if (( rc != 0 )); then
      tail -n 40 "$log" | clean_lines
      die "building bench/ failed (exit $rc), full log: ${log#"$ROOT"/}"
    fi
  fi
  say "▶ bench: PostgreSQL, Redis, fake GitHub, baseline app and the services on 127.0.0.1 (about 8 minutes) …"
  # META_JAVA_OPTS (the services' JVM flags under ./meta.sh up) go to every JVM under test, baseline included
  java -Xms256m -Xmx1g "-Dbench.javaOpts=$META_JAVA_OPTS" \
    -cp "$runner_jar:$ROOT/bench/runner/target/lib/*" org.agentplatform.bench.Bench "$ROOT" || rc=$?
  if [[ -f "$ROOT/bench/results.md" ]]; then
    say ""
    sed -n '/^| figure/,/^$/p' "$ROOT/bench/results.md"
    say "results: bench/results.md, bench/results.json (service logs: bench/target/run/logs)"
  fi
  return "$rc"
}

# ----------------------------------------------------------------------------------------------
# help and dispatch
# ----------------------------------------------------------------------------------------------
cmd_help() {
  cat <<EOF
meta.sh — build, test, publish, verify, run and stop the agent platform repos

Usage: ./meta.sh <command> [arguments]

Commands
  help                     this list
  doctor                   check Java 17+, Maven, PostgreSQL, redis-server and free ports;
                           installs what it can with apt (as root), else says what to install
  build [repo…]            contracts-repo (mvn install -DskipTests), then each repo: mvn package -DskipTests
  test [repo…]             contracts-repo (mvn install), then each repo: mvn verify; then the Pact steps
                           (collect/publish pacts, provider verification, verification matrix) and
                           platform-tests (end-to-end) and the chaos suite when present
  publish-contracts        mvn deploy of contracts-repo (tests, gate, install) to the release repository
  up [--no-build]          start PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL are set) and every
                           service that exists (building missing jars unless --no-build), wait for
                           /health, print the URLs
  down                     stop exactly what 'up' started
  status                   PostgreSQL, Redis and each service: state, pid, port, health
  logs <name>              last 200 lines of a log (followed on a terminal): a service, postgres, redis,
                           or a file of .meta/logs such as build-gateway-repo
  can-i-deploy <name>      consumer × provider verification results for a service or repo; exit 1 when a
                           pact involving it is unverified, failed or changed since verification
  bench                    benchmarks (bench/README.md): real jars of github-service, gateway and agent on
                           127.0.0.1, each figure beside a same-run baseline → bench/results.md and .json
  chaos                    faults (kill -9, Redis/PostgreSQL restarts, all four vendors' 500/429/timeouts,
                           services down, graceful stops) under 20 webhooks/s for 30 s, hostile input,
                           service tokens, secret scan and contract fuzzing on the real jars
                           → chaos/results.md (also part of 'test', there with 10/s for 15 s)
  scenarios                the four deployment scenarios (update one service, scale the agent 1→3→1,
                           blue-green gateway, migrate one database) under load → chaos/scenarios.md

Repos (in build order): ${REPOS[*]}
  A repo may also be named by its service name (github-service) or 'contracts'.

Environment
  CONTRACTS_RELEASE_REPO   release repository URL (default file://\$HOME/.m2/agentplatform-releases)
  PACT_BROKER_BASE_URL     use this Pact Broker instead of .meta/pacts (PACT_BROKER_TOKEN for a token,
                           PACT_ENVIRONMENT for can-i-deploy --to-environment)
  DATABASE_URL             your PostgreSQL (JDBC URL; {db} is replaced by each service's database name)
  REDIS_URL                your Redis
  META_PG_PORT             port of meta.sh's PostgreSQL (default 55432)
  META_REDIS_PORT          port of meta.sh's Redis (default 56379)
  META_JAVA_OPTS           JVM flags of the services (default: $META_JAVA_OPTS)
  META_SKIP_CHAOS=1        'test' without the chaos suite and the scenarios (./meta.sh chaos / scenarios)
  CHAOS_RATE, CHAOS_SECONDS  the webhook stream of each chaos and scenario run (chaos: 20 and 30; in
                           'test' and scenarios: 10 and 15)
  CHAOS_MVN_ARGS           extra Maven flags for the chaos suite, e.g. '-Dchaos.fuzz.perOperation=200'
  GITHUB_* JIRA_* SLACK_* SENTRY_* AGENT_* OPENAI_* ALLOWED_USERS
                           handed to every service by 'up' (no vendor credentials: dry-run mode)

Files: .meta/logs (all logs), .meta/pids, .meta/pacts (pacts + verification-matrix.tsv),
       .meta/secrets.env (generated passwords and service tokens, mode 600), .meta/pg, .meta/redis
EOF
}

main() {
  local cmd=${1:-}
  if (( $# > 0 )); then shift; fi
  case "$cmd" in
    help|-h|--help)     cmd_help ;;
    doctor)             cmd_doctor "$@" ;;
    build)              cmd_build "$@" ;;
    test)               cmd_test "$@" ;;
    publish-contracts)  cmd_publish_contracts "$@" ;;
    up)                 cmd_up "$@" ;;
    down)               cmd_down "$@" ;;
    status)             cmd_status "$@" ;;
    logs)               cmd_logs "$@" ;;
    can-i-deploy)       cmd_can_i_deploy "$@" ;;
    bench)              cmd_bench "$@" ;;
    chaos)              cmd_chaos "$@" ;;
    scenarios)          cmd_scenarios "$@" ;;
    "")                 usage_error "no command given: run ./meta.sh help for the list of commands" ;;
    *)                  usage_error "unknown command '$cmd': run ./meta.sh help for the list of commands" ;;
  esac
}

main "$@"
