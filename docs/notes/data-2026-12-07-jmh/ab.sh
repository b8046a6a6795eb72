#!/bin/bash
# JMH A/B of two checkouts on one machine, alternating: usage ab.sh BASE_TREE NEW_TREE. Each tree first needs
#   mvn -B -o -q test-compile -Dgraphfuse.native.skip
#   mvn -B -o -q -pl compiler dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# (its own patterns/target/classes comes first on the class path: ~/.m2 may hold another tree's patterns jar).
BASE=$1; NEW=$2
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
run() { # dir label bench args
  local d=$1; shift; local label=$1; shift
  cd $d
  CP="compiler/target/test-classes:compiler/target/classes:patterns/target/classes:$(cat compiler/target/test-classpath.txt)"
  $JAVA_HOME/bin/java -Dgraphfuse.repoRoot=$d -cp "$CP" org.openjdk.jmh.Main "$@" -wi 3 -w 2 -i 5 -r 2 -f 1 -rf json -rff /tmp/ab2-$label.json > /tmp/ab2-$label.log 2>&1
  echo "$label $(grep -E '^(Optimize|Pipeline)' /tmp/ab2-$label.log | tail -1)"
}
for round in 1 2; do
  run $BASE base-opt-$round 'OptimizeBenchmark'
  run $NEW new-opt-$round 'OptimizeBenchmark'
  run $NEW new-pipe-$round 'PipelineScalingBenchmark.pipelineNoVerify' -p layers=1000
  run $BASE base-pipe-$round 'PipelineScalingBenchmark.pipelineNoVerify' -p layers=1000
done
echo ALLDONE
