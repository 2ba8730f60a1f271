#!/usr/bin/env bash
# Benchmarks P1–P8 of ../shared/spec/targets.md through the production handler classes, beside the
# raw baselines (RabbitMQ PerfTest, pgbench) measured in the same run, and writes the table into
# docs/benchmarks.md (between its generated-section markers). Not part of scripts/test.sh.
#
#   scripts/bench.sh            full run, 3 repetitions per figure (about 15 minutes)
#   scripts/bench.sh --quick    shorter runs, one repetition (about 5 minutes)
#   scripts/bench.sh --only P3 --batch-sizes 100,1000 --no-write    one part, print only
#   scripts/bench.sh --quick --only P3S --no-write    drains per queue function and API latency with 10k/100k/1M rows present
#   scripts/bench.sh --help     all options
#
# Uses the same PostgreSQL and RabbitMQ as scripts/local.sh (embedded PostgreSQL, the project-owned
# broker), or REALTY_DB_URL / REALTY_AMQP_URI; every part gets its own database and virtual host.
# pgbench comes from /usr/lib/postgresql/<v>/bin or PATH (PGBENCH=... to name one); when missing and
# running as root, postgresql-client is installed with apt-get, else that baseline is reported as not
# measured. BENCH_JAVA_OPTS adds JVM options to the benchmark JVM, e.g. a JFR recording:
#   BENCH_JAVA_OPTS='-XX:StartFlightRecording=filename=bench.jfr,settings=profile' scripts/bench.sh --only P3
# and BENCH_CHILD_OPTS adds JVM options to the cold-start processes of P7/P8 (%p in a file name is the pid).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stale() {
  [ ! -f bench/target/bench-classpath.txt ] && return 0
  # The project's own modules must come from this checkout's reactor build, not from ~/.m2.
  grep -q '/repository/dev/realty/' bench/target/bench-classpath.txt && return 0
  for m in api-function audit-function commission-function notification-function; do
    [ -f "$m/target/$m-lambda.jar" ] || return 0
  done
  [ -n "$(find . \( -path ./.local -o -name target -o -path ./.git \) -prune -o -newer bench/target/bench-classpath.txt \
          \( -name '*.java' -o -name '*.yml' -o -name '*.sql' -o -name '*.xml' \) -print -quit)" ]
}

if stale; then
  echo "building (mvn package, tests skipped)..."
  mvn -B -q -ntp -DskipTests package
  touch bench/target/bench-classpath.txt # the plugin leaves an unchanged file alone; it is our build stamp
fi

if ! { [ -n "${PGBENCH:-}" ] || ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || command -v pgbench >/dev/null 2>&1; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing pgbench (apt-get install postgresql-client)..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client; } \
      || echo "could not install pgbench; its baseline will be reported as not measured"
  else
    echo "no pgbench found (apt-get install postgresql-client); its baseline will be reported as not measured"
  fi
fi

if [ -z "${REALTY_AMQP_URI:-}" ]; then
  scripts/rabbitmq.sh start
fi

# The benchmark JVM runs the whole system like scripts/local.sh does (SerialGC, as Lambda's runtime).
# shellcheck disable=SC2086
exec java -XX:+UseSerialGC -Xss512k -Xmx2g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  ${BENCH_JAVA_OPTS:-} \
  -cp "bench/target/classes:$(cat bench/target/bench-classpath.txt)" realty.bench.BenchMain "$@"
