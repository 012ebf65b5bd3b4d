#!/usr/bin/env bash
# Tries Warden scaled out on one machine: a PostgreSQL 15 cluster of its own and two instances
# started with --demo against one database, each with its own data folder (as two machines would).
#
#   deploy/local-cluster.sh up       build if needed, start PostgreSQL and instances A and B, wait until
#                                    both answer /readyz, print "instance A http://localhost:PORT" (and B)
#   deploy/local-cluster.sh down     stop everything `up` started, by the process ids it recorded
#   deploy/local-cluster.sh status   what is running
#
# Everything lives in deploy/.cluster/ (or $WARDEN_CLUSTER_DIR): the PostgreSQL data, each instance's
# data folder and log. `down` keeps it, so the next `up` finds the same data; delete the folder to
# start afresh. PostgreSQL runs as the unprivileged `postgres` user when this runs as root (initdb
# refuses root), listens on 127.0.0.1 only and trusts local connections: a trial, not a deployment
# (deploy/README.md describes one).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
CLUSTER="${WARDEN_CLUSTER_DIR:-$ROOT/deploy/.cluster}"
PG_BIN="${WARDEN_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
DLL="$ROOT/src/Console/bin/Release/net10.0/Warden.dll"
DATABASE=warden
INSTANCES=(A B)
READY_SECONDS="${WARDEN_READY_SECONDS:-180}"
# The same on every instance: tokens one instance issues name this issuer on all of them.
ISSUER="${WARDEN_ISSUER:-http://warden.local/}"

say() { echo "$*" >&2; }
die() { say "local-cluster: $*"; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [[ -f "$CLUSTER/pgdata/postmaster.pid" ]] && as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER/pgdata" status >/dev/null 2>&1; }

# A recorded process id still names one of our instances (never some other process that reused it).
instance_pid() {
    local file="$CLUSTER/$1.pid" pid
    [[ -f $file ]] || return 1
    pid=$(cat "$file")
    [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$DLL" || return 1
    echo "$pid"
}

build_if_needed() {
    if [[ ! -f $DLL ]] || [[ -n $(find src -newer "$DLL" \( -name '*.cs' -o -name '*.razor' -o -name '*.csproj' \) -print -quit) ]]; then
        say "Building Warden (Release)..."
        dotnet build src/Console/Warden.csproj -c Release -nologo -clp:ErrorsOnly >&2
    fi
}

start_postgres() {
    [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL 15 is not installed ($PG_BIN/initdb is missing): apt-get install -y postgresql-15"
    mkdir -p "$CLUSTER"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$CLUSTER"
    if [[ ! -d "$CLUSTER/pgdata" ]]; then
        say "Creating a PostgreSQL cluster in $CLUSTER/pgdata..."
        as_postgres "$PG_BIN/initdb" -D "$CLUSTER/pgdata" -A trust -U postgres -E UTF8 >"$CLUSTER/initdb.log" 2>&1 \
            || die "initdb failed; see $CLUSTER/initdb.log"
    fi
    if pg_running; then
        say "PostgreSQL is already running on port $(cat "$CLUSTER/pg.port")."
    else
        local port
        port=$(free_port)
        as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER/pgdata" -l "$CLUSTER/postgres.log" -w -t 60 \
            -o "-p $port -k $CLUSTER -c listen_addresses=127.0.0.1" start >/dev/null \
            || die "PostgreSQL did not start; see $CLUSTER/postgres.log"
        echo "$port" >"$CLUSTER/pg.port"
    fi
    local port
    port=$(cat "$CLUSTER/pg.port")
    if [[ -z $(as_postgres "$PG_BIN/psql" -h "$CLUSTER" -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") ]]; then
        as_postgres "$PG_BIN/createdb" -h "$CLUSTER" -p "$port" -U postgres "$DATABASE"
    fi
}

start_instance() {
    local name=$1 port pg_port
    if instance_pid "$name" >/dev/null; then
        say "Instance $name is already running."
        return
    fi
    port=$(free_port)
    pg_port=$(cat "$CLUSTER/pg.port")
    mkdir -p "$CLUSTER/$name"
    echo "$port" >"$CLUSTER/$name.port"
    # One key-encryption key for the cluster, made once and kept beside it (an operator provides their own).
    if [[ ! -s "$CLUSTER/key-encryption.key" ]]; then
        (umask 077 && head -c 32 /dev/urandom | base64 >"$CLUSTER/key-encryption.key")
    fi
    # Same database, issuer, key-encryption key and job storage on every instance; a data folder and address of its own.
    ASPNETCORE_ENVIRONMENT=Production \
    Urls="http://localhost:$port" \
    Database__Provider=Postgres \
    Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Database=$DATABASE;Username=postgres" \
    Database__DataDirectory="$CLUSTER/$name" \
    AgentIdentity__Issuer="$ISSUER" \
    Keys__EncryptionKeyFile="$CLUSTER/key-encryption.key" \
        setsid nohup dotnet "$DLL" --demo >"$CLUSTER/$name.log" 2>&1 </dev/null &
    echo $! >"$CLUSTER/$name.pid"
}

wait_until_ready() {
    local name=$1 port deadline=$((SECONDS + READY_SECONDS))
    port=$(cat "$CLUSTER/$name.port")
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/readyz" || true) == 200 ]]; do
        if ! instance_pid "$name" >/dev/null; then
            say "Instance $name stopped while starting; the end of $CLUSTER/$name.log:"
            tail -n 20 "$CLUSTER/$name.log" >&2
            exit 1
        fi
        ((SECONDS < deadline)) || die "instance $name did not answer /readyz within $READY_SECONDS s; see $CLUSTER/$name.log"
        sleep 0.5
    done
}

up() {
    command -v curl >/dev/null || die "curl is needed to wait for /readyz"
    build_if_needed
    start_postgres
    # Started together on purpose: they take turns preparing the database (the start-up lock).
    for name in "${INSTANCES[@]}"; do start_instance "$name"; done
    for name in "${INSTANCES[@]}"; do wait_until_ready "$name"; done
    for name in "${INSTANCES[@]}"; do echo "instance $name http://localhost:$(cat "$CLUSTER/$name.port")"; done
}

down() {
    local name pid
    for name in "${INSTANCES[@]}"; do
        if pid=$(instance_pid "$name"); then
            kill -TERM "$pid"
            for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
            say "Stopped instance $name (process $pid)."
        fi
        rm -f "$CLUSTER/$name.pid"
    done
    if pg_running; then
        as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER/pgdata" -m fast -w stop >/dev/null
        say "Stopped PostgreSQL."
    fi
}

status() {
    local name
    for name in "${INSTANCES[@]}"; do
        if instance_pid "$name" >/dev/null; then
            echo "instance $name http://localhost:$(cat "$CLUSTER/$name.port") (process $(cat "$CLUSTER/$name.pid"))"
        else
            echo "instance $name stopped"
        fi
    done
    if pg_running; then echo "postgresql port $(cat "$CLUSTER/pg.port")"; else echo "postgresql stopped"; fi
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    status) status ;;
    *) die "usage: deploy/local-cluster.sh up|down|status" ;;
esac
