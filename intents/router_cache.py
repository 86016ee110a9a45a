"""A built router kept on disk, so a fresh `staffroom ask` answers without rebuilding it.

Building a router reads and parses every policy, the lexicons and the cue files, and indexes every
passage: most of a one-off command's time. The built router is stored (pickled) under a key made of
everything it was built from: the bytes of each file in the school's folder, the bytes of every file
of the `intents` package (its code and bundled data) and the Python version. Any change to any of
them makes a new key, so a stale router is never used. The caller says where the cache lives
(`bot.root` reads `STAFFROOM_CACHE_DIR` from the settings: else `$XDG_CACHE_HOME/staffroom`, else
`~/.cache/staffroom`; `off` turns it off). It is readable by its owner only. A cache that can't be
read or written is passed over.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path

from intents.router import Router

log = logging.getLogger(__name__)

OFF = "off"
PACKAGE_DIR = Path(__file__).resolve().parent
#: Files larger than this in a school's folder are keyed by size and time, not read (a staff list, an archive).
LARGE_FILE_BYTES = 4 * 2**20
#: Cached routers kept at most; the oldest are removed beyond it.
KEEP = 8


def cache_dir(configured: str | None, xdg_cache_home: str | None = None) -> Path | None:
    """Where built routers are kept (`configured`, else the user's cache folder), or None when `off`."""
    if configured and configured.strip().lower() == OFF:
        return None
    if configured:
        return Path(configured)
    base = xdg_cache_home or str(Path.home() / ".cache")
    return Path(base) / "staffroom"


def load_router(folder: Path, directory: Path | None) -> Router:
    """The router for a school folder: from the cache in `directory` when built from the same files, else
    built (and stored there; None: not cached)."""
    if directory is None:
        return Router.from_folder(folder)
    try:
        path = directory / f"router-{_key(folder)}.pickle"
    except OSError:
        return Router.from_folder(folder)
    cached = _read(path)
    if cached is not None:
        return cached
    router = Router.from_folder(folder)
    _write(path, router)
    return router


def _key(folder: Path) -> str:
    digest = hashlib.sha256(f"{sys.version}\n{folder.resolve()}\n{_package_digest()}\n".encode())
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        stat = path.stat()
        digest.update(f"{path.name}\n{stat.st_size}\n".encode())
        if stat.st_size > LARGE_FILE_BYTES:
            digest.update(f"{stat.st_mtime_ns}\n".encode())
        else:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def _package_digest() -> str:
    """The bytes of the package's code and bundled data (the same for the life of a process)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".txt", ".json"}:
            digest.update(f"{path.relative_to(PACKAGE_DIR)}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _read(path: Path) -> Router | None:
    try:
        with path.open("rb") as file:
            router = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged or foreign file is rebuilt over, never trusted
        log.debug("router cache %s unreadable: %s", path, type(error).__name__)
        return None
    return router if isinstance(router, Router) else None


def _write(path: Path, router: Router) -> None:
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps(router, protocol=pickle.HIGHEST_PROTOCOL)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".router-", delete=False) as file:
            file.write(data)
        os.replace(file.name, path)
        _prune(path.parent)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        log.debug("router cache %s not written: %s", path, type(error).__name__)


def _prune(directory: Path) -> None:
    """Keep the newest few routers: each change to a folder leaves the old one behind."""
    kept = sorted(directory.glob("router-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
