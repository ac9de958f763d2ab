"""Generated norms of the old archive, as the municipality's files look: text PDFs, DOCX
and scans (image-only PDFs), for the demo, the tests and the import benchmark. The texts
they are made of (letterhead, places, year names, types, subjects, considerandos) are in
``demo/data/specimens.yaml``.

The same seed gives the same norms and the same bytes (fixed PDF and ZIP dates), so a
generated folder imported twice is recognised as already imported. The texts follow the
municipal conventions of docs DOMAIN (heading "TIPO N° 012-2024-...", place and date,
VISTO / CONSIDERANDO / SE RESUELVE or an ordinance's "POR CUANTO"), with the letterhead
and the official name of the year at the top, as on paper.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import random
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from demo.loader import data
from docsys.rendering.ordinals import long_date

_TEXTS = data("specimens")  # demo/data/specimens.yaml
MUNICIPALITY: str = _TEXTS["municipality"]
MUNI_CODE: str = _TEXTS["muni_code"]
PLACES: tuple[str, ...] = tuple(_TEXTS["places"])
YEAR_NAMES: dict[int, str] = _TEXTS["year_names"]
# type -> (heading name, office code in the number or None, closing formula)
TYPES: dict[str, tuple[str, str | None, str]] = {
    doc_type: (spec["heading"], spec["office"], spec["closing"])
    for doc_type, spec in _TEXTS["types"].items()}
SUBJECTS: dict[str, list[str]] = _TEXTS["subjects"]
CONSIDERANDOS: list[str] = _TEXTS["considerandos"]


@dataclass(frozen=True)
class SpecimenNorm:
    """One norm of the generated archive and the metadata an importer should read."""

    doc_type: str
    number: int
    year: int
    date: dt.date
    place: str
    subject: str
    considerandos: tuple[str, ...] = field(default=())
    number_legible: bool = True  # False: the number was left blank on the paper (by hand)

    @property
    def office(self) -> str | None:
        return TYPES[self.doc_type][1]

    @property
    def label(self) -> str:
        """The number as written: "0045-2024-GM-MDM" (ordinances: "012-2019-MDM")."""
        width = 4 if self.doc_type == "RGM" else 3
        parts = [f"{self.number:0{width}d}", str(self.year)]
        if self.office:
            parts.append(self.office)
        return "-".join(parts + [MUNI_CODE])

    @property
    def heading(self) -> str:
        label = self.label if self.number_legible else "______-" + self.label.split("-", 1)[1]
        return f"{TYPES[self.doc_type][0]} N° {label}"

    @property
    def date_line(self) -> str:
        return f"{self.place}, {long_date(self.date)}"

    def blocks(self) -> list[tuple[str, str]]:
        """(style, text) in reading order: style is center, bold, title or body."""
        year_name = YEAR_NAMES.get(self.year, "Año del Fortalecimiento de la Gestión Municipal")
        out = [("center", MUNICIPALITY), ("center", f"«{year_name}»"),
               ("title", self.heading), ("body", self.date_line)]
        if self.doc_type == "OM":
            out += [("body", "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI"),
                    ("bold", "POR CUANTO:"),
                    ("body", "El Concejo Municipal, en sesión ordinaria de la fecha, con el voto "
                             "unánime de sus miembros y con dispensa del trámite de lectura y "
                             "aprobación del acta, ha aprobado la siguiente:"),
                    ("title", self.subject),
                    ("body", f"Artículo 1.- Aprobar el texto de la presente ordenanza, "
                             f"{self._detail()}."),
                    ("body", "Artículo 2.- Encargar a la Gerencia Municipal el cumplimiento de "
                             "lo dispuesto en la presente ordenanza."),
                    ("body", "POR TANTO: MANDO SE REGISTRE, PUBLIQUE Y CUMPLA.")]
            return out
        if self.doc_type == "DIR":
            out += [("title", self.subject.upper()),
                    ("bold", "I. OBJETIVO"),
                    ("body", f"Establecer las {self.subject[0].lower()}{self.subject[1:]} de la "
                             "Municipalidad Distrital de Megantoni."),
                    ("bold", "II. BASE LEGAL"),
                    ("body", "Ley N° 27972, Ley Orgánica de Municipalidades."),
                    ("bold", "III. ALCANCE"),
                    ("body", "Es de cumplimiento obligatorio para todas las unidades orgánicas.")]
            return out
        out += [("bold", "VISTO:"),
                ("body", f"El Informe N° {self.number + 17:03d}-{self.year}-GAJ-MDM y el expediente "
                         f"administrativo N° {self.number * 37 % 9000 + 1000}-{self.year}, y;"),
                ("bold", "CONSIDERANDO:")]
        out += [("body", text) for text in self.considerandos]
        out += [("bold", "SE RESUELVE:" if self.doc_type != "AC" else "ACUERDA:"),
                ("body", f"ARTÍCULO PRIMERO.- {self.subject}, {self._detail()}."),
                ("body", "ARTÍCULO SEGUNDO.- ENCARGAR a la Gerencia Municipal el cumplimiento "
                         "de la presente."),
                ("bold", TYPES[self.doc_type][2])]
        return out

    def _detail(self) -> str:
        return (f"conforme a los considerandos expuestos, en el centro poblado de {self.place}, "
                f"distrito de Megantoni, provincia de La Convención")

    def text(self) -> str:
        return "\n".join(text for _, text in self.blocks())


def specimens(count: int, seed: int = 7, types: tuple[str, ...] = tuple(TYPES)) -> list[SpecimenNorm]:
    """``count`` different norms (distinct numbers per type and year), deterministic."""
    rng = random.Random(seed)
    used: set[tuple[str, int, int]] = set()
    norms = []
    while len(norms) < count:
        doc_type = types[len(norms) % len(types)]
        year = rng.randint(2019, 2025)
        number = rng.randint(1, 400)
        if (doc_type, number, year) in used:
            continue
        used.add((doc_type, number, year))
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
        chosen = rng.sample(CONSIDERANDOS, 3)
        considerandos = tuple(c.format(inf=rng.randint(1, 300), year=year) for c in chosen)
        norms.append(SpecimenNorm(doc_type, number, year, date, rng.choice(PLACES),
                                  rng.choice(SUBJECTS[doc_type]), considerandos))
    return norms


# ---------------------------------------------------------------------------- renderings

_FIXED = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
_CSS = ("@page { size: A4; margin: 2.2cm 2.4cm } body { font-family: 'DejaVu Sans', sans-serif;"
        " font-size: 11pt; line-height: 1.35 } p { margin: 0 0 .55em; text-align: justify }"
        " .center { text-align: center; font-size: 10pt } .title { text-align: center;"
        " font-weight: bold; margin: .8em 0 } .bold { font-weight: bold }")


def to_pdf(norm: SpecimenNorm) -> bytes:
    """A text PDF, as printed to PDF from Word (WeasyPrint, deterministic bytes)."""
    from weasyprint import HTML

    body = "".join(f'<p class="{style}">{html.escape(text)}</p>' for style, text in norm.blocks())
    page = (f"<html lang='es'><head><meta charset='utf-8'><style>{_CSS}</style></head>"
            f"<body>{body}</body></html>")
    return HTML(string=page).write_pdf()


def to_docx(norm: SpecimenNorm) -> bytes:
    """A Word document with the heading centred and bold (python-docx, fixed dates)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    for style, text in norm.blocks():
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = style in ("title", "bold")
        if style in ("title", "center"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    props = document.core_properties
    props.created = props.modified = props.last_printed = _FIXED.replace(tzinfo=None)
    props.author = props.last_modified_by = "Secretaría General"
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip_dates(out.getvalue())


def to_scan(norm: SpecimenNorm, dpi: int = 200, skew: float = 0.4, seed: int = 0) -> bytes:
    """An image-only PDF like a scanner's: the printed page rasterised in grey, slightly
    rotated, with paper noise, JPEG-compressed; no text layer."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed or norm.number * 31 + norm.year)
    document = pdfium.PdfDocument(to_pdf(norm))
    try:
        pages = [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
                 for i in range(len(document))]
    finally:
        document.close()
    scanned = []
    for image in pages:
        image = image.rotate(rng.uniform(-skew, skew), resample=Image.BICUBIC, fillcolor=250,
                             expand=False)
        noise = Image.effect_noise(image.size, 18).point(lambda v: 255 if v > 40 else 200)
        image = Image.composite(image, noise.filter(ImageFilter.MinFilter(3)),
                                Image.new("L", image.size, 230))
        scanned.append(image.point(lambda v: min(255, v + 6)))
    out = io.BytesIO()
    fixed = time.gmtime(_FIXED.timestamp())
    scanned[0].save(out, format="PDF", resolution=float(dpi), save_all=True,
                    append_images=scanned[1:], quality=80, creationDate=fixed,
                    modDate=fixed, producer="Escaner del archivo")
    return out.getvalue()


def _fixed_zip_dates(data: bytes) -> bytes:
    """The same ZIP with every member dated 1 January 2024 (python-docx stamps the time of
    saving), so that generating the same document twice gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def file_name(norm: SpecimenNorm, extension: str) -> str:
    """A file name as archivists write them: "RGM 0045-2024-GM-MDM.pdf"."""
    return f"{norm.doc_type} {norm.label}.{extension}"


def write_archive(directory: str | Path, norms: list[SpecimenNorm],
                  kinds: list[str]) -> list[Path]:
    """Write each norm as the kind at its position ("pdf", "docx" or "scan")."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for norm, kind in zip(norms, kinds):
        if kind == "pdf":
            data, name = to_pdf(norm), file_name(norm, "pdf")
        elif kind == "docx":
            data, name = to_docx(norm), file_name(norm, "docx")
        elif kind == "scan":
            data, name = to_scan(norm), file_name(norm, "pdf").replace(".pdf", " (escaneado).pdf")
        else:
            raise ValueError(f"unknown specimen kind {kind!r}")
        path = directory / name
        path.write_bytes(data)
        paths.append(path)
    return paths
