# Shared by bin/ scripts: find a JDK 25+ and the repository root.
GF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_jdk() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64 "$GF_ROOT/.jdk"; do
    if [ -n "$c" ] && [ -x "$c/bin/java" ] && [ "$(java_major "$c/bin/java")" -ge 25 ] 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  if command -v java >/dev/null && [ "$(java_major "$(command -v java)")" -ge 25 ] 2>/dev/null; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"; return 0
  fi
  echo "graphfuse: no JDK 25+ found; set JAVA_HOME to a JDK 25 or newer" >&2
  return 1
}
