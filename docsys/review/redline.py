"""Redline: compare two versions of a document's structured content word by word.

``compare(old, new)`` takes two content dicts (see ``docsys.drafting.structure``) and
returns a :class:`Redline`:

* **fields** (sumilla, expediente, ...) compared one by one;
* **sections** aligned by ``key``; inside each, **items** aligned by their stable ``id``,
  falling back on text similarity for items whose ids do not match (content pasted or
  created independently). Every item is *unchanged*, *modified*, *inserted*, *deleted*
  or *moved*;
* the **closing** formula;
* a :class:`Summary` of words and items inserted, deleted, moved and modified.

Moved means "same item, other relative order": the items whose order is kept are the
longest increasing run of the old positions read in the new order; every other matched
item is moved, and so is an item that changed section. An item that only shifts because
something was inserted or deleted before it is *not* moved, only renumbered
(``ItemChange.renumbered``): "ARTÍCULO TERCERO" may become "ARTÍCULO SEGUNDO" because the
second article was deleted. A moved item appears in ``SectionChange.entries`` at its new
place, and a :class:`MoveOrigin` marks its old place, so both reading orders are kept.

Word diffs (``diff_words``) tokenise Spanish text into words (letters with their accents,
digits), single punctuation marks and whitespace, compare the words with
:mod:`difflib` and keep the whitespace, so that joining the ``equal`` and ``delete`` pieces
gives back the old text and joining ``equal`` and ``insert`` gives the new one. Both texts
are put in Unicode NFC first: a composed "ó" and a decomposed "o" + U+0301 are the same
letter, while "resolucion" and "resolución" are two different words. Short equalities
squeezed between larger changes are folded into them (the "semantic cleanup" of
diff-match-patch) so that a rewritten sentence reads as one deletion and one insertion
rather than as a comb of single words.

Everything is compared as a reader sees it: texts pass through the layout's cleaning
(control characters dropped, spaces collapsed, empty lines dropped), field values are
single lines, and article labels come from the layout (``item_label``).

``render_html(redline)`` draws the comparison as an HTML fragment
(``templates/render/redline.html``, styled by ``static/css/redline.css``).
"""
from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import ClassVar, Generic, Iterable, NamedTuple, TypeVar, Union

from docsys.rendering.html import environment
from docsys.rendering.layout import Paragraph, block_lines, clean_line, clean_text, item_label

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
UNCHANGED, MODIFIED, INSERTED, DELETED, MOVED = (
    "unchanged", "modified", "inserted", "deleted", "moved")

REDLINE_TEMPLATE = "render/redline.html"
SIMILARITY_THRESHOLD = 0.5
"""Items without matching ids are paired when their words are at least this similar."""
_SIMILARITY_BAND = 40
"""Past 40×40 items left unpaired, only those within 40 places of each other are tried."""

FIELD_LABELS = {
    "sumilla": "Sumilla",
    "expediente": "Expediente(s)",
    "lugar": "Lugar de emisión",
    "fecha": "Fecha de emisión",
    "firmante_nombre": "Nombre del firmante",
    "firmante_cargo": "Cargo del firmante",
}
"""Labels of the fields every document template has (the templates' own labels); pass a
template's labels to ``compare(field_labels=...)`` for the others."""

# Letters carry their accents: after NFC almost every accented letter is one code point
# (\w), and the combining marks that remain stay inside their word.
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_TOKEN_RE = re.compile(rf"\s+|[\w{_COMBINING}]+|[^\w\s]")
_WORD_RE = re.compile(rf"[\w{_COMBINING}]+")


# --------------------------------------------------------------------------- word diff

class DiffOp(NamedTuple):
    """One piece of a word diff: ``tag`` is "equal", "insert" or "delete"."""
    tag: str
    text: str


def nfc(text) -> str:
    return unicodedata.normalize("NFC", text) if text else ""


def tokenize(text: str) -> list[str]:
    """Words, single punctuation marks and whitespace runs; ``"".join`` gives ``text``."""
    return _TOKEN_RE.findall(text or "")


def count_words(text: str) -> int:
    return len(_WORD_RE.findall(text or ""))


def old_text(ops: Iterable[DiffOp]) -> str:
    """The old text of a diff: its equal and deleted pieces."""
    return "".join(op.text for op in ops if op.tag != INSERT)


def new_text(ops: Iterable[DiffOp]) -> str:
    """The new text of a diff: its equal and inserted pieces."""
    return "".join(op.text for op in ops if op.tag != DELETE)


