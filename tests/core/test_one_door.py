"""One door for every write (issue 11): read the source, not the behaviour.

- No module outside ``catalog/`` runs SQL: no ``sqlite3`` or ``sqlite_utils`` import, no
  ``.execute``/``.executemany``/``.executescript``/``.scalar``/``.query`` on anything but
  itself, no ``catalog.conn``.
- ``ui/`` and ``cli/`` call services and read stores; they never open a write transaction and
  never reach a store's writing method (marked ``@store_writer`` in catalog/): not through
  ``catalog.<store>.<writer>``, not through a name or attribute bound to a store, not through a
  store built by hand, not by importing a module-level writer.

The checker is tried on planted violations first, so it cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
import inspect
import pkgutil
import re
import typing
from functools import cached_property
from pathlib import Path
from types import ModuleType

import mediadesk
import mediadesk.catalog
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.writers import is_store_writer

SRC = Path(mediadesk.__file__).parent
SQL_CALLS = frozenset({"execute", "executemany", "executescript", "scalar", "query"})
SQL_MODULES = frozenset({"sqlite3", "sqlite_utils"})


def _catalog_modules() -> list[ModuleType]:
    import importlib

    return [importlib.import_module(info.name)
            for info in pkgutil.walk_packages(mediadesk.catalog.__path__, "mediadesk.catalog.")]


def store_attributes() -> dict[str, type]:
    """catalog.<attribute> -> store class, read from the Catalog facade (its store modules are
    imported when a store is first used, so the classes are looked up in catalog/'s modules)."""
    classes = {name: obj for module in _catalog_modules() for name, obj in vars(module).items()
               if inspect.isclass(obj)}
    out = {}
    for name, member in vars(Catalog).items():
        if isinstance(member, cached_property):
            out[name] = typing.get_type_hints(member.func, localns=classes)["return"]
    return out


def writer_names() -> tuple[set[str], set[str], dict[str, set[str]]]:
    """(writing method names of any store, module-level writer functions, class -> its writers)."""
    methods: set[str] = set()
    functions: set[str] = set()
    by_class: dict[str, set[str]] = {}
    for module in _catalog_modules():
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and obj.__module__ == module.__name__:
                found = {n for n, m in vars(obj).items() if is_store_writer(m)}
                if found:
                    by_class[name] = found
                    methods |= found
            elif inspect.isfunction(obj) and is_store_writer(obj) and obj.__module__ == module.__name__:
                functions.add(name)
    return methods, functions, by_class


class _Checker(ast.NodeVisitor):
    def __init__(self, where: str, *, front: bool, store_attrs: set[str], store_classes: set[str],
                 writers: set[str], writer_functions: set[str]) -> None:
        self.where = where
        self.front = front                 # ui/ or cli/: the writer rules apply too
        self.store_attrs = store_attrs
        self.store_classes = store_classes
        self.writers = writers
        self.writer_functions = writer_functions
        self.bound: set[str] = set()       # names and self.<attr> holding a store
        self.problems: list[str] = []

    def _say(self, node: ast.AST, what: str) -> None:
        self.problems.append(f"{self.where}:{getattr(node, 'lineno', '?')}: {what}")

    def _is_store(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute) and node.attr in self.store_attrs:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.store_classes:
            return True
        return ast.unparse(node) in self.bound

    # -- imports -----------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in SQL_MODULES:
                self._say(node, f"imports {alias.name}: SQL lives in catalog/")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module.split(".")[0] in SQL_MODULES:
            self._say(node, f"imports from {module}: SQL lives in catalog/")
        if self.front and module.startswith("mediadesk.catalog"):
            for alias in node.names:
                if alias.name in self.writer_functions:
                    self._say(node, f"imports the store writer {alias.name} from {module}")

    # -- bindings ----------------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        if self._is_store(node.value):
            for target in node.targets:
                self.bound.add(ast.unparse(target))
        self.generic_visit(node)

    # -- uses --------------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        receiver = ast.unparse(node.value)
        if node.attr in ("conn", "db") and re.search(r"catalog|\bcat\b", receiver):
            self._say(node, f"{receiver}.{node.attr}: the catalog's connection belongs to catalog/")
        if self.front and node.attr == "transaction":
            self._say(node, f"{receiver}.transaction(): writes are the services' business")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = func.value
            own = isinstance(receiver, ast.Name) and receiver.id == "self"
            other_query = func.attr == "query" and not re.search(r"catalog|\bcat\b", ast.unparse(receiver))
            if func.attr in SQL_CALLS and not own and not other_query:
                self._say(node, f"{ast.unparse(func)}(): SQL lives in catalog/")
            if self.front:
                if func.attr.endswith("_unrecorded"):
                    self._say(node, f"{ast.unparse(func)}(): a store writer that records no history")
                elif func.attr in self.writers and self._is_store(receiver):
                    self._say(node, f"{ast.unparse(func)}(): a store's writing method (call a service)")
        elif self.front and isinstance(func, ast.Name) and func.id in self.writer_functions:
            self._say(node, f"{func.id}(): a store writer")
        self.generic_visit(node)


def check_source(text: str, where: str, *, front: bool) -> list[str]:
    methods, functions, by_class = writer_names()
    attrs = store_attributes()
    tree = ast.parse(text)
    checker = _Checker(where, front=front, store_attrs=set(attrs),
                       store_classes={c.__name__ for c in attrs.values()} | set(by_class),
                       writers=methods, writer_functions=functions)
    # bindings anywhere in the module count everywhere in it (self.x = catalog.history in __init__)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and checker._is_store(node.value):
            for target in node.targets:
                checker.bound.add(ast.unparse(target))
    checker.visit(tree)
    return checker.problems


def _modules(folder: str | None = None) -> list[Path]:
    root = SRC / folder if folder else SRC
    return sorted(p for p in root.rglob("*.py") if "catalog" not in p.relative_to(SRC).parts[:1])


def test_the_checker_finds_planted_violations():
    planted = """
import sqlite3
from mediadesk.catalog.history import write_fields
def f(catalog, catalog_path):
    catalog.galleries.delete_unrecorded(1)
    catalog.codes.put("rutte", "Mark Rutte")
    store = catalog.templates
    store.delete("visit")
    GalleryStore(catalog).add_assets_unrecorded(1, [2])
    with catalog.transaction():
        catalog.conn.execute("DELETE FROM assets")
    catalog.scalar("SELECT 1")
    write_fields(catalog, {})
    catalog.history.start("edit", "x")
class W:
    def __init__(self, catalog):
        self._codes = catalog.codes
    def go(self):
        self._codes.clear()
"""
    problems = check_source(planted, "planted.py", front=True)
    joined = "\n".join(problems)
    for expected in ("imports sqlite3", "imports the store writer write_fields", "delete_unrecorded",
                     "catalog.codes.put()", "store.delete()", "add_assets_unrecorded", "transaction()",
                     "catalog.conn", "catalog.scalar()", "write_fields()", "catalog.history.start()",
                     "self._codes.clear()"):
        assert expected in joined, (expected, joined)
    # reading is fine, and so is a method of one's own called execute or a QLineEdit's insert
    fine = """
def f(catalog, widget):
    catalog.galleries.list(); catalog.history.last_undoable(); catalog.index.ids(q)
    widget.insert("text")
class D:
    def execute(self, dialog): ...
    def run(self): return self.execute(1)
"""
    assert check_source(fine, "fine.py", front=True) == []


def test_no_sql_outside_the_catalog():
    problems = []
    for path in _modules():
        problems += check_source(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)), front=False)
    assert not problems, "\n".join(problems)


def test_ui_and_cli_never_write_a_store():
    paths = _modules("ui") + _modules("cli") + [SRC / "app.py"]
    assert len(paths) > 40
    problems = []
    for path in paths:
        problems += check_source(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)), front=True)
    assert not problems, "\n".join(problems)


def test_every_store_on_the_facade_has_its_writers_marked():
    methods, functions, by_class = writer_names()
    attrs = store_attributes()
    assert {"assets", "galleries", "history", "ledger", "rights", "templates", "codes", "searches",
            "imports", "people"} <= set(attrs)
    writing = {cls.__name__ for cls in attrs.values()} - {"SearchIndex"}   # the index only reads
    assert writing <= set(by_class), writing - set(by_class)
    assert {"set_fields_unrecorded", "assign_unrecorded", "create_unrecorded", "delete_unrecorded"} <= methods
    assert {"write_fields", "repair", "migrate"} <= functions
    # the obvious names do not bypass the history any more
    from mediadesk.catalog.assets import AssetStore
    from mediadesk.catalog.rights_profiles import RightsProfileStore

    assert not hasattr(AssetStore, "set_fields") and not hasattr(RightsProfileStore, "assign")
