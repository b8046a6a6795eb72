package dev.graphfuse.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graphfuse.diag.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A malformed golden case file is one located error line ({@code FILE:LINE:COL: error: …}), pinned here. */
class GoldenCaseErrorsTest {
    @TempDir
    Path dir;

    private static final String GRAPH = "graph g (x: f32[2]) -> (y: f32[2]) {\n  [r] y: f32[2] = Relu(x)\n}\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no passes         | # a case\\n--- input\\nGRAPH--- stats\\n(none)\\n                        | 1:1: error: no '# passes:' header (e.g. '# passes: canonicalize,raise,fuse')
            unknown section   | # passes: fuse\\n--- input\\nGRAPH--- output\\n                      | 6:1: error: unknown section '--- output' (expected '--- input', '--- expected' or '--- stats')
            second section    | # passes: fuse\\n--- input\\nGRAPH--- input\\n                       | 6:1: error: second '--- input' section
            stray line        | # passes: fuse\\npasses: raise\\n--- input\\nGRAPH                         | 2:1: error: expected a '# key: value' header, a '#' comment or '--- input', got 'passes: raise'
            second header     | # passes: fuse\\n# passes: raise\\n--- input\\nGRAPH                       | 2:1: error: second '# passes:' header
            no input          | # passes: fuse\\n--- stats\\n(none)\\n                                 | 4:1: error: no '--- input' section and no '# model:' header
            model and input   | # passes: fuse\\n# model: m.onnx\\n--- input\\nGRAPH                       | 7:1: error: a case with '# model:' has no '--- input' section
            bad expect        | # passes: fuse\\n# expect: same\\n--- input\\nGRAPH                        | 1:1: error: '# expect:' must be 'unchanged', got 'same'
            no stats          | # passes: fuse\\n--- input\\nGRAPH--- expected\\nGRAPH                     | 10:1: error: no '--- stats' section (run `graphfuse golden update` to write it)
            no expected       | # passes: fuse\\n--- input\\nGRAPH--- stats\\n(none)\\n                  | 8:1: error: no '--- expected' section
            unchanged with it | # passes: fuse\\n# expect: unchanged\\n--- input\\nGRAPH--- expected\\nGRAPH--- stats\\n(none)\\n | 13:1: error: '# expect: unchanged' and an '--- expected' section
            """)
    void malformedCasesAreOneLocatedError(String name, String text, String message) throws Exception {
        Path file = dir.resolve(name.replace(' ', '_') + ".test");
        Files.writeString(file, text.strip().replace("\\n", "\n").replace("GRAPH", GRAPH));
        BadInputException e = assertThrows(BadInputException.class, () -> GoldenCase.read(file));
        assertEquals(file + ":" + message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no stats    | # passes: fuse\\n--- input\\nGRAPH--- expected\\nGRAPH
            no expected | # passes: fuse\\n--- input\\nGRAPH
            """)
    void updateAcceptsACaseWhoseExpectationsAreNotWrittenYet(String name, String text) throws Exception {
        Path file = dir.resolve(name.replace(' ', '_') + ".test");
        Files.writeString(file, text.strip().replace("\\n", "\n").replace("GRAPH", GRAPH));
        assertEquals(java.util.List.of("fuse"), GoldenCase.read(file, true).passes());
    }
}
