#!/usr/bin/env python3
"""Generates spark-connect/src/gen/functions.ts: a typed wrapper for every function of PySpark's
`functions` module, with PySpark's names and argument order.

Sources (read as Python source with `ast`, never imported, so no numpy/pandas is needed):
  - PySpark 3.5's Connect functions (pyspark/sql/connect/functions.py in the project's .venv), and
  - PySpark 4.0's (pyspark/sql/connect/functions/builtin.py inside the pyspark-client sdist that
    `make spark4-jars` downloads to jars/target/spark4/).
The Connect modules are the right source: each wrapper's body names the server-side function it calls
(`_invoke_function("date_format", _to_col(date), lit(format))`), which is what a Connect client sends.
Docstrings (first paragraph) come from the classic modules, which hold the documentation.

A function is generated when its body calls exactly one server function and every parameter's type
annotation maps to a TypeScript type; the others (UDFs, lambdas, DataType arguments, special
expressions) are listed in the output's SKIPPED constant with the reason, and hand-written where it
matters in src/sql/functions.ts, whose exported names are never generated twice.

Usage: gen-functions.py <out.ts> <functions.ts (hand-written)> <pyspark 3.5 site-packages/pyspark> <pyspark-client 4.x sdist>
"""
from __future__ import annotations

import ast
import re
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

INVOKERS = {"_invoke_function", "_invoke_function_over_columns", "_invoke_binary_math_function"}
# JavaScript reserved words PySpark uses as parameter names (function names never collide).
RESERVED = {"typeof", "instanceof", "export", "import", "const", "default", "function", "in", "new", "delete", "var", "let", "class", "enum", "case", "switch", "with", "yield", "this", "void", "null", "true", "false"}
# PySpark functions that are not Spark functions at all, or need a client-side object.
NOT_FUNCTIONS = {
    "udf": "a Python UDF",
    "pandas_udf": "a Python UDF",
    "udtf": "a Python UDTF",
    "call_udf": "calls a registered UDF by name: use call_function",
    "broadcast": "a DataFrame hint: use df.hint('broadcast')",
}


@dataclass
class Param:
    name: str
    ts_type: str
    conv: str  # name | col | value | options | values (arrays become array literals)
    optional: bool = False
    default: str | None = None  # a TypeScript literal
    variadic: bool = False


@dataclass
class Fn:
    name: str
    server: str
    params: list[Param]
    since: str
    doc: str = ""
    # For bodies that are one `return _invoke_*(...)`: the exact argument expressions sent.
    call_args: list[str] | None = None


@dataclass
class Result:
    fns: dict[str, Fn] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


def ann_str(node: ast.expr | None) -> str:
    if node is None:
        return ""
    s = ast.unparse(node)
    return s.replace("'", "").replace('"', "")


