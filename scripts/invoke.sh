#!/usr/bin/env bash
# Invokes one function's Lambda handler once with a sample event, like `sam local invoke`:
#   scripts/invoke.sh audit events/rmq-audit_events.json
#   scripts/invoke.sh api events/api-health.json
#   scripts/invoke.sh housekeeping events/scheduled.json   (relay: the same event; it polls for 55 s)
# The handler reads its configuration from the environment as in Lambda. By default it targets the
# system that scripts/local.sh runs (its embedded PostgreSQL on 54329 and the local broker).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f local/target/local-runner.jar ] || mvn -B -q -ntp -DskipTests package
export DB_JDBC_URL=${DB_JDBC_URL:-jdbc:postgresql://localhost:${REALTY_DB_PORT:-54329}/postgres}
export DB_USERNAME=${DB_USERNAME:-postgres}
export DB_PASSWORD=${DB_PASSWORD:-postgres}
export MICRONAUT_ENVIRONMENTS=${MICRONAUT_ENVIRONMENTS:-local}
if { [ "$1" = api ] || [ "$1" = relay ]; } && [ -z "${JWT_SECRET:-}" ] && [ -f .local/jwt-secret ]; then
  export JWT_SECRET=$(cat .local/jwt-secret)
fi
exec java -cp local/target/local-runner.jar realty.local.LocalInvoke "$@"
