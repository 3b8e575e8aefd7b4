"""In-tree build backend: setuptools, plus the top-level ``resources/`` folder shipped in the wheel.

pyproject.toml names this module as the PEP 517 backend (``backend-path = ["packaging"]``) and its
``BuildPy`` as setuptools' ``build_py`` command. Everything else is plain setuptools.

- wheel: ``resources/**`` is copied to ``mediadesk/resources/**`` in the build folder, so an
  installed wheel finds its icons beside the code (``mediadesk.resources.resource_root``);
- sdist: the resources and this file are listed as sources, so a wheel built from the sdist is
  complete too;
- editable install (``pip install -e .``): nothing is copied; ``mediadesk.resources`` finds
  ``<repo>/resources`` from the source tree;
- both: ``mediadesk/_version.py`` is written with the version of pyproject.toml (into the build
  folder for a wheel, into ``src/mediadesk/`` for an editable install; git ignores it), so
  ``mediadesk --version`` needs no ``importlib.metadata`` scan at start.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import build_meta as _backend
from setuptools.build_meta import *  # noqa: F403  (the PEP 517 hooks)
from setuptools.command.build_py import build_py as _build_py

__all__ = list(_backend.__all__)

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = "resources"
TARGET = ("mediadesk", "resources")
SKIP_SUFFIXES = (".pyc", ".orig", ".rej", "~")
VERSION_MODULE = ("mediadesk", "_version.py")


def version_module_text(version: str) -> str:
    return (f'"""Written by the build from pyproject.toml (packaging/mediadesk_build.py); not in git."""\n\n'
            f"__version__ = {version!r}\n")


def resource_files(root: Path = ROOT) -> list[Path]:
    """Every file under resources/, relative to the repository, in a stable order."""
    base = root / RESOURCES
    return sorted(
        p.relative_to(root) for p in base.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SKIP_SUFFIXES)
    )


class BuildPy(_build_py):
    """setuptools' build_py, which also places resources/ at mediadesk/resources/ in the build."""

    def run(self) -> None:
        super().run()
        self._write_version_module()
        if getattr(self, "editable_mode", False):
            return
        for rel in resource_files():
            dest = Path(self.build_lib, *TARGET, *rel.parts[1:])
            self.mkpath(str(dest.parent))
            self.copy_file(str(ROOT / rel), str(dest), preserve_mode=False)

    def _version_module_path(self) -> Path:
        if getattr(self, "editable_mode", False):   # the source tree the editable install points at
            return ROOT / self.get_package_dir(VERSION_MODULE[0]) / VERSION_MODULE[1]
        return Path(self.build_lib, *VERSION_MODULE)

    def _write_version_module(self) -> None:
        path = self._version_module_path()
        text = version_module_text(self.distribution.get_version())
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            self.mkpath(str(path.parent))
            path.write_text(text, encoding="utf-8")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs += [os.path.join(self.build_lib, *TARGET, *rel.parts[1:]) for rel in resource_files()]
            outputs.append(str(self._version_module_path()))
        return outputs

    def get_source_files(self) -> list[str]:
        # what `sdist` packs besides the Python sources
        extra = [rel.as_posix() for rel in resource_files()] + ["packaging/mediadesk_build.py"]
        return list(super().get_source_files()) + extra
