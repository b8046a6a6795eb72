package dev.graphfuse.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.ValueType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors of the text reader read {@code FILE:LINE:COL: error: WHAT}, one line, pointing at the
 * offending token; and what the writer prints, the reader reads back to the same text.
 */
class TextErrorTest {
    private static final String FILE = "t.gft";

    @TempDir
    Path dir;

    /** Parses {@code text}, which must fail with exactly {@code expected}. */
    private BadInputException assertError(String expected, String text) {
        BadInputException e = parseFailure(text);
        assertEquals(expected, e.getMessage());
        return e;
    }

    private BadInputException parseFailure(String text) {
        Model m;
        try {
            m = GraphTextReader.parse(text, FILE, dir);
        } catch (BadInputException e) {
            String msg = e.getMessage();
            assertFalse(msg.contains("\n") || msg.contains("\r"), () -> "message is not one line: " + msg);
            assertTrue(msg.matches("\\Q" + FILE + "\\E:\\d+:\\d+: error: .+"), () -> "not FILE:LINE:COL: error: …: " + msg);
            assertEquals(FILE, e.file());
            return e;
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            return fail("parsing threw " + t.getClass().getName() + " instead of BadInputException:\n" + sw
                    + "\ninput:\n" + text);
        }
        return fail("parsing succeeded; expected a BadInputException. It printed as:\n" + GraphTextWriter.print(m));
    }

    /** For inputs whose exact message is not pinned: a one-line BadInputException on {@code line}. */
    private void assertErrorOnLine(int line, String text) {
        BadInputException e = parseFailure(text);
        assertTrue(e.getMessage().startsWith(FILE + ":" + line + ":"), () -> "expected an error on line " + line + ": " + e.getMessage());
    }

    /** parse → print must give back {@code canonical} exactly, and print → parse → print is a fixed point. */
    private static Model assertRoundTrips(String canonical) {
        Model m = GraphTextReader.parse(canonical, "rt.gft", null);
        assertEquals(List.of(), GraphVerifier.problems(m));
        String printed = GraphTextWriter.print(m);
        assertEquals(canonical, printed, "print(parse(text)) reproduces the canonical text");
        Model again = GraphTextReader.parse(printed, "rt2.gft", null);
        assertEquals(printed, GraphTextWriter.print(again), "print → parse → print is a fixed point");
        return m;
    }

    // ------------------------------------------------------------------ pinned messages

    @Test
    void syntaxErrorMissingParenthesis() {
        assertError("t.gft:1:20: error: missing ')' at '->'", """
                graph g (x: f32[2] -> (y) {
                  y = Relu(x)
                }
                """);
    }

    @Test
    void inputNamingNoValue() {
        assertError("t.gft:2:14: error: 'q' names no value", """
                graph g (x: f32[2]) -> (y) {
                  y = Add(x, q)
                }
                """);
    }

    @Test
    void duplicateValueDefinition() {
        assertError("t.gft:3:3: error: value 'y' is defined more than once", """
                graph g (x: f32[2]) -> (y) {
                  y = Relu(x)
                  y = Neg(x)
                }
                """);
    }

    @Test
    void nodeListingAnOutputTwice() {
        assertError("t.gft:2:6: error: value 'y' is defined more than once", """
                graph g (x: f32[2]) -> (y) {
                  y, y = Split(x)
                }
                """);
    }

    @Test
    void nodeOutputRedefiningAGraphInput() {
        assertError("t.gft:2:3: error: value 'x' is defined more than once", """
                graph g (x: f32[2]) -> (x) {
                  x = Relu(x)
                }
                """);
    }

    @Test
    void unknownElementType() {
        assertError("t.gft:1:13: error: unknown element type 'f33'", """
                graph g (x: f33[2]) -> (x) {
                }
                """);
    }

    @Test
    void wrongNumberOfTensorLiteralValues() {
        assertError("t.gft:2:20: error: expected 3 values, found 2", """
                graph g () -> (w) {
                  init w: f32[3] = [1, 2]
                }
                """);
    }

