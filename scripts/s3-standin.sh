#!/usr/bin/env bash
# An S3-compatible stand-in for the tests of the S3 audit archive and export (realty.core.audit.S3Objects):
# s3rver from npm (scripts/s3-standin/package-lock.json), which verifies AWS Signature V4 (header and
# presigned) against the key pair S3RVER / S3RVER. LocalStack needs Docker, which this machine lacks.
#
#   scripts/s3-standin.sh install      npm ci into scripts/s3-standin/node_modules (idempotent)
#   scripts/s3-standin.sh start        install, start on 127.0.0.1:$REALTY_S3_PORT, wait until it answers
#   scripts/s3-standin.sh stop         stop the server this checkout started on $REALTY_S3_PORT
#   scripts/s3-standin.sh stop --all   stop every server this checkout started (scripts/test.sh at exit)
#   scripts/s3-standin.sh status       exit 0 if our server on $REALTY_S3_PORT answers, else 3
#
# Environment: REALTY_S3_PORT (default 4569), REALTY_S3_BUCKETS (default "realty-archive").
# Data, log and pid file per port under <repo>/.local/s3-standin/<port>/.
#
# `start` reuses a server only when it is ours (pid file alive, data folder present). Anything else on
# the port is refused with an error: a server left by another checkout once answered the tests with
# 404 NoSuchBucket because its data folder had been deleted with that checkout.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PKG=$ROOT/scripts/s3-standin
BASE=$ROOT/.local/s3-standin
PORT=${REALTY_S3_PORT:-4569}
BUCKETS=${REALTY_S3_BUCKETS:-realty-archive}
DIR=$BASE/$PORT

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
# The pid in $1's pid file when that process is still an s3rver run.js of this checkout.
live_pid() {
  local file=$1/pid pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$PKG/run.js" || return 1
  echo "$pid"
}
ours() { live_pid "$DIR" >/dev/null && [ -d "$DIR/data" ]; }
stop_dir() {
  local pid
  if pid=$(live_pid "$1"); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$1/pid"
}

install() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "s3-standin: Node.js and npm are needed (Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
  local stamp=$PKG/node_modules/.realty-lock.sha256 want
  want=$(sha256sum "$PKG/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  (cd "$PKG" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error --engine-strict=false)
  echo "$want" > "$stamp"
}

case "${1:-}" in
  install) install ;;
  start)
    if ours && answers; then exit 0; fi
    if answers; then
      echo "s3-standin: 127.0.0.1:$PORT answers, but not with the s3rver this checkout started" \
           "(no live pid in $DIR/pid or no data folder); stop that process or set REALTY_S3_PORT" >&2
      exit 1
    fi
    stop_dir "$DIR"
    install
    mkdir -p "$DIR/data"
    # shellcheck disable=SC2086 # bucket names are words
    setsid nohup node "$PKG/run.js" "$DIR/data" "$PORT" $BUCKETS > "$DIR/s3rver.log" 2>&1 < /dev/null &
    echo $! > "$DIR/pid"
    for _ in $(seq 1 60); do
      if answers; then echo "s3-standin: s3rver on 127.0.0.1:$PORT"; exit 0; fi
      sleep 0.5
    done
    echo "s3-standin: s3rver did not answer on $PORT; log: $DIR/s3rver.log" >&2
    exit 1 ;;
  stop)
    if [ "${2:-}" = --all ]; then
      for d in "$BASE"/*/; do [ -d "$d" ] && stop_dir "${d%/}"; done
    else
      stop_dir "$DIR"
    fi ;;
  status) if ours && answers; then exit 0; else exit 3; fi ;;
  *) echo "usage: $0 install|start|stop [--all]|status" >&2; exit 2 ;;
esac
