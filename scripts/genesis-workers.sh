# Sourced by scripts/run-dev.sh and scripts/run-relay.sh: starts the `gonka-worker run` daemons
# of the genesis hosts Alice (proofs, API and /metrics on :8080) and Bob (:8081) against the
# node at $URL, serving $MODEL on the CPU, with their keys in chmod-600 files of $RUN_DIR (where
# their logs and state go too); appends their PIDs to PIDS. Needs WORKER, URL, MODEL, RUN_DIR.
ALICE=5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
BOB=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty

start_worker() { # name host worker-uri host-uri port
	(umask 077; printf '%s' "$3" >"$RUN_DIR/$1.worker-key"; printf '%s' "$4" >"$RUN_DIR/$1.host-key")
	"$WORKER" run --url "$URL" --host "$2" --worker-key-file "$RUN_DIR/$1.worker-key" \
		--host-key-file "$RUN_DIR/$1.host-key" --listen "127.0.0.1:$5" \
		--state-dir "$RUN_DIR/$1-state" --device cpu --model "$MODEL" --inference-threads 1 \
		>"$RUN_DIR/$1.log" 2>&1 &
	PIDS+=($!)
}

start_genesis_workers() {
	start_worker alice "$ALICE" "//Alice//worker" "//Alice" 8080
	start_worker bob "$BOB" "//Bob//worker" "//Bob" 8081
}
