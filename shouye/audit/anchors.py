"""Anchors: the chain's position and hash, written outside the database as the chain grows
(docs/decisions/0006).

Every sealing transaction, once committed, appends one line to the append-only anchor file
(``SHOUYE_AUDIT_ANCHOR_FILE``) and sends it to syslog when ``SHOUYE_AUDIT_ANCHOR_SYSLOG`` is set (logger
``shouye.audit.anchor``). An anchor at position N pins every event up to N: each hash covers the previous
one, so changing any of them, even with the key, changes the hash at N; and a chain that ends before N lost
its newest events. Verification reads the anchors back (``shouye audit verify``; ``--anchors`` for an
archived copy or a syslog extract — the line is the same in both).

The line is appended with one ``write`` on a file opened for appending, which the kernel keeps whole
beside other processes' appends, and without ``fsync``: the seal runs after every audited act, and waiting
for the disk there would slow every act (decision 0005). A line lost in a crash is made good by the next
seal's line, which pins everything before it, or by the periodic job (``services.anchor_head``)."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

#: The logger the anchor lines go to; config/settings.py sends it to syslog when configured.
ANCHOR_LOGGER = "shouye.audit.anchor"
MARK = "shouye-audit-anchor"
LINE = re.compile(MARK + r" seq=(\d+) hash=([0-9a-f]{64})")
#: How much of the file's end :func:`newest_anchored_position` reads: many lines, whoever wrote them last.
TAIL_BYTES = 64 * 1024

anchor_log = logging.getLogger(ANCHOR_LOGGER)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    #: The line as written (its time first), for messages.
    line: str


@dataclass
class Anchors:
    """What anchor files say: the hash anchored for each position (as 32 bytes: verification holds one per
    anchor, about 150 bytes each in memory), the positions anchored with two different hashes, and the
    newest anchor."""

    files: list[Path]
    by_seq: dict[int, bytes] = field(default_factory=dict)
    conflicts: list[int] = field(default_factory=list)
    newest: Anchor | None = None

    def lines_of(self, seq: int) -> list[str]:
        """The lines anchoring position ``seq``, read again (only to report them)."""
        return [anchor.line for anchor in _scan(self.files) if anchor.seq == seq]


def anchor_file() -> Path:
    return Path(settings.SHOUYE_AUDIT_ANCHOR_FILE)


def line_for(seq: int, hash_: str) -> str:
    return f"{timezone.localtime().isoformat(timespec='seconds')} {MARK} seq={seq} hash={hash_}"


def append(seq: int, hash_: str) -> None:
    """Anchor the chain's position ``seq`` with its hash. Called only after the seal that made it
    committed, so an anchor never names a position that was rolled back. A failure to write is logged, not
    raised: the act and its seal are committed, and the next seal's anchor covers this one."""
    line = line_for(seq, hash_)
    path = anchor_file()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, f"{line}\n".encode())
        finally:
            os.close(descriptor)
    except OSError:
        log.exception("Could not append the audit anchor %s to %s", line, path)
    anchor_log.info(line)


def _scan(paths: list[Path]):
    """The anchors in ``paths``, in file order; a missing file holds none, and other lines (a syslog
    extract's neighbours) are skipped."""
    for path in paths:
        try:
            file = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            continue
        with file:
            for text in file:
                if match := LINE.search(text):
                    yield Anchor(int(match[1]), match[2], text.strip().strip("\x00"))


def read(paths: list[Path] | None = None) -> Anchors:
    """The anchors in ``paths``, the configured anchor file by default."""
    found = Anchors(files=list(paths or [anchor_file()]))
    for anchor in _scan(found.files):
        digest = bytes.fromhex(anchor.hash)
        known = found.by_seq.setdefault(anchor.seq, digest)
        if known != digest and anchor.seq not in found.conflicts:
            found.conflicts.append(anchor.seq)
        if found.newest is None or anchor.seq > found.newest.seq:
            found.newest = anchor
    return found


def newest_anchored_position(path: Path | None = None) -> int:
    """The highest position anchored in the last lines of the anchor file (0 when it has none)."""
    path = path or anchor_file()
    try:
        with open(path, "rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - TAIL_BYTES))
            tail = file.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return 0
    return max((int(match[1]) for match in LINE.finditer(tail)), default=0)

