#!/usr/bin/env bash
# An S3-compatible stand-in for the tests of the S3 audit archive and export (realty.core.audit.S3Objects):
# s3rver from npm (scripts/s3-standin/package-lock.json), which verifies AWS Signature V4 (header and
# presigned) against the key pair S3RVER / S3RVER. LocalStack needs Docker, which this machine lacks.
#
#   scripts/s3-standin.sh install   npm ci into scripts/s3-standin/node_modules (idempotent)
#   scripts/s3-standin.sh start     install, start on 127.0.0.1:$REALTY_S3_PORT if nothing answers there, wait
#   scripts/s3-standin.sh stop      stop the server this script started
#   scripts/s3-standin.sh status    exit 0 if the port answers, else 3
#
# Environment: REALTY_S3_PORT (default 4569), REALTY_S3_BUCKETS (default "realty-archive"),
# data and pid file under <repo>/.local/s3-standin/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PKG=$ROOT/scripts/s3-standin
DIR=$ROOT/.local/s3-standin
PORT=${REALTY_S3_PORT:-4569}
BUCKETS=${REALTY_S3_BUCKETS:-realty-archive}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

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
    if answers; then exit 0; fi
    install
    mkdir -p "$DIR/data"
    # shellcheck disable=SC2086 # bucket names are words
    nohup node "$PKG/run.js" "$DIR/data" "$PORT" $BUCKETS > "$DIR/s3rver.log" 2>&1 &
    echo $! > "$DIR/pid"
    for _ in $(seq 1 60); do
      if answers; then echo "s3-standin: s3rver on 127.0.0.1:$PORT"; exit 0; fi
      sleep 0.5
    done
    echo "s3-standin: s3rver did not answer on $PORT; log: $DIR/s3rver.log" >&2
    exit 1 ;;
  stop)
    if [ -f "$DIR/pid" ]; then kill "$(cat "$DIR/pid")" 2>/dev/null || true; rm -f "$DIR/pid"; fi ;;
  status) answers || exit 3 ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
