"""Reading a received bundle (a folder or a zip) without trusting anything in it.

Every entry is looked at before anything is opened: in a folder by ``lstat`` (a symbolic link, a
FIFO, a device or a socket is a finding and is never opened, so a FIFO cannot hang ``verify`` and
``/dev/zero`` cannot feed it for ever); in a zip by its central directory (folders, unsafe names,
duplicates, names that differ only in case or Unicode normalisation, symbolic links and other
special files by their Unix mode, encryption, and any compression method mediadesk does not write:
bzip2, LZMA, zstd... inflate without a bound in Python's zipfile, so they are refused unread).
Members whose data overlap (the trick of the smallest zip bombs) are refused too.

What is read is bounded three ways: by the size the entry declares (a zip member's header, a
file's ``lstat``), by a cap per kind of member that the caller gives, and for a zip by an inflate
budget for the whole archive. A member that breaks a bound, or whose data is damaged (CRC, a
truncated deflate stream), raises :class:`MemberError` with a sentence for the report.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import io
import os
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from mediadesk.terminal_text import has_unsafe

CHUNK = 1 << 20
MAX_ENTRIES = 200_000           # far more files than any export; a listing past it is refused
INFLATE_BUDGET_MIN = 256 << 20  # a zip may inflate to this much in total, or to
INFLATE_BUDGET_RATIO = 32       # this many times its own size if that is more
DEFLATE_MAX_RATIO = 1032        # deflate cannot inflate more than ~1032:1
_LOCAL_HEADER = 30
_METHODS = {0: "stored", 8: "deflate", 9: "deflate64", 12: "bzip2", 14: "LZMA", 19: "IBM LZ77",
            93: "Zstandard", 95: "xz", 96: "JPEG", 97: "WavPack", 98: "PPMd", 99: "AES encryption"}
WRITTEN_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)   # what bundle_writer uses
_READ_ERRORS = (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, OverflowError,
                zipfile.BadZipFile, zlib.error, struct.error)


class BundleUnreadable(Exception):
    """The path is neither a bundle folder nor a zip that can be opened (the message says why)."""


class MemberError(Exception):
    """One member could not be read within its bounds, or its data are damaged."""


def safe_member_name(name: str) -> bool:
    """A bundle member is a plain file name: no folders, no '..', nothing absolute or hidden, no
    control or invisible formatting characters (mediadesk's names never hold any)."""
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\x00" not in name and not name.startswith(".") and ":" not in name
            and not has_unsafe(name))


