"""Opening a named file once, safely, and taking a private snapshot of a CSV while scanning it.

The file is opened once (no second `open` by path that a swapped symlink or a writer could change
under us): its bytes are hashed, transcoded to UTF-8 if needed, scanned against the limits
(limits.CsvScanner) and copied into a private temporary file in one pass; Polars then parses that
copy, so what is parsed is exactly what was scanned and hashed.

A UTF-8 file the import holds open is not copied (`in_place`): the readers read it through the open
handle (/proc/self/fd/N, the same file even if its name is swapped meanwhile), and the import refuses it
when its size or modification time differs from when it was hashed (`file_state`, checked after reading
and again before the commit). On this machine's disk the copy of a 900 MB export took ~5 s, more than
reading, hashing and scanning it together.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from siyu.errors import IngestError
from siyu.ingest.limits import CsvScan, CsvScanner
from siyu.processes import alive

CHUNK = 8 << 20
# A file whose last line has no line break may still be being written: when it was modified less than
# QUIET_SECONDS before siyu opened it, look again after SETTLE_SECONDS (a finished export is left alone).
SETTLE_SECONDS = 0.5
QUIET_SECONDS = 2.0


def open_named_file(path: str | Path) -> BinaryIO:
    """Open a file the user named, for reading, refusing anything that is not a plain file of theirs.

    A symlink is followed only to a file in the named file's own folder: a link to /etc/shadow or to
    another user's home is refused without reading a byte of it."""
    p = Path(path)
    try:
        target = p
        if p.is_symlink():
            target = p.resolve(strict=True)
            if target.parent != p.parent.resolve():
                raise IngestError(
                    f"{p.name} 是指向其他文件夹的符号链接（快捷方式），为安全起见不跟随；请把文件本身复制到这里再导入。"
                    f" / {p.name} is a symbolic link to a file in another folder, which is not followed; "
                    "copy the file itself here and import that.")
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise IngestError(f"找不到文件 {path} / no such file") from None
    except PermissionError:
        raise IngestError(f"没有权限读取文件 {path} / no permission to read the file") from None
    except (OSError, RuntimeError) as exc:  # ELOOP, a link swapped in after the check, a loop of links
        raise IngestError(f"无法打开文件 {path}（{exc.strerror if isinstance(exc, OSError) else exc}）"
                          " / the file cannot be opened") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IngestError(f"{path} 不是普通文件（是文件夹或设备）；请选择导出的文件。 / {path} is not a regular file.")
    return os.fdopen(fd, "rb")


def _on_disk(fh: BinaryIO) -> bool:
    try:
        fh.fileno()
        return True
    except (AttributeError, OSError, ValueError):  # BytesIO and friends cannot change under us
        return False


def _changed(fh: BinaryIO, read: int) -> bool:
    return _on_disk(fh) and os.fstat(fh.fileno()).st_size != read


FileState = tuple[int, int, int, int]


def file_state(fh: BinaryIO) -> FileState | None:
    """What tells a file on disk changed: (inode, size, mtime ns, ctime ns); None for bytes in memory."""
    if not _on_disk(fh):
        return None
    st = os.fstat(fh.fileno())
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def through_handle(fh: BinaryIO) -> str | None:
    """A path that opens the very file `fh` has open (Linux's /proc/self/fd), or None where there is none."""
    if not _on_disk(fh):
        return None
    path = f"/proc/self/fd/{fh.fileno()}"
    return path if os.path.exists(path) else None


def refuse_changed() -> None:
    raise IngestError(
        "文件在读取时还在变化（可能仍在导出或复制中）；请等导出完成后再导入。"
        " / The file changed while it was being read (still being exported or copied?); import it once it is complete.")


def temp_prefix(kind: str = "import") -> str:
    """`siyu-<kind>-<pid>-`: the process that made a temporary file or folder is in its name, so one left
    behind by a killed import can be told from one in use (sweep_leftovers)."""
    return f"siyu-{kind}-{os.getpid()}-"


def sweep_leftovers(folder: str | None = None) -> int:
    """Remove the private copies and staging folders of imports whose process is gone (killed mid-import);
    returns how many. Called as each import starts: a killed 10M-row import leaves a GB behind."""
    removed = 0
    for entry in Path(folder or tempfile.gettempdir()).glob("siyu-*-*-*"):
        parts = entry.name.split("-")
        if parts[1] not in ("import", "stage") or not parts[2].isdigit() or int(parts[2]) == os.getpid():
            continue
        if alive(int(parts[2])):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


class _NoCopy:
    def write(self, data: bytes) -> None:
        pass

    def __enter__(self) -> _NoCopy:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def snapshot_csv(fh: BinaryIO, encoding: str, delimiter: str, *, sha256: str | None = None,
                 in_place: bool = False) -> tuple[str, CsvScan, str, bool]:
    """(path to parse, the scan, sha256 of the original bytes, whether that path is a private copy the
    caller must unlink). `sha256`: the digest the caller already took of this handle (not taken again).
    `in_place`: the caller keeps `fh` open until parsing is done and checks `file_state` afterwards, so a
    UTF-8 file on disk is read through its handle instead of copied."""
    sweep_leftovers()
    scanner = CsvScanner(delimiter)
    digest = None if sha256 is not None else hashlib.sha256()
    utf8 = encoding in ("utf-8", "utf8", "utf-8-sig")
    decoder = None if utf8 else codecs.getincrementaldecoder(encoding)(errors="strict")
    handle_path = through_handle(fh) if in_place and utf8 else None
    if handle_path is None:
        fd, tmp = tempfile.mkstemp(suffix=".csv", prefix=temp_prefix())
    read = 0
    recently_written = _on_disk(fh) and time.time() - os.fstat(fh.fileno()).st_mtime < QUIET_SECONDS
    try:
        with (os.fdopen(fd, "wb") if handle_path is None else _NoCopy()) as out:
            fh.seek(0)
            while chunk := fh.read(CHUNK):
                read += len(chunk)
                if digest is not None:
                    digest.update(chunk)
                text = chunk if decoder is None else decoder.decode(chunk).encode("utf-8")
                scanner.feed(text)
                out.write(text)
            if decoder is not None:
                tail = decoder.decode(b"", final=True).encode("utf-8")
                scanner.feed(tail)
                out.write(tail)
        scan = scanner.finish()
        if _changed(fh, read):
            refuse_changed()
        if not scan.ends_with_newline and recently_written:
            # A cut-off last row looks like any last row without a line break; a file still being written
            # grows within moments, a finished one does not.
            time.sleep(SETTLE_SECONDS)
            if _changed(fh, read):
                refuse_changed()
    except UnicodeError as exc:
        if handle_path is None:
            os.unlink(tmp)
        where = f"（第 {read - len(chunk) + exc.start} 字节附近）" if isinstance(exc, UnicodeDecodeError) else ""
        raise IngestError(
            f"文件无法按 {encoding} 解码{where}；请选择正确的编码，或在 Excel 中另存为“CSV UTF-8”。"
            f" / The file is not valid {encoding}; choose the right encoding or save as CSV UTF-8.") from None
    except BaseException:
        if handle_path is None:
            os.unlink(tmp)
        raise
    hexdigest = sha256 if digest is None else digest.hexdigest()
    assert hexdigest is not None
    if handle_path is not None:
        return handle_path, scan, hexdigest, False
    return tmp, scan, hexdigest, True
