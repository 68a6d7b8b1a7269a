"""Bytes to text, as French news files really come: whole or streamed chunk by chunk.

UTF-8 (a BOM is stripped), UTF-16 with a BOM, or else the legacy French
encoding (cp1252, latin-1, mac-roman) charset-normalizer finds least garbled.
UTF-8 text with a few stray bytes keeps its text, each stray byte replaced
by U+FFFD and counted. Mojibake (« Ã© » for « é ») is repaired line by line
by ftfy's encoding fixer alone, and line ends are normalised to ``\\n``.

:func:`decode` and :func:`clean` work on a whole file's bytes and text;
:func:`sniff_encoding` and :func:`text_chunks` make the same decision for a
file read a chunk at a time, so that a long file is never held whole.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import ftfy

__all__ = [
    "CHUNK_BYTES",
    "SURROGATE",
    "Encoding",
    "clean",
    "decode",
    "repair_line",
    "sniff_encoding",
    "text_chunks",
]

CHUNK_BYTES = 1 << 20
"""Bytes read at a time from a file streamed (:func:`sniff_encoding`, :func:`text_chunks`)."""

_LEGACY_ENCODINGS = ["cp1252", "latin_1", "mac_roman"]  # most common first
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_REPLACEMENT_BYTES = "\ufffd".encode()
SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: not text that can be written as UTF-8."""


@lru_cache(maxsize=1)
def _ftfy_config() -> ftfy.TextFixerConfig:
    """ftfy's encoding fixer only (mojibake, C1 controls, lost non-breaking spaces).

    Every other fixer is switched off explicitly: quotes, apostrophes,
    ligatures, widths, HTML entities, control characters and Unicode
    normalisation are left exactly as decoded, because evidence offsets point
    into this text. ftfy is imported here, the first time a line looks like
    mojibake: most corpora never need it.
    """
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
    )


# The mojibake French text really gets: UTF-8 read as Windows-1252 or Latin-1.
# ftfy also tries mac-roman, Cyrillic, Greek... and then mistakes correct text
# for mojibake (« »ÉTATS » read as mac-roman becomes « ȃTATS »).
_MOJIBAKE_ENCODINGS = {"latin-1", "sloppy-windows-1252", "windows-1252"}
# Such mojibake always puts a character read from a UTF-8 lead byte (C2-F4: « Â » to « ô ») before
# one read from a continuation byte (80-BF, in Latin-1 or Windows-1252), or « Â »/« Ã » before a
# space that was a non-breaking one. Lines with no such pair (nearly all) skip ftfy's slower check.
_CONTINUATION_CHARS = "".join(
    sorted({bytes([b]).decode("latin-1") + bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0)})
)
_MAYBE_MOJIBAKE = re.compile(f"[\x80-\x9f]|[\xc2-\xf4][{re.escape(_CONTINUATION_CHARS)}]|[\xc2\xc3] ")


def decode(raw: bytes) -> tuple[str, int] | None:
    """Decode bytes to text and the number of invalid bytes replaced, or None when they are not text.

    UTF-8 (BOM stripped) first, UTF-16 with a BOM, else the legacy encoding
    charset-normalizer finds least garbled among cp1252, latin-1 and
    mac-roman (cp1252 on a tie). UTF-8 text with a few stray bytes (more
    characters decoded right than bytes in error) keeps its text, each
    stray byte replaced by U+FFFD. Bytes with NUL characters or that fit no
    encoding are not text.

    >>> decode("Société générale, l’été".encode("cp1252"))
    ('Société générale, l’été', 0)
    >>> decode("« L’été » à ".encode() + b"\\xe9t\\xe9")
    ('« L’été » à �t�', 2)
    >>> decode(codecs.BOM_UTF8 + "Été".encode()), decode(b"\\x00\\x01\\x02") is None
    (('Été', 0), True)
    """
    if raw.startswith(_UTF16_BOMS):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
        return None if "\x00" in text else (text, 0)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    tally = _Utf8Tally()
    text = tally.add(raw, final=True)
    if tally.mostly_right:
        return text, tally.replaced
    legacy = _legacy_encoding(raw)
    return None if legacy is None else (raw.decode(legacy), 0)


