# Sourced by the bench scripts (quiet-bench.sh, shapes-bench.sh): run from the repository's root, the output directory
# made absolute, mq-cli's jar copied into it (a build during the run does not change the jar under it), and MQ, the
# command that runs that jar with its brokers under OUT/brokers.
#
#   bench_setup OUT_DIR        sets OUT and MQ
bench_setup() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  OUT=$1
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  local jar=mq-cli/target/mq.jar
  [ -f "$jar" ] || { echo "build mq-cli first: ./mvnw -B -pl mq-cli -am package -DskipTests" >&2; exit 2; }
  cp "$jar" "$OUT/mq.jar"
  MQ=(java -Dmq.broker.home="$OUT/brokers" -jar "$OUT/mq.jar")
}