def _units(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Leading whitespace, then (word or mark, whitespace after it) pairs."""
    lead = ""
    units: list[list[str]] = []
    for token in tokenize(text):
        if token[0].isspace():
            if units:
                units[-1][1] += token
            else:
                lead += token
        else:
            units.append([token, ""])
    return lead, [(token, space) for token, space in units]


def _space_ops(old: str, new: str) -> list[DiffOp]:
    if old == new:
        return [DiffOp(EQUAL, old)]
    return [DiffOp(DELETE, old), DiffOp(INSERT, new)]


def diff_words(old: str, new: str) -> tuple[DiffOp, ...]:
    """The word-level diff of two texts (both NFC-normalised first)."""
    old, new = nfc(old), nfc(new)
    if old == new:
        return (DiffOp(EQUAL, old),) if old else ()
    if not old:
        return (DiffOp(INSERT, new),)
    if not new:
        return (DiffOp(DELETE, old),)
    a_lead, a_units = _units(old)
    b_lead, b_units = _units(new)
    a_keys = [token for token, _ in a_units]
    b_keys = [token for token, _ in b_units]
    # difflib does not trim the common ends itself; an edit usually touches a few words
    # of a long paragraph, so trimming first keeps the matcher's work small.
    limit = min(len(a_keys), len(b_keys))
    prefix = 0
    while prefix < limit and a_keys[prefix] == b_keys[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < limit - prefix
           and a_keys[len(a_keys) - 1 - suffix] == b_keys[len(b_keys) - 1 - suffix]):
        suffix += 1
    opcodes: list[tuple[str, int, int, int, int]] = []
    if prefix:
        opcodes.append(("equal", 0, prefix, 0, prefix))
    a_end, b_end = len(a_keys) - suffix, len(b_keys) - suffix
    matcher = difflib.SequenceMatcher(None, a_keys[prefix:a_end], b_keys[prefix:b_end],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        opcodes.append((op, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix))
    if suffix:
        opcodes.append(("equal", a_end, len(a_keys), b_end, len(b_keys)))

    ops = _space_ops(a_lead, b_lead)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for (token, a_space), (_, b_space) in zip(a_units[i1:i2], b_units[j1:j2]):
                ops.append(DiffOp(EQUAL, token))
                ops.extend(_space_ops(a_space, b_space))
        else:
            ops.append(DiffOp(DELETE, "".join(t + s for t, s in a_units[i1:i2])))
            ops.append(DiffOp(INSERT, "".join(t + s for t, s in b_units[j1:j2])))
    return tuple(_cleanup(ops))


def _merge(ops: Iterable[DiffOp]) -> list[DiffOp]:
    """Drop empty pieces, join neighbouring equals, and write every run of changes as
    one deletion followed by one insertion."""
    out: list[DiffOp] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(DiffOp(DELETE, "".join(deleted)))
        if inserted:
            out.append(DiffOp(INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op in ops:
        if not op.text:
            continue
        if op.tag == EQUAL:
            flush()
            if out and out[-1].tag == EQUAL:
                out[-1] = DiffOp(EQUAL, out[-1].text + op.text)
            else:
                out.append(op)
        elif op.tag == DELETE:
            deleted.append(op.text)
        else:
            inserted.append(op.text)
    flush()
    return out


def _change_size(ops: list[DiffOp], start: int, step: int) -> int:
    """Largest of the deleted and inserted lengths of the change run next to ``start``."""
    sizes = {DELETE: 0, INSERT: 0}
    index = start
    while 0 <= index < len(ops) and ops[index].tag != EQUAL:
        sizes[ops[index].tag] += len(ops[index].text)
        index += step
    return max(sizes.values())


def _cleanup(ops: list[DiffOp]) -> list[DiffOp]:
    ops = _merge(_factor_common_tokens(_merge(ops)))
    while True:
        folded, changed = [], False
        for index, op in enumerate(ops):
            if (op.tag == EQUAL and 0 < index < len(ops) - 1 and "\n" not in op.text
                    and len(op.text) <= _change_size(ops, index - 1, -1)
                    and len(op.text) <= _change_size(ops, index + 1, 1)):
                folded += [DiffOp(DELETE, op.text), DiffOp(INSERT, op.text)]
                changed = True
            else:
                folded.append(op)
        ops = _merge(folded)
        if not changed:
            break
    return _merge(_shift_edits(_merge(_factor_common_tokens(ops))))


def _edge_score(left: str, right: str) -> int:
    """How good a place the boundary between two characters is for an edit to start or
    end (diff-match-patch's semantic scores): text ends, line breaks, after a sentence,
    spaces, punctuation, then inside a run of letters."""
    if not left or not right:
        return 6
    if left == "\n" or right == "\n":
        return 4
    if left.isspace() or right.isspace():
        return 3 if left in ".;:" else 2
    if not left.isalnum() or not right.isalnum():
        return 1
    return 0


def _shift_edits(ops: list[DiffOp]) -> list[DiffOp]:
    """Slide each lone insertion or deletion, whole tokens at a time, to where its ends
    fall best: "gerencia<del>.\nSegunda línea</del>." reads better as
    "gerencia.<del>\nSegunda línea.</del>" (the whole line deleted)."""
    ops = list(ops)
    for index, op in enumerate(ops):
        if op.tag == EQUAL:
            continue
        before_op = ops[index - 1] if index > 0 else None
        after_op = ops[index + 1] if index + 1 < len(ops) else None
        if (before_op is not None and before_op.tag != EQUAL) or \
                (after_op is not None and after_op.tag != EQUAL):
            continue
        before = tokenize(before_op.text) if before_op else []
        edit = tokenize(op.text)
        after = tokenize(after_op.text) if after_op else []
        while before and before[-1] == edit[-1]:          # slide fully left
            after.insert(0, edit.pop())
            edit.insert(0, before.pop())
        best, best_score, shift = 0, -1, 0
        while True:
            left = before[-1][-1] if before else ""
            right = after[0][0] if after else ""
            score = (_edge_score(left, edit[0][0]) + _edge_score(edit[-1][-1], right))
            if score >= best_score:      # on ties the rightmost: "b " rather than " b"
                best, best_score = shift, score
            if not after or after[0] != edit[0]:
                break
            before.append(edit.pop(0))                   # slide one token right
            edit.append(after.pop(0))
            shift += 1
        for _ in range(shift - best):                     # back to the best place
            after.insert(0, edit.pop())
            edit.insert(0, before.pop())
        if before_op is not None:
            ops[index - 1] = DiffOp(EQUAL, "".join(before))
        ops[index] = DiffOp(op.tag, "".join(edit))
        if after_op is not None:
            ops[index + 1] = DiffOp(EQUAL, "".join(after))
    return ops


def _factor_common_tokens(ops: list[DiffOp]) -> list[DiffOp]:
    """Move whole tokens shared by the two sides of a change (typically the space after
    a replaced word) out of the change."""
    out: list[DiffOp] = []
    index = 0
    while index < len(ops):
        op = ops[index]
        following = ops[index + 1] if index + 1 < len(ops) else None
        if op.tag == DELETE and following is not None and following.tag == INSERT:
            a, b = tokenize(op.text), tokenize(following.text)
            head = 0
            while head < min(len(a), len(b)) and a[head] == b[head]:
                head += 1
            tail = 0
            while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
                tail += 1
            out.append(DiffOp(EQUAL, "".join(a[:head])))
            out.append(DiffOp(DELETE, "".join(a[head:len(a) - tail])))
            out.append(DiffOp(INSERT, "".join(b[head:len(b) - tail])))
            out.append(DiffOp(EQUAL, "".join(a[len(a) - tail:])))
            index += 2
        else:
            out.append(op)
            index += 1
    return out


def _ops_words(ops: Iterable[DiffOp], tag: str) -> int:
    return sum(count_words(op.text) for op in ops if op.tag == tag)


def _status(old: str, new: str) -> str:
    if old == new:
        return UNCHANGED
    if not old:
        return INSERTED
    if not new:
        return DELETED
    return MODIFIED


# --------------------------------------------------------------------------- result

def _short_label(label: str) -> str:
    """"ARTÍCULO TERCERO.-" → "ARTÍCULO TERCERO"; "3." → "3"."""
    return label.rstrip(" .-:—–")


def _strip_colon(title: str) -> str:
    return title.rstrip(" :")


@dataclass(frozen=True)
class TextChange:
    """A single text compared as a whole (the closing formula)."""
    kind: ClassVar[str] = "text"
    status: str
    old: str
    new: str
    ops: tuple[DiffOp, ...]


@dataclass(frozen=True)
class FieldChange:
    kind: ClassVar[str] = "field"
    key: str
    label: str
    status: str
    old: str
    new: str
    ops: tuple[DiffOp, ...]

    @property
    def old_line(self) -> str:
        """The field as the comparison reads it ("Sumilla: ..."), or "" when empty."""
        return f"{self.label}: {self.old}" if self.old else ""

    @property
    def new_line(self) -> str:
        return f"{self.label}: {self.new}" if self.new else ""


@dataclass(frozen=True)
class ItemChange:
    """One considerando, article or paragraph, in one or both versions.

    Positions are 1-based within the item's section; labels are the layout's
    ("ARTÍCULO TERCERO.-", "Artículo 3.-", "" for unnumbered paragraphs). ``text`` is the
    reading text (lines joined by "\\n"), ``heading`` a single line. ``matched_by`` is
    "id", "text" (similar text, ids differ) or "" (inserted/deleted).
    """
    kind: ClassVar[str] = "item"
    status: str
    old_id: str | None
    new_id: str | None
    old_section: str | None
    new_section: str | None
    old_section_title: str
    new_section_title: str
    old_position: int | None
    new_position: int | None
    old_label: str
    new_label: str
    old_heading: str
    new_heading: str
    old_text: str
    new_text: str
    heading_ops: tuple[DiffOp, ...]
    text_ops: tuple[DiffOp, ...]
    matched_by: str = ""

    @property
    def id(self) -> str | None:
        return self.new_id or self.old_id

    @property
    def changed(self) -> bool:
        """Whether the words (heading or text) changed; a moved item may also have."""
        return (self.status in (INSERTED, DELETED)
                or self.old_text != self.new_text or self.old_heading != self.new_heading)

    @property
    def renumbered(self) -> bool:
        """Kept its place among the other items, but its label changed."""
        return self.status in (UNCHANGED, MODIFIED) and self.old_label != self.new_label

    @property
    def moved_across_sections(self) -> bool:
        return self.status == MOVED and self.old_section != self.new_section

    @property
    def old_display(self) -> tuple[str, ...]:
        """The old item's reading lines exactly as the layout renders them."""
        if self.status == INSERTED:
            return ()
        return _display_lines(self.old_label, self.old_heading, self.old_text)

    @property
    def new_display(self) -> tuple[str, ...]:
        if self.status == DELETED:
            return ()
        return _display_lines(self.new_label, self.new_heading, self.new_text)

    def old_reference(self) -> str:
        """How to name the old item in a sentence: "ARTÍCULO TERCERO", "párrafo 3"."""
        return _reference(self.old_label, self.old_position)

    def new_reference(self) -> str:
        return _reference(self.new_label, self.new_position)

    @property
    def move_label(self) -> str:
        """The visible tag of a moved (or renumbered) item: "Movido: antes ARTÍCULO TERCERO"."""
        where = self.old_reference()
        if self.moved_across_sections and self.old_section_title:
            where += f" de «{_strip_colon(self.old_section_title)}»"
        elif self.moved_across_sections:
            where += f" de la sección «{self.old_section}»"
        if self.status == MOVED:
            return f"Movido: antes {where}"
        return f"Antes {where}" if self.renumbered else ""

    @property
    def move_description(self) -> str:
        """"ARTÍCULO TERCERO pasó a ser ARTÍCULO SEGUNDO" (moved items only)."""
        if self.status != MOVED:
            return ""
        old, new = self.old_reference(), self.new_reference()
        if self.moved_across_sections:
            old_section = _strip_colon(self.old_section_title) or self.old_section
            new_section = _strip_colon(self.new_section_title) or self.new_section
            return f"{old} de «{old_section}» pasó a ser {new} de «{new_section}»"
        return f"{old} pasó a ser {new}"


def _reference(label: str, position: int | None) -> str:
    short = _short_label(label)
    if any(ch.isalpha() for ch in short):
        return short
    return f"párrafo {position}" if position else "párrafo"


def _display_lines(label: str, heading: str, text: str) -> tuple[str, ...]:
    # An empty item of a "text" section is not rendered at all (layout_blocks skips it);
    # an unnumbered empty paragraph renders no line either: block_lines covers both.
    return tuple(block_lines(Paragraph(text=text, label=label, heading=heading)))


_Moved = TypeVar("_Moved", "ItemChange", "SectionChange")


@dataclass(frozen=True)
class MoveOrigin(Generic[_Moved]):
    """Where a moved item or section used to be, in the old reading order."""
    kind: ClassVar[str] = "origin"
    change: _Moved


@dataclass(frozen=True)
class SectionChange:
    """A section aligned by key. ``entries`` is the reading order of the comparison:
    the items in their new order, deleted items and the old places of moved items
    (:class:`MoveOrigin`) where they were in the old order."""
    kind: ClassVar[str] = "section"
    key: str
    status: str
    old_title: str
    new_title: str
    title_ops: tuple[DiffOp, ...]
    old_kind: str
    new_kind: str
    old_position: int | None
    new_position: int | None
    entries: tuple[Union[ItemChange, MoveOrigin[ItemChange]], ...]

    @property
    def items(self) -> tuple[ItemChange, ...]:
        return tuple(entry for entry in self.entries if isinstance(entry, ItemChange))

    @property
    def title(self) -> str:
        return self.new_title or self.old_title

    @property
    def move_description(self) -> str:
        """"La sección «VISTO» pasó del lugar 1 al 2" (moved sections only)."""
        if self.status != MOVED:
            return ""
        name = _strip_colon(self.title) or self.key
        return f"La sección «{name}» pasó del lugar {self.old_position} al {self.new_position}"


@dataclass(frozen=True)
class Summary:
    words_inserted: int = 0
    words_deleted: int = 0
    items_inserted: int = 0
    items_deleted: int = 0
    items_moved: int = 0
    items_modified: int = 0
    """Items whose words changed, moved ones included."""
    items_unchanged: int = 0
    fields_changed: int = 0
    sections_inserted: int = 0
    sections_deleted: int = 0
    sections_moved: int = 0
    closing_changed: bool = False

    @property
    def has_changes(self) -> bool:
        return any((self.words_inserted, self.words_deleted, self.items_inserted,
                    self.items_deleted, self.items_moved, self.items_modified,
                    self.fields_changed, self.sections_inserted, self.sections_deleted,
                    self.sections_moved, self.closing_changed))


@dataclass(frozen=True)
class Redline:
    fields: tuple[FieldChange, ...]
    entries: tuple[Union[SectionChange, MoveOrigin[SectionChange]], ...]
    closing: TextChange
    summary: Summary
    old_doc_type: str = ""
    new_doc_type: str = ""

    @property
    def sections(self) -> tuple[SectionChange, ...]:
        return tuple(entry for entry in self.entries if isinstance(entry, SectionChange))

    def items(self) -> list[ItemChange]:
        return [item for section in self.sections for item in section.items]

    def moves(self) -> list[ItemChange]:
        return [item for item in self.items() if item.status == MOVED]


# --------------------------------------------------------------------------- reading

@dataclass
class _Item:
    id: str | None
    position: int
    label: str
    heading: str
    text: str
    section: "_Section"


@dataclass
class _Section:
    key: str
    title: str
    kind: str
    numbering: str
    index: int
    items: list[_Item] = field(default_factory=list)


def reading_text(raw) -> str:
    """An item's text as read: cleaned like the layout, NFC, one collapsed line per line."""
    lines = (clean_line(line) for line in clean_text(nfc(raw if isinstance(raw, str) else
                                                         ("" if raw is None else str(raw))))
             .split("\n"))
    return "\n".join(line for line in lines if line)


def _line(raw) -> str:
    return nfc(clean_line(raw))


def _read_sections(content: dict) -> list[_Section]:
    sections: list[_Section] = []
    seen_keys: set[str] = set()
    for index, raw in enumerate(content.get("sections") or []):
        if not isinstance(raw, dict):
            continue
        key = str(raw.get("key") or f"seccion_{index + 1}")
        if key in seen_keys:
            key = f"{key}#{index + 1}"
        seen_keys.add(key)
        kind = raw.get("kind") or "paragraphs"
        numbering = raw.get("numbering") or ("ordinal_upper" if kind == "articles" else "none")
        section = _Section(key=key, title=_line(raw.get("title")), kind=kind,
                           numbering=numbering, index=len(sections))
        for position, item in enumerate(raw.get("items") or [], start=1):
            if isinstance(item, str):
                item = {"text": item}
            elif not isinstance(item, dict):
                item = {}
            label = "" if kind == "text" else nfc(item_label(numbering, position))
            item_id = clean_line(item.get("id")) or None
            section.items.append(_Item(id=item_id, position=position, label=label,
                                       heading=_line(item.get("heading")),
                                       text=reading_text(item.get("text")), section=section))
        sections.append(section)
    return sections


def _field_values(content: dict) -> dict[str, str]:
    raw = content.get("fields") or {}
    if not isinstance(raw, dict):
        return {}
    return {str(key): _line(value) for key, value in raw.items()}


def field_order(keys: Iterable[str], field_labels: dict | None = None) -> list[str]:
    """The order the comparison shows fields in: the given labels' order (a template's),
    then the common fields, then the rest alphabetically. It does not depend on the order
    of either version's dict, so both versions read in the same order."""
    ranks = {key: rank for rank, key in enumerate(list(field_labels or {}) + list(FIELD_LABELS))}
    return sorted(set(keys), key=lambda key: (ranks.get(key, len(ranks)), key))


def field_label(key: str, field_labels: dict | None = None) -> str:
    label = (field_labels or {}).get(key) or FIELD_LABELS.get(key)
    return nfc(str(label)) if label else key.replace("_", " ").capitalize()


def version_lines(content: dict, field_labels: dict | None = None) -> list[str]:
    """The reading lines of one version as the comparison shows them: non-empty fields
    ("Sumilla: ..."), then each section's title and items as the layout renders them,
    then the closing. Accepting every change of the tracked DOCX gives the new
    version's lines; rejecting them all gives the old one's."""
    content = content or {}
    values = _field_values(content)
    lines = [f"{field_label(key, field_labels)}: {values[key]}"
             for key in field_order(values, field_labels) if values[key]]
    for section in _read_sections(content):
        if section.title:
            lines.append(section.title)
        for item in section.items:
            lines.extend(_display_lines(item.label, item.heading, item.text))
    closing = _line(content.get("closing"))
    if closing:
        lines.append(closing)
    return lines


# --------------------------------------------------------------------------- alignment

def _in_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of (new, old) pairs whose old positions increase in new order:
    the pairs that kept their relative order. O(n log n) patience sorting."""
    pairs = sorted(pairs)
    tails: list[int] = []          # index into pairs of the smallest tail of each length
    tail_values: list[int] = []    # the old position at each of those tails
    previous: list[int] = [-1] * len(pairs)
    for index, (_, old) in enumerate(pairs):
        length = bisect.bisect_left(tail_values, old)
        if length == len(tail_values):
            tail_values.append(old)
            tails.append(index)
        else:
            tail_values[length] = old
            tails[length] = index
        previous[index] = tails[length - 1] if length else -1
    kept: set[tuple[int, int]] = set()
    index = tails[-1] if tails else -1
    while index >= 0:
        kept.add(pairs[index])
        index = previous[index]
    return kept


def _words(item: _Item) -> list[str]:
    return [token for token in tokenize(f"{item.heading} {item.text}") if not token.isspace()]


def _pair_by_text(old: list[_Item], new: list[_Item]) -> list[tuple[int, int]]:
    """Pair items without matching ids, as (old index, new index) in their sections:
    equal texts (in order first, then anywhere: a move), then the most similar of the
    rest, down to SIMILARITY_THRESHOLD."""
    if not old or not new:
        return []
    key = lambda item: (item.heading, item.text)  # noqa: E731
    matcher = difflib.SequenceMatcher(None, [key(i) for i in old], [key(i) for i in new],
                                      autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend((i1 + k, j1 + k) for k in range(i2 - i1))
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    waiting: dict[tuple[str, str], list[int]] = {}
    for i, item in enumerate(old):
        if i not in used_old:
            waiting.setdefault(key(item), []).append(i)
    for j, item in enumerate(new):
        if j not in used_new and waiting.get(key(item)):
            i = waiting[key(item)].pop(0)
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    rest_old = [i for i in range(len(old)) if i not in used_old]
    rest_new = [j for j in range(len(new)) if j not in used_new]
    banded = len(rest_old) * len(rest_new) > _SIMILARITY_BAND ** 2
    new_words = {j: _words(new[j]) for j in rest_new}
    scored = []
    for a, i in enumerate(rest_old):
        scorer = difflib.SequenceMatcher(None, autojunk=False)
        scorer.set_seq2(_words(old[i]))
        for b, j in enumerate(rest_new):
            if banded and abs(a - b) > _SIMILARITY_BAND:
                continue
            scorer.set_seq1(new_words[j])
            if (scorer.real_quick_ratio() >= SIMILARITY_THRESHOLD
                    and scorer.quick_ratio() >= SIMILARITY_THRESHOLD):
                ratio = scorer.ratio()
                if ratio >= SIMILARITY_THRESHOLD:
                    scored.append((-ratio, abs(a - b), i, j))
    for _, _, i, j in sorted(scored):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    return [(old[i].position - 1, new[j].position - 1) for i, j in pairs]


def _item_change(status: str, old: _Item | None, new: _Item | None,
                 matched_by: str = "") -> ItemChange:
    old_heading = old.heading if old else ""
    new_heading = new.heading if new else ""
    old_text_ = old.text if old else ""
    new_text_ = new.text if new else ""
    if status not in (MOVED, INSERTED, DELETED):
        status = MODIFIED if (old_heading, old_text_) != (new_heading, new_text_) else UNCHANGED
    return ItemChange(
        status=status,
        old_id=old.id if old else None, new_id=new.id if new else None,
        old_section=old.section.key if old else None,
        new_section=new.section.key if new else None,
        old_section_title=old.section.title if old else "",
        new_section_title=new.section.title if new else "",
        old_position=old.position if old else None,
        new_position=new.position if new else None,
        old_label=old.label if old else "", new_label=new.label if new else "",
        old_heading=old_heading, new_heading=new_heading,
        old_text=old_text_, new_text=new_text_,
        heading_ops=diff_words(old_heading, new_heading),
        text_ops=diff_words(old_text_, new_text_),
        matched_by=matched_by,
    )


def _interleave(old_count: int, new_count: int, kept: set[tuple[int, int]],
                new_entry, old_entry) -> list:
    """Entries in new order, with the old-only entries (deleted, moved away) placed where
    they stood in the old order: before the next kept pair, ahead of insertions there."""
    kept_by_new = {new: old for new, old in kept}
    kept_old = {old for _, old in kept}
    next_anchor = [old_count] * (new_count + 1)
    for new in range(new_count - 1, -1, -1):
        next_anchor[new] = kept_by_new.get(new, next_anchor[new + 1])
    entries: list = []
    cursor = 0

    def flush(upto: int) -> None:
        nonlocal cursor
        while cursor < upto:
            if cursor not in kept_old:
                entry = old_entry(cursor)
                if entry is not None:
                    entries.append(entry)
            cursor += 1

    for new in range(new_count):
        if new in kept_by_new:
            flush(kept_by_new[new])
            cursor = kept_by_new[new] + 1
        else:
            flush(next_anchor[new])
        entries.append(new_entry(new))
    flush(old_count)
    return entries


def _locate(sections: list[_Section]) -> dict[str, _Item]:
    """Items by id. Ids are unique within a document; a repeated id (content that was
    not normalised) counts only for its first item, the others fall back on text."""
    found: dict[str, _Item] = {}
    for section in sections:
        for item in section.items:
            if item.id and item.id not in found:
                found[item.id] = item
            elif item.id:
                item.id = None
    return found


@dataclass
class _ItemAlignment:
    """Every item's change: by (section key, index) on the new side, and on the old side
    for the deleted and moved-away ones; and per section the pairs kept in order."""
    new: dict[tuple[str, int], ItemChange] = field(default_factory=dict)
    old: dict[tuple[str, int], ItemChange] = field(default_factory=dict)
    kept: dict[str, set[tuple[int, int]]] = field(default_factory=dict)


def _align_items(old_sections: list[_Section], new_sections: list[_Section]) -> _ItemAlignment:
    old_by_id, new_by_id = _locate(old_sections), _locate(new_sections)
    old_by_key = {s.key: s for s in old_sections}
    result = _ItemAlignment()
    for section in new_sections:
        old_section = old_by_key.get(section.key)
        old_items = old_section.items if old_section else []
        same: list[tuple[int, int, str]] = []     # (new index, old index, matched by)
        for j, item in enumerate(section.items):
            match = old_by_id.get(item.id) if item.id else None
            if match is not None and match.section is old_section:
                same.append((j, match.position - 1, "id"))
            elif match is not None:                # same id, other section: moved
                change = _item_change(MOVED, match, item, "id")
                result.new[(section.key, j)] = change
                result.old[(match.section.key, match.position - 1)] = change
        loose_old = [i for i in old_items if not (i.id and i.id in new_by_id)]
        loose_new = [i for i in section.items if not (i.id and i.id in old_by_id)]
        same += [(j, i, "text") for i, j in _pair_by_text(loose_old, loose_new)]
        kept = _in_order([(j, i) for j, i, _ in same])
        result.kept[section.key] = kept
        for j, i, how in same:
            status = MODIFIED if (j, i) in kept else MOVED
            change = _item_change(status, old_items[i], section.items[j], how)
            result.new[(section.key, j)] = change
            if status == MOVED:
                result.old[(section.key, i)] = change
        for j, item in enumerate(section.items):
            if (section.key, j) not in result.new:
                result.new[(section.key, j)] = _item_change(INSERTED, None, item)
    for section in old_sections:
        kept_old = {i for _, i in result.kept.get(section.key, ())}
        for i, item in enumerate(section.items):
            if i not in kept_old and (section.key, i) not in result.old:
                result.old[(section.key, i)] = _item_change(DELETED, item, None)
    return result


def _section_change(old: _Section | None, new: _Section | None, status: str,
                    items: _ItemAlignment) -> SectionChange:
    # _interleave asks for entries only of the sides that have items.
    def new_entry(j: int):
        assert new is not None
        return items.new[(new.key, j)]

    def old_entry(i: int):
        assert old is not None
        change = items.old[(old.key, i)]
        return MoveOrigin(change) if change.status == MOVED else change

    kept = items.kept.get(new.key, set()) if (new and old) else set()
    entries = _interleave(len(old.items) if old else 0, len(new.items) if new else 0, kept,
                          new_entry, old_entry)
    old_title = old.title if old else ""
    new_title = new.title if new else ""
    if status not in (INSERTED, DELETED, MOVED):
        status = UNCHANGED if old_title == new_title else MODIFIED
    section = new or old
    assert section is not None, "a section change has at least one side"
    return SectionChange(
        key=section.key, status=status, old_title=old_title, new_title=new_title,
        title_ops=diff_words(old_title, new_title),
        old_kind=old.kind if old else "", new_kind=new.kind if new else "",
        old_position=old.index + 1 if old else None,
        new_position=new.index + 1 if new else None,
        entries=tuple(entries))


def _align_sections(old_sections: list[_Section], new_sections: list[_Section],
                    items: _ItemAlignment
                    ) -> list[Union[SectionChange, MoveOrigin[SectionChange]]]:
    """Sections by key, in new order; a deleted section, or the old place of a moved one,
    where it stood in the old order."""
    old_by_key = {s.key: s for s in old_sections}
    pairs = [(s.index, old_by_key[s.key].index) for s in new_sections if s.key in old_by_key]
    kept = _in_order(pairs)
    matched: dict[int, SectionChange] = {}
    moved_from: dict[int, SectionChange] = {}
    for new_index, old_index in pairs:
        status = MODIFIED if (new_index, old_index) in kept else MOVED
        matched[new_index] = _section_change(old_sections[old_index], new_sections[new_index],
                                             status, items)
        if status == MOVED:
            moved_from[old_index] = matched[new_index]
    new_keys = {s.key for s in new_sections}

    def new_entry(j: int):
        return matched.get(j) or _section_change(None, new_sections[j], INSERTED, items)

    def old_entry(i: int):
        if i in moved_from:
            return MoveOrigin(moved_from[i])
        if old_sections[i].key in new_keys:
            return None
        return _section_change(old_sections[i], None, DELETED, items)

    return _interleave(len(old_sections), len(new_sections), kept, new_entry, old_entry)


def compare(old: dict, new: dict, *, field_labels: dict | None = None) -> Redline:
    """Compare two versions' content dicts; see the module docstring.

    ``field_labels`` maps field keys to their labels (a template's ``fields``); it also
    sets the order in which fields are shown.
    """
    old = old or {}
    new = new or {}
    fields = tuple(_compare_fields(_field_values(old), _field_values(new), field_labels))
    old_sections, new_sections = _read_sections(old), _read_sections(new)
    entries = tuple(_align_sections(old_sections, new_sections,
                                    _align_items(old_sections, new_sections)))
    closing_old, closing_new = _line(old.get("closing")), _line(new.get("closing"))
    closing = TextChange(status=_status(closing_old, closing_new), old=closing_old,
                         new=closing_new, ops=diff_words(closing_old, closing_new))
    return Redline(
        fields=fields, entries=entries, closing=closing,
        summary=_summarise(fields, entries, closing),
        old_doc_type=str(old.get("doc_type") or ""), new_doc_type=str(new.get("doc_type") or ""))


def _compare_fields(old: dict[str, str], new: dict[str, str],
                    field_labels: dict | None) -> list[FieldChange]:
    changes = []
    for key in field_order(set(old) | set(new), field_labels):
        before, after = old.get(key, ""), new.get(key, "")
        if not before and not after:
            continue
        changes.append(FieldChange(key=key, label=field_label(key, field_labels),
                                   status=_status(before, after), old=before, new=after,
                                   ops=diff_words(before, after)))
    return changes


def _summarise(fields: tuple[FieldChange, ...], entries, closing: TextChange) -> Summary:
    counts = {"words_inserted": 0, "words_deleted": 0}

    def words(ops) -> None:
        counts["words_inserted"] += _ops_words(ops, INSERT)
        counts["words_deleted"] += _ops_words(ops, DELETE)

    for change in fields:
        words(change.ops)
    words(closing.ops)
    items = {INSERTED: 0, DELETED: 0, MOVED: 0, UNCHANGED: 0}
    modified = 0
    sections = {INSERTED: 0, DELETED: 0, MOVED: 0}
    for section in entries:
        if not isinstance(section, SectionChange):
            continue
        if section.status in sections:
            sections[section.status] += 1
        words(section.title_ops)
        for item in section.items:
            words(item.heading_ops)
            words(item.text_ops)
            if item.status in items:
                items[item.status] += 1
            if item.status in (MODIFIED, MOVED) and item.changed:
                modified += 1
    return Summary(
        words_inserted=counts["words_inserted"], words_deleted=counts["words_deleted"],
        items_inserted=items[INSERTED], items_deleted=items[DELETED],
        items_moved=items[MOVED], items_modified=modified, items_unchanged=items[UNCHANGED],
        fields_changed=sum(1 for change in fields if change.status != UNCHANGED),
        sections_inserted=sections[INSERTED], sections_deleted=sections[DELETED],
        sections_moved=sections[MOVED], closing_changed=closing.status != UNCHANGED)


# --------------------------------------------------------------------------- HTML

def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary_lines(summary: Summary) -> list[str]:
    """The summary in Spanish, one short sentence per kind of change."""
    if not summary.has_changes:
        return ["Sin cambios entre las dos versiones."]
    lines = []
    if summary.words_inserted or summary.words_deleted:
        inserted = _plural(summary.words_inserted, "palabra insertada", "palabras insertadas")
        deleted = _plural(summary.words_deleted, "eliminada", "eliminadas")
        lines.append(f"{inserted} y {deleted}.")
    parts = []
    if summary.items_modified:
        parts.append(_plural(summary.items_modified, "modificado", "modificados"))
    if summary.items_inserted:
        parts.append(_plural(summary.items_inserted, "insertado", "insertados"))
    if summary.items_deleted:
        parts.append(_plural(summary.items_deleted, "eliminado", "eliminados"))
    if summary.items_moved:
        parts.append(_plural(summary.items_moved, "movido", "movidos"))
    if parts:
        lines.append("Artículos y párrafos: " + ", ".join(parts) + ".")
    if summary.fields_changed:
        lines.append(f"{_plural(summary.fields_changed, 'dato modificado', 'datos modificados')}"
                     " (sumilla, expediente, firmante...).")
    section_parts = []
    if summary.sections_inserted:
        section_parts.append(_plural(summary.sections_inserted, "insertada", "insertadas"))
    if summary.sections_deleted:
        section_parts.append(_plural(summary.sections_deleted, "eliminada", "eliminadas"))
    if summary.sections_moved:
        section_parts.append(_plural(summary.sections_moved, "movida", "movidas"))
    if section_parts:
        lines.append("Secciones: " + ", ".join(section_parts) + ".")
    if summary.closing_changed:
        lines.append("Fórmula de cierre modificada.")
    return lines


def render_html(redline: Redline) -> str:
    """The comparison as an HTML fragment (``<div class="redline">``), every text escaped.

    Insertions are ``<ins class="rl-ins">``, deletions ``<del class="rl-del">``; each item
    is a ``div.rl-item.rl-<status>`` with ``data-item``; a moved item carries the visible
    tag "Movido: antes ARTÍCULO TERCERO" and its old place a note "ARTÍCULO TERCERO pasó a
    ser ARTÍCULO PRIMERO". Link ``static/css/redline.css`` in the page.
    """
    template = environment().get_template(REDLINE_TEMPLATE)
    return template.render(redline=redline, summary=summary_lines(redline.summary))
