package dev.graphfuse.dsl;

import dev.graphfuse.diag.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.match.PredicateRegistry;
import dev.graphfuse.onnx.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a file from elsewhere may read: a .fuse file imports only relative paths inside the folders of the
 * .fuse files given, links resolved; an ONNX model's external data stays inside its folder, links resolved.
 */
class ImportConfinementTest {
    @TempDir
    Path tmp;

    private String check(Path fuse) {
        BadInputException e = assertThrows(BadInputException.class, () -> new PatternLoader(PredicateRegistry.withBuiltins()).file(fuse).load());
        return e.getMessage();
    }

    @Test
    void aFuseFileImportsOnlyInsideTheFoldersGiven() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mine/sub"));
        Path outside = Files.writeString(tmp.resolve("secret.fuse"), "op x.Secret(a);\n");
        Path abs = Files.writeString(dir.resolve("abs.fuse"), "import \"" + outside + "\";\n");
        assertEquals(abs + ":1:8: error: cannot import '" + outside + "': only relative paths may be imported", check(abs));
        Path up = Files.writeString(dir.resolve("up.fuse"), "import \"../../secret.fuse\";\n");
        assertEquals(up + ":1:8: error: cannot import '../../secret.fuse': it is outside the folders of the .fuse files "
                + "given (" + dir.toAbsolutePath() + ")", check(up));
        Files.createSymbolicLink(dir.resolve("link.fuse"), outside);
        Path viaLink = Files.writeString(dir.resolve("via_link.fuse"), "import \"link.fuse\";\n");
        assertTrue(check(viaLink).contains("cannot import 'link.fuse': it is outside the folders"), check(viaLink));
        Files.writeString(dir.resolve("common.fuse"), "op mine.Common(a);\n");
        Path ok = Files.writeString(dir.resolve("ok.fuse"), "import \"common.fuse\";\n");
        assertEquals(0, new PatternLoader(PredicateRegistry.withBuiltins()).file(ok).load().patterns().size());
    }

    @Test
    void externalDataBehindALinkOutOfTheModelsFolderIsRefused() throws Exception {
        Path models = Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/models");
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Path onnx = Files.copy(models.resolve("vllm_attn_dynamo_op18_f32.onnx"), dir.resolve("vllm_attn_dynamo_op18_f32.onnx"));
        Path data = Files.copy(models.resolve("vllm_attn_dynamo_op18_f32.onnx.data"), tmp.resolve("elsewhere.data"));
        Files.createSymbolicLink(dir.resolve("vllm_attn_dynamo_op18_f32.onnx.data"), data);
        BadInputException e = assertThrows(BadInputException.class, () -> OnnxImporter.read(onnx));
        assertTrue(e.getMessage().contains("external data location 'vllm_attn_dynamo_op18_f32.onnx.data' leads outside the "
                + "model's directory through a symbolic link"), e.getMessage());
    }
}