def split_top(s: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def map_type(a: str) -> tuple[str, str, bool] | None:
    """(ts type, conversion, optional) for a Python annotation, or None when unsupported."""
    a = a.strip()
    m = re.fullmatch(r"Optional\[(.*)\]", a)
    if m:
        inner = map_type(m.group(1))
        return None if inner is None else (inner[0], inner[1], True)
    m = re.fullmatch(r"Union\[(.*)\]", a)
    if m:
        members = [map_type(p) for p in split_top(m.group(1))]
        if any(x is None for x in members):
            # `None` inside a Union means Optional.
            parts = split_top(m.group(1))
            if "None" in parts:
                rest = [p for p in parts if p != "None"]
                inner = map_type(f"Union[{', '.join(rest)}]" if len(rest) > 1 else rest[0])
                return None if inner is None else (inner[0], inner[1], True)
            return None
        types: list[str] = []
        for t, _, _ in members:  # type: ignore[misc]
            for u in t.split(" | "):
                if u not in types:
                    types.append(u)
        convs = {c for _, c, _ in members}  # type: ignore[misc]
        if "name" in convs:
            # Strings are column names; numbers and lists are literals; Columns pass through.
            conv = "name" if convs <= {"name", "col"} else "name-values"
        else:
            conv = "options" if convs == {"options"} else "value"
        return " | ".join(types), conv, any(o for _, _, o in members)  # type: ignore[misc]
    if a in ("ColumnOrName", "ColumnOrName_"):
        return "ColumnOrName", "name", False
    if a == "Column":
        return "Column", "col", False
    if a == "str":
        return "string", "value", False
    if a in ("int", "float"):
        return "number", "value", False
    if a == "bytes":
        return "Uint8Array", "value", False
    if a == "bool":
        return "boolean", "value", False
    if a in ("Any", "PrimitiveType"):
        return "ColumnOrValue", "value", False
    if a == "None":
        return None
    m = re.fullmatch(r"(?:List|Sequence|Tuple|Iterable)\[(.*?)(?:, \.\.\.)?\]", a)
    if m:
        inner = map_type(m.group(1))
        if inner is None or inner[1] in ("options",):
            return None
        t = inner[0]
        return (f"({t})[]" if " | " in t else f"{t}[]"), ("name-list" if inner[1] == "name" else "values"), False
    m = re.fullmatch(r"(?:Dict|Mapping)\[str, (?:str|Any)\]", a)
    if m:
        return "Readonly<Record<string, string | number | boolean>>", "options", False
    return None


def ts_default(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None:
            return None
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        return f"-{node.operand.value!r}"
    return "UNSUPPORTED"


def ts_name(n: str) -> str:
    return f"{n}_" if n in RESERVED else n


def server_names(fdef: ast.FunctionDef) -> tuple[set[str], bool]:
    """Server function names the body invokes, and whether it builds anything else itself."""
    names: set[str] = set()
    special = False
    for node in ast.walk(fdef):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in INVOKERS and node.args and isinstance(node.args[0], ast.Constant):
                names.add(str(node.args[0].value))
            elif node.func.id in ("UnresolvedFunction", "ConnectColumn", "Column", "_invoke_higher_order_function", "SortOrder", "CallFunction", "UnresolvedNamedLambdaVariable", "_create_lambda"):
                special = True
        if isinstance(node, ast.Attribute) and node.attr in ("asc", "desc", "asc_nulls_first", "asc_nulls_last", "desc_nulls_first", "desc_nulls_last", "isNull", "isNotNull", "_expr", "cast", "alias"):
            special = True
    return names, special


def exact_call(fdef: ast.FunctionDef, params: dict[str, Param]) -> list[str] | None:
    """The argument expressions of a body that is one `return _invoke_*(name, ...)`, else None."""
    body = [s for s in fdef.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
        return None
    call = body[0].value
    if not isinstance(call.func, ast.Name) or call.func.id not in INVOKERS:
        return None
    out: list[str] = []
    for a in call.args[1:]:
        if isinstance(a, ast.Name) and a.id in params:
            p = params[a.id]
            if p.optional and p.default is None:
                return None
            out.append(conv_expr(p, "name" if call.func.id == "_invoke_function_over_columns" else p.conv))
        elif isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id in params:
            p = params[a.value.id]
            conv = "name" if call.func.id == "_invoke_function_over_columns" else p.conv
            out.append(f"...{ts_name(p.name)}.map((v) => {elem_conv(conv)}(v))")
        elif isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id in ("_to_col", "lit") and len(a.args) == 1:
            inner = a.args[0]
            if isinstance(inner, ast.Name) and inner.id in params:
                p = params[inner.id]
                if p.optional and p.default is None:
                    return None
                out.append(f"{'nameToColumn' if a.func.id == '_to_col' else 'valueToColumn'}({ts_name(p.name)})")
            elif a.func.id == "lit" and isinstance(inner, ast.Constant) and isinstance(inner.value, (int, float, str, bool)):
                d = ts_default(inner)
                out.append(f"Column.literal({d})")
            else:
                return None
        else:
            return None
    return out


def elem_conv(conv: str) -> str:
    return {"name": "nameToColumn", "col": "toColumn", "value": "valueToColumn", "name-list": "nameToColumn", "name-values": "nameOrValueToColumn"}.get(conv, "valueToColumn")


def conv_expr(p: Param, conv: str) -> str:
    n = ts_name(p.name)
    if conv == "name":
        return f"nameToColumn({n})"
    if conv == "col":
        return n
    if conv == "options":
        return f"optionsToColumn({n})"
    if conv == "name-values":
        return f"nameOrValueToColumn({n})"
    return f"valueToColumn({n})"


def parse_module(src: str, since: str, res: Result, hand: set[str]) -> None:
    tree = ast.parse(src)
    for fdef in tree.body:
        if not isinstance(fdef, ast.FunctionDef) or fdef.name.startswith("_"):
            continue
        if any(isinstance(d, ast.Name) and d.id == "overload" for d in fdef.decorator_list):
            continue
        name = fdef.name
        if name in hand:
            continue
        if name in NOT_FUNCTIONS:
            res.skipped[name] = NOT_FUNCTIONS[name]
            continue
        target = alias_target(fdef)
        if target is not None:
            if name in res.fns:
                continue  # a function of its own in another version: keep that
            res.aliases[name] = target
            res.skipped.pop(name, None)
            continue
        try:
            fn = build(fdef, since)
        except ValueError as e:
            if name not in res.fns:
                res.skipped[name] = str(e)
            continue
        if name in res.fns:
            fn.since = res.fns[name].since  # keep the first version that has it
        res.fns[name] = fn
        res.skipped.pop(name, None)
        res.aliases.pop(name, None)


def alias_target(fdef: ast.FunctionDef) -> str | None:
    """`def mean(col): return avg(col)`: the PySpark function this one is another name for."""
    # Docstrings and deprecation warnings are expression statements: only the return matters.
    body = [s for s in fdef.body if not isinstance(s, ast.Expr)]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
        return None
    call = body[0].value
    if not isinstance(call.func, ast.Name) or call.func.id.startswith("_") or call.func.id in INVOKERS:
        return None
    params = [a.arg for a in fdef.args.posonlyargs + fdef.args.args]
    given = [a.id for a in call.args if isinstance(a, ast.Name)]
    return call.func.id if given == params[: len(given)] and len(given) == len(call.args) and not call.keywords else None


def build(fdef: ast.FunctionDef, since: str) -> Fn:
    names, special = server_names(fdef)
    if special:
        raise ValueError("builds a special expression (hand-written or not a plain function call)")
    if len(names) != 1:
        raise ValueError("calls no server function" if not names else f"calls several server functions ({', '.join(sorted(names))})")
    server = names.pop()
    args = fdef.args
    params: list[Param] = []
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for a, d in zip(positional, defaults):
        mapped = map_type(ann_str(a.annotation))
        if mapped is None:
            raise ValueError(f"parameter {a.arg}: {ann_str(a.annotation) or 'no annotation'}")
        t, conv, optional = mapped
        p = Param(a.arg, t, conv, optional or d is not None)
        if d is not None:
            dv = ts_default(d)
            if dv == "UNSUPPORTED":
                raise ValueError(f"parameter {a.arg}: default {ast.unparse(d)}")
            p.default = dv
            p.optional = dv is None
        params.append(p)
    if args.vararg is not None:
        mapped = map_type(ann_str(args.vararg.annotation))
        if mapped is None:
            raise ValueError(f"parameter *{args.vararg.arg}: {ann_str(args.vararg.annotation)}")
        t, conv, _ = mapped
        params.append(Param(args.vararg.arg, t, conv, variadic=True))
    if args.kwonlyargs or args.kwarg:
        raise ValueError("keyword-only parameters")
    # A required parameter after an optional one cannot be expressed positionally in TypeScript.
    seen_optional = False
    for p in params:
        if p.variadic:
            continue
        if p.optional and p.default is None:
            seen_optional = True
        elif seen_optional and p.default is None:
            raise ValueError(f"parameter {p.name}: required after an optional one")
    fn = Fn(fdef.name, server, params, since)
    fn.call_args = exact_call(fdef, {p.name: p for p in params})
    return fn


def first_paragraph(doc: str | None) -> str:
    if not doc:
        return ""
    para = []
    for line in doc.strip().splitlines():
        if not line.strip():
            break
        para.append(line.strip())
    text = " ".join(para).replace("*/", "* /")
    text = re.sub(r":(?:func|meth|class):`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def docs_of(src: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            out[node.name] = first_paragraph(ast.get_docstring(node))
    return out


def emit_fn(fn: Fn) -> str:
    sig: list[str] = []
    for p in fn.params:
        n = ts_name(p.name)
        if p.variadic:
            t = p.ts_type
            if p.conv in ("name-list", "values") and t.endswith("[]"):
                t = t[:-2]
            sig.append(f"...{n}: ({t})[]" if " | " in t else f"...{n}: {t}[]")
        elif p.default is not None:
            sig.append(f"{n}: {p.ts_type} = {p.default}")
        elif p.optional:
            sig.append(f"{n}?: {p.ts_type}")
        else:
            sig.append(f"{n}: {p.ts_type}")
    if fn.call_args is not None:
        body = f"  return Column.fn({fn.server!r}, {', '.join(fn.call_args)});" if fn.call_args else f"  return Column.fn({fn.server!r});"
    else:
        parts = []
        for p in fn.params:
            n = ts_name(p.name)
            if p.variadic:
                if p.conv in ("name-list",):
                    parts.append(f"...{n}.flat().map((v) => nameToColumn(v))")
                else:
                    parts.append(f"...{n}.map((v) => {elem_conv(p.conv)}(v))")
            else:
                parts.append(convert_for(p))
        body = f"  return callTrimmed({fn.server!r}, [{', '.join(parts)}]);"
    doc = fn.doc or f"Spark's `{fn.server}`."
    if not doc.endswith("."):
        doc += "."
    since = f" Spark {fn.since}+." if fn.since != "3.5" else ""
    calls = f" Calls `{fn.server}`." if fn.server != fn.name else ""
    head = f"/** {doc}{calls}{since} */\n"
    if fn.name in RESERVED:
        # A reserved word cannot name a function, but can name an export: `functions.typeof(...)` works.
        return f"{head}function {fn.name}_({', '.join(sig)}): Column {{\n{body}\n}}\nexport {{ {fn.name}_ as {fn.name} }};\n"
    return f"{head}export function {fn.name}({', '.join(sig)}): Column {{\n{body}\n}}\n"


def convert_for(p: Param) -> str:
    n = ts_name(p.name)
    if p.optional and p.default is None:
        # `undefined` stays undefined: callTrimmed drops trailing ones (PySpark omits them too).
        return f"{n} === undefined ? undefined : {conv_expr(p, p.conv)}"
    return conv_expr(p, p.conv)


def hand_written(path: Path) -> set[str]:
    """Names functions.ts exports itself or re-exports from a sibling (`export * from './x.js'`)."""
    text = path.read_text()
    names = set(re.findall(r"^export (?:function|const) (\w+)", text, re.M))
    for sibling in re.findall(r"^export \* from '\./([\w-]+)\.js';", text, re.M):
        names |= hand_written(path.with_name(f"{sibling}.ts"))
    return names


def main() -> None:
    out, hand_path, pyspark35, sdist4 = (Path(a) for a in sys.argv[1:5])
    hand = hand_written(hand_path)
    res = Result()
    connect35 = (pyspark35 / "sql" / "connect" / "functions.py").read_text()
    docs = docs_of((pyspark35 / "sql" / "functions.py").read_text())
    parse_module(connect35, "3.5", res, hand)
    with tarfile.open(sdist4) as tar:
        def member(suffix: str) -> str:
            m = next(m for m in tar.getmembers() if m.name.endswith(suffix))
            f = tar.extractfile(m)
            assert f is not None
            return f.read().decode()

        connect40 = member("pyspark/sql/connect/functions/builtin.py")
        docs40 = docs_of(member("pyspark/sql/functions/builtin.py"))
        version4 = re.search(r"pyspark_client-(\d+\.\d+)", sdist4.name)
    v4 = version4.group(1) if version4 else "4.0"
    parse_module(connect40, v4, res, hand)
    for name, fn in res.fns.items():
        fn.doc = docs40.get(name) or docs.get(name, "")
    lines = [
        "// GENERATED by spark-connect/scripts/gen-functions.py from PySpark's Connect `functions` modules",
        "// (3.5 and 4.0): do not edit, do not commit. Hand-written functions live in src/sql/functions.ts.",
        "/* biome-ignore-all lint: generated */",
        "import { Column, nameToColumn, toColumn, type ColumnOrName, type ColumnOrValue } from '../sql/column.js';",
        "import { callTrimmed, nameOrValueToColumn, optionsToColumn, valueToColumn } from '../sql/function-args.js';",
        "",
        "void toColumn;",
        "export type { ColumnOrName, ColumnOrValue };",
        "",
    ]
    for name in sorted(res.fns):
        lines.append(emit_fn(res.fns[name]))
    for name in sorted(res.aliases):
        target = res.aliases[name]
        if target in res.fns:
            lines.append(f"/** PySpark's other name for `{target}`. */\nexport const {name} = {target};\n")
        elif name not in res.fns:
            res.skipped[name] = f"another name for {target}, which is hand-written"
    lines.append("/** PySpark `functions` not generated here, and why (the hand-written ones are in src/sql/functions.ts). */")
    lines.append("export const SKIPPED: Readonly<Record<string, string>> = {")
    for name in sorted(res.skipped):
        lines.append(f"  {name}: {res.skipped[name]!r},")
    lines.append("};")
    lines.append("")
    lines.append("/** Each generated wrapper's PySpark name and the server function it calls. */")
    lines.append("export const GENERATED: Readonly<Record<string, string>> = {")
    for name in sorted(res.fns):
        lines.append(f"  {name}: {res.fns[name].server!r},")
    for name in sorted(res.aliases):
        if res.aliases[name] in res.fns:
            lines.append(f"  {name}: {res.fns[res.aliases[name]].server!r},")
    lines.append("};")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"spark-connect/gen-functions: {len(res.fns)} functions generated, {len(res.skipped)} skipped, {len(hand)} hand-written -> {out}")


if __name__ == "__main__":
    main()
