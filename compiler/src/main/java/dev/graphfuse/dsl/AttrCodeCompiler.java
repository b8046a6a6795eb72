package dev.graphfuse.dsl;

import dev.graphfuse.dsl.ast.AttrExpr;
import dev.graphfuse.match.AttrCode;
import dev.graphfuse.match.BuiltinFunction;
import dev.graphfuse.match.Slot;
import java.util.List;
import java.util.Map;

/** Compiles a type-checked attribute expression to the {@link AttrCode} the matcher and rewriter evaluate. */
final class AttrCodeCompiler {
    private AttrCodeCompiler() {
    }

    /** @param slotsByName the pattern's names; one missing (only in a pattern with errors) is never bound */
    static AttrCode compile(AttrExpr e, Map<String, Slot> slotsByName) {
        return switch (e) {
            case AttrExpr.Number n -> new AttrCode.Literal(n.integral() ? (Object) (long) n.value() : (Object) n.value());
            case AttrExpr.Text t -> new AttrCode.Literal(t.value());
            case AttrExpr.Ref r -> {
                Slot s = slotsByName.get(r.name());
                yield new AttrCode.SlotRef(s == null ? -1 : s.index(), r.name());
            }
            case AttrExpr.Negate n -> new AttrCode.Negate(compile(n.operand(), slotsByName));
            case AttrExpr.Binary b -> new AttrCode.Operator(b.op(), compile(b.left(), slotsByName),
                    compile(b.right(), slotsByName));
            case AttrExpr.ListOf l -> new AttrCode.ListOf(all(l.elements(), slotsByName));
            // an unknown function is reported when type-checking, and such a pattern is not compiled
            case AttrExpr.Call c -> new AttrCode.Builtin(BuiltinFunction.named(c.function()), all(c.args(), slotsByName));
        };
    }

    static List<AttrCode> all(List<AttrExpr> exprs, Map<String, Slot> slotsByName) {
        return exprs.stream().map(x -> compile(x, slotsByName)).toList();
    }
}
