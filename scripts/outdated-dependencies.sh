#!/usr/bin/env bash
# Lists every version the build declares that is behind the newest release on Maven Central:
# the version properties (root pom and module poms), the dependencies and BOMs, the plugins, and
# the brokers the harness starts (mq-harness' broker poms). Pre-releases (alpha, beta, milestones,
# release candidates, previews, snapshots) never count: scripts/version-rules.xml.
# Uses versions-maven-plugin (managed in the root pom; it needs Maven 3.9, which ./mvnw brings) and
# needs Maven Central; it changes no file.
# The client versions are not all free to move: the comments next to them in pom.xml say why
# (a broker the harness runs, one Netty on every class path, ...).
# Usage: scripts/outdated-dependencies.sh [--log FILE]   (FILE keeps Maven's whole output)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
log="$(mktemp)"
keep=""
if [ "${1:-}" = "--log" ] && [ -n "${2:-}" ]; then keep="$2"; fi
trap 'if [ -n "$keep" ]; then cp "$log" "$keep"; fi; rm -f "$log"' EXIT

run() {
  if ! "$@" >>"$log" 2>&1; then
    echo "outdated-dependencies: failed: $*" >&2
    tail -40 "$log" >&2
    exit 1
  fi
}

# the build: root pom, mq-bom and every module (the plugin's version and rules come from the root pom)
run ./mvnw -B -ntp versions:display-property-updates versions:display-dependency-updates versions:display-plugin-updates
# the brokers: standalone poms the harness resolves a class path from (not modules, so named in full)
plugin="org.codehaus.mojo:versions-maven-plugin:$(sed -n 's:.*<versions.plugin.version>\(.*\)</versions.plugin.version>.*:\1:p' pom.xml)"
for pom in mq-harness/src/main/resources/io/anymq/harness/*-pom.xml; do
  echo "[INFO] --- broker pom @ harness:$(basename "$pom" -pom.xml) ---" >>"$log"
  run ./mvnw -B -ntp -f "$pom" "$plugin:display-dependency-updates" \
    -Dmaven.version.rules="file://$root/scripts/version-rules.xml"
done

# One line per update: section, where, name, current, newest. Maven wraps a long name onto two lines.
awk '
  /--- versions:.* @ .* ---/ { where = $(NF-1); section = "" }
  /--- broker pom @ /        { broker = $(NF-1); sub(/^harness:/, "", broker) }
  /^\[INFO\] *$/ || /^\[INFO\] [^ ]/ || /^\[(WARNING|ERROR)\]/ { section = ""; pending = "" }
  /The following version property updates are available/ { section = "property"; next }
  /The following dependencies in .* have newer versions/  { section = broker != "" ? "broker" : "dependency"; next }
  /The following plugin updates are available/            { section = "plugin"; next }
  /Require Maven .* to use the following plugin updates/  { section = "plugin"; next }
  section != "" && /^\[INFO\]   / {
    line = $0; sub(/^\[INFO\] +/, "", line)
    # "name ....": its versions follow on the next line; "name .... version": no update (a plugin
    # listed under "Require Maven" at the version the pom has)
    if (line !~ / -> /) { pending = line ~ /\.+ *$/ ? line : ""; next }
    if (pending != "") { line = pending " " line; pending = "" }
    n = split(line, f, / +/)
    name = f[1]; gsub(/^\$\{|\}$/, "", name)
    print section "\t" (section == "broker" ? broker : "-") "\t" name "\t" f[n-2] "\t" f[n]
  }
' "$log" | sort -u >"$log.rows"

# keep real updates (Maven prints downgrades under "Require Maven 2.0" for a pom that names no
# minimum Maven), and say how big each step is
kind() {
  local a="${1%%[.-]*}" b="${2%%[.-]*}" a2 b2
  if [ "$a" != "$b" ]; then echo major; return; fi
  a2="$(echo "$1" | cut -d. -f2)"; b2="$(echo "$2" | cut -d. -f2)"
  if [ "$a2" != "$b2" ]; then echo minor; else echo patch; fi
}
print_section() { # $1: section, $2: title
  local printed="" section where name current newest
  while IFS=$'\t' read -r section where name current newest; do
    [ "$section" = "$1" ] || continue
    [ "$current" != "$newest" ] || continue
    [ "$(printf '%s\n%s\n' "$current" "$newest" | sort -V | tail -1)" = "$newest" ] || continue
    if [ -z "$printed" ]; then echo; echo "$2"; printed=1; fi
    [ "$where" = - ] || name="$name ($where)"
    printf '  %-62s %-16s -> %-16s %s\n' "$name" "$current" "$newest" "$(kind "$current" "$newest")"
  done <"$log.rows"
  if [ -z "$printed" ]; then echo; echo "$2"; echo "  (all at the newest release)"; fi
}

echo "Newest releases on Maven Central (pre-releases ignored: scripts/version-rules.xml)"
print_section property "version properties (root pom, module poms):"
print_section dependency "dependencies and imported BOMs (root pom, mq-bom, module poms):"
print_section plugin "plugins:"
print_section broker "brokers the harness starts (mq-harness/src/main/resources/io/anymq/harness/*-pom.xml):"
rm -f "$log.rows"
