package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening of the CLI's edges: no command is a usage error; a model path that is a FIFO, a device or a
 * folder is one error line (a FIFO never blocks); {@code -o -} is refused; two outputs of {@code run -o}
 * that would land in one file are refused before anything is written.
 */
class CliInputsCliTest {
    static Path models = Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/models");

    @TempDir
    Path tmp;

    @Test
    void noCommandIsAUsageError() {
        CliTest.Run r = CliTest.run();
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("graphfuse: error: no command given"), r.err());
        assertTrue(r.err().contains("Usage: graphfuse"), r.err());
    }

    @Test
    void aModelMustBeARegularFile() throws Exception {
        Path fifo = tmp.resolve("model.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        CliTest.Run r = CliTest.run("inspect", fifo.toString());
        assertEquals(2, r.code());
        assertEquals(fifo + ": error: not a regular file (a device, FIFO or socket); models are read from regular files",
                r.err().strip());
        CliTest.Run dir = CliTest.run("optimize", tmp.toString(), "-o", tmp.resolve("out.onnx").toString());
        assertEquals(2, dir.code());
        assertEquals(tmp + ": error: not a regular file (a directory); models are read from regular files", dir.err().strip());
        CliTest.Run dev = CliTest.run("run", "/dev/null", "--device", "cpu");
        assertEquals(2, dev.code());
        assertEquals("/dev/null: error: not a regular file (a device, FIFO or socket); models are read from regular files",
                dev.err().strip());
    }

    @Test
    void aModelThatIsAlreadyInvalidIsTheInputsError() throws Exception {
        // a graph output naming an initializer declared with another shape: once reported as a pass
        // having broken the graph ("internal error", exit 1)
        Path model = Files.writeString(tmp.resolve("bad.gft"), """
                graph g (x: f32[2]) -> (w: f32[3], y: f32[2]) {
                  init w: f32[2] = [1.0, 2.0]
                  [a] y = Add(x, w)
                }
                """);
        Path out = tmp.resolve("bad.onnx");
        CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertEquals(model + ": error: invalid model: graph 'g': initializer 'w' has dims [2] but is typed [3]",
                r.err().strip());
        assertFalse(Files.exists(out), "no output");
    }

    @Test
    void aModelOrtHasNoKernelForIsAnEnvironmentLimit() throws Exception {
        // ORT's CPU provider has no bf16 MatMul: the model is valid, this runtime cannot run it (exit 3)
        Path model = Files.writeString(tmp.resolve("bf16.gft"), """
                model {
                  ir_version: 8
                  opset "": 18
                }
                graph g (a: bf16[2,2], b: bf16[2,2]) -> (y) {
                  [m] y = MatMul(a, b)
                }
                """);
        for (String[] args : new String[][] {{"run", model.toString(), "--device", "cpu", "--random"},
                {"verify", model.toString(), model.toString(), "--device", "cpu"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(3, r.code(), r.err());
            assertTrue(r.err().contains("graphfuse: error: ONNX Runtime has no kernel for this model on this execution"
                    + " provider (an environment limit"), r.err());
            assertTrue(r.err().contains("ORT_NOT_IMPLEMENTED"), r.err());
        }
    }

    @Test
    void aRecursiveFunctionIsRefused() throws Exception {
        // ONNX forbids it; ORT refused it only at run time, and anything inlining it would never end
        Path model = Files.writeString(tmp.resolve("rec.gft"), """
                model {
                  ir_version: 10
                  opset "": 18
                  opset "my": 1
                }
                graph main (x: f32[4]) -> (y: f32[4]) {
                  y: f32[4] = my::F(x)
                }
                function my::F (a) -> (b) opset "": 18 opset "my": 1 {
                  b = my::G(a)
                }
                function my::G (a) -> (b) opset "": 18 opset "my": 1 {
                  t = Relu(a)
                  b = my::F(t)
                }
                """);
        Path out = tmp.resolve("rec.onnx");
        CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(model + ": error: invalid model: function 'my::F' is recursive (my::F → my::G → my::F): ONNX functions"
                + " must not call themselves", r.err().strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void dashIsNotAnOutputFile() throws Exception {
        Path cwd = Path.of("-");
        CliTest.Run r = CliTest.run("optimize", models.resolve("vllm_attn_dynamo_op18_f32.onnx").toString(), "-o", "-");
        assertEquals(2, r.code());
        assertEquals("-: error: '-' (standard output) is not an output here; give a file name", r.err().strip());
        assertFalse(Files.exists(cwd), "no file named '-'");
    }

    @Test
    void inputsOnnxRuntimeRefusesAreOneErrorLine() throws Exception {
        Path opt = tmp.resolve("q.opt.onnx");
        assertEquals(0, CliTest.run("optimize", models.resolve("qwen3_dynamo_op18_f32.onnx").toString(), "-o", opt.toString())
                .code());
        long[][] cases = {{1, 7, 0}, {1, 16, 100000}, {1, 0, 0}};
        // shapes are checked against the model before ORT sees them; a token id past the vocabulary is ORT's to find
        String[] want = {"--input: error: input 'input_ids' dim 1 is 16 in the model, 7 in the tensor given",
            "graphfuse: error: ONNX Runtime: ", "--input: error: input 'input_ids' dim 1 is 16 in the model, 0 in the tensor given"};
        String[] detail = {"", "indices element out of data bounds, idx=100000", ""};
        for (int i = 0; i < cases.length; i++) {
            long[] c = cases[i];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) (8 * c[0] * c[1])).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                b.putLong(c[2]);
            }
            Path ids = tmp.resolve("ids" + i + ".npy");
            dev.graphfuse.io.Npy.write(dev.graphfuse.ir.Tensor.of("input_ids", dev.graphfuse.ir.ElementType.INT64,
                    new long[] {c[0], c[1]}, b.array()), ids);
            CliTest.Run r = CliTest.run("run", opt.toString(), "-i", "input_ids=" + ids, "--device", "cpu");
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith(want[i]), r.err());
            assertTrue(r.err().contains(detail[i]), r.err());
        }
    }

    @Test
    void givenInputsFixTheSymbolicDimsOfTheRandomOnes() throws Exception {
        Path model = Files.writeString(tmp.resolve("sym.gft"), """
                model {
                  ir_version: 10
                  opset "": 18
                }
                graph g (a: f32[1,s], b: f32[s]) -> (y: f32[1,s]) {
                  [add] y: f32[1,s] = Add(a, b)
                }
                """);
        Path a = tmp.resolve("a4.npy");
        dev.graphfuse.io.Npy.write(dev.graphfuse.ir.Tensor.of("a", dev.graphfuse.ir.ElementType.FLOAT, new long[] {1, 4},
                new byte[16]), a);
        // b takes s = 4 from a: no --dim needed
        CliTest.Run ok = CliTest.run("run", model.toString(), "-i", "a=" + a, "--random", "--seed", "1", "--device", "cpu");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("y: f32[1, 4]"), ok.out());
        CliTest.Run conflict = CliTest.run("run", model.toString(), "-i", "a=" + a, "--random", "--dim", "s=3", "--device", "cpu");
        assertEquals(2, conflict.code(), conflict.err());
        assertEquals("--dim: error: --dim s=3 but the inputs given have s = 4", conflict.err().strip());
        Path b = tmp.resolve("b3.npy");
        dev.graphfuse.io.Npy.write(dev.graphfuse.ir.Tensor.of("b", dev.graphfuse.ir.ElementType.FLOAT, new long[] {3},
                new byte[12]), b);
        CliTest.Run mixed = CliTest.run("run", model.toString(), "-i", "a=" + a, "-i", "b=" + b, "--device", "cpu");
        assertEquals(2, mixed.code(), mixed.err());
        assertEquals("--input: error: dim 's' is 4 in input 'a' but 3 in input 'b'", mixed.err().strip());
        CliTest.Run rank = CliTest.run("run", model.toString(), "-i", "a=" + b, "-i", "b=" + b, "--device", "cpu");
        assertEquals(2, rank.code(), rank.err());
        assertEquals("--input: error: input 'a' is f32[1,s] in the model (rank 2), the tensor given is [3] (rank 1)",
                rank.err().strip());
    }

    @Test
    void anInputShapeSetsItsSymbolicDims() throws Exception {
        Path model = Files.writeString(tmp.resolve("shape.gft"), """
                model {
                  ir_version: 10
                  opset "": 18
                }
                graph g (a: f32[1,s], b: f32[s]) -> (y: f32[1,s]) {
                  [add] y: f32[1,s] = Add(a, b)
                }
                """);
        // as polygraphy / trtexec write it: b's shape gives s for a too
        CliTest.Run ok = CliTest.run("run", model.toString(), "--random", "--input-shape", "b=5", "--seed", "1", "--device", "cpu");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("y: f32[1, 5]"), ok.out());
        CliTest.Run colon = CliTest.run("verify", model.toString(), model.toString(), "--input-shape", "a:1x3", "--seed", "1",
                "--device", "cpu");
        assertEquals(0, colon.code(), colon.err());
        assertTrue(colon.out().contains("y f32[1, 3]"), colon.out());
        String[][] bad = {
            {"a=1x", "--input-shape: error: expected INPUT=D1xD2x… with positive integers (e.g. input_ids=1x128), got 'a=1x'"},
            {"a=2x4", "--input-shape: error: input 'a' dim 0 is 1 in the model, 2 in --input-shape"},
            {"a=4", "--input-shape: error: input 'a' is f32[1,s] (rank 2), --input-shape gives rank 1"},
            {"c=4", "--input-shape: error: the model has no input 'c' (inputs: [a, b])"},
        };
        for (String[] b : bad) {
            CliTest.Run r = CliTest.run("run", model.toString(), "--random", "--input-shape", b[0], "--device", "cpu");
            assertEquals(2, r.code(), r.err());
            assertEquals(b[1], r.err().strip());
        }
        CliTest.Run conflict = CliTest.run("run", model.toString(), "--random", "--dim", "s=3", "--input-shape", "b=4",
                "--device", "cpu");
        assertEquals(2, conflict.code(), conflict.err());
        assertEquals("--input-shape: error: dim 's' is 3 by --dim s=3 but 4 by --input-shape b=4", conflict.err().strip());
    }

    @Test
    void outputsThatWouldShareAFileAreRefused() throws Exception {
        Path model = tmp.resolve("two.gft");
        Files.writeString(model, "model {\n  ir_version: 10\n  opset \"\": 18\n}\n"
                + "graph g (x: f32[2]) -> (\"a/b\": f32[2], a_b: f32[2]) {\n"
                + "  [r] \"a/b\": f32[2] = Relu(x)\n  [n] a_b: f32[2] = Neg(x)\n}\n");
        Path out = tmp.resolve("out");
        CliTest.Run r = CliTest.run("run", model.toString(), "--random", "--seed", "1", "--device", "cpu", "-o", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(out + ": error: outputs 'a/b' and 'a_b' would both be written to a_b.npy; no output was written",
                r.err().strip());
        assertFalse(Files.exists(out.resolve("a_b.npy")));
    }
}