    @Test
    void unknownAttributeKind() {
        assertError("t.gft:2:23: error: unknown attribute kind 'flaot' (expected float, int, string, tensor, graph, "
                + "floats, ints, strings, tensors, graphs, type, types, sparse_tensor, sparse_tensors)", """
                graph g (x: f32[2]) -> (y) {
                  y = Relu(x) {alpha: flaot = 1.0}
                }
                """);
    }

    @Test
    void elidedTensorData() {
        assertError("t.gft:2:22: error: tensor data was elided ('...') when this text was printed; "
                + "print it with full data to parse it", """
                graph g () -> (w) {
                  init w: f32[300] = ...
                }
                """);
    }

    @Test
    void badEscapeInString() {
        assertError("t.gft:2:28: error: bad escape in string \"a\\qb\"", """
                graph g (x: f32[2]) -> (y) {
                  y = Relu(x) {s: string = "a\\qb"}
                }
                """);
    }

    @Test
    void unknownModelHeaderField() {
        assertError("t.gft:3:3: error: unknown model field 'produce_name' (expected ir_version, producer_name, "
                + "producer_version, domain, model_version, doc, preserved)", """
                model {
                  ir_version: 9
                  produce_name: "x"
                }
                graph g (x: f32[2]) -> (x) {
                }
                """);
    }

    @Test
    void graphOutputNamingNoValue() {
        assertError("t.gft:1:25: error: graph output 'nope' names no value", """
                graph g (x: f32[2]) -> (nope) {
                }
                """);
    }

    @Test
    void rawDataOfTheWrongLength() {
        // at the base64 string, whose decoded length is wrong (as an invalid-base64 error is)
        assertError("t.gft:2:24: error: raw data has 3 bytes, expected 8 for 2 f32 elements", """
                graph g () -> (w) {
                  init w: f32[2] = raw "AAAA"
                }
                """);
    }

    @Test
    void missingExternalDataFile() {
        // at the location string, not at the 'external' keyword
        assertError("t.gft:2:29: error: external data file 'nope.data' is missing (looked in " + dir + ")", """
                graph g () -> (w) {
                  init w: f32[2] = external "nope.data" offset 0 length 8
                }
                """);
    }

    @Test
    void attributeGivenTwice() {
        assertError("t.gft:2:28: error: attribute 'a' is given twice", """
                graph g (x: f32[2]) -> (y) {
                  y = Relu(x) {a: int = 1, a: int = 2}
                }
                """);
    }

    @Test
    void cycle() {
        // at [b], the node that closes the cycle reading top to bottom (a's forward reference to y
        // alone is no cycle), not at the graph header
        assertError("t.gft:3:3: error: node 'b' (Relu) closes a cycle through 1 other node in graph 'g'", """
                graph g () -> (y) {
                  [a] x = Relu(y)
                  [b] y = Relu(x)
                }
                """);
    }

    @Test
    void cycleClosedByTheLaterOfTwoCycles() {
        // [c]+[d] form the first cycle to close; [a]+[e] form one too, but it closes only at [e]
        assertError("t.gft:5:3: error: node 'd' (Neg) closes a cycle through 1 other node in graph 'g'", """
                graph g (x: f32) -> (y) {
                  [a] p = Add(x, s)
                  [c] q = Relu(r)
                  [b] y = Relu(x)
                  [d] r = Neg(q)
                  [e] s = Abs(p)
                }
                """);
    }

    @Test
    void nodeReadingItsOwnOutput() {
        assertError("t.gft:2:3: error: node 'y' (Add) depends on its own output in graph 'g'", """
                graph g (x: f32) -> (y) {
                  y = Add(x, y)
                }
                """);
    }

    @Test
    void cycleInAFunctionBody() {
        assertError("t.gft:5:3: error: node 'b' (Neg) closes a cycle through 1 other node in function 'local::F'", """
                graph g (x: f32) -> (x) {
                }
                function local::F (i) -> (o) {
                  a = Add(i, b)
                  b = Neg(a)
                  o = Relu(b)
                }
                """);
    }

    // ------------------------------------------------------------------ names, escapes, external data

    @Test
    void nameWithLineBreakIsEscapedInTheMessage() {
        assertError("t.gft:2:14: error: 'q\\nr' names no value", """
                graph g (x: f32) -> (y) {
                  y = Add(x, "q\\nr")
                }
                """);
    }

