#!/usr/bin/env bash
# Runs the whole system on this machine: builds the project, then starts PostgreSQL (embedded),
# RabbitMQ (project-owned, installed from Debian's packages if missing), the API on
# http://localhost:8080 and one local event source per queue function. Ctrl-C stops it.
#
# Environment (all optional):
#   REALTY_HTTP_PORT   API port (8080)
#   REALTY_DB_URL      use this PostgreSQL (with REALTY_DB_USERNAME / REALTY_DB_PASSWORD) instead of the embedded one
#   REALTY_AMQP_URI    use this RabbitMQ (amqp://user:pass@host:port) instead of the local broker
#   REALTY_LOCAL_DIR   where local data and generated secrets live (.local)
#   REALTY_SMTP_PORT   port of the embedded SMTP server that captures the mail (2525)
#   REALTY_MAILBOX_PORT  port of http://127.0.0.1:<port>/messages, the captured mail as JSON (8025)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -f local/target/local-runner.jar ] || [ -n "$(find . -path ./.local -prune -o -newer local/target/local-runner.jar \( -name '*.java' -o -name '*.yml' -o -name '*.sql' -o -name pom.xml \) -print -quit)" ]; then
  echo "building (mvn package, tests skipped)..."
  mvn -B -q -ntp -DskipTests package
fi
exec java -XX:+UseSerialGC -Xss512k -jar local/target/local-runner.jar "$@"
