"""The marks a photo editor sets from the keyboard while culling: rating, pick and colour label.

- **Rating**: 0-5 stars (``None`` and 0 both mean "not rated"; files store xmp:Rating).
- **Pick**: picked (1), rejected (-1) or neither (``None``): Photo Mechanic's *tag*, Lightroom's
  *flag*. It is the catalog's own mark and is never written into a file.
- **Colour label**: the words Lightroom, Bridge and digiKam write to xmp:Label ("Red", "Yellow",
  "Green", "Blue", "Purple"). A file may carry another word (Photo Mechanic writes its colour
  class names, Bridge lets people rename labels); such a label is kept as it is and shown grey.

Plain values, no I/O: the catalog, the services, the search language and the window share them.
"""

from __future__ import annotations

from dataclasses import dataclass

from mediadesk.domain.errors import InvalidInput

MAX_RATING = 5
PICKED = 1
REJECTED = -1


@dataclass(frozen=True)
class Label:
    """A colour label: its stored name, its colour and its key in the window."""

    name: str        # as stored and written to xmp:Label
    colour: str      # CSS hex, for thumbnails and menus
    key: str         # the keyboard shortcut in the window ("" for none)


LABELS: tuple[Label, ...] = (
    Label("Red", "#d32f2f", "6"),
    Label("Yellow", "#f9a825", "7"),
    Label("Green", "#388e3c", "8"),
    Label("Blue", "#1976d2", "9"),
    Label("Purple", "#7b1fa2", ""),
)
LABEL_BY_KEY = {label.name.casefold(): label for label in LABELS}
OTHER_LABEL_COLOUR = "#757575"
PICK_WORDS = {"picked": PICKED, "pick": PICKED, "yes": PICKED, "rejected": REJECTED,
              "reject": REJECTED, "none": None, "clear": None, "no": None}


def label_colour(label: str | None) -> str | None:
    """The colour a label is painted in (grey for a word mediadesk does not know), or None."""
    if not label or not label.strip():
        return None
    known = LABEL_BY_KEY.get(label.strip().casefold())
    return known.colour if known else OTHER_LABEL_COLOUR


def normalise_label(value: object) -> str | None:
    """A label as stored: a known colour in its canonical spelling ("red" -> "Red"), another
    word trimmed as it is, blank or "none" -> None."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text or text.casefold() == "none":
        return None
    known = LABEL_BY_KEY.get(text.casefold())
    return known.name if known else text


def normalise_rating(value: object) -> int | None:
    """0-5 stars; 0 and blank mean "not rated" (None). Anything else is refused by name."""
    if value is None or value == "":
        return None
    try:
        stars = int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"a rating is a whole number from 0 to {MAX_RATING}, not {value!r}") from None
    if not 0 <= stars <= MAX_RATING:
        raise InvalidInput(f"a rating is from 0 to {MAX_RATING} stars, not {stars}")
    return stars or None


def normalise_pick(value: object) -> int | None:
    """1 (picked), -1 (rejected) or None; also takes the words picked/rejected/none."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in PICK_WORDS:
            return PICK_WORDS[word]
        try:
            value = int(word)
        except ValueError:
            raise InvalidInput(f"a pick is picked, rejected or none, not {value!r}") from None
    if value in (PICKED, REJECTED):
        return int(value)
    if value == 0:
        return None
    raise InvalidInput(f"a pick is 1 (picked), -1 (rejected) or none, not {value!r}")


def pick_word(pick: int | None) -> str:
    return "picked" if pick == PICKED else "rejected" if pick == REJECTED else "none"
