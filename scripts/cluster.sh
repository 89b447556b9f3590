#!/usr/bin/env bash
# A real Temporal cluster on this machine, and Cascade's roles against it:
#   two Temporal server processes (cmd/temporal-cluster: the server module at
#   the version go.mod pins, every service in each, membership over loopback),
#   a TCP balancer in front of their frontends, two `cascade api` and two
#   `cascade worker` processes. Persistence and visibility on the machine's
#   PostgreSQL, in databases of their own.
#
#   scripts/cluster.sh up            build, set up the schema, start everything
#   scripts/cluster.sh down          stop everything and drop the databases
#   scripts/cluster.sh kill NAME     kill -9 one process (temporal1, worker0, api1, …)
#   scripts/cluster.sh start NAME    start it again
#   scripts/cluster.sh status        which processes run
#
# Settings (environment): CLUSTER_DIR (state: pids, logs, binaries; default
# /tmp/cascade-cluster), CLUSTER_DB (prefix of the databases; default
# cascade_cluster), CLUSTER_PORT (first port; default 27200), PGURL (default
# postgres://postgres@127.0.0.1:5432), SMTP_URL (Cascade's mail; default none),
# CLUSTER_SHARDS (history shards; default 4), CLUSTER_PPROF=1 (each Temporal
# node serves Go's pprof on 127.0.0.1, its frontend port + 8; make bench uses it).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${CLUSTER_DIR:-/tmp/cascade-cluster}
DB=${CLUSTER_DB:-cascade_cluster}
BASE=${CLUSTER_PORT:-27200}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
SHARDS=${CLUSTER_SHARDS:-4}
LB=127.0.0.1:$BASE
T0=$((BASE + 10)) # temporal0: gRPC T0…T0+3, membership T0+4…T0+7
T1=$((BASE + 20)) # temporal1
API0=$((BASE + 30))
API1=$((BASE + 31))
mkdir -p "$DIR/bin"

psql_() { psql -qAtX "$PGURL/postgres" -c "$1"; }

running() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

wait_port() { # host:port, seconds
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		(exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null && return 0
		sleep 0.1
	done
	echo "cluster: nothing listens on $1 after $2 s" >&2
	return 1
}

cascade_env() {
	export DATABASE_URL="$PGURL/$DB?sslmode=disable" TEMPORAL_ADDRESS=$LB TEMPORAL_NAMESPACE=default \
		TASK_QUEUE=cascade DATABASE_MAX_CONNS=${CASCADE_MAX_CONNS:-6} DATA_DIR="$DIR/data" \
		LOG_LEVEL=${CASCADE_LOG_LEVEL:-info} SMTP_URL=${SMTP_URL:-} RECONCILE_INTERVAL=${RECONCILE_INTERVAL:-1m} \
		SHUTDOWN_TIMEOUT=10s PUBLIC_URL=http://127.0.0.1:$API0
}

start() {
	local name=$1
	if running "$name"; then return 0; fi
	case $name in
	temporal0 | temporal1)
		local port=$T0
		[ "$name" = temporal1 ] && port=$T1
		"$DIR/bin/temporal-cluster" node -db "$PGURL/${DB}_temporal?sslmode=disable" -port "$port" \
			-shards "$SHARDS" -rpc-address "127.0.0.1:$T0" ${CLUSTER_PPROF:+-pprof $((port + 8))} >>"$DIR/$name.log" 2>&1 &
		echo $! >"$DIR/$name.pid"
		wait_port "127.0.0.1:$port" 120
		;;
	lb)
		"$DIR/bin/temporal-cluster" lb -listen "$LB" -backends "127.0.0.1:$T0,127.0.0.1:$T1" >>"$DIR/lb.log" 2>&1 &
		echo $! >"$DIR/lb.pid"
		wait_port "$LB" 10
		;;
	api0 | api1)
		local port=$API0
		[ "$name" = api1 ] && port=$API1
		(cascade_env && HTTP_ADDR=127.0.0.1:$port exec "$DIR/bin/cascade" api) >>"$DIR/$name.log" 2>&1 &
		echo $! >"$DIR/$name.pid"
		wait_port "127.0.0.1:$port" 120
		;;
	worker0 | worker1)
		(cascade_env && exec "$DIR/bin/cascade" worker) >>"$DIR/$name.log" 2>&1 &
		echo $! >"$DIR/$name.pid"
		;;
	*)
		echo "cluster: unknown process $name" >&2
		return 2
		;;
	esac
	echo "cluster: $name started (pid $(cat "$DIR/$name.pid"))"
}

stop() { # name [signal]
	local name=$1 sig=${2:-TERM}
	running "$name" || return 0
	local pid
	pid=$(cat "$DIR/$name.pid")
	kill "-$sig" "$pid" 2>/dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
	rm -f "$DIR/$name.pid"
	echo "cluster: $name stopped ($sig)"
}

schema() {
	local tool="$DIR/bin/temporal-cluster sql-tool --ep 127.0.0.1 -p 5432 -u postgres --pl postgres12"
	for d in "${DB}_temporal:temporal" "${DB}_temporal_visibility:visibility"; do
		local name=${d%:*} kind=${d#*:}
		if [ -z "$(psql_ "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
			$tool --db "$name" create-database
		fi
		$tool --db "$name" setup-schema -v 0.0
		$tool --db "$name" update-schema --schema-name "postgresql/v12/$kind"
	done
}

ALL="temporal0 temporal1 lb api0 api1 worker0 worker1"

case ${1:-} in
up)
	echo "cluster: building into $DIR/bin"
	go build -o "$DIR/bin/temporal-cluster" ./cmd/temporal-cluster
	go build -o "$DIR/bin/cascade" ./cmd/cascade
	schema >"$DIR/schema.log" 2>&1 || { cat "$DIR/schema.log" >&2; exit 1; }
	start temporal0
	start temporal1
	start lb
	"$DIR/bin/temporal-cluster" namespace -address "$LB" -ns default -retention 720h
	(cascade_env && "$DIR/bin/cascade" migrate) >>"$DIR/migrate.log" 2>&1
	for p in api0 api1 worker0 worker1; do start "$p"; done
	echo "cluster: up; TEMPORAL_ADDRESS=$LB, api on http://127.0.0.1:$API0 and :$API1, logs in $DIR"
	;;
down)
	for p in worker0 worker1 api0 api1 lb temporal1 temporal0; do stop "$p"; done
	for d in "$DB" "${DB}_temporal" "${DB}_temporal_visibility"; do
		psql_ "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)"
	done
	echo "cluster: down, databases dropped"
	;;
kill) stop "$2" KILL ;;
stop) stop "$2" ;;
start) start "$2" ;;
status)
	for p in $ALL; do
		if running "$p"; then echo "$p running (pid $(cat "$DIR/$p.pid"))"; else echo "$p stopped"; fi
	done
	;;
*)
	sed -n '2,20p' "$0"
	exit 2
	;;
esac
