#!/usr/bin/env bash
# The read replica: on first start, copies the primary with pg_basebackup -R (which writes
# standby.signal and primary_conninfo, so the server starts as a streaming standby), then runs
# postgres as the image's own entrypoint would. Later starts resume streaming from where they were.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready --host=postgres --username=replicator --quiet; do sleep 1; done
  export PGPASSWORD="$REPLICATION_PASSWORD"
  # A slot left by an earlier copy of this replica (its volume was recreated) is dropped
  # first: --create-slot refuses an existing one.
  psql --host=postgres --username=replicator --dbname=postgres --quiet --command \
    "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = 'replica1'"
  pg_basebackup --host=postgres --username=replicator --pgdata="$PGDATA" \
    --wal-method=stream --write-recovery-conf --checkpoint=fast \
    --create-slot --slot=replica1
  chmod 0700 "$PGDATA"
fi
exec postgres
