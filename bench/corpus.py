"""A seeded generator of a Spanish municipal legal corpus, and a fixed mix of queries.

The same seed gives the same documents and queries on every machine, so figures from
different runs and engines are comparable. Documents look like the norms of a Peruvian
district municipality: resolutions, ordinances, agreements, decrees, directives, and a few
imported national norms; with VISTO / CONSIDERANDO / SE RESUELVE bodies of 300–3,000 words
that cite laws and earlier municipal norms by number.

    from bench.corpus import generate, make_queries
    for doc in generate(1000, seed=7): ...
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from search.base import SearchDoc
from search.numbers import number_key

MUNI = "MDM"
YEARS = list(range(2007, 2026))

# type code -> (share, office(s), number pattern)
TYPES: dict[str, tuple[float, list[str], str]] = {
    "RA": (0.27, ["ALC"], "RESOLUCIÓN DE ALCALDÍA N° {n:03d}-{y}-A-MDM"),
    "RGM": (0.24, ["GM"], "RESOLUCIÓN DE GERENCIA MUNICIPAL N° {n:04d}-{y}-GM-MDM"),
    "RG": (0.15, ["GAF", "GDUR", "GDS", "GDE", "GSP", "GAJ"],
           "RESOLUCIÓN DE GERENCIA N° {n:03d}-{y}-{o}-MDM"),
    "OM": (0.08, ["CM"], "ORDENANZA MUNICIPAL N° {n:03d}-{y}-MDM"),
    "AC": (0.09, ["CM"], "ACUERDO DE CONCEJO N° {n:03d}-{y}-MDM"),
    "DA": (0.05, ["ALC"], "DECRETO DE ALCALDÍA N° {n:03d}-{y}-A-MDM"),
    "DIR": (0.07, ["GM", "GAF", "GPP"], "DIRECTIVA N° {n:03d}-{y}-{o}-MDM"),
    "LEY": (0.03, ["SG"], "LEY N° {n}"),
    "DS": (0.02, ["SG"], "DECRETO SUPREMO N° {n:03d}-{y}-{m}"),
}
OFFICE_NAMES = {
    "ALC": "Alcaldía", "GM": "Gerencia Municipal", "CM": "Concejo Municipal",
    "GAF": "Gerencia de Administración y Finanzas", "GDUR": "Gerencia de Desarrollo Urbano y Rural",
    "GDS": "Gerencia de Desarrollo Social", "GDE": "Gerencia de Desarrollo Económico",
    "GSP": "Gerencia de Servicios Públicos", "GAJ": "Gerencia de Asesoría Jurídica",
    "GPP": "Gerencia de Planeamiento y Presupuesto", "SG": "Secretaría General",
}
MINISTRIES = ["JUS", "PCM", "EF", "VIVIENDA", "MINAM", "MTC", "SA", "MIDIS"]

FIRST = ["Juan", "María", "Carlos", "Rosa", "Luis", "Ana", "Jorge", "Elena", "Víctor", "Lucía",
         "Miguel", "Carmen", "Raúl", "Silvia", "Walter", "Gladys", "Édgar", "Nélida", "Julio",
         "Yolanda", "Percy", "Flor", "Iván", "Sonia", "Hugo", "Marleni", "Alberto", "Ruth"]
LAST = ["Quispe", "Mamani", "Huamán", "Condori", "Rodríguez", "Pérez", "Ccahuana", "Chávez",
        "Gutiérrez", "Vargas", "Ramos", "Flores", "Torres", "Sánchez", "Zúñiga", "Apaza",
        "Yupanqui", "Ñaupa", "Castañeda", "Peña", "Ochoa", "Cárdenas", "Soto", "Huillca"]
PLACES = ["Camisea", "Kepashiato", "Kiteni", "Ivochote", "Cashiriari", "Timpía", "Shivankoreni",
          "Nuevo Mundo", "Kirigueti", "Segakiato", "Ticumpinía", "Puerto Huallana", "Chocoriari",
          "Kitaparay", "Sensa", "Malvinas", "Nueva Luz", "Porotobango", "Montetoni"]

TOPICS = [
    "licencia de funcionamiento", "impuesto predial", "arbitrios municipales",
    "limpieza pública", "parques y jardines", "serenazgo", "seguridad ciudadana",
    "presupuesto institucional", "modificación presupuestaria", "contratación de bienes",
    "contratación de servicios", "ejecución de obra", "expediente técnico",
    "saneamiento físico legal", "transporte público", "comercio ambulatorio",
    "defensa civil", "gestión del riesgo de desastres", "residuos sólidos",
    "agua potable y alcantarillado", "electrificación rural", "programa de vaso de leche",
    "participación ciudadana", "presupuesto participativo", "demarcación territorial",
    "habilitación urbana", "licencia de edificación", "certificado de parámetros",
    "registro civil", "matrimonio civil", "control interno", "caja chica",
    "viáticos", "encargo de funciones", "designación de funcionarios",
    "procedimiento administrativo sancionador", "cuadro de infracciones",
    "texto único de procedimientos administrativos", "reglamento de organización y funciones",
    "plan de desarrollo concertado", "canon y sobrecanon gasífero", "fondo de compensación",
    "mantenimiento de caminos vecinales", "puente peatonal", "institución educativa",
    "puesto de salud", "comunidades nativas", "pueblos indígenas", "turismo comunitario",
    "cacao y café", "piscigranja", "maquinaria pesada", "combustible",
]
ACTIONS = ["Aprobar", "Modificar", "Declarar procedente", "Declarar improcedente", "Designar",
           "Encargar", "Dejar sin efecto", "Autorizar", "Reconocer", "Otorgar", "Disponer",
           "Ratificar", "Declarar de interés", "Conformar", "Delegar"]
LAWS = [
    "la Ley N° 27972, Ley Orgánica de Municipalidades",
    "el Texto Único Ordenado de la Ley N° 27444, Ley del Procedimiento Administrativo General, "
    "aprobado por Decreto Supremo N° 004-2019-JUS",
    "la Ley N° 30225, Ley de Contrataciones del Estado",
    "el Decreto Legislativo N° 1440, del Sistema Nacional de Presupuesto Público",
    "la Ley N° 28411, Ley General del Sistema Nacional de Presupuesto",
    "la Ley N° 30057, Ley del Servicio Civil",
    "el Decreto Supremo N° 082-2019-EF",
    "la Ley N° 29664, que crea el Sistema Nacional de Gestión del Riesgo de Desastres",
    "el Decreto Legislativo N° 1278, Ley de Gestión Integral de Residuos Sólidos",
    "la Ley N° 27785, Ley Orgánica del Sistema Nacional de Control",
    "la Ley N° 28976, Ley Marco de Licencia de Funcionamiento",
    "la Ley N° 29090, Ley de Regulación de Habilitaciones Urbanas y de Edificaciones",
    "el Decreto Supremo N° 156-2004-EF, Texto Único Ordenado de la Ley de Tributación Municipal",
    "la Ley N° 27933, Ley del Sistema Nacional de Seguridad Ciudadana",
    "el Decreto Legislativo N° 1252",
    "la Ley N° 31433",
    "el artículo 194 de la Constitución Política del Perú",
]
CONSIDERANDOS = [
    "Que, el artículo 194 de la Constitución Política del Perú, modificado por la Ley N° 30305, "
    "establece que las municipalidades provinciales y distritales son los órganos de gobierno "
    "local que tienen autonomía política, económica y administrativa en los asuntos de su "
    "competencia;",
    "Que, el artículo II del Título Preliminar de {law} señala que los gobiernos locales gozan "
    "de autonomía política, económica y administrativa en los asuntos de su competencia, la "
    "cual radica en la facultad de ejercer actos de gobierno, administrativos y de "
    "administración, con sujeción al ordenamiento jurídico;",
    "Que, mediante Informe N° {inf:03d}-{y}-{o}-MDM, de fecha {d}, el responsable de la "
    "{office} remite los actuados y recomienda {action_l} lo relativo a {topic}, en el centro "
    "poblado de {place}, por encontrarse conforme a la normativa vigente;",
    "Que, con Informe Legal N° {inf2:03d}-{y}-GAJ-MDM, la Gerencia de Asesoría Jurídica opina "
    "que resulta procedente {action_l} {topic}, de conformidad con {law};",
    "Que, el numeral 6 del artículo 20 de la Ley N° 27972 establece que es atribución del "
    "alcalde dictar decretos y resoluciones de alcaldía con sujeción a las leyes y ordenanzas;",
    "Que, de acuerdo con {law}, corresponde a la entidad garantizar la continuidad del "
    "servicio de {topic} en beneficio de la población de {place};",
    "Que, mediante {prior}, se aprobó el marco normativo aplicable a {topic}, el cual debe ser "
    "actualizado conforme a las necesidades de la gestión municipal;",
    "Que, la Gerencia de Planeamiento y Presupuesto, mediante Informe N° {inf3:03d}-{y}-GPP-MDM, "
    "otorga la disponibilidad presupuestal por el monto de S/ {amount:,}.00 con cargo a la "
    "fuente de financiamiento canon y sobrecanon;",
    "Que, el expediente administrativo N° {exp:05d}-{y} presentado por don {person} solicita "
    "{topic}, adjuntando los requisitos establecidos en el Texto Único de Procedimientos "
    "Administrativos de la entidad;",
    "Que, el artículo 39 de la Ley N° 27972 dispone que las gerencias resuelven los aspectos "
    "administrativos a su cargo a través de resoluciones y directivas;",
    "Que, conforme a {prior}, corresponde dejar sin efecto las disposiciones que se opongan a "
    "la presente y adecuar los procedimientos de {topic};",
    "Que, estando a lo expuesto y en uso de las facultades conferidas por {law}, y con el "
    "visto bueno de la Gerencia Municipal y de la Gerencia de Asesoría Jurídica;",
    "Que, la Subgerencia de Logística informa que el proceso de selección para {topic} fue "
    "declarado desierto, por lo que corresponde convocar nuevamente conforme a {law};",
    "Que, el Concejo Municipal, en sesión ordinaria de fecha {d}, aprobó por unanimidad "
    "{topic}, con dispensa del trámite de lectura y aprobación del acta;",
    "Que, el recurso de apelación interpuesto por doña {person} contra la resolución que "
    "denegó {topic} no desvirtúa los fundamentos de la decisión impugnada, por lo que debe "
    "declararse infundado, dándose por agotada la vía administrativa;",
    "Que, el servidor {person} fue designado para el cumplimiento de funciones en {topic}, "
    "debiendo rendir cuenta documentada de los recursos asignados dentro del plazo de ley;",
]
ARTICLES = [
    "{action} {topic} en el ámbito del distrito de Megantoni, conforme a los considerandos "
    "de la presente.",
    "ENCARGAR a la {office} el cumplimiento de lo dispuesto en la presente resolución.",
    "NOTIFICAR la presente a los interesados y a las unidades orgánicas competentes para "
    "los fines de ley.",
    "DEJAR SIN EFECTO {prior} y toda disposición que se oponga a la presente.",
    "DISPONER la publicación de la presente en el portal institucional de la Municipalidad "
    "Distrital de Megantoni.",
    "AUTORIZAR a la Gerencia de Administración y Finanzas la transferencia de S/ {amount:,}.00 "
    "para {topic} en el centro poblado de {place}.",
    "DESIGNAR a don {person} como responsable de {topic}, a partir de la fecha.",
]
ORDINALS = ["PRIMERO", "SEGUNDO", "TERCERO", "CUARTO", "QUINTO", "SEXTO", "SÉPTIMO", "OCTAVO"]
TITLE_TEMPLATES = [
    "{action} {topic} en el centro poblado de {place}",
    "{action} el reglamento de {topic} de la Municipalidad Distrital de Megantoni",
    "{action} la directiva para {topic}",
    "{action} el recurso de apelación sobre {topic} interpuesto por {person}",
    "{action} a {person} como responsable de {topic}",
    "{action} la modificación de {topic} y dictan otras disposiciones",
]
STATUS_WEIGHTS = [("vigente", 0.70), ("modificada", 0.12), ("derogada", 0.10),
                  ("borrador", 0.08)]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"


@dataclass
class _State:
    counters: dict[tuple[str, str, int], int]
    issued: list[tuple[str, str]]   # (type, number string) issued so far, for citations


def generate(n: int, seed: int = 20261125) -> Iterator[SearchDoc]:
    """``n`` documents, deterministic for a given seed."""
    rng = random.Random(seed)
    types = list(TYPES)
    weights = [TYPES[t][0] for t in types]
    signers = {(o, y): _person(rng) for o in OFFICE_NAMES for y in YEARS}
    state = _State({}, [])
    statuses = [s for s, _ in STATUS_WEIGHTS]
    status_w = [w for _, w in STATUS_WEIGHTS]
    for i in range(1, n + 1):
        doc_type = rng.choices(types, weights)[0]
        _, offices, pattern = TYPES[doc_type]
        office = rng.choice(offices)
        year = YEARS[min(len(YEARS) - 1, int(len(YEARS) * (i - 1) / max(n, 1)))]
        day = date(year, 1, 2) + timedelta(days=rng.randrange(360))
        status = rng.choices(statuses, status_w)[0]
        draft = status == "borrador" and doc_type not in ("LEY", "DS")
        if not draft and status == "borrador":
            status = "vigente"
        key = (doc_type, office, year)
        if draft:
            number = ""
        else:
            state.counters[key] = state.counters.get(key, 0) + 1
            seq = state.counters[key]
            if doc_type == "LEY":
                seq = 27000 + i % 5000
            number = pattern.format(n=seq, y=year, o=office, m=rng.choice(MINISTRIES))
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        person = _person(rng)
        action = rng.choice(ACTIONS)
        title = rng.choice(TITLE_TEMPLATES).format(action=action, topic=topic, place=place,
                                                   person=person)
        body = _body(rng, doc_type, number, office, year, day, topic, place, person, action,
                     state)
        if number:
            state.issued.append((doc_type, number))
            if len(state.issued) > 5000:
                del state.issued[: len(state.issued) - 5000]
        published = not draft and rng.random() < 0.93
        yield SearchDoc(
            id=f"doc-{i}", document_id=i, version_number=1 + rng.randrange(6),
            doc_type=doc_type, number=number,
            number_key=number_key(doc_type, number, year) if number else "",
            title=title, body=body, year=year, date=None if draft else day.isoformat(),
            office=office, status=status, published=published,
            signer="" if draft else signers[(office, year)],
            created_by=1 + rng.randrange(60),
        )


def _body(rng, doc_type, number, office, year, day, topic, place, person, action, state):
    target = rng.randint(300, 3000)
    out: list[str] = []
    heading = number or f"PROYECTO DE {doc_type}"
    out.append(f"{heading}\nCamisea, {day.day} de {_MONTHS[day.month - 1]} de {year}")
    out.append(f"VISTO: El Informe N° {rng.randrange(1, 900):03d}-{year}-{office}-MDM, el "
               f"expediente N° {rng.randrange(1, 99999):05d}-{year} sobre {topic}, y;")
    out.append("CONSIDERANDO:")
    words = sum(len(p.split()) for p in out)
    office_name = OFFICE_NAMES.get(office, "Gerencia Municipal")
    while words < target - 60:
        prior = _prior(rng, state)
        para = rng.choice(CONSIDERANDOS).format(
            law=rng.choice(LAWS), inf=rng.randrange(1, 999), inf2=rng.randrange(1, 999),
            inf3=rng.randrange(1, 999), y=year, o=office, d=_date_text(rng, year),
            office=office_name.lower(), action_l=rng.choice(ACTIONS).lower(),
            topic=rng.choice(TOPICS) if rng.random() < 0.5 else topic,
            place=rng.choice(PLACES) if rng.random() < 0.3 else place,
            prior=prior, amount=rng.randrange(1000, 900000), exp=rng.randrange(1, 99999),
            person=_person(rng) if rng.random() < 0.5 else person)
        out.append(para)
        words += len(para.split())
    out.append("SE RESUELVE:")
    for k in range(rng.randint(2, 6)):
        art = rng.choice(ARTICLES).format(
            action=action.upper(), topic=topic, office=office_name, prior=_prior(rng, state),
            amount=rng.randrange(1000, 900000), place=place, person=person)
        out.append(f"ARTÍCULO {ORDINALS[k]}.- {art}")
    closing = ("REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE." if doc_type == "OM"
               else "REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE.")
    out.append(closing)
    return "\n".join(out)


def _prior(rng: random.Random, state: _State) -> str:
    if state.issued and rng.random() < 0.8:
        doc_type, number = rng.choice(state.issued)
        return "la " + number.title().replace(" De ", " de ").replace("Mdm", "MDM")
    return "la Ordenanza Municipal N° 005-2015-MDM"


_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "setiembre", "octubre", "noviembre", "diciembre"]


def _date_text(rng: random.Random, year: int) -> str:
    return f"{rng.randint(1, 28)} de {rng.choice(_MONTHS)} de {year}"


# -- queries -------------------------------------------------------------------------------

SINGLE = ["licencia", "arbitrios", "serenazgo", "presupuesto", "apelación", "viáticos",
          "Kepashiato", "combustible", "ordenanzas", "derogó", "designación", "canon",
          "maquinaria", "piscigranja", "matrimonio", "Ticumpinía", "infracciones", "caja",
          "electrificación", "resolucion", "municipalidad", "Yupanqui", "desierto", "cacao"]
MULTI = ["licencia funcionamiento", "impuesto predial", "residuos sólidos", "vaso leche",
         "recurso apelación infundado", "modificación presupuestaria canon",
         "designar responsable", "puente peatonal Kiteni", "contratación servicios desierto",
         "comunidades nativas turismo", "seguridad ciudadana serenazgo",
         "expediente técnico obra", "habilitación urbana parámetros", "caminos vecinales"]
PHRASES = ['"licencia de funcionamiento"', '"dejar sin efecto"', '"recurso de apelación"',
           '"presupuesto institucional"', '"vía administrativa"', '"gestión del riesgo"',
           '"Ley Orgánica de Municipalidades"', '"con dispensa del trámite"',
           '"centro poblado de Camisea"', '"sobrecanon gasífero"']
FILTERS = ["tipo:OM", "tipo:RA", "tipo:RGM", "estado:vigente", "estado:derogada",
           "oficina:GM", "oficina:GDUR", "año:2019", "año:2022", "año:2015-2018",
           "tipo:ordenanza estado:vigente", "estado:borrador"]


def make_queries(n: int = 500, numbered: list[SearchDoc] | None = None,
                 seed: int = 42) -> list[tuple[str, str]]:
    """A fixed mix of (category, query) pairs: terms, phrases, filters, facets, date
    ranges, known items, OR and exclusions. Known-item queries name norms from
    ``numbered`` (documents of the corpus that have a number; see ``NumberSample``)."""
    rng = random.Random(seed)
    if numbered is None:
        numbered = [d for d in generate(2000) if d.number]
    numbered = sorted(numbered, key=lambda d: d.document_id)
    mix = [("term", 0.24), ("terms", 0.18), ("phrase", 0.14), ("filter", 0.14),
           ("date", 0.06), ("known", 0.12), ("or_not", 0.06), ("facets_only", 0.06)]
    cats = [c for c, _ in mix]
    weights = [w for _, w in mix]
    out: list[tuple[str, str]] = []
    for _ in range(n):
        cat = rng.choices(cats, weights)[0]
        if cat == "term":
            q = rng.choice(SINGLE)
        elif cat == "terms":
            q = rng.choice(MULTI)
        elif cat == "phrase":
            q = rng.choice(PHRASES)
            if rng.random() < 0.3:
                q += " " + rng.choice(SINGLE)
        elif cat == "filter":
            q = rng.choice(SINGLE + MULTI) + " " + rng.choice(FILTERS)
        elif cat == "date":
            y = rng.choice(YEARS[:-1])
            q = f"{rng.choice(SINGLE)} desde:{y}-03-01 hasta:{y + 1}-06-30"
        elif cat == "known" and numbered:
            d = rng.choice(numbered)
            key = d.number_key.split("-")
            names = {"OM": "ordenanza", "RA": "RA", "RGM": "RGM", "AC": "acuerdo de concejo",
                     "DA": "decreto de alcaldía", "RG": "resolución de gerencia",
                     "DIR": "directiva", "LEY": "Ley", "DS": "decreto supremo"}
            if rng.random() < 0.3:
                q = d.number.lower()
            elif len(key) == 3:
                q = f"{names[key[0]]} {key[1]}-{key[2]}"
            else:
                q = f"{names[key[0]]} {key[1]}"
        elif cat == "or_not":
            a, b = rng.sample(SINGLE, 2)
            q = f"{a} OR {b} -{rng.choice(['derogada', 'apelación', 'canon'])}"
        else:
            q = rng.choice(FILTERS)
        out.append((cat, q))
    return out


class NumberSample:
    """A seeded reservoir of numbered documents seen while a corpus streams by."""

    def __init__(self, size: int = 500, seed: int = 1):
        self.size, self.rng, self.seen, self.items = size, random.Random(seed), 0, []

    def add(self, doc: SearchDoc) -> None:
        if not doc.number:
            return
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(doc)
        else:
            j = self.rng.randrange(self.seen)
            if j < self.size:
                self.items[j] = doc
