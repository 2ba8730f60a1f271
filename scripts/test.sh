#!/usr/bin/env bash
# Runs every test against a real PostgreSQL and RabbitMQ. With REALTY_DB_URL / REALTY_AMQP_URI set,
# those are used; otherwise Testcontainers where a Docker engine answers; otherwise an embedded
# PostgreSQL and the project-owned RabbitMQ (scripts/rabbitmq.sh, installed if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Whatever this script starts, it stops when the suite ends (pass or fail): the broker, if none was
# running before, and every S3 stand-in the tests started from this checkout.
stop_broker=0
cleanup() {
  scripts/s3-standin.sh stop --all || true
  if [ "$stop_broker" = 1 ]; then scripts/rabbitmq.sh stop || true; fi
}
trap cleanup EXIT
if [ -z "${REALTY_AMQP_URI:-}" ]; then
  # Start the broker once up front (the tests would start it too) so its start-up time and any
  # package installation show here rather than inside the first test.
  scripts/rabbitmq.sh status >/dev/null 2>&1 || stop_broker=1
  scripts/rabbitmq.sh start
fi
# The operator page's browser test drives Debian's chromium; install it up front (idempotent).
scripts/browser-deps.sh
# infra-check's Terraform and SAM checks run on Node.js packages (HCL parser, AWS provider schema,
# SAM specification), installed from infra-check/tools/package-lock.json (idempotent, npm cache).
scripts/infra-tools.sh
# The S3 stand-in of the audit archive tests (s3rver from npm, scripts/s3-standin/package-lock.json).
scripts/s3-standin.sh install
mvn -B -ntp verify "$@"
