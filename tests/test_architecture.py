"""The shape of the code: which package may import which, and where engine-specific SQL lives.

The allowed dependencies between packages are listed here and in docs/architecture.md
("Dependencies between packages"); every import statement of the tree, at the top of a
module or inside a function, must follow them, and they have no cycle.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "app"
DOMAIN = ("programmes", "oda", "grants", "importers", "exports")

#: package → the packages it may import (besides itself)
ALLOWED = {
    "app": set(),
    "programmes": {"app"},
    "oda": {"app", "programmes"},
    "grants": {"app", "programmes"},
    "importers": {"app", "programmes", "oda"},
    "exports": {"app", "programmes", "oda"},
}


def _imports(path: Path) -> set[str]:
    """The packages of the tree that ``path`` imports, by any import statement anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


def _edges() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) → the modules where that import happens."""
    edges: dict[tuple[str, str], list[str]] = {}
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            for imported in _imports(path) - {package}:
                edges.setdefault((package, imported), []).append(str(path.relative_to(ROOT)))
    return edges


EDGES = _edges()


def test_the_kernel_imports_no_domain_package():
    assert {edge: where for edge, where in EDGES.items() if edge[0] == KERNEL} == {}


def test_programmes_does_not_import_oda():
    assert EDGES.get(("programmes", "oda"), []) == []


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_packages_it_may(package):
    forbidden = {edge: where for edge, where in EDGES.items()
                 if edge[0] == package and edge[1] not in ALLOWED[package]}
    assert forbidden == {}


def test_the_allowed_dependencies_have_no_cycle():
    done: set[str] = set()

    def visit(package: str, path: tuple[str, ...]) -> None:
        assert package not in path, f"cycle: {' → '.join(path + (package,))}"
        if package not in done:
            for needed in ALLOWED[package]:
                visit(needed, path + (package,))
            done.add(package)

    for package in ALLOWED:
        visit(package, ())


def test_the_import_walk_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    try:\n        from oda.services import queries\n"
                      "    except ImportError:\n        return None\n")
    assert _imports(module) == {"oda"}


def test_docs_list_the_same_dependencies():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- dependencies -->\n```\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md lists the package dependencies in a ``` block after <!-- dependencies -->"
    documented = {}
    for line in block.group(1).strip().splitlines():
        package, _, needed = line.partition("→")
        documented[package.strip()] = {n.strip() for n in needed.split(",") if n.strip() and n.strip() != "nothing"}
    assert documented == ALLOWED


#: where SQL that differs between the engines may be written (see app/sql.py); the
#: importers keep their own bulk writers (COPY, chunking) beside the ledger import
ENGINE_SPECIFIC = ("app/sql.py", "app/db.py", "app/bulk.py", "app/exact.py", "importers/")
ENGINE_WORDS = re.compile(r"dialect\.name|pg_advisory|SET LOCAL|clock_timestamp|\bANALYZE\b|"
                          r"execute\(\"PRAGMA|postgresql\.insert|sqlite\.insert")


def test_engine_specific_sql_lives_in_app_sql():
    found = [f"{path.relative_to(ROOT)}:{number}" for package in ALLOWED
             for path in sorted((ROOT / package).rglob("*.py"))
             if not str(path.relative_to(ROOT)).startswith(ENGINE_SPECIFIC)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ENGINE_WORDS.search(line) and not line.lstrip().startswith("#")]
    assert found == []