    @Test
    void nameWithControlCharactersAndQuotesIsEscaped() {
        assertError("t.gft:3:3: error: value 'it\\'s\\x01\\\\' is defined more than once", """
                graph g (x: f32) -> (y) {
                  "it's\\x01\\\\" = Relu(x)
                  "it's\\x01\\\\" = Neg(x)
                  y = Relu(x)
                }
                """);
    }

    @Test
    void hexEscapeWithSignIsRejected() {
        assertError("t.gft:2:28: error: bad escape in string \"\\x-1\" (\\x takes two hex digits)", """
                graph g (x: f32) -> (y) {
                  y = Relu(x) {s: string = "\\x-1"}
                }
                """);
    }

    @Test
    void hexEscapeWithNonAsciiDigitsIsRejected() {
        // Integer.parseInt("١٢", 16) is 18: Arabic-Indic digits are digits to Character.digit
        assertError("t.gft:2:28: error: bad escape in string \"\\x١٢\" (\\x takes two hex digits)", """
                graph g (x: f32) -> (y) {
                  y = Relu(x) {s: string = "\\x١٢"}
                }
                """);
    }

    @Test
    void stringWithBackslashLineBreakStaysOnOneLine() {
        // the STRING rule's '\\' . takes a line break after a backslash; the message shows the token
        assertError("t.gft:2:28: error: bad escape in string \"a\\\\nb\"", """
                graph g (x: f32) -> (y) {
                  y = Relu(x) {s: string = "a\\
                b"}
                }
                """);
    }

    @Test
    void emptyExternalLocation() {
        assertError("t.gft:2:29: error: external data location is empty", """
                graph g () -> (w) {
                  init w: f32[1] = external "" offset 0 length 4
                }
                """);
    }

    @Test
    void absoluteExternalLocation() throws IOException {
        // absolute even though the file exists: references stay inside the model's directory
        Path data = Files.write(dir.resolve("w.data"), new byte[4]);
        String loc = data.toAbsolutePath().toString();
        assertError("t.gft:2:29: error: external data location '" + loc
                + "' must be a relative path inside the model's directory", """
                graph g () -> (w) {
                  init w: f32[1] = external "%s" offset 0 length 4
                }
                """.formatted(loc));
    }

    @Test
    void externalLocationClimbingOutOfTheDirectory() throws IOException {
        // as in ONNX files: a text file from elsewhere must not reach what its folder does not hold
        // (converted back to ONNX, the bytes would be copied into OUT.data)
        Files.write(dir.resolve("w.data"), new byte[4]);
        Path textDir = Files.createDirectory(dir.resolve("text"));
        BadInputException e = assertThrows(BadInputException.class, () -> GraphTextReader.parse("""
                graph g () -> (w) {
                  init w: f32[1] = external "../w.data" offset 0 length 4
                }
                """, FILE, textDir));
        assertEquals("t.gft:2:29: error: external data location '../w.data' must be a relative path inside the"
                + " model's directory", e.getMessage());
    }

