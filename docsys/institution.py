"""The institution as data, kept in the database and editable by an administrator: the
official name of each year (the documents of a year carry that year's name; the
``YEAR_NAME`` setting only serves a year without one), and the images of the letterhead
(the municipal shield and the letterhead logo), stored as blobs."""
from __future__ import annotations

import base64
import io
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from docsys import blobs, events, policy
from docsys.errors import ValidationError
from docsys.models import Blob, InstitutionSetting, User, YearName
from docsys.models._common import utcnow

MAX_NAME = 300


def year_names(session: Session) -> dict[int, str]:
    return {year: name for year, name in session.execute(select(YearName.year, YearName.name))}


def with_year_names(session: Session, settings: Any,
                    image_urls: dict[str, str] | None = None) -> dict:
    """The rendering settings plus ``YEAR_NAMES`` (year -> official name), which
    ``rendering.layout.build_meta`` prefers to the single ``YEAR_NAME``, and the letterhead
    images (``SHIELD_DATA_URI``, ``LETTERHEAD_DATA_URI``): embedded as data URIs (PDF, DOCX),
    or, for renderings shown on screen, the ``image_urls`` (key -> address) of the uploaded
    ones, so a live preview does not carry the images each time."""
    settings = dict(settings or {})
    if image_urls is None:
        images = {key: data_uri(image)
                  for key, image in images_of(session, settings.get("BLOB_DIR")).items()}
    else:
        images = {key: image_urls[key] for key in image_keys(session) if key in image_urls}
    return {**settings, **{f"{key.upper()}_DATA_URI": uri for key, uri in images.items()},
            "YEAR_NAMES": year_names(session)}


# ---- letterhead images --------------------------------------------------------------------

# What an administrator may upload: the setting key, and its name in the pages.
IMAGES = {"shield": "escudo municipal", "letterhead": "logo del membrete"}
MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_SIDE = 4000
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class StoredImage:
    """An image as stored: its bytes and MIME type (PNG or JPEG)."""

    def __init__(self, data: bytes, mimetype: str):
        self.data, self.mimetype = data, mimetype


def data_uri(image: StoredImage) -> str:
    return f"data:{image.mimetype};base64,{base64.b64encode(image.data).decode('ascii')}"


def checked_image(data: Any, label: str) -> str:
    """The MIME type of an uploaded image, judged by its content (not its name): a PNG or
    JPEG that Pillow reads whole, within the size limits; else a clear 400."""
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise ValidationError(f"Adjunte el {label} (PNG o JPEG).")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(f"El {label} pesa más de {MAX_IMAGE_BYTES // 1024} KB; "
                              "redúzcalo.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in _FORMATS:
                raise ValidationError(f"El {label} debe ser una imagen PNG o JPEG.")
            if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                raise ValidationError(f"El {label} mide más de {MAX_IMAGE_SIDE} píxeles de "
                                      "lado; redúzcalo.")
            # The data is all there: WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the
            # whole process, so load() alone would accept a cut file; verify() does not.
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # and it decodes
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(f"El archivo del {label} no es una imagen PNG o JPEG "
                              "válida.") from None
    return _FORMATS[kind]


def set_image(session: Session, blob_dir: Any, actor: User, key: str, data: Any) -> None:
    """Store the shield or the letterhead logo (replacing the previous one)."""
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador cambia el escudo y el membrete.")
    if key not in IMAGES:
        raise ValidationError("Imagen desconocida: elija el escudo o el logo del membrete.")
    mimetype = checked_image(data, IMAGES[key])
    blob = blobs.put(session, blob_dir, bytes(data), mimetype)
    row = session.get(InstitutionSetting, key)
    if row is None:
        row = InstitutionSetting(key=key)
        session.add(row)
    row.blob_sha256, row.updated_at, row.updated_by_id = blob.sha256, utcnow(), actor.id
    session.flush()
    events.record(session, "institution_image", actor, None, image=key, sha256=blob.sha256)


def image_keys(session: Session) -> set[str]:
    """Which letterhead images were uploaded (without reading them)."""
    return set(session.scalars(select(InstitutionSetting.key).where(
        InstitutionSetting.key.in_(IMAGES), InstitutionSetting.blob_sha256.is_not(None))))


def images_of(session: Session, blob_dir: Any) -> dict[str, StoredImage]:
    """The stored letterhead images, by key (none when no administrator uploaded any)."""
    rows = session.execute(
        select(InstitutionSetting.key, Blob.sha256, Blob.mimetype)
        .join(Blob, Blob.sha256 == InstitutionSetting.blob_sha256)
        .where(InstitutionSetting.key.in_(IMAGES)))
    return {key: StoredImage(blobs.get(blob_dir, digest), mimetype)
            for key, digest, mimetype in rows}


def set_year_name(session: Session, actor: User, year: Any, name: Any) -> YearName:
    policy.require(actor, policy.Action.ADMINISTER, None,
                   "Solo un administrador registra la denominación del año.")
    try:
        year = int(str(year).strip())
    except ValueError:
        raise ValidationError("Indique el año con cuatro cifras.") from None
    if not 1900 <= year <= 2200:
        raise ValidationError("Indique el año con cuatro cifras.")
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME:
        raise ValidationError(f"Indique la denominación (hasta {MAX_NAME} caracteres).")
    row = session.get(YearName, year)
    if row is None:
        row = YearName(year=year, name=name)
        session.add(row)
    else:
        row.name = name
    session.flush()
    events.record(session, "year_name", actor, None, year=year, year_name=name)
    return row
