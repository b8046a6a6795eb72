package dev.graphfuse.text;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.text.ast.DimExpr;
import dev.graphfuse.text.ast.Lexeme;
import dev.graphfuse.text.ast.Literal;
import dev.graphfuse.text.ast.MetadataEntry;
import dev.graphfuse.text.ast.Name;
import dev.graphfuse.text.ast.TypeExpr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the text AST's tokens mean: strings with their escapes, integers in range, names, types.
 * Every failure is a {@link BadInputException} at the token, reading {@code FILE:LINE:COL: error: WHAT}.
 */
final class TokenDecoder {
    private final String file;

    TokenDecoder(String file) {
        this.file = file;
    }

    BadInputException error(SourceLocation at, String msg) {
        return new BadInputException(new Diagnostic(new SourceLocation(file, at.line(), at.column()), msg));
    }

    String string(Lexeme t) {
        return new String(bytes(t), StandardCharsets.UTF_8);
    }

    byte[] bytes(Lexeme t) {
        try {
            return TextStrings.unquote(t.text());
        } catch (TextStrings.BadEscape e) {
            throw error(t.at(), "bad escape in string " + Quote.excerpt(t.text())
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    String name(Name n) {
        return n.quoted() ? string(n.lexeme()) : n.lexeme().text();
    }

    long parseInt(Lexeme t) {
        return parseInt(null, t);
    }

    /** An INT token with an optional '-' before it; sign and digits are parsed together to reach Long.MIN_VALUE. */
    long parseInt(Lexeme sign, Lexeme t) {
        String text = (sign != null ? "-" : "") + t.text();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw error(sign != null ? sign.at() : t.at(), "integer " + text + " is out of range");
        }
    }

    long intLiteral(Literal lit) {
        if (!lit.is(Literal.Kind.INT)) {
            throw error(lit.at(), "expected an integer, found " + Quote.excerpt(lit.text()));
        }
        return parseInt(lit.sign(), lit.value());
    }

    String stringLiteral(Literal lit) {
        if (!lit.is(Literal.Kind.STRING)) {
            throw error(lit.at(), "expected a string, found " + Quote.excerpt(lit.text()));
        }
        return string(lit.value());
    }

    float floatValue(Literal lit) {
        String text = (lit.sign() != null ? "-" : "") + lit.value().text();
        try {
            return TensorValues.parseFloat32(text);
        } catch (NumberFormatException e) {
            throw error(lit.at(), Quote.quote(lit.text()) + " is not a number");
        }
    }

    byte[] base64(Lexeme t) {
        try {
            return Base64.getDecoder().decode(string(t));
        } catch (IllegalArgumentException e) {
            throw error(t.at(), "invalid base64: " + e.getMessage());
        }
    }

    Map<String, String> metadata(List<MetadataEntry> entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (MetadataEntry e : entries) {
            m.put(string(e.key()), string(e.value()));
        }
        return m;
    }

    ValueType type(TypeExpr t) {
        return switch (t) {
            case TypeExpr.Tensor tt -> tt.dims() == null ? elementOnlyType(tt.element())
                    : ValueType.tensor(element(tt.element()), Shape.of(dims(tt.dims())));
            case TypeExpr.Sparse st -> {
                ElementType element = element(st.element());
                yield new ValueType.SparseTensorType(element,
                        st.dims() == null ? Shape.UNKNOWN_RANK : Shape.of(dims(st.dims())));
            }
            case TypeExpr.Sequence s -> new ValueType.SequenceType(type(s.element()));
            case TypeExpr.Optional o -> new ValueType.OptionalType(type(o.element()));
            case TypeExpr.Map m -> {
                ElementType key = element(m.key());
                yield new ValueType.MapType(key, type(m.value()));
            }
            case TypeExpr.Opaque o -> {
                String domain = string(o.domain());
                yield new ValueType.OpaqueType(domain, string(o.name()));
            }
        };
    }

    /** {@code f32} alone: a tensor of unknown rank, or {@code unspecified}. */
    ValueType elementOnlyType(Lexeme id) {
        if (id.text().equals("unspecified")) {
            return new ValueType.Unspecified();
        }
        return ValueType.tensor(element(id), Shape.UNKNOWN_RANK);
    }

    private ElementType element(Lexeme id) {
        ElementType t = ElementType.fromShortName(id.text());
        if (t == null) {
            throw error(id.at(), "unknown element type '" + id.text() + "'");
        }
        return t;
    }

    private List<Dim> dims(List<DimExpr> ds) {
        List<Dim> out = new ArrayList<>(ds.size());
        for (DimExpr d : ds) {
            switch (d) {
                case DimExpr.Fixed f -> {
                    try {
                        out.add(Dim.of(Long.parseLong((f.sign() != null ? "-" : "") + f.value().text())));
                    } catch (NumberFormatException e) {
                        throw error(f.value().at(), "dimension " + f.text() + " is out of range");
                    }
                }
                case DimExpr.Symbolic s -> {
                    String sym = name(s.name());
                    out.add(sym.isEmpty() ? Dim.UNKNOWN : Dim.of(sym));
                }
                case DimExpr.Unknown u -> out.add(Dim.UNKNOWN);
            }
        }
        return out;
    }
}
