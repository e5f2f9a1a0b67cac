"""Test helper: the graph of imports between a project's own modules, read with ``ast``.

Reading the source rather than importing it sees the imports inside functions too, which
only run on some paths but still tie two modules together. An edge goes to a package's
``__init__`` only when the imported name is not one of its submodules, so siblings that
import each other through their package do not all look like one knot.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator

Graph = dict[str, set[str]]


def module_files(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except the bodies of ``if TYPE_CHECKING:``, which never run."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [s for item in node.elts for s in _strings(item)]
    return []


def _dynamic_imports(tree: ast.Module, nodes: list[ast.AST]) -> list[str]:
    """Names given to ``import_module``: a command loaded by name ties two modules as an import does.

    A literal, a module-level constant or a loop over one is followed; an f-string such as
    ``import_module(f"screens.{name}")`` cannot be.
    """
    constants = {t.id: _strings(stmt.value) for stmt in tree.body if isinstance(stmt, ast.Assign)
                 for t in stmt.targets if isinstance(t, ast.Name)}
    loops = {n.target.id: constants.get(n.iter.id, []) for n in nodes
             if isinstance(n, ast.For) and isinstance(n.target, ast.Name) and isinstance(n.iter, ast.Name)}
    names = []
    for node in nodes:
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        if (func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")) != "import_module":
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Name):
            names += constants.get(arg.id) or loops.get(arg.id, [])
        else:
            names += _strings(arg)
    return names


def imports_of(module: str, path: Path, modules: Iterable[str]) -> set[str]:
    known = set(modules)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    nodes = list(_nodes(tree))
    targets: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in known:
                    targets.add(submodule)
                elif base in known:
                    targets.add(base)
    targets.update(name for name in _dynamic_imports(tree, nodes) if name in known)
    targets.discard(module)
    return targets


def import_graph(root: Path, packages: Iterable[str]) -> Graph:
    files = module_files(root, packages)
    return {module: imports_of(module, path, files) for module, path in files.items()}


def components(graph: Graph) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module, with an explicit stack
    so a long chain of imports cannot reach the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def _shortest_path(graph: Graph, start: str, goal: str, within: set[str]) -> list[str]:
    came_from = {start: start}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            path = [goal]
            while path[-1] != start:
                path.append(came_from[path[-1]])
            return path[::-1]
        for child in sorted(graph[node] & within):
            if child not in came_from:
                came_from[child] = node
                todo.append(child)
    raise ValueError(f"{goal} is not reachable from {start}")


def cycles(graph: Graph) -> list[str]:
    """One shortest cycle through each import edge inside a knot, as ``a -> b -> a``.

    Together they show every edge that keeps the knot tied; each starts at its
    alphabetically first module so the same cycle always reads the same way.
    """
    named = set()
    for component in components(graph):
        within = set(component)
        for node in component:
            for child in graph[node] & within:
                loop = [node] + _shortest_path(graph, child, node, within)[:-1]
                first = loop.index(min(loop))
                loop = loop[first:] + loop[:first]
                named.add(" -> ".join(loop + [loop[0]]))
    return sorted(named)
