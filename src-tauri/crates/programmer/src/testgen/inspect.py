"""Lists a Python project's public top-level functions and classes with Python's own parser
(ast), for DARK8's tests_generate. Prints JSON: [{module, file, functions, classes}]."""

import ast
import json
import pathlib
import sys

SIMPLE = {"int": "1", "float": "1.5", "str": "'a'", "bool": "True", "list": "[]", "dict": "{}", "bytes": "b''"}
SKIP_DIRS = {".venv", "venv", "node_modules", "build", "dist", "migrations", "tests", "test", "__pycache__"}
SKIP_FILES = {"setup.py", "manage.py", "conftest.py", "__main__.py"}


def arguments(node):
    args = node.args
    if args.vararg or args.kwarg or any(d is None for d in args.kw_defaults):
        return None
    params = args.posonlyargs + args.args
    required = params[: len(params) - len(args.defaults)]
    values = []
    for param in required:
        annotation = param.annotation
        name = annotation.id if isinstance(annotation, ast.Name) else None
        if name not in SIMPLE:
            return None
        values.append(SIMPLE[name])
    return values


def returns(node):
    if isinstance(node.returns, ast.Name) and node.returns.id in SIMPLE:
        return node.returns.id
    if isinstance(node.returns, ast.Constant) and node.returns.value is None:
        return "None"
    return None


def main():
    root = pathlib.Path(sys.argv[1])
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if relative.name in SKIP_FILES or relative.name.startswith("test"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (SyntaxError, UnicodeDecodeError):
            continue
        module = ".".join(relative.with_suffix("").parts)
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        functions = [
            {"name": n.name, "args": arguments(n), "returns": returns(n),
             "source": (ast.get_source_segment(text, n) or "")[:2000]}
            for n in tree.body
            if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
        ]
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef) and not n.name.startswith("_")]
        if functions or classes:
            found.append({"module": module, "file": str(relative), "functions": functions, "classes": classes})
    print(json.dumps(found))


main()
