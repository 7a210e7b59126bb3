# Kafka settings shared by install.sh, start.sh and stop.sh: sourced, never run.
# Overridable from the environment: KAFKA_BROKER_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HEAP_OPTS,
# KAFKA_START_TIMEOUT_S, KAFKA_RUN_DIR (pid file, data and logs; default deploy/.run/kafka: a test's
# private broker points it at a folder of its own).
SERVICE=kafka
KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "${KAFKA_DIR}/../lib.sh"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "${KAFKA_DIR}/pom.xml")"
KAFKA_LIBS="${CACHE_DIR}/kafka-${KAFKA_VERSION}/libs"
KAFKA_RUN="${KAFKA_RUN_DIR:-${RUN_DIR}/kafka}"
KAFKA_DATA="${KAFKA_RUN}/data"
KAFKA_LOGS="${KAFKA_RUN}/logs"
KAFKA_PID_FILE="${KAFKA_RUN}/kafka.pid"
KAFKA_CONFIG="${KAFKA_RUN}/server.properties"
KAFKA_BROKER_PORT="${KAFKA_BROKER_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_BOOTSTRAP="127.0.0.1:${KAFKA_BROKER_PORT}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}"
KAFKA_START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-120}"
# The main class marks our broker's command line, so a recycled pid is never killed by mistake.
KAFKA_MAIN_CLASS="kafka.Kafka"

# Runs a Java main class from the Kafka jars with the tools' quiet logging.
kafka_java() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="${KAFKA_DIR}/tools-log4j2.properties" \
    -cp "${KAFKA_LIBS}/*" "$@"
}
