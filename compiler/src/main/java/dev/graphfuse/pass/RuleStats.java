package dev.graphfuse.pass;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one rule (a pattern, or a named rewrite inside a Java pass) did: how many anchors it tried,
 * how many matched, how many it rewrote, and why the others were rejected.
 */
public final class RuleStats {
    private final String pass;
    private final String rule;
    private long candidates;
    private long matched;
    private long rewritten;
    private final Map<String, Long> rejected = new TreeMap<>();

    RuleStats(String pass, String rule) {
        this.pass = pass;
        this.rule = rule;
    }

    public String pass() {
        return pass;
    }

    public String rule() {
        return rule;
    }

    public long candidates() {
        return candidates;
    }

    public long matched() {
        return matched;
    }

    public long rewritten() {
        return rewritten;
    }

    /** Rejections by reason kind (the reason with value names left out, so it aggregates), sorted. */
    public Map<String, Long> rejected() {
        return Collections.unmodifiableMap(rejected);
    }

    public void countCandidate() {
        candidates++;
    }

    public void countMatched() {
        matched++;
    }

    public void countRewritten() {
        rewritten++;
    }

    public void countRewritten(long n) {
        rewritten += n;
    }

    public void countRejected(String reasonKind) {
        rejected.merge(reasonKind, 1L, Long::sum);
    }

    /** For {@code --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pass", pass);
        m.put("rule", rule);
        m.put("candidates", candidates);
        m.put("matched", matched);
        m.put("rewritten", rewritten);
        m.put("rejected", new LinkedHashMap<>(rejected));
        return m;
    }

    /** {@code rule: candidates=N matched=N rewritten=N [rejected: reason=N, …]} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(rule).append(": candidates=").append(candidates).append(" matched=").append(matched)
                .append(" rewritten=").append(rewritten);
        if (!rejected.isEmpty()) {
            sb.append(" rejected:");
            String sep = " ";
            for (var e : rejected.entrySet()) {
                sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ", ";
            }
        }
        return sb.toString();
    }
}
