#!/usr/bin/env bash
# Builds Warden and runs every test project; the last line is "N passed, N failed[, N skipped]".
set -euo pipefail

cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

CONFIGURATION=Release
RESULTS="$PWD/TestResults"
PROJECT_TIMEOUT="${WARDEN_TEST_TIMEOUT_SECONDS:-900}"
SYSTEM_PACKAGES=(chromium fonts-dejavu-core poppler-utils postgresql-15 python3-aiosmtpd)
POSTGRES_BIN="${WARDEN_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"

ensure_system_packages() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    # python3-aiosmtpd: the alert tests deliver e-mail to a real SMTP server (tests/smtp-sink.py).
    for package in fonts-dejavu-core poppler-utils python3-aiosmtpd; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    # The cluster tests start their own PostgreSQL 15 from these binaries (no server is left running).
    [[ -x "$POSTGRES_BIN/initdb" ]] || missing+=(postgresql-15)
    [[ ${#missing[@]} -eq 0 ]] && return 0

    if [[ $(id -u) -ne 0 ]]; then
        echo "test.sh needs these Debian packages, which are missing: ${missing[*]}" >&2
        echo "Install them as root (apt-get install -y ${SYSTEM_PACKAGES[*]}) and run ./test.sh again." >&2
        exit 1
    fi
    echo "Installing ${missing[*]}..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

# The reference MCP servers the gateway tests start as upstreams, from the lock file under tests/.
ensure_mcp_upstream() {
    [[ -d tests/mcp-upstream/node_modules/@modelcontextprotocol/server-everything ]] && return 0
    if ! command -v npm >/dev/null 2>&1; then
        echo "test.sh needs node and npm for the MCP gateway tests (Debian: apt-get install -y nodejs npm)." >&2
        exit 1
    fi
    echo "Installing the MCP upstream servers (npm ci --prefix tests/mcp-upstream)..."
    npm ci --prefix tests/mcp-upstream --no-audit --no-fund --loglevel=error
}

# Prints "total passed failed skipped" from the <Counters> element of one TRX file.
trx_counts() {
    python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET

counters = next((e for e in ET.parse(sys.argv[1]).iter() if e.tag.endswith("Counters")), None)
c = {} if counters is None else counters.attrib
n = lambda key: int(c.get(key, 0))
# xunit's skipped tests are counted in total but neither in executed nor (always) in notExecuted.
skipped = max(n("notExecuted"), n("total") - n("executed"))
print(n("total"), n("passed"), n("failed") + n("error") + n("timeout") + n("aborted"), skipped)
PY
}

ensure_system_packages
ensure_mcp_upstream
dotnet tool restore >/dev/null
solution_built=true
dotnet build Console.sln -c "$CONFIGURATION" -nologo -clp:ErrorsOnly || solution_built=false

# NuGetAudit (Directory.Build.props) already fails the restore on a vulnerable package where the package
# source publishes vulnerability data; this asks again, transitive packages included, and fails the run.
vulnerable_packages() {
    local report
    report=$(dotnet list Console.sln package --vulnerable --include-transitive 2>&1) || { echo "$report" >&2; return 1; }
    if grep -q "has the following vulnerable packages" <<<"$report"; then
        echo "$report" >&2
        echo "A NuGet package with a known vulnerability is referenced (directly or transitively): update it." >&2
        return 1
    fi
}
vulnerable_packages || solution_built=false

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
in_solution=$(dotnet sln Console.sln list)
shopt -s nullglob
projects=(tests/*/*.csproj)
total=0 passed=0 failed=0 skipped=0
broken=()

# Warden.Tests runs as two processes side by side. Its tests that start the app run one class at a
# time within a process (Hangfire keeps its configuration in static state), which leaves the second
# core idle; a second process has statics of its own. Each shard lists what it runs; the last one
# runs everything the others do not, so no test is left out or run twice.
APP_SHARD_A=(Features.Decisions Features.AuditLog Features.Approvals Features.Evidence Features.Containment Features.Gateway Features.Agents)
shard_filters() {
    if [[ $1 != Warden.Tests ]]; then
        echo ""
        return
    fi
    local include="" exclude="" namespace
    for namespace in "${APP_SHARD_A[@]}"; do
        include+="${include:+|}FullyQualifiedName~Warden.Tests.$namespace."
        exclude+="${exclude:+&}FullyQualifiedName!~Warden.Tests.$namespace."
    done
    printf '%s\n%s\n' "$include" "$exclude"
}

# Runs one shard of a project (an empty filter: all of it) into its own results folder.
run_shard() {
    local project=$1 name=$2 shard=$3 filter=$4
    local args=(dotnet test "$project" "${build[@]}" -c "$CONFIGURATION" --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS/$name/$shard")
    if [[ -n $filter ]]; then args+=(--filter "$filter"); fi
    timeout --kill-after=30 "$PROJECT_TIMEOUT" "${args[@]}"
}

# Projects run in three rounds, the shards of a round side by side: Warden.Tests (two shards) with the
# client tests (small, in process); then the end-to-end journeys alone (browsers are slowed by any
# neighbour); then the two-instance suite alone (its instances must follow each other within 250 ms).
round_of() {
    case "$1" in
        Warden.Tests | Warden.Client.Tests) echo 1 ;;
        Warden.E2E) echo 2 ;;
        *) echo 3 ;;
    esac
}
labels=() trxs=() pids=()
start_project() {
    local project=$1 name filters i label
    name=$(basename "$project" .csproj)
    build=(--no-build)
    # A project outside the solution, or any project after a failed solution build, builds on its own.
    if [[ $solution_built != true ]] || ! grep -qxF "$project" <<<"$in_solution"; then build=(); fi
    echo "=== $name"
    mapfile -t filters < <(shard_filters "$name")
    for i in "${!filters[@]}"; do
        label=$name
        if [[ ${#filters[@]} -gt 1 ]]; then label="$name (shard $((i + 1)) of ${#filters[@]})"; fi
        run_shard "$project" "$name" "shard-$i" "${filters[$i]}" &
        pids+=($!) labels+=("$label") trxs+=("$RESULTS/$name/shard-$i/$name.trx")
    done
}

# Waits for every started shard and adds up its results file.
collect() {
    local i code t p f s
    for i in "${!pids[@]}"; do
        code=0
        wait "${pids[$i]}" || code=$?
        if [[ ! -f ${trxs[$i]} ]]; then
            broken+=("${labels[$i]} (exit code $code, no results)")
            continue
        fi
        if ! read -r t p f s < <(trx_counts "${trxs[$i]}"); then
            broken+=("${labels[$i]} (unreadable results file ${trxs[$i]})")
            continue
        fi
        total=$((total + t)) passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
        if [[ $code -ne 0 && $f -eq 0 ]]; then
            broken+=("${labels[$i]} (exit code $code with no failed test: crash, abort or time-out)")
        elif [[ $t -eq 0 ]]; then
            broken+=("${labels[$i]} (no tests ran)")
        fi
    done
    labels=() trxs=() pids=()
}

for round in 1 2 3; do
    for project in "${projects[@]}"; do
        if [[ $(round_of "$(basename "$project" .csproj)") == "$round" ]]; then start_project "$project"; fi
    done
    collect
done

[[ ${#projects[@]} -gt 0 ]] || broken+=("tests/ (no test projects found)")
[[ $solution_built == true ]] || broken+=("Console.sln (build failed)")
for problem in "${broken[@]}"; do
    echo "Did not run cleanly: $problem" >&2
done
summary="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && summary+=", $skipped skipped"
echo "$summary"

[[ ${#broken[@]} -eq 0 && $failed -eq 0 && $total -gt 0 ]]