def _kind_of_mode(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    for test, words in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"),
                        (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                        (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return words
    return None if stat.S_ISREG(mode) else "not a regular file"


def name_key(name: str) -> str:
    """Names that unpack to the same file on macOS or Windows have the same key."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass
class Member:
    name: str
    size: int                           # declared: the zip header's, or lstat's
    stored: int = 0                     # bytes it really takes (compressed size, allocated blocks)
    compressed: bool = False            # a deflated zip member
    info: zipfile.ZipInfo | None = None
    inode: tuple[int, int] | None = None   # (st_dev, st_ino) of a folder entry


@dataclass(frozen=True)
class Refusal:
    """Why an entry was refused, for a caller that words it its own way: ``code`` is one of
    unreadable, folder, special, unsafe-name, twin, encrypted, method, damaged, ratio, duplicate,
    overlap; ``detail`` the kind of file, the compression method or the count."""
    code: str
    detail: str = ""


class BundleSource:
    """The plain files of a bundle folder or zip, with bounded reads; ``problems`` lists every
    entry that was refused (and so is not among ``members``), ``refusals`` why, by name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []
        self.members: dict[str, Member] = {}
        self.refused: set[str] = set()
        self.refusals: dict[str, Refusal] = {}
        self.zip: zipfile.ZipFile | None = None
        self._zip_file: BinaryIO | None = None
        self._dir_fd: int | None = None
        self._inflated = 0
        self._budget = 0
        self._budget_spent = False
        try:
            st = os.stat(path)   # the path the user named may be a link; what is inside may not
        except OSError as exc:
            raise BundleUnreadable(f"{path} cannot be read ({exc.strerror or exc})") from None
        if stat.S_ISDIR(st.st_mode):
            self._list_folder()
        elif stat.S_ISREG(st.st_mode):
            self._open_zip(st.st_size)
        else:
            raise BundleUnreadable(f"{path} is {_kind_of_mode(st.st_mode)}, neither a bundle folder nor "
                                   "a zip; it was not opened")

    # -- listing ---------------------------------------------------------------------------------
    def _refuse(self, name: str, why: str, code: str = "", detail: str = "") -> None:
        self.refused.add(name)
        self.refusals.setdefault(name, Refusal(code, detail))
        shown = name if safe_member_name(name.rstrip("/")) else repr(name)   # quoted: it is odd
        self.problems.append(f"{shown}: {why}")

    def _list_folder(self) -> None:
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            self._dir_fd = os.open(self.path, flags)
            entries = []
            with os.scandir(self._dir_fd) as it:
                for entry in it:
                    entries.append(entry)
                    if len(entries) > MAX_ENTRIES:
                        raise BundleUnreadable(f"{self.path} holds more than {MAX_ENTRIES:,} entries; "
                                               "no mediadesk bundle is that large")
        except BundleUnreadable:
            self.close()
            raise
        except OSError as exc:
            self.close()
            raise BundleUnreadable(f"{self.path} cannot be listed ({exc.strerror or exc})") from None
        keys: dict[str, str] = {}
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                self._refuse(name, f"cannot be read ({exc.strerror or exc})", "unreadable")
                continue
            kind = _kind_of_mode(st.st_mode)
            if kind == "a folder":
                self._refuse(name + "/", "unexpected folder in the bundle", "folder")
            elif kind is not None:
                self._refuse(name, f"is {kind}, not a file; it was not opened", "special", kind)
            elif not safe_member_name(name):
                self._refuse(name, "not a file name mediadesk writes (hidden, or control characters)", "unsafe-name")
            else:
                stored = min(st.st_size, getattr(st, "st_blocks", st.st_size // 512 + 1) * 512)
                self._add(Member(name, st.st_size, stored, inode=(st.st_dev, st.st_ino)), keys)

    def _add(self, member: Member, keys: dict[str, str]) -> None:
        twin = keys.get(name_key(member.name))
        if twin is not None:
            how = ("only in letter case" if twin.casefold() == member.name.casefold() else
                   "only in letter case or Unicode normalisation (accents composed or decomposed)")
            self._refuse(member.name, f"differs from {twin} {how}; unpacked on macOS or Windows "
                                      "one would overwrite the other", "twin", twin)
            return
        keys[name_key(member.name)] = member.name
        self.members[member.name] = member

    def _open_zip(self, archive_size: int) -> None:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags)
        except OSError as exc:
            raise BundleUnreadable(f"{self.path} cannot be read ({exc.strerror or exc})") from None
        fh = self._zip_file = os.fdopen(fd, "rb")
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise BundleUnreadable(f"{self.path} changed while it was opened; it is not a file now")
            self.zip = zipfile.ZipFile(fh)
            infos = self.zip.infolist()
        except BundleUnreadable:
            self.close()
            raise
        except Exception as exc:  # any damage a stranger's zip can carry is a finding, not a crash
            self.close()
            raise BundleUnreadable(f"{self.path} is neither a bundle folder nor a readable zip "
                                   f"({type(exc).__name__}: {exc})") from None
        if len(infos) > MAX_ENTRIES:
            self.close()
            raise BundleUnreadable(f"{self.path} holds {len(infos):,} entries, more than {MAX_ENTRIES:,}; "
                                   "no mediadesk bundle is that large")
        self._budget = max(INFLATE_BUDGET_MIN, INFLATE_BUDGET_RATIO * archive_size)
        keys: dict[str, str] = {}
        names = collections.Counter(info.filename for info in infos)
        for info in infos:
            problem = self._zip_entry_problem(info)
            if problem:
                self._refuse(info.filename, problem[2], problem[0], problem[1])
            elif info.filename in self.members or info.filename in self.refused:
                self._refuse(info.filename, "appears twice in the zip", "duplicate", str(names[info.filename]))
            else:
                self._add(Member(info.filename, info.file_size, info.compress_size,
                                 compressed=info.compress_type != zipfile.ZIP_STORED, info=info), keys)
        self._refuse_overlaps(infos, getattr(self.zip, "start_dir", archive_size))

    @staticmethod
    def _zip_entry_problem(info: zipfile.ZipInfo) -> tuple[str, str, str] | None:
        """(refusal code, detail, sentence) for an entry that is not read, or None."""
        name = info.filename
        if info.is_dir():
            return "folder", "", "unexpected folder in the bundle"
        if not safe_member_name(name):
            return "unsafe-name", "", "unsafe file name in the zip (a path, '..', hidden, or control characters)"
        kind = _kind_of_mode(info.external_attr >> 16) if (info.external_attr >> 16) & 0o170000 else None
        if kind is not None:
            return "special", kind, f"is {kind} in the zip, not a file; it was not opened"
        if info.flag_bits & 0x41:
            return "encrypted", "", "is encrypted; mediadesk never encrypts bundle members, so it was not read"
        if info.compress_type not in WRITTEN_METHODS:
            method = _METHODS.get(info.compress_type, f"method {info.compress_type}")
            return "method", method, (f"is compressed with {method}; mediadesk writes only stored and "
                                      "deflate members, so it was not read")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            return "damaged", "", "damaged: its stored size and its size disagree"
        if (info.compress_type == zipfile.ZIP_DEFLATED
                and info.file_size > info.compress_size * DEFLATE_MAX_RATIO + 1024):
            return "ratio", "", (f"declares {info.file_size:,} bytes from {info.compress_size:,} compressed, "
                                 "more than deflate can produce (damaged or hostile)")
        return None

    def _refuse_overlaps(self, infos: list[zipfile.ZipInfo], end: int) -> None:
        ordered = sorted(infos, key=lambda i: i.header_offset)
        for n, info in enumerate(ordered):
            limit = ordered[n + 1].header_offset if n + 1 < len(ordered) else end
            if info.header_offset + _LOCAL_HEADER + info.compress_size > limit:
                for victim in (info, ordered[n + 1]) if n + 1 < len(ordered) else (info,):
                    if victim.filename in self.members:
                        del self.members[victim.filename]
                        self._refuse(victim.filename, "its data overlap another member's in the zip "
                                                      "(how zip bombs reuse data); it was not read", "overlap")

    # -- reading ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        """The member's bytes as a (seekable) binary stream; nothing past its declared size
        should be read from it (use :meth:`read`, :meth:`head`, :meth:`sha256`)."""
        member = self.members[name]
        stream: BinaryIO
        try:
            if member.info is not None:
                if self.zip is None:
                    raise MemberError(f"{name}: the bundle was closed")
                stream = cast(BinaryIO, self.zip.open(member.info))   # a ZipExtFile: a binary stream
            else:
                stream = self._open_in_folder(member)
        except MemberError:
            raise
        except _READ_ERRORS as exc:
            raise MemberError(f"{name}: cannot be read ({type(exc).__name__}: {exc})") from None
        with stream:
            try:
                yield stream
            except _READ_ERRORS as exc:
                raise MemberError(f"{name}: damaged, reading it failed ({type(exc).__name__}: "
                                  f"{exc})") from None

    def _open_in_folder(self, member: Member) -> BinaryIO:
        flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
                 | getattr(os, "O_CLOEXEC", 0))
        fd = os.open(member.name, flags, dir_fd=self._dir_fd)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) != member.inode:
            os.close(fd)
            raise MemberError(f"{member.name}: was replaced while the bundle was checked")
        return os.fdopen(fd, "rb")

    def _chunks(self, name: str, limit: int) -> Iterator[bytes]:
        """The member's bytes in chunks, at most ``limit`` of them; MemberError when it holds
        more or fewer bytes than it declares."""
        member = self.members[name]
        with self.open(name) as fh:
            left = limit
            while left > 0:
                block = fh.read(min(CHUNK, left))
                if not block:
                    break
                left -= len(block)
                self._spend(member, len(block))
                yield block
            if limit == member.size:
                extra = fh.read(1)
                if left or extra:
                    raise MemberError(f"{name}: holds {'fewer' if left else 'more'} bytes than its "
                                      f"{member.size:,} declared (damaged, or changed while checked)")

    def _spend(self, member: Member, count: int) -> None:
        if not member.compressed:
            return
        self._inflated += count
        if self._inflated > self._budget:
            if not self._budget_spent:
                self._budget_spent = True
                self.problems.append(
                    f"the zip inflates to more than {self._budget // 2**20:,} MiB in total, "
                    f"{INFLATE_BUDGET_RATIO} times its size or more; verify stopped reading its "
                    "compressed members (a zip bomb?)")
            raise MemberError(f"{member.name}: not read to the end (the zip's inflate budget is spent)")

    def read(self, name: str, cap: int, what: str = "") -> bytes:
        """The whole member, refused unread (MemberError) when it declares more than ``cap``."""
        size = self.members[name].size
        if size > cap:
            raise MemberError(f"{name}: declares {size:,} bytes, more than the {cap:,} mediadesk "
                              f"reads{' for ' + what if what else ''} and more than a mediadesk bundle "
                              "holds; the bundle may be a zip bomb")
        out = io.BytesIO()      # grows in place and hands its buffer over: ~1x the size, not 2x
        for block in self._chunks(name, size):
            out.write(block)
        return out.getvalue()

    def chunks(self, name: str) -> Iterator[bytes]:
        """The whole member in chunks of up to 1 MiB (its declared size, checked)."""
        return self._chunks(name, self.members[name].size)

    def head(self, name: str, count: int = 4096) -> bytes:
        """The first ``count`` bytes (fewer for a shorter member)."""
        out = bytearray()
        for block in self._chunks(name, min(count, self.members[name].size)):
            out += block
        return bytes(out)

    def sha256(self, name: str) -> str:
        h = hashlib.sha256()
        for block in self._chunks(name, self.members[name].size):
            h.update(block)
        return h.hexdigest()

    def size(self, name: str) -> int:
        return self.members[name].size

    def stored_bytes(self, skip: tuple[str, ...] = ()) -> int:
        """The bytes the members really occupy (not what they declare), ``skip`` left out."""
        return sum(m.stored for m in self.members.values() if m.name not in skip)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()
            self.zip = None
        if self._zip_file is not None:
            self._zip_file.close()
            self._zip_file = None
        if self._dir_fd is not None:
            os.close(self._dir_fd)
            self._dir_fd = None
