package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graphfuse golden check|update}: exit 0 when every case matches, 4 with a unified diff and
 * NAME.test.actual on a mismatch, 2 on a malformed case (located, before anything runs); update rewrites
 * the expectations; --json has one record per case; a case may name an ONNX model instead of inline text.
 */
class GoldenCliTest {
    static Path repo = Path.of(System.getProperty("graphfuse.repoRoot", ".."));

    @TempDir
    Path tmp;

    private Path copyExample() throws Exception {
        Path dir = tmp.resolve("cases");
        Files.createDirectories(dir);
        Path src = repo.resolve("examples/golden-example");
        Files.createDirectories(tmp.resolve("fusions"));
        Files.copy(src.resolve("fusions/quick_gelu.fuse"), tmp.resolve("fusions/quick_gelu.fuse"));
        for (String c : new String[] {"fires.test", "no_fire_other_slope.test"}) {
            // the cases name ../../../fusions/…: keep that relation in the copy
            Files.writeString(dir.resolve(c), Files.readString(src.resolve("src/test/golden").resolve(c))
                    .replace("../../../fusions/", "../fusions/"));
        }
        return dir;
    }

    @Test
    void matchingCasesExitZeroAndAMismatchExitsFourWithADiff() throws Exception {
        Path dir = copyExample();
        Path json = tmp.resolve("golden.json");
        CliTest.Run ok = CliTest.run("golden", "check", dir.toString(), "--json", json.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().strip().endsWith("2 cases: 2 matched, 0 updated, 0 failed"), ok.out());
        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).path("matches").asBoolean() && rows.get(0).path("deterministic").asBoolean());

        Path fires = dir.resolve("fires.test");
        String pinned = Files.readString(fires);
        Files.writeString(fires, pinned.replace("{alpha: float = 1.702}", "{alpha: float = 1.7}"));
        CliTest.Run bad = CliTest.run("golden", "check", dir.toString());
        assertEquals(GoldenCommand.EXIT_MISMATCH, bad.code(), bad.out() + bad.err());
        assertTrue(bad.out().contains("FAIL " + fires + " (the run's result: " + fires + ".actual)"), bad.out());
        assertTrue(bad.out().contains("-  [act] y = mylab::QuickGelu(x) {alpha: float = 1.7}"), bad.out());
        assertTrue(bad.out().contains("+  [act] y = mylab::QuickGelu(x) {alpha: float = 1.702}"), bad.out());
        assertTrue(Files.isRegularFile(dir.resolve("fires.test.actual")));

        CliTest.Run update = CliTest.run("golden", "update", fires.toString());
        assertEquals(0, update.code(), update.out() + update.err());
        assertEquals(pinned, Files.readString(fires), "update writes back what the run gives");
        assertFalse(Files.exists(dir.resolve("fires.test.actual")));

        // a pattern that now fires where a case expects the graph unchanged: the graph diff, and no update
        Path fuse = tmp.resolve("fusions/quick_gelu.fuse");
        Files.writeString(fuse, Files.readString(fuse).replace("Sigmoid(Mul(x, 1.702))", "Sigmoid(Mul(x, 1.5))"));
        Path noFire = dir.resolve("no_fire_other_slope.test");
        String noFireText = Files.readString(noFire);
        CliTest.Run fired = CliTest.run("golden", "update", noFire.toString());
        assertEquals(GoldenCommand.EXIT_MISMATCH, fired.code(), fired.out());
        assertTrue(fired.out().contains("FAIL " + noFire + ": the case says 'expect: unchanged' but the pipeline changed the "
                + "graph (not updated: edit the case)"), fired.out());
        assertTrue(fired.out().contains("+  [act] y = mylab::QuickGelu(x) {alpha: float = 1.702}"), fired.out());
        assertEquals(noFireText, Files.readString(noFire));
    }

    @Test
    void aMalformedCaseIsOneLocatedErrorAndNothingRuns() throws Exception {
        Path dir = copyExample();
        Path broken = dir.resolve("broken.test");
        Files.writeString(broken, "# passes: patterns\n--- input\ngraph g (x: f32[2]) -> (y: f32[2]) {\n}\n--- result\n");
        CliTest.Run r = CliTest.run("golden", "check", dir.toString());
        assertEquals(2, r.code());
        assertEquals(broken + ":5:1: error: unknown section '--- result' (expected '--- input', '--- expected' or "
                + "'--- stats')", r.err().strip());
        assertEquals("", r.out());
        CliTest.Run mode = CliTest.run("golden", "fix", dir.toString());
        assertEquals(2, mode.code());
        assertEquals("fix: error: expected 'check' or 'update'", mode.err().strip());
        CliTest.Run none = CliTest.run("golden", "check", tmp.resolve("nowhere").toString());
        assertEquals(2, none.code());
        assertEquals(tmp.resolve("nowhere") + ": error: no such file or folder", none.err().strip());
    }

    @Test
    void aCaseMayNameAnOnnxModel() throws Exception {
        Path c = tmp.resolve("vllm.test");
        Files.writeString(c, "# The vLLM attention export through the default pipeline.\n# passes: canonicalize,raise,fuse,tables\n"
                + "# model: " + repo.toAbsolutePath().resolve("testdata/models/vllm_attn_dynamo_op18_f32.onnx") + "\n");
        CliTest.Run first = CliTest.run("golden", "check", c.toString());
        assertEquals(2, first.code(), "no expectations yet: " + first.err());
        assertEquals(0, CliTest.run("golden", "update", c.toString()).code());
        String text = Files.readString(c);
        assertTrue(text.contains("graphfuse::QkNormRope"), "the fused graph is pinned");
        assertTrue(text.contains("fuse/QkNormRope: candidates=1 matched=1 rewritten=1"), text);
        CliTest.Run again = CliTest.run("golden", "check", c.toString());
        assertEquals(0, again.code(), again.out());
    }
}