    @Test
    void externalLocationLinkedOutOfTheDirectory() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.write(outside.resolve("secret"), new byte[4]);
        Path textDir = Files.createDirectory(dir.resolve("text"));
        Files.createSymbolicLink(textDir.resolve("w.data"), outside.resolve("secret"));
        BadInputException e = assertThrows(BadInputException.class, () -> GraphTextReader.parse("""
                graph g () -> (w) {
                  init w: f32[1] = external "w.data" offset 0 length 4
                }
                """, FILE, textDir));
        assertEquals("t.gft:2:29: error: external data location 'w.data' leads outside the model's directory"
                + " through a symbolic link", e.getMessage());
    }

    @Test
    void externalLocationNamingADirectory() throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        assertError("t.gft:2:29: error: external data location 'sub' is not a regular file", """
                graph g () -> (w) {
                  init w: f32[1] = external "sub" offset 0 length 4
                }
                """);
    }

    @Test
    void externalOffsetPlusLengthOverflowing() throws IOException {
        Files.write(dir.resolve("w.data"), new byte[16]);
        assertError("t.gft:2:29: error: external data file 'w.data' has 16 bytes, shorter than offset "
                + "9223372036854775807 + length 4", """
                graph g () -> (w) {
                  init w: f32[1] = external "w.data" offset 9223372036854775807 length 4
                }
                """);
    }

    @Test
    void externalLengthNotMatchingTheTypeIsAtTheLength() throws IOException {
        Files.write(dir.resolve("w.data"), new byte[16]);
        assertError("t.gft:2:54: error: external length 8 does not match 4 bytes for 1 f32 elements", """
                graph g () -> (w) {
                  init w: f32[1] = external "w.data" offset 0 length 8
                }
                """);
    }

    @Test
    void functionInputWithoutName() {
        // worded as the ONNX importer words it, not as Graph's "a value needs a non-empty name"
        assertError("t.gft:3:20: error: function input has no name", """
                graph g (x: f32) -> (x) {
                }
                function local::F ("") -> () {
                }
                """);
    }

    @Test
    void opsetImportedTwiceIsAtTheDomain() {
        assertError("t.gft:3:9: error: domain '' is imported twice", """
                model {
                  opset "": 17
                  opset "": 18
                }
                graph g (x: f32) -> (x) {
                }
                """);
    }

    @Test
    void attributeValueOfTheWrongKindSaysAnInt() {
        assertError("t.gft:2:25: error: expected an int value, found 1.5", """
                graph g (x: f32) -> (y) {
                  y = Relu(x) {a: int = 1.5}
                }
                """);
    }

    // ------------------------------------------------------------------ syntax errors in few words

    @Test
    void syntaxErrorWithOneExpectedToken() {
        assertError("t.gft:1:7: error: unexpected '(', expected a name", """
                graph (x: f32) -> (x) {
                }
                """);
    }

    @Test
    void syntaxErrorWithTwoExpectedTokens() {
        assertError("t.gft:2:13: error: unexpected 'x', expected '-' or an integer", """
                model {
                  opset "": x
                }
                graph g (x: f32) -> (x) {
                }
                """);
    }

    @Test
    void syntaxErrorListsAFewAlternatives() {
        // 'init', 'value', 'doc', … and quoted names all read "a name": a node may start with any of them
        assertError("t.gft:2:15: error: unexpected character '$', expected '}', '(', '[' or a name", """
                graph g (x: f32) -> (y) {
                  y = Relu(x) $
                }
                """);
    }

    @Test
    void syntaxErrorWithManyAlternativesListsNone() {
        assertError("t.gft:2:25: error: unexpected '}'", """
                graph g (x: f32) -> (y) {
                  y = Relu(x) {a: int = }
                }
                """);
    }

    @Test
    void syntaxErrorAtEndOfFile() {
        assertError("t.gft:3:1: error: unexpected end of file, expected '}', '(', '[' or a name", """
                graph g (x: f32) -> (y) {
                  y = Relu(x)
                """);
    }

    @Test
    void unterminatedString() {
        assertError("t.gft:2:28: error: unterminated string", """
                graph g (x: f32) -> (y) {
                  y = Relu(x) {s: string = "abc}
                }
                """);
    }

    // ------------------------------------------------------------------ round trips

    /** Every attribute kind, subgraphs capturing outer values, and a function body's {@code @ref}. */
    private static final String EVERY_KIND = """
            model {
              ir_version: 10
              producer_name: "TextErrorTest"
              opset "": 18
              opset "local": 1
            }
            graph main (x: f32[2,3], c: bool[]) -> (y: f32[2,3], k) {
              init w: f32[3] = [1.0, 2.0, 3.0]
              [kinds] k = test::Kinds(x, "", c) {f: float = -0.0015, i: int = -3, s: string = "hi\\n\\"there\\"\\x01", \
            t: tensor = tensor cst: i64[2] = [1, -2], fs: floats = [1.0, 2.5, nan, -inf], \
            is: ints = [1, -2, 9223372036854775807], ss: strings = ["a", ""], \
            ts: tensors = [tensor i32[] = [7], tensor f32[2] = [0.5, 1.5]], gs: graphs = [graph b1 () -> (x) {
              }, graph b2 (i: i64) -> (o) {
                o = Add(i, w)
              }], ty: type = f32[2,?,n], tys: types = [i64, seq(f16[3]), unspecified]}
              [n0] t: f32[2,3] = Add(x, w)
              [n1] y = local::Scale(t) {alpha: float = 0.5}
            }
            function local::Scale (a) -> (b) attributes [alpha] opset "": 18 {
              s = Constant() {value_float: float = @alpha}
              b = Mul(a, s)
            }
            """;

    @Test
    void everyAttributeKindExceptGraphRoundTrips() {
        Model m = assertRoundTrips(EVERY_KIND);
        var kinds = m.graph().value("k").producer().attributes();
        assertEquals(List.of(Attribute.Kind.FLOAT, Attribute.Kind.INT, Attribute.Kind.STRING, Attribute.Kind.TENSOR,
                Attribute.Kind.FLOATS, Attribute.Kind.INTS, Attribute.Kind.STRINGS, Attribute.Kind.TENSORS,
                Attribute.Kind.GRAPHS, Attribute.Kind.TYPE, Attribute.Kind.TYPES),
                kinds.values().stream().map(Attribute::kind).toList());
        Graph b1 = ((Attribute.GraphsAttr) kinds.get("gs")).values().get(0);
        assertTrue(b1.outputs().get(0).isCaptured(), "b1 returns the outer x");
        Graph b2 = ((Attribute.GraphsAttr) kinds.get("gs")).values().get(1);
        assertTrue(b2.value("w").isCaptured(), "b2 reads the outer initializer w");
        var ref = m.functions().get(0).body().value("s").producer().attribute("value_float");
        assertEquals(new Attribute.RefAttr(Attribute.Kind.FLOAT, "alpha"), ref);
    }

    /**
     * A GRAPH attribute (If/Loop/Scan bodies) as the writer prints it. ({@code graph} is a keyword
     * token; the attribute-kind rule must accept it, or no model with control flow reads back.)
     */
    @Test
    void graphAttributeWithCapturedOuterValueRoundTrips() {
        Model m = assertRoundTrips("""
                model {
                  ir_version: 10
                  opset "": 18
                }
                graph main (c: bool[], x: f32[2]) -> (y) {
                  [if] y = If(c) {then_branch: graph = graph then () -> (x) {
                  }, else_branch: graph = graph else () -> (n) {
                    n = Neg(x)
                  }}
                }
                """);
        Graph then = ((Attribute.GraphAttr) m.graph().value("y").producer().attribute("then_branch")).value();
        assertTrue(then.outputs().get(0).isCaptured());
    }

    @Test
    void emptySymbolicDimensionIsUnknown() {
        // as ONNX's empty dim_param: not an error, and not a Dim.Symbolic (which needs a name)
        Model m = GraphTextReader.parse("""
                graph g (x: f32["", 2]) -> () {
                }
                """, FILE, dir);
        assertEquals(ValueType.tensor(ElementType.FLOAT, Shape.of(List.of(Dim.UNKNOWN, Dim.of(2)))),
                m.graph().value("x").type());
    }

    /** Writer output that the reader once rejected; each test names the cause. */
    @Nested
    class WriterOutputReadsBack {
        @Test
        void modelDocString() {
            // the writer prints 'doc: "…"' in the header; 'doc' is a keyword token, not an ID
            assertRoundTrips("""
                    model {
                      ir_version: 10
                      doc: "a model"
                    }
                    graph g (x: f32) -> (x: f32) {
                    }
                    """);
        }

        @Test
        void modelPreservedFields() {
            // 'preserved: "…"' (unknown ModelProto fields, e.g. training_info) is a keyword too
            assertRoundTrips("""
                    model {
                      ir_version: 10
                      preserved: "oAEF"
                    }
                    graph g (x: f32) -> (x: f32) {
                    }
                    """);
        }

        @Test
        void smallestIntAttribute() {
            // parsing the digits, then negating, cannot reach Long.MIN_VALUE (9223372036854775808 is out of range)
            assertRoundTrips("""
                    model {
                      ir_version: 10
                    }
                    graph g (x: f32) -> (y) {
                      y = Relu(x) {a: int = -9223372036854775808, b: ints = [-9223372036854775808]}
                    }
                    """);
        }

        @Test
        void negativeDimension() {
            // the ONNX importer accepts dim_value -1 and the writer prints f32[-1], so the dim rule needs a sign
            Graph g = new Graph("g");
            g.addOutput(g.addInput("x", ValueType.tensor(ElementType.FLOAT, Shape.of(-1, 2))));
            String printed = GraphTextWriter.print(new Model(10, g));
            assertRoundTrips(printed);
        }

        @Test
        void negativeAndSmallestOpsetVersions() {
            // as negativeOpsetVersion, for a function's opsets, and down to Long.MIN_VALUE
            Model m = assertRoundTrips("""
                    model {
                      ir_version: 10
                      opset "": -9223372036854775808
                      opset "local": -1
                    }
                    graph g (x: f32) -> (x: f32) {
                    }
                    function local::F (a) -> (a) opset "": -2 {
                    }
                    """);
            assertEquals(Long.MIN_VALUE, m.opsetImports().get(""));
            assertEquals(-2L, m.functions().get(0).opsetImports().get(""));
        }

        @Test
        void negativeOpsetVersion() {
            // the ONNX importer accepts opset_import version -1 (found by ImporterFuzzTest) and the
            // writer prints 'opset "": -1', but the header's opset rule takes an unsigned INT
            Graph g = new Graph("g");
            g.addOutput(g.addInput("x", ValueType.tensor(ElementType.FLOAT, Shape.of(2))));
            Model m = new Model(10, g);
            m.opsetImports().put("", -1L);
            assertRoundTrips(GraphTextWriter.print(m));
        }
    }

    // ------------------------------------------------------------------ must be errors

    /**
     * Inputs the reader once accepted, or rejected with a message on several lines; each must be a
     * located BadInputException. Each comment names the cause; the exact messages are pinned above.
     */
    @Nested
    class ReaderGaps {
        @Test
        void emptyInitializerName() {
            // Graph.define throws IllegalArgumentException("a value needs a non-empty name")
            assertErrorOnLine(2, """
                    graph g () -> () {
                      init "": f32[1] = [1]
                    }
                    """);
        }

        @Test
        void emptyInputName() {
            assertErrorOnLine(1, """
                    graph g ("": f32) -> () {
                    }
                    """);
        }

        @Test
        void elementCountOverflow() {
            // Shape.elementCount throws ArithmeticException
            assertErrorOnLine(2, """
                    graph g () -> (w) {
                      init w: f32[4294967296,4294967296] = raw ""
                    }
                    """);
        }

        @Test
        void storageSizeOverflow() {
            // 2^59 f32 elements need 2^61 bytes; storageBytes() wraps to 0, so raw "" is accepted
            assertErrorOnLine(2, """
                    graph g () -> (w) {
                      init w: f32[576460752303423488] = raw ""
                    }
                    """);
        }

        @Test
        void hexEscapeWithSign() {
            // Integer.parseInt("-1", 16) accepts the sign: "\\x-1" decodes to the byte 0xff
            assertErrorOnLine(2, """
                    graph g (x: f32) -> (y) {
                      y = Relu(x) {s: string = "\\x-1"}
                    }
                    """);
        }

        @Test
        void nameWithLineBreakStaysOnOneLine() {
            // the decoded name is quoted verbatim, so "q\nr" splits the one-line message
            assertErrorOnLine(2, """
                    graph g (x: f32) -> (y) {
                      y = Add(x, "q\\nr")
                    }
                    """);
        }

        @Test
        void externalLocationNamingTheDirectory() {
            // "" resolves to the base directory itself, whose Files.size() passes the length check
            assertErrorOnLine(2, """
                    graph g () -> (w) {
                      init w: f32[1] = external "" offset 0 length 4
                    }
                    """);
        }

        @Test
        void externalOffsetOverflow() throws IOException {
            // offset + length overflows to a negative number, so 'size < offset + length' is false
            Files.write(dir.resolve("w.data"), new byte[16]);
            assertErrorOnLine(2, """
                    graph g () -> (w) {
                      init w: f32[1] = external "w.data" offset 9223372036854775807 length 4
                    }
                    """);
        }
    }
}
