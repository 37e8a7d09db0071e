"""One import name: after `pip install .` (and `pip install -e .`) only `bilateral` is importable, and the CLI works.

Each test makes a fresh venv, lends it this environment's dependencies through a
.pth file (so nothing is downloaded), installs the repository without build
isolation, and runs Python from a neutral directory.
"""

from __future__ import annotations

import shutil
import site
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _fresh_venv(where: Path) -> Path:
    venv.EnvBuilder(with_pip=False).create(where)  # no old setuptools of its own
    python = where / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies (rdflib, click, setuptools ...) come from this environment; its own
    # editable `bilateral` does not, because .pth files of a directory added this way are not run.
    (Path(purelib) / "borrowed-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return python


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("editable", [False, True], ids=["wheel", "editable"])
def test_installs_under_one_name(tmp_path, editable):
    python = _fresh_venv(tmp_path / "venv")
    if editable:
        target = ["-e", str(ROOT)]
    else:  # a clean copy: setuptools would reuse a stale build/ of the checkout and hide a missing package
        source = tmp_path / "src"
        shutil.copytree(
            ROOT,
            source,
            ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__", ".*cache"),
        )
        target = [str(source)]
    install = _run(
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        *target,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stderr
    neutral = tmp_path / "elsewhere"
    neutral.mkdir()
    for name in ("graph", "cli"):
        result = _run(python, "-c", f"import {name}", cwd=neutral)
        assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr, name
    located = _run(python, "-c", "import bilateral.graph, bilateral.cli; print(bilateral.graph.__file__)", cwd=neutral)
    assert located.returncode == 0, located.stderr
    assert (str(ROOT) in located.stdout) == editable, "a wheel install runs from site-packages, not the checkout"
    cli = _run(python, "-c", "from bilateral.cli.main import main; main()", "--help", cwd=neutral)
    assert cli.returncode == 0 and "Usage" in cli.stdout, cli.stderr
    script = tmp_path / "venv" / "bin" / "bilateral"
    assert subprocess.run([str(script), "--help"], capture_output=True, cwd=neutral).returncode == 0
    data = _run(
        python,
        "-c",
        "from bilateral.graph import locations as l; print(l.ontology_path(), l.shipped_data_dir())",
        cwd=neutral,
    )
    ontology, data_dir = data.stdout.split()
    assert Path(ontology).is_file() and any(Path(data_dir).glob("sources/*.trig")), "ontology and data ship"
    # Every subpackage ships: commands served by graph/time, graph/lint and graph/events run from the wheel.
    home = tmp_path / "home"
    for command in (["asof", "2019-09-15", "--json"], ["lint"], ["temperature", "--json"]):
        ran = subprocess.run(
            [str(script), *command], capture_output=True, text=True, cwd=neutral, env={"BILATERAL_HOME": str(home)}
        )
        assert ran.returncode in (0, 1) and "ModuleNotFoundError" not in ran.stderr, (command, ran.stderr)
