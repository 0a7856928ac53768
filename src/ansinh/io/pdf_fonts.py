"""The fonts of a printed list: Debian's DejaVu, cut once a process to the letters Vietnamese
needs. fpdf parses the whole font for every document (60 ms for the two faces, most of a
commune's PDF); a cut one takes a few ms, and a province's hundred lists add up."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

# Debian's DejaVu (package fonts-dejavu-core) has every Vietnamese letter.
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
# Basic Latin, Latin-1 and Extended-A/B (ơ, ư, đ), combining marks, Latin Extended Additional
# (ạ … ỹ), punctuation and the đồng sign.
_SPANS = ((0x20, 0x7F), (0xA0, 0x250), (0x300, 0x370), (0x1E00, 0x1F00), (0x2010, 0x2030))
LETTERS = frozenset(chr(c) for start, end in _SPANS for c in range(start, end)) | {"\u20ab"}


def fonts_for(text: str) -> tuple[Path, Path]:
    """The regular and bold faces to print `text`: the cut ones when they hold its every
    letter, else the whole fonts."""
    if set(text) <= LETTERS:
        return _cut()
    return FONT, BOLD


@cache
def _cut() -> tuple[Path, Path]:
    from fontTools import subset

    folder = Path(tempfile.mkdtemp(prefix="ansinh-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    cut = []
    for source in (FONT, BOLD):
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.drop_tables += ["FFTM"]
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in LETTERS])
        subsetter.subset(font)
        target = folder / source.name
        subset.save_font(font, str(target), options)
        cut.append(target)
    return cut[0], cut[1]