class _Utf8Tally:
    """Decodes UTF-8 chunk after chunk, invalid bytes replaced, counting them and the characters
    beyond ASCII decoded right."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._tail = b""  # the last two bytes read: a U+FFFD in the file may straddle two chunks
        self.replaced = 0
        self.decoded_right = 0

    def add(self, chunk: bytes, *, final: bool = False) -> str:
        text = self._decoder.decode(chunk, final)
        marks = text.count("\ufffd")
        self.replaced += marks - (self._tail + chunk).count(_REPLACEMENT_BYTES)
        self.decoded_right += len(text) - len(text.encode("ascii", "ignore")) - marks
        self._tail = (self._tail + chunk)[-2:]
        return text

    @property
    def mostly_right(self) -> bool:
        """UTF-8 with a few stray bytes: more characters decoded right than bytes in error."""
        return self.decoded_right > self.replaced


def _legacy_encoding(sample: bytes) -> str | None:
    """The legacy encoding ``sample`` reads least garbled in, or None when it fits none."""
    import charset_normalizer  # only for text that is not UTF-8

    matches = charset_normalizer.from_bytes(sample, cp_isolation=_LEGACY_ENCODINGS)
    if not matches:
        return None
    # Least garbled first (charset-normalizer's "chaos"); on a tie, the more
    # common encoding, not charset-normalizer's language guess, which is
    # unreliable on short texts (it takes « Île-de-France … » for mac-roman).
    best = min(matches, key=lambda m: (m.chaos, _LEGACY_ENCODINGS.index(m.encoding)))
    return str(best.encoding)


@dataclass(frozen=True)
class Encoding:
    """How to decode a file read in chunks: a Python codec, and how many invalid bytes it replaces."""

    codec: str
    replaced: int = 0


def sniff_encoding(handle: BinaryIO) -> Encoding | None:
    """The encoding :func:`decode` would choose for the whole of ``handle``, read a chunk at a time.

    None when the file is not text. The legacy encoding is chosen from the first
    :data:`CHUNK_BYTES`. Reads ``handle`` to its end.
    """
    head = handle.read(max(CHUNK_BYTES, 4))  # at least a byte-order mark
    if head.startswith(_UTF16_BOMS):
        decoder = codecs.getincrementaldecoder("utf-16")("strict")
        try:
            if any("\x00" in decoder.decode(chunk) for chunk in _chunks(head, handle)):
                return None
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
        return Encoding("utf-16")
    head = head.removeprefix(codecs.BOM_UTF8)
    tally = _Utf8Tally()
    for chunk in _chunks(head, handle):
        if b"\x00" in chunk:
            return None
        tally.add(chunk)
    tally.add(b"", final=True)
    if tally.replaced == 0 or tally.mostly_right:
        return Encoding("utf-8-sig", tally.replaced)
    legacy = _legacy_encoding(head)
    return None if legacy is None else Encoding(legacy)


def _chunks(head: bytes, handle: BinaryIO) -> Iterator[bytes]:
    """``head`` (already read), then the rest of ``handle`` :data:`CHUNK_BYTES` at a time."""
    yield head
    while chunk := handle.read(CHUNK_BYTES):
        yield chunk


def text_chunks(handle: BinaryIO, encoding: Encoding) -> Iterator[str]:
    """The text of ``handle`` from its start, a chunk at a time, line ends normalised to ``\\n``.

    Invalid bytes are replaced by U+FFFD (the file may have changed since it was sniffed).
    """
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding.codec)("replace")
    held = ""  # a CR ending a chunk may be the first half of a CRLF
    for chunk in _chunks(handle.read(CHUNK_BYTES), handle):
        text = held + decoder.decode(chunk)
        held = "\r" if text.endswith("\r") else ""
        yield _line_ends(text[: len(text) - len(held)])
    yield _line_ends(held + decoder.decode(b"", final=True))


def _line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean(text: str) -> str:
    """Normalise line ends to ``\\n`` and repair mojibake, line by line.

    CRLF and lone CR become LF so that an article saved on Windows, on an old
    Mac or on Linux gives the same text, the same offsets and the same graph.
    Lone surrogates (possible in JSON strings) become U+FFFD so that the text
    can always be written as UTF-8. Text that is already right is unchanged.

    >>> clean("La sociÃ©tÃ© a Ã©tÃ© crÃ©Ã©e Ã  Paris, lâ€™Ã©tÃ© dernier.\\r\\n")
    'La société a été créée à Paris, l’été dernier.\\n'
    >>> clean("« L’été » — déjà…")
    '« L’été » — déjà…'
    """
    text = SURROGATE.sub("\ufffd", _line_ends(text))
    if not _MAYBE_MOJIBAKE.search(text):
        return text
    return "".join(repair_line(line) for line in text.splitlines(keepends=True))


def repair_line(line: str) -> str:
    """Undo UTF-8 read as Windows-1252 or Latin-1; leave anything else as it is.

    >>> repair_line("Â« Lâ€™Ã©tÃ© Â»"), repair_line("»ÉTATS-UNIS")
    ('« L’été »', '»ÉTATS-UNIS')
    """
    if not _MAYBE_MOJIBAKE.search(line):
        return line
    import ftfy

    fixed, steps = ftfy.fix_encoding_and_explain(line, _ftfy_config())
    encodings = {step.parameter for step in steps or () if step.action == "encode"}
    if not encodings <= _MOJIBAKE_ENCODINGS:
        return line
    return fixed
