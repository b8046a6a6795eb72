package dev.graphfuse.runtime.dispatch;

import ai.onnxruntime.OrtException;
import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import java.nio.file.Path;

/** A model ORT can open: a file (ORT reads it and its external data itself) or an in-memory IR model. */
public sealed interface ModelSource {

    GraphfuseSession open(SessionOptionsSpec spec) throws OrtException;

    static ModelSource of(Path file) {
        return new File(file);
    }

    static ModelSource of(Model model) {
        return new InMemory(model);
    }

    record File(Path path) implements ModelSource {
        @Override
        public GraphfuseSession open(SessionOptionsSpec spec) throws OrtException {
            return GraphfuseSession.open(path, spec);
        }
    }

    record InMemory(Model model) implements ModelSource {
        @Override
        public GraphfuseSession open(SessionOptionsSpec spec) throws OrtException {
            return GraphfuseSession.open(OnnxExporter.toBytes(model), spec);
        }
    }
}
