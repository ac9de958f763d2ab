"""The demo's Spanish texts, as data: offices, users and documents of the Municipalidad
Distrital de Megantoni (Camisea, provincia de La Convención, Cusco). Played by docsys.demo.

A document entry::

    {
      "key": "ra-delegacion",                 # a slug for error messages (not stored)
      "template": "resolucion-alcaldia",      # template key
      "author": "redactor.gm",                # creates version 1 and saves version 2
      "fields": {...},                        # the template's fields (fecha empty: unissued)
      "sections": {                           # per section, the texts that replace the
        "considerando": [fill, fill],         #   template's hint items, in order; a fill
        "resuelve": [[art, art], art, art],   #   is a text, {"heading", "text"} or a list
      },
      "steps": [                              # then, in order:
        {"do": "enviar", "by": ..., "reason": ..., "to": "asesor.legal"},
        {"do": "comment", "by": ..., "ref": "c1", "section": ..., "on": <text in the item>,
         "quote": <words of it>, "body": ...},
        {"do": "reply", "by": ..., "ref": "c1", "body": ...},
        {"do": "observar" | "aprobar" | "devolver", "by": ..., "reason": ..., "to": ...},
        {"do": "save", "by": ..., "note": ..., "edits": [...]},   # see demo._apply_edit
        {"do": "resolve", "by": ..., "ref": "c1"},
        {"do": "visto", "by": ...},
        {"do": "emitir", "by": <signer>},        # number, sign (demo PKI) and store the PDF
        {"do": "publicar", "by": <archivist>},   # put it on the public portal
      ],
    }

Earlier Megantoni norms cited here (the ROF ordinance, the 2023 delegation, the sanctions
regime...) are the municipality's own fictitious antecedents for the demo; the national
norms are real and cited by their official numbers.
"""
from __future__ import annotations

# ---------------------------------------------------------------------------- offices, users

OFFICES = [
    ("A", "Alcaldía"),
    ("GM", "Gerencia Municipal"),
    ("GAJ", "Gerencia de Asesoría Jurídica"),
    ("SG", "Secretaría General"),
    ("GDUR", "Gerencia de Desarrollo Urbano y Rural"),
    ("GAF", "Gerencia de Administración y Finanzas"),
    ("GDS", "Gerencia de Desarrollo Social"),
    ("GDE", "Gerencia de Desarrollo Económico"),
    ("OTI", "Oficina de Tecnologías de la Información"),
]

_MAIL = "@munimegantoni.gob.pe"


def _user(username, full_name, roles, office, position):
    return {"username": username, "full_name": full_name, "roles": roles, "office": office,
            "position": position, "email": username + _MAIL}


USERS = [
    _user("admin", "Wilber Quispe Ccahuana", ["admin"], "OTI",
          "Jefe de la Oficina de Tecnologías de la Información"),
    _user("redactor.gm", "Rosa Elena Huamán Condori", ["drafter"], "GM",
          "Asistente Administrativa de la Gerencia Municipal"),
    _user("redactor.gdur", "Luis Alberto Mamani Ccopa", ["drafter"], "GDUR",
          "Asistente Técnico de la Gerencia de Desarrollo Urbano y Rural"),
    _user("redactor.gds", "Yeny Soledad Choque Apaza", ["drafter"], "GDS",
          "Asistente Administrativa de la Gerencia de Desarrollo Social"),
    _user("redactor.gaf", "Milagros Ttito Huillca", ["drafter"], "GAF",
          "Especialista Administrativa de la Gerencia de Administración y Finanzas"),
    _user("redactor.gde", "Edwin Puma Challco", ["drafter"], "GDE",
          "Asistente de la Gerencia de Desarrollo Económico"),
    _user("asesor.legal", "Karina Lucía Zavaleta Ríos", ["legal"], "GAJ",
          "Gerente de Asesoría Jurídica"),
    _user("gerente.municipal", "Julio César Ugarte Peralta", ["signer"], "GM",
          "Gerente Municipal"),
    _user("alcalde", "Ernesto Vargas Ccorimanya", ["signer"], "A", "Alcalde"),
    _user("gerente.gdur", "Raúl Edgar Santa Cruz Pillco", ["signer"], "GDUR",
          "Gerente de Desarrollo Urbano y Rural"),
    _user("archivo.sg", "Percy Antonio Loayza Cárdenas", ["archivist"], "SG",
          "Secretario General"),
]

# The head of an office gives the area's visto bueno on its documents.
OFFICE_HEADS = {"GDUR": "gerente.gdur"}

# ---------------------------------------------------------------------------- shared texts

ALCALDE = "Ernesto Vargas Ccorimanya"
GERENTE_MUNICIPAL = "C.P.C. Julio César Ugarte Peralta"
GERENTE_GDUR = "Ing. Raúl Edgar Santa Cruz Pillco"
GERENTE_GDS = "Lic. Norma Beatriz Quispe Ttito"
GERENTE_GAF = "C.P.C. Hernán Alfredo Cusi Mendoza"
ROF = "Ordenanza Municipal N° 012-2019-MDM"
DELEGACION = "Resolución de Alcaldía N° 145-2023-A-MDM"
CUIS = "Ordenanza Municipal N° 008-2021-MDM"
CANON = ("Recursos Determinados, rubro Canon y Sobrecanon, Regalías, Renta de Aduanas y "
         "Participaciones")
TIMPIA = ("«Mejoramiento del servicio de transitabilidad vehicular en la comunidad nativa de "
          "Timpía, distrito de Megantoni, provincia de La Convención, departamento de Cusco»")
KIRIGUETI_OBRA = ("«Mejoramiento del servicio de agua potable y saneamiento en la comunidad "
                  "nativa de Kirigueti, distrito de Megantoni, provincia de La Convención, "
                  "departamento de Cusco»")

SEND = "Se remite para revisión legal y visto bueno."
RESEND = "Se levantan las observaciones formuladas por la Gerencia de Asesoría Jurídica."
APPROVE = "Conforme. Cuenta con los vistos buenos de Asesoría Jurídica y del área; pasa a firma."
LEGAL_NOTE = "Se incorporan observaciones de Asesoría Jurídica"

# Base legal items shared by the directives.
BASE_FINANZAS = [
    "Decreto Legislativo N° 1436, Decreto Legislativo Marco de la Administración Financiera del "
    "Sector Público.",
    "Decreto Legislativo N° 1440, Decreto Legislativo del Sistema Nacional de Presupuesto Público.",
    "Decreto Legislativo N° 1441, Decreto Legislativo del Sistema Nacional de Tesorería.",
]
COMPROBANTES = ("Resolución de Superintendencia N° 007-99/SUNAT, que aprueba el Reglamento de "
                "Comprobantes de Pago.")


def _legal_report(number: str, opinion: str) -> str:
    return (f"Que, mediante Informe Legal N° {number}-2026-GAJ-MDM, la Gerencia de Asesoría "
            f"Jurídica opina que {opinion};")


# ---------------------------------------------------------------------------- documents

DOCUMENTS = [
    # ------------------------------------------------------------------ GM: Resolución de Alcaldía
    {
        "key": "ra-delegacion-gm",
        "template": "resolucion-alcaldia",
        "author": "redactor.gm",
        "fields": {
            "sumilla": "Delegar en el Gerente Municipal atribuciones administrativas y resolutivas "
                       "del Despacho de Alcaldía y dejar sin efecto la " + DELEGACION,
            "expediente": "2026-000214",
            "informes": "el Memorando N° 012-2026-A-MDM del Despacho de Alcaldía, el Informe "
                        "N° 008-2026-GM-MDM de la Gerencia Municipal y el Informe Legal "
                        "N° 015-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el numeral 20 del artículo 20 de la Ley N° 27972 establece como "
                    "atribución del Alcalde delegar sus atribuciones políticas en un regidor hábil "
                    "y las administrativas en el Gerente Municipal; y el artículo 27 de la misma "
                    "ley dispone que la administración municipal está bajo la dirección y "
                    "responsabilidad del Gerente Municipal, funcionario de confianza a tiempo "
                    "completo y dedicación exclusiva designado por el Alcalde;",
                    "Que, el artículo 78 del Texto Único Ordenado de la Ley N° 27444 regula la "
                    "delegación de competencia y precisa que son indelegables las atribuciones "
                    "esenciales del órgano que justifican su existencia, las atribuciones para "
                    "emitir normas generales, para resolver recursos administrativos en los "
                    "órganos que hayan dictado los actos objeto de recurso y las atribuciones a su "
                    "vez recibidas en delegación;",
                    "Que, mediante Memorando N° 012-2026-A-MDM, el Despacho de Alcaldía dispone "
                    "que la Gerencia Municipal proponga la actualización de las atribuciones "
                    "administrativas delegadas, a fin de agilizar la gestión institucional; y "
                    "mediante Informe N° 008-2026-GM-MDM, la Gerencia Municipal propone las "
                    "atribuciones a delegar y señala que la " + DELEGACION + ", que aprobó la "
                    "delegación vigente, debe adecuarse a la Ley N° 32069, Ley General de "
                    "Contrataciones Públicas, y a su Reglamento, aprobado por Decreto Supremo "
                    "N° 009-2025-EF;",
                ],
                _legal_report("015", "es procedente delegar en el Gerente Municipal las "
                              "atribuciones administrativas propuestas, por tratarse de "
                              "atribuciones delegables conforme al numeral 20 del artículo 20 de "
                              "la Ley N° 27972 y al artículo 78 del Texto Único Ordenado de la "
                              "Ley N° 27444, y recomienda dejar sin efecto la " + DELEGACION),
            ],
            "resuelve": [
                [
                    "DELEGAR en el Gerente Municipal de la Municipalidad Distrital de Megantoni "
                    "las siguientes atribuciones administrativas y resolutivas del Despacho de "
                    "Alcaldía:\n"
                    "a) Aprobar los expedientes técnicos de obras y sus modificaciones, las "
                    "prestaciones adicionales de obra y las ampliaciones de plazo de los contratos "
                    "de obra y de consultoría de obra.\n"
                    "b) Aprobar el Plan Anual de Contrataciones y sus modificaciones, los "
                    "expedientes de contratación y los documentos de los procedimientos de "
                    "selección, conforme a la Ley N° 32069 y su Reglamento.\n"
                    "c) Aprobar las modificaciones presupuestarias en el nivel funcional "
                    "programático.\n"
                    "d) Aprobar las liquidaciones técnico-financieras de las obras ejecutadas por "
                    "contrata y por administración directa.\n"
                    "e) Resolver en segunda instancia los recursos de apelación interpuestos "
                    "contra las resoluciones emitidas por las gerencias, salvo en materia "
                    "tributaria.\n"
                    "f) Suscribir los contratos de bienes, servicios y obras derivados de los "
                    "procedimientos de selección.",
                    "PRECISAR que el Gerente Municipal ejerce las atribuciones delegadas con "
                    "sujeción a la normativa vigente y que las resoluciones que emita en ejercicio "
                    "de ellas indican expresamente esta circunstancia.",
                    "DEJAR SIN EFECTO la " + DELEGACION + " y toda disposición municipal que se "
                    "oponga a la presente resolución.",
                ],
                "ENCARGAR a la Gerencia Municipal y a la Gerencia de Administración y Finanzas el "
                "cumplimiento de la presente resolución.",
                "NOTIFICAR la presente resolución al Gerente Municipal, a los órganos de "
                "asesoramiento, de apoyo y de línea de la entidad y al Órgano de Control "
                "Institucional, para su conocimiento y fines.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gm", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "presupuesto", "section": "resuelve",
             "on": "DELEGAR en el Gerente Municipal",
             "quote": "Aprobar las modificaciones presupuestarias en el nivel funcional "
                      "programático",
             "body": "El numeral 47.2 del artículo 47 del Decreto Legislativo N° 1440 exige que la "
                     "delegación de esta facultad conste en disposición expresa publicada en el "
                     "Diario Oficial El Peruano. Agregar el considerando correspondiente y "
                     "disponer esa publicación."},
            {"do": "observar", "by": "asesor.legal",
             "reason": "Se devuelve con observaciones: 1) la delegación del literal c) del "
                       "artículo primero requiere su publicación en el Diario Oficial El Peruano "
                       "(numeral 47.2 del artículo 47 del Decreto Legislativo N° 1440); 2) el "
                       "artículo segundo debe prever que el Gerente Municipal dé cuenta al "
                       "Despacho de Alcaldía de lo resuelto por delegación, en atención al deber "
                       "de vigilancia del delegante (artículo 79 del TUO de la Ley N° 27444)."},
            {"do": "save", "by": "redactor.gm", "note": LEGAL_NOTE, "edits": [
                {"section": "considerando", "after": "Que, el artículo 78 del Texto Único",
                 "insert": "Que, el numeral 47.2 del artículo 47 del Decreto Legislativo N° 1440, "
                           "Decreto Legislativo del Sistema Nacional de Presupuesto Público, "
                           "dispone que las modificaciones presupuestarias en el nivel funcional "
                           "y programático son aprobadas mediante resolución del Titular, quien "
                           "puede delegar dicha facultad mediante disposición expresa, la misma "
                           "que debe ser publicada en el Diario Oficial El Peruano;"},
                {"section": "resuelve", "find": "indican expresamente esta circunstancia.",
                 "replace": "indican expresamente esta circunstancia; asimismo, da cuenta "
                            "mensualmente al Despacho de Alcaldía de las resoluciones emitidas "
                            "por delegación, sin perjuicio del deber de vigilancia del delegante "
                            "previsto en el artículo 79 del Texto Único Ordenado de la Ley "
                            "N° 27444."},
                {"section": "resuelve",
                 "find": "DISPONER la publicación de la presente resolución en el Portal",
                 "replace": "DISPONER la publicación de la presente resolución en el Diario "
                            "Oficial El Peruano, a cargo de la Secretaría General, y en el Portal"},
            ]},
            {"do": "enviar", "by": "redactor.gm", "reason": RESEND, "to": "asesor.legal"},
            {"do": "resolve", "by": "asesor.legal", "ref": "presupuesto"},
            {"do": "visto", "by": "asesor.legal"},
            {"do": "visto", "by": "gerente.municipal"},
            {"do": "aprobar", "by": "asesor.legal", "reason": APPROVE, "to": "alcalde"},
        ],
    },
    {
        "key": "ra-portal-transparencia",
        "template": "resolucion-alcaldia",
        "author": "redactor.gm",
        "fields": {
            "sumilla": "Designar al funcionario responsable de la elaboración y actualización del "
                       "Portal de Transparencia Estándar de la Municipalidad Distrital de "
                       "Megantoni",
            "expediente": "2026-000587",
            "informes": "el Informe N° 017-2026-SG-MDM de la Secretaría General, el Informe "
                        "N° 021-2026-OTI-MDM de la Oficina de Tecnologías de la Información y el "
                        "Informe Legal N° 041-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el numeral 5 del artículo 2 de la Constitución Política del Perú "
                    "reconoce el derecho de toda persona a solicitar sin expresión de causa la "
                    "información que requiera y a recibirla de cualquier entidad pública, en el "
                    "plazo legal, con el costo que suponga el pedido;",
                    "Que, el Texto Único Ordenado de la Ley N° 27806, Ley de Transparencia y "
                    "Acceso a la Información Pública, aprobado por Decreto Supremo "
                    "N° 021-2019-JUS, tiene por finalidad promover la transparencia de los actos "
                    "del Estado; y su artículo 5 dispone que las entidades de la Administración "
                    "Pública difundan a través de internet la información que dicha norma señala "
                    "e identifiquen al funcionario responsable de la elaboración de los portales "
                    "de internet;",
                    "Que, el Reglamento de la Ley de Transparencia y Acceso a la Información "
                    "Pública, aprobado por Decreto Supremo N° 007-2024-JUS, desarrolla las "
                    "obligaciones de la máxima autoridad de la entidad respecto del Portal de "
                    "Transparencia; y el Decreto Supremo N° 063-2010-PCM aprobó la implementación "
                    "del Portal de Transparencia Estándar en las entidades de la Administración "
                    "Pública;",
                    "Que, mediante Informe N° 017-2026-SG-MDM, la Secretaría General comunica que "
                    "el servidor designado mediante la Resolución de Alcaldía N° 058-2024-A-MDM "
                    "como responsable del Portal de Transparencia Estándar ha concluido su vínculo "
                    "con la entidad; y mediante Informe N° 021-2026-OTI-MDM, la Oficina de "
                    "Tecnologías de la Información propone que dicha responsabilidad recaiga en "
                    "su Jefe, quien administra la plataforma y el Portal Institucional;",
                ],
                _legal_report("041", "es procedente designar al Jefe de la Oficina de Tecnologías "
                              "de la Información como funcionario responsable de la elaboración y "
                              "actualización del Portal de Transparencia Estándar, por ser "
                              "atribución del Alcalde como máxima autoridad administrativa de la "
                              "entidad"),
            ],
            "resuelve": [
                [
                    "DESIGNAR al Ing. Wilber Quispe Ccahuana, Jefe de la Oficina de Tecnologías de "
                    "la Información, como funcionario responsable de la elaboración y "
                    "actualización del Portal de Transparencia Estándar de la Municipalidad "
                    "Distrital de Megantoni, a partir del día siguiente de la notificación de la "
                    "presente resolución.",
                    "DISPONER que los gerentes y jefes de las unidades orgánicas remitan al "
                    "funcionario designado la información de su competencia que deba publicarse "
                    "en el Portal de Transparencia Estándar, dentro de los cinco (5) días hábiles "
                    "de generada o de recibido su requerimiento, bajo responsabilidad.",
                    "DEJAR SIN EFECTO la Resolución de Alcaldía N° 058-2024-A-MDM.",
                ],
                "ENCARGAR a la Gerencia Municipal y a la Oficina de Tecnologías de la Información "
                "el cumplimiento de la presente resolución.",
                "NOTIFICAR la presente resolución al funcionario designado, a las unidades "
                "orgánicas de la entidad y a la Autoridad Nacional de Transparencia y Acceso a la "
                "Información Pública, para su conocimiento y fines.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gm", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "vigencia", "section": "resuelve",
             "on": "DESIGNAR al Ing. Wilber Quispe Ccahuana",
             "quote": "a partir del día siguiente de la notificación de la presente resolución",
             "body": "Para no dejar el Portal sin responsable durante la notificación, evaluar que "
                     "la designación rija desde la fecha de emisión. Precisar además el régimen "
                     "de contratación del servidor designado."},
            {"do": "reply", "by": "redactor.gm", "ref": "vigencia",
             "body": "Conforme. El Ing. Quispe Ccahuana presta servicios bajo el régimen del "
                     "Decreto Legislativo N° 1057; ajustaremos la vigencia a la fecha de emisión "
                     "en la siguiente versión."},
        ],
    },
    # ------------------------------------------------------------------ GM: Decreto de Alcaldía
    {
        "key": "da-horario-atencion",
        "template": "decreto-alcaldia",
        "author": "redactor.gm",
        "fields": {
            "sumilla": "Establecer el horario de atención al público de la Municipalidad Distrital "
                       "de Megantoni en la sede central de Camisea y en la Oficina Descentralizada "
                       "de Kirigueti",
            "expediente": "2026-000402",
            "informes": "el Informe N° 032-2026-GAF-URH-MDM de la Unidad de Recursos Humanos, el "
                        "Informe N° 019-2026-GM-MDM de la Gerencia Municipal y el Informe Legal "
                        "N° 033-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el numeral 149.1 del artículo 149 del Texto Único Ordenado de la Ley "
                    "N° 27444, Ley del Procedimiento Administrativo General, aprobado por Decreto "
                    "Supremo N° 004-2019-JUS, dispone que son horas hábiles las correspondientes "
                    "al horario fijado para el funcionamiento de la entidad, sin que en ningún "
                    "caso la atención a los usuarios pueda ser inferior a ocho horas diarias "
                    "consecutivas; y el numeral 149.2 establece que el horario de atención es "
                    "fijado por cada entidad en un período no coincidente con la jornada laboral "
                    "ordinaria, para favorecer el cumplimiento de las obligaciones y actuaciones "
                    "de la ciudadanía, distribuyendo a su personal en turnos;",
                    "Que, la Ley N° 29735, Ley que regula el uso, preservación, desarrollo, "
                    "recuperación, fomento y difusión de las lenguas originarias del Perú, "
                    "reconoce el derecho de toda persona a ser atendida en su lengua materna en "
                    "los organismos o instancias estatales;",
                    "Que, mediante Informe N° 032-2026-GAF-URH-MDM, la Unidad de Recursos Humanos "
                    "de la Gerencia de Administración y Finanzas propone un horario de atención "
                    "al público que considere el arribo de los usuarios que se desplazan por vía "
                    "fluvial desde las comunidades nativas del Bajo Urubamba, con turnos de "
                    "refrigerio del personal de trámite documentario, caja y orientación al "
                    "ciudadano; propuesta que la Gerencia Municipal hace suya mediante Informe "
                    "N° 019-2026-GM-MDM;",
                ],
                _legal_report("033", "corresponde establecer el horario de atención al público "
                              "mediante decreto de alcaldía, por tratarse de un asunto de orden "
                              "general y de interés para el vecindario, conforme al artículo 42 de "
                              "la Ley N° 27972"),
            ],
            "decreta": [
                [
                    "ESTABLECER, a partir del 1 de abril de 2026, el horario de atención al "
                    "público de la Municipalidad Distrital de Megantoni, en la sede central de "
                    "Camisea y en la Oficina Descentralizada de Kirigueti, de lunes a viernes de "
                    "08:00 a 13:00 horas y de 14:00 a 16:30 horas.",
                    "DISPONER que las áreas de trámite documentario, caja y orientación al "
                    "ciudadano exhiban el horario de atención en lugar visible de sus locales, en "
                    "castellano y en lengua matsigenka.",
                ],
                "ENCARGAR a la Gerencia Municipal y a la Gerencia de Administración y Finanzas, a "
                "través de la Unidad de Recursos Humanos, el cumplimiento del presente decreto.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gm", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "horario", "section": "decreta",
             "on": "ESTABLECER, a partir del 1 de abril de 2026",
             "quote": "de 08:00 a 13:00 horas y de 14:00 a 16:30 horas",
             "body": "El horario propuesto interrumpe la atención entre las 13:00 y las 14:00 "
                     "horas y suma siete horas y media. Reformular como atención continua, por "
                     "ejemplo de 07:30 a 16:00 horas, con refrigerio escalonado del personal."},
            {"do": "observar", "by": "asesor.legal",
             "reason": "Se devuelve con observaciones: el horario del artículo primero no cumple "
                       "el mínimo de ocho horas diarias consecutivas de atención exigido por el "
                       "numeral 149.1 del artículo 149 del TUO de la Ley N° 27444, aprobado por "
                       "Decreto Supremo N° 004-2019-JUS. Reformular el horario como atención "
                       "continua, con refrigerio escalonado del personal."},
        ],
    },
    # ------------------------------------------------------------------ GM: Acuerdo de Concejo
    {
        "key": "ac-convenio-gore-cusco",
        "template": "acuerdo-concejo",
        "author": "redactor.gm",
        "fields": {
            "sumilla": "Aprobar la celebración del Convenio Marco de Cooperación "
                       "Interinstitucional entre el Gobierno Regional del Cusco y la Municipalidad "
                       "Distrital de Megantoni y autorizar al Alcalde su suscripción",
            "sesion_tipo": "Ordinaria",
            "sesion_fecha": "13 de febrero de 2026",
            "expediente": "2026-000356",
            "informes": "el Oficio N° 0215-2026-GR CUSCO/GR del Gobierno Regional del Cusco, el "
                        "Informe N° 027-2026-GM-MDM de la Gerencia Municipal, el Informe "
                        "N° 014-2026-OPP-MDM de la Oficina de Planeamiento y Presupuesto y el "
                        "Informe Legal N° 029-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "votacion": "UNANIMIDAD",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el numeral 26 del artículo 9 de la Ley N° 27972 establece como "
                    "atribución del Concejo Municipal aprobar la celebración de convenios de "
                    "cooperación nacional e internacional y convenios interinstitucionales; y el "
                    "numeral 23 del artículo 20 de la misma ley faculta al Alcalde a celebrar los "
                    "actos, contratos y convenios necesarios para el ejercicio de sus funciones;",
                    "Que, el numeral 88.3 del artículo 88 del Texto Único Ordenado de la Ley "
                    "N° 27444, aprobado por Decreto Supremo N° 004-2019-JUS, dispone que, por los "
                    "convenios de colaboración, las entidades, a través de sus representantes "
                    "autorizados, celebran dentro de la ley acuerdos en el ámbito de su respectiva "
                    "competencia, de naturaleza obligatoria para las partes y con cláusula expresa "
                    "de libre adhesión y separación;",
                ],
                [
                    "Que, mediante Oficio N° 0215-2026-GR CUSCO/GR, el Gobierno Regional del "
                    "Cusco remite el proyecto de Convenio Marco de Cooperación Interinstitucional, "
                    "cuyo objeto es establecer mecanismos de cooperación para la asistencia "
                    "técnica en la formulación y evaluación de inversiones, la ejecución conjunta "
                    "de proyectos de infraestructura vial y de saneamiento en las comunidades "
                    "nativas del distrito y el fortalecimiento de capacidades del personal "
                    "municipal, por un plazo de tres (3) años y sin transferencia de recursos "
                    "financieros entre las partes; y mediante Informe N° 027-2026-GM-MDM, la "
                    "Gerencia Municipal emite opinión favorable sobre su suscripción;",
                    "Que, mediante Informe N° 014-2026-OPP-MDM, la Oficina de Planeamiento y "
                    "Presupuesto señala que el convenio se encuentra alineado con el Plan de "
                    "Desarrollo Local Concertado del distrito de Megantoni y que no irroga gasto "
                    "a la entidad;",
                ],
                _legal_report("029", "es procedente que el Concejo Municipal apruebe la "
                              "celebración del convenio y autorice al Alcalde su suscripción, "
                              "conforme al numeral 26 del artículo 9 de la Ley N° 27972 y al "
                              "numeral 88.3 del artículo 88 del Texto Único Ordenado de la Ley "
                              "N° 27444"),
            ],
            "acuerda": [
                [
                    "APROBAR la celebración del Convenio Marco de Cooperación Interinstitucional "
                    "entre el Gobierno Regional del Cusco y la Municipalidad Distrital de "
                    "Megantoni, por un plazo de tres (3) años contados desde su suscripción, cuyo "
                    "texto forma parte integrante del presente acuerdo.",
                    "AUTORIZAR al Alcalde, señor Ernesto Vargas Ccorimanya, la suscripción del "
                    "convenio aprobado en el artículo precedente, así como de sus adendas y de los "
                    "convenios específicos que deriven de él.",
                ],
                "ENCARGAR a la Gerencia Municipal y a la Gerencia de Desarrollo Urbano y Rural el "
                "cumplimiento del presente acuerdo y el seguimiento de los compromisos que se "
                "deriven del convenio.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gm", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "especificos", "section": "acuerda",
             "on": "AUTORIZAR al Alcalde",
             "quote": "así como de sus adendas y de los convenios específicos que deriven de él",
             "body": "Los convenios específicos que comprometan recursos o la ejecución de "
                     "proyectos requieren aprobación del Concejo Municipal (numeral 26 del "
                     "artículo 9 de la Ley N° 27972). Limitar la autorización a las adendas que no "
                     "modifiquen el objeto del convenio ni irroguen gasto."},
            {"do": "save", "by": "asesor.legal",
             "note": "Asesoría Jurídica precisa el alcance de la autorización al Alcalde",
             "edits": [
                 {"section": "acuerda",
                  "find": "así como de sus adendas y de los convenios específicos que deriven de "
                          "él.",
                  "replace": "así como de las adendas que no modifiquen su objeto ni irroguen "
                             "gasto a la entidad. Los convenios específicos que deriven de él se "
                             "someten a la aprobación del Concejo Municipal."},
             ]},
            {"do": "resolve", "by": "asesor.legal", "ref": "especificos"},
            {"do": "visto", "by": "asesor.legal"},
            {"do": "visto", "by": "gerente.municipal"},
            {"do": "aprobar", "by": "asesor.legal", "reason": APPROVE, "to": "alcalde"},
            {"do": "emitir", "by": "alcalde"},
        ],
    },
    # ------------------------------------------------------------------ GM: Resolución de GM (PAC)
    {
        "key": "rgm-modificacion-pac-2026",
        "template": "resolucion-gerencia-municipal",
        "author": "redactor.gm",
        "fields": {
            "sumilla": "Aprobar la primera modificación del Plan Anual de Contrataciones de la "
                       "Municipalidad Distrital de Megantoni para el año fiscal 2026",
            "expediente": "2026-000731",
            "informes": "el Informe N° 041-2026-GAF-UA-MDM de la Unidad de Abastecimiento, el "
                        "Informe N° 022-2026-OPP-MDM de la Oficina de Planeamiento y Presupuesto, "
                        "el Informe N° 038-2026-GAF-MDM de la Gerencia de Administración y "
                        "Finanzas y el Informe Legal N° 052-2026-GAJ-MDM de la Gerencia de "
                        "Asesoría Jurídica",
            "resolucion_delegacion": DELEGACION,
            "firmante_nombre": GERENTE_MUNICIPAL,
            "firmante_cargo": "Gerente Municipal",
        },
        "sections": {
            "considerando": [
                "Que, mediante la " + DELEGACION + ", el Alcalde delegó en el Gerente Municipal "
                "diversas atribuciones administrativas, entre ellas la de aprobar el Plan Anual "
                "de Contrataciones y sus modificaciones;",
                [
                    "Que, la Ley N° 32069, Ley General de Contrataciones Públicas, y su "
                    "Reglamento, aprobado por Decreto Supremo N° 009-2025-EF, regulan la "
                    "planificación de las contrataciones de las entidades, que se expresa en el "
                    "Plan Anual de Contrataciones, instrumento que puede modificarse durante el "
                    "año fiscal para incluir o excluir contrataciones, con el sustento del área "
                    "usuaria y previa verificación de la disponibilidad presupuestal;",
                    "Que, mediante Informe N° 041-2026-GAF-UA-MDM, la Unidad de Abastecimiento "
                    "sustenta la necesidad de incluir en el Plan Anual de Contrataciones 2026 la "
                    "contratación del servicio de transporte fluvial de carga y pasajeros en la "
                    "ruta Camisea – Timpía – Kirigueti – Nuevo Mundo, por un valor estimado de "
                    "S/ 486,400.00, y la adquisición de combustible diésel B5 S-50 para la "
                    "maquinaria pesada municipal, por un valor estimado de S/ 612,750.00, "
                    "requeridas por la Gerencia de Desarrollo Urbano y Rural y la Gerencia de "
                    "Desarrollo Social; así como excluir la contratación de la consultoría para "
                    "la elaboración del estudio de preinversión del mercado de abastos de "
                    "Camisea, al haberse desestimado dicha inversión;",
                    "Que, mediante Informe N° 022-2026-OPP-MDM, la Oficina de Planeamiento y "
                    "Presupuesto informa que las contrataciones que se incluyen cuentan con "
                    "disponibilidad presupuestal en el Presupuesto Institucional Modificado del "
                    "año fiscal 2026, con cargo a la fuente de financiamiento " + CANON + "; y "
                    "mediante Informe N° 038-2026-GAF-MDM, la Gerencia de Administración y "
                    "Finanzas solicita la aprobación de la primera modificación del Plan Anual de "
                    "Contrataciones 2026, aprobado por Resolución de Gerencia Municipal "
                    "N° 0012-2026-GM-MDM;",
                ],
                _legal_report("052", "es procedente aprobar la primera modificación del Plan "
                              "Anual de Contrataciones 2026, al contar con el sustento del área "
                              "usuaria, del órgano encargado de las contrataciones y la "
                              "disponibilidad presupuestal correspondiente"),
            ],
            "resuelve": [
                [
                    "APROBAR la primera modificación del Plan Anual de Contrataciones de la "
                    "Municipalidad Distrital de Megantoni para el año fiscal 2026, aprobado por "
                    "Resolución de Gerencia Municipal N° 0012-2026-GM-MDM, a fin de incluir dos "
                    "(2) contrataciones y excluir una (1), conforme al anexo que forma parte "
                    "integrante de la presente resolución:\n"
                    "a) Inclusión: servicio de transporte fluvial de carga y pasajeros en la ruta "
                    "Camisea – Timpía – Kirigueti – Nuevo Mundo; valor estimado S/ 486,400.00.\n"
                    "b) Inclusión: adquisición de combustible diésel B5 S-50 para la maquinaria "
                    "pesada municipal; valor estimado S/ 612,750.00.\n"
                    "c) Exclusión: consultoría para la elaboración del estudio de preinversión "
                    "del mercado de abastos de Camisea.",
                    "DISPONER que la Unidad de Abastecimiento publique la presente resolución y el "
                    "Plan Anual de Contrataciones modificado en la Plataforma Digital para las "
                    "Contrataciones Públicas (Pladicop), en el plazo previsto en el Reglamento de "
                    "la Ley N° 32069.",
                ],
                "ENCARGAR a la Gerencia de Administración y Finanzas, a través de la Unidad de "
                "Abastecimiento, el cumplimiento de la presente resolución, conforme a sus "
                "funciones y bajo responsabilidad.",
                "NOTIFICAR la presente resolución a la Gerencia de Administración y Finanzas, a la "
                "Unidad de Abastecimiento, a la Oficina de Planeamiento y Presupuesto y al Órgano "
                "de Control Institucional, para su conocimiento y fines.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gm", "reason": SEND, "to": "asesor.legal"},
            {"do": "visto", "by": "asesor.legal"},
        ],
    },
    # ------------------------------------------------------------------ GM: Directiva (viáticos)
    {
        "key": "dir-viaticos",
        "template": "directiva",
        "author": "redactor.gm",
        "fields": {
            "sumilla": "Directiva para el otorgamiento, rendición de cuentas y control de viáticos "
                       "por comisión de servicios en el territorio nacional de la Municipalidad "
                       "Distrital de Megantoni",
            "unidad_formuladora": "Gerencia de Administración y Finanzas",
            "norma_rof": ROF,
            "firmante_nombre": GERENTE_MUNICIPAL,
            "firmante_cargo": "Gerente Municipal",
        },
        "sections": {
            "objetivo": [
                "Establecer las normas y procedimientos para el otorgamiento, la rendición de "
                "cuentas y el control de los viáticos que se asignan a los funcionarios y "
                "servidores que viajan en comisión de servicios dentro del territorio nacional en "
                "la Municipalidad Distrital de Megantoni.",
            ],
            "finalidad": [
                "Asegurar el uso racional, transparente y oportuno de los recursos destinados a "
                "las comisiones de servicios, uniformizar los criterios de otorgamiento y "
                "garantizar la rendición de cuentas documentada dentro de los plazos "
                "establecidos.",
            ],
            "base_legal": [
                BASE_FINANZAS + [
                    "Decreto Supremo N° 007-2013-EF, que regula el otorgamiento de viáticos para "
                    "viajes en comisión de servicios en el territorio nacional.",
                    COMPROBANTES,
                ],
            ],
            "alcance": [
                "Las disposiciones de la presente directiva son de cumplimiento obligatorio para "
                "los funcionarios, directivos y servidores de todas las unidades orgánicas de la "
                "Municipalidad Distrital de Megantoni que viajen en comisión de servicios dentro "
                "del territorio nacional, cualquiera sea su régimen laboral o modalidad de "
                "contratación.",
            ],
            "disposiciones_generales": [[
                {"heading": "Comisión de servicios",
                 "text": "Es el desplazamiento temporal del funcionario o servidor fuera de su "
                         "sede habitual de trabajo, autorizado por la entidad, para realizar "
                         "funciones propias de su cargo o actividades vinculadas con los objetivos "
                         "institucionales."},
                {"heading": "Viático",
                 "text": "Es la asignación que se otorga para cubrir los gastos de alimentación, "
                         "hospedaje y movilidad hacia y desde el lugar de embarque, así como la "
                         "utilizada para el desplazamiento en el lugar donde se realiza la "
                         "comisión. Su monto es de S/ 320.00 por día, conforme al Decreto Supremo "
                         "N° 007-2013-EF; cuando la comisión dure menos de veinticuatro horas se "
                         "otorga en forma proporcional a las horas de comisión."},
                {"heading": "Rendición de cuentas",
                 "text": "Es la sustentación documentada de los gastos efectuados con el viático "
                         "otorgado, con comprobantes de pago emitidos conforme al Reglamento de "
                         "Comprobantes de Pago y, excepcionalmente, con declaración jurada."},
                {"heading": "Principios",
                 "text": "El otorgamiento y la rendición de viáticos se rigen por los principios "
                         "de legalidad, austeridad, racionalidad del gasto, transparencia y "
                         "responsabilidad."},
            ]],
            "disposiciones_especificas": [[
                {"heading": "Solicitud y autorización",
                 "text": "El jefe de la unidad orgánica solicita la comisión mediante el Anexo "
                         "N° 01, con una anticipación no menor de tres (3) días hábiles, "
                         "indicando el objeto, el destino, la duración y la meta presupuestaria. "
                         "La Gerencia Municipal autoriza las comisiones de los gerentes y jefes de "
                         "oficina; cada gerente autoriza las del personal a su cargo."},
                {"heading": "Otorgamiento",
                 "text": "La Unidad de Tesorería abona el viático en la cuenta del comisionado "
                         "antes del inicio de la comisión, previa certificación de crédito "
                         "presupuestario y registro del compromiso en el SIAF-SP."},
                {"heading": "Comisiones en comunidades nativas",
                 "text": "Cuando la comisión se realice en comunidades nativas o centros poblados "
                         "donde no existan establecimientos que emitan comprobantes de pago, el "
                         "comisionado puede sustentar los gastos mediante declaración jurada, "
                         "dentro del límite previsto en el numeral siguiente, consignando la "
                         "fecha, el lugar, el concepto y el monto de cada gasto."},
                {"heading": "Plazo y forma de la rendición",
                 "text": "El comisionado presenta la rendición de cuentas dentro de los quince "
                         "(15) días hábiles siguientes a la culminación de la comisión, sustentada "
                         "con comprobantes de pago por un monto no menor al setenta por ciento "
                         "(70%) del viático otorgado; el saldo, no mayor al treinta por ciento "
                         "(30%), puede sustentarse con declaración jurada. Adjunta el informe de "
                         "la comisión con los resultados obtenidos, visado por su jefe inmediato."},
                {"heading": "Devolución de saldos",
                 "text": "El saldo no utilizado se deposita en la cuenta de la entidad dentro del "
                         "plazo de rendición, adjuntando el comprobante de depósito. No se otorgan "
                         "nuevos viáticos a quien tenga rendiciones pendientes."},
            ]],
            "responsabilidades": [
                "La Gerencia de Administración y Finanzas, a través de las Unidades de Tesorería y "
                "de Contabilidad, verifica el otorgamiento, la rendición y el registro contable de "
                "los viáticos, y comunica a la Gerencia Municipal las rendiciones observadas o no "
                "presentadas dentro del plazo.",
            ],
            "anexos": [[
                "Anexo N° 01: Formato de solicitud y autorización de comisión de servicios.",
                "Anexo N° 02: Formato de rendición de cuentas de viáticos.",
            ]],
        },
        "steps": [
            {"do": "save", "by": "asesor.legal",
             "note": "Asesoría Jurídica corrige el plazo de rendición conforme al Decreto Supremo "
                     "N° 007-2013-EF",
             "edits": [
                 {"section": "disposiciones_especificas", "find": "quince (15) días hábiles",
                  "replace": "diez (10) días hábiles"},
             ]},
            {"do": "save", "by": "redactor.gm",
             "note": LEGAL_NOTE + " y se agregan el numeral de pasajes y los anexos 03 y 04",
             "edits": [
                 {"section": "disposiciones_especificas", "after": "La Unidad de Tesorería abona",
                  "insert": {"heading": "Pasajes",
                             "text": "Los pasajes aéreos, terrestres o fluviales los adquiere la "
                                     "Unidad de Abastecimiento en tarifa económica y no forman "
                                     "parte del viático. En las rutas fluviales del Bajo Urubamba "
                                     "sin servicio regular, el traslado se realiza preferentemente "
                                     "en las embarcaciones de la entidad."}},
                 {"section": "anexos", "append": [
                     "Anexo N° 03: Formato de declaración jurada de gastos.",
                     "Anexo N° 04: Formato de informe de comisión de servicios.",
                 ]},
             ]},
        ],
    },
    # ----------------------------------------------------------------- GDUR: RGM expediente técnico
    {
        "key": "rgm-expediente-timpia",
        "template": "resolucion-gerencia-municipal",
        "author": "redactor.gdur",
        "fields": {
            "sumilla": "Aprobar el expediente técnico del proyecto " + TIMPIA + ", con CUI "
                       "N° 2589417",
            "expediente": "2026-000468",
            "informes": "el Informe N° 0112-2026-SGEP-GDUR-MDM de la Subgerencia de Estudios y "
                        "Proyectos, el Informe N° 0215-2026-GDUR-MDM de la Gerencia de Desarrollo "
                        "Urbano y Rural, el Informe N° 031-2026-OPP-MDM de la Oficina de "
                        "Planeamiento y Presupuesto y el Informe Legal N° 047-2026-GAJ-MDM de la "
                        "Gerencia de Asesoría Jurídica",
            "resolucion_delegacion": DELEGACION,
            "firmante_nombre": GERENTE_MUNICIPAL,
            "firmante_cargo": "Gerente Municipal",
        },
        "sections": {
            "considerando": [
                "Que, mediante la " + DELEGACION + ", el Alcalde delegó en el Gerente Municipal "
                "diversas atribuciones administrativas, entre ellas la de aprobar los expedientes "
                "técnicos de obras y sus modificaciones;",
                [
                    "Que, el Decreto Legislativo N° 1252, Decreto Legislativo que crea el Sistema "
                    "Nacional de Programación Multianual y Gestión de Inversiones, su Reglamento, "
                    "aprobado por Decreto Supremo N° 284-2018-EF, y la Directiva N° 001-2019-"
                    "EF/63.01, Directiva General del Sistema Nacional de Programación Multianual y "
                    "Gestión de Inversiones, aprobada por Resolución Directoral N° 001-2019-"
                    "EF/63.01, disponen que en la fase de Ejecución el expediente técnico se "
                    "elabora conforme a la concepción técnica y al dimensionamiento contenidos en "
                    "la ficha técnica o en el estudio de preinversión que sustentó la declaración "
                    "de viabilidad;",
                    "Que, el proyecto " + TIMPIA + ", con Código Único de Inversiones N° 2589417, "
                    "fue declarado viable el 14 de octubre de 2025 por la Unidad Formuladora de la "
                    "Municipalidad Distrital de Megantoni, y comprende la pavimentación con "
                    "concreto de 2.35 km de vías de la comunidad, con cunetas, veredas "
                    "peatonales, cuatro (4) alcantarillas de concreto armado y señalización "
                    "vertical y horizontal;",
                    "Que, mediante Informe N° 0112-2026-SGEP-GDUR-MDM, la Subgerencia de Estudios "
                    "y Proyectos otorga conformidad al expediente técnico elaborado por el "
                    "Consorcio Vial Urubamba, con un presupuesto total de S/ 9,961,557.16, con "
                    "precios al mes de enero de 2026, un plazo de ejecución de doscientos setenta "
                    "(270) días calendario y la modalidad de ejecución por contrata, y señala que "
                    "el expediente mantiene la concepción técnica y el dimensionamiento del "
                    "proyecto declarado viable; opinión que la Gerencia de Desarrollo Urbano y "
                    "Rural hace suya mediante Informe N° 0215-2026-GDUR-MDM;",
                    "Que, mediante Informe N° 031-2026-OPP-MDM, la Oficina de Planeamiento y "
                    "Presupuesto informa que el proyecto se encuentra registrado en la "
                    "Programación Multianual de Inversiones 2026-2028 y cuenta con disponibilidad "
                    "presupuestal en la fuente de financiamiento " + CANON + ";",
                ],
                _legal_report("047", "es procedente aprobar el expediente técnico mediante "
                              "resolución de Gerencia Municipal, en ejercicio de las facultades "
                              "delegadas, al contar con la conformidad del área técnica y la "
                              "disponibilidad presupuestal"),
            ],
            "resuelve": [
                [
                    "APROBAR el expediente técnico del proyecto " + TIMPIA + ", con CUI "
                    "N° 2589417, con un presupuesto total de S/ 9,961,557.16 (nueve millones "
                    "novecientos sesenta y un mil quinientos cincuenta y siete con 16/100 soles), "
                    "con precios al mes de enero de 2026, un plazo de ejecución de doscientos "
                    "setenta (270) días calendario y la modalidad de ejecución por contrata, "
                    "conforme al siguiente detalle:\n"
                    "Costo directo: S/ 6,842,315.40\n"
                    "Gastos generales (10%): S/ 684,231.54\n"
                    "Utilidad (8%): S/ 547,385.23\n"
                    "Subtotal: S/ 8,073,932.17\n"
                    "IGV (18%): S/ 1,453,307.79\n"
                    "Presupuesto de obra: S/ 9,527,239.96\n"
                    "Supervisión de obra: S/ 285,817.20\n"
                    "Elaboración del expediente técnico: S/ 148,500.00\n"
                    "Presupuesto total: S/ 9,961,557.16",
                    "DISPONER que la Gerencia de Desarrollo Urbano y Rural registre el expediente "
                    "técnico aprobado en el Formato N° 08-A del Banco de Inversiones antes del "
                    "inicio de la ejecución física del proyecto.",
                ],
                "ENCARGAR a la Gerencia de Desarrollo Urbano y Rural y a la Gerencia de "
                "Administración y Finanzas el cumplimiento de la presente resolución, conforme a "
                "sus funciones y bajo responsabilidad.",
                "NOTIFICAR la presente resolución a la Gerencia de Desarrollo Urbano y Rural, a la "
                "Subgerencia de Estudios y Proyectos, a la Oficina de Planeamiento y Presupuesto, "
                "a la Unidad de Abastecimiento y a la Comunidad Nativa de Timpía, para su "
                "conocimiento y fines.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gdur", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "viabilidad", "section": "considerando",
             "on": "fue declarado viable el 14 de octubre de 2025",
             "quote": "fue declarado viable el 14 de octubre de 2025",
             "body": "Consignar el monto de inversión con el que se declaró viable el proyecto, "
                     "para que se aprecie la variación con el presupuesto del expediente técnico, "
                     "y confirmar que esa variación se registró en el Formato N° 08-A."},
            {"do": "reply", "by": "redactor.gdur", "ref": "viabilidad",
             "body": "El proyecto se declaró viable por S/ 9,512,880.00. La variación se registró "
                     "en el Formato N° 08-A el 2 de marzo de 2026; se adjunta la constancia al "
                     "expediente."},
            {"do": "save", "by": "asesor.legal",
             "note": "Asesoría Jurídica consigna el monto de inversión declarado viable",
             "edits": [
                 {"section": "considerando",
                  "find": "por la Unidad Formuladora de la Municipalidad Distrital de Megantoni,",
                  "replace": "por la Unidad Formuladora de la Municipalidad Distrital de "
                             "Megantoni, con un monto de inversión de S/ 9,512,880.00,"},
             ]},
            {"do": "resolve", "by": "asesor.legal", "ref": "viabilidad"},
            {"do": "visto", "by": "asesor.legal"},
            {"do": "visto", "by": "gerente.gdur"},
            {"do": "aprobar", "by": "asesor.legal", "reason": APPROVE, "to": "gerente.municipal"},
            {"do": "emitir", "by": "gerente.municipal"},
            {"do": "publicar", "by": "archivo.sg"},
        ],
    },
    # ------------------------------------------------------------------ GDUR: RG licencia
    {
        "key": "rg-licencia-edificacion",
        "template": "resolucion-gerencia",
        "author": "redactor.gdur",
        "fields": {
            "sumilla": "Otorgar licencia de edificación en la modalidad B para la construcción de "
                       "una vivienda multifamiliar de tres pisos en la zona urbana de Camisea, a "
                       "favor del señor Teófilo Huamaní Quispe",
            "gerencia": "Gerencia de Desarrollo Urbano y Rural",
            "norma_rof": ROF,
            "expediente": "2026-000389",
            "informes": "la solicitud con Registro N° 001874 presentada el 26 de enero de 2026 por "
                        "el señor Teófilo Huamaní Quispe, el Informe Técnico N° 045-2026-SGOPCU-"
                        "GDUR-MDM de la Subgerencia de Obras Privadas y Control Urbano y el "
                        "Informe Legal N° 039-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "firmante_nombre": GERENTE_GDUR,
            "firmante_cargo": "Gerente de Desarrollo Urbano y Rural",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el numeral 3.6.2 del artículo 79 de la Ley N° 27972 establece como "
                    "función específica exclusiva de las municipalidades distritales normar, "
                    "regular y otorgar autorizaciones, derechos y licencias, y fiscalizar la "
                    "construcción, remodelación o demolición de inmuebles y las declaratorias de "
                    "fábrica;",
                    "Que, el Reglamento de Organización y Funciones (ROF) de la Municipalidad "
                    "Distrital de Megantoni, aprobado por " + ROF + ", asigna a la Gerencia de "
                    "Desarrollo Urbano y Rural la función de otorgar las licencias de habilitación "
                    "urbana y de edificación y de controlar las edificaciones en el distrito;",
                ],
                [
                    "Que, el Texto Único Ordenado de la Ley N° 29090, Ley de Regulación de "
                    "Habilitaciones Urbanas y de Edificaciones, aprobado por Decreto Supremo "
                    "N° 006-2017-VIVIENDA, y el Reglamento de Licencias de Habilitación Urbana y "
                    "Licencias de Edificación, aprobado por Decreto Supremo N° 029-2019-VIVIENDA, "
                    "regulan los procedimientos para la obtención de las licencias de edificación "
                    "y sus modalidades de aprobación;",
                    "Que, mediante solicitud con Registro N° 001874, el señor Teófilo Huamaní "
                    "Quispe, identificado con DNI N° 24871563, solicita licencia de edificación en "
                    "la modalidad B para la construcción de una vivienda multifamiliar de tres (3) "
                    "pisos, con un área techada total de 312.40 m², en el predio de su propiedad "
                    "ubicado en el Lote 7 de la Manzana C del sector Nueva Esperanza de la zona "
                    "urbana de Camisea, inscrito en la Partida Electrónica N° 11098734 del "
                    "Registro de Predios de la Zona Registral N° X – Sede Cusco;",
                    "Que, mediante Informe Técnico N° 045-2026-SGOPCU-GDUR-MDM, la Subgerencia de "
                    "Obras Privadas y Control Urbano señala que el administrado cumplió los "
                    "requisitos del procedimiento, que los proyectos de arquitectura y de "
                    "estructuras fueron evaluados y declarados conformes, y que la edificación se "
                    "ajusta a los parámetros urbanísticos y edificatorios del predio; determina un "
                    "valor de obra de S/ 428,615.20 y recomienda otorgar la licencia solicitada;",
                ],
                _legal_report("039", "es procedente otorgar la licencia de edificación, al "
                              "haberse verificado el cumplimiento de los requisitos establecidos "
                              "en el Texto Único Ordenado de la Ley N° 29090 y en su Reglamento"),
            ],
            "resuelve": [
                [
                    "OTORGAR licencia de edificación en la modalidad B a favor del señor Teófilo "
                    "Huamaní Quispe, para la construcción de una vivienda multifamiliar de tres "
                    "(3) pisos en el predio ubicado en el Lote 7 de la Manzana C del sector Nueva "
                    "Esperanza de la zona urbana de Camisea, distrito de Megantoni, con las "
                    "siguientes características:\n"
                    "Área del terreno: 160.00 m²\n"
                    "Área techada total: 312.40 m²\n"
                    "Número de pisos: 3\n"
                    "Valor de obra: S/ 428,615.20\n"
                    "Vigencia: treinta y seis (36) meses contados desde su notificación.",
                    "PRECISAR que el administrado debe comunicar la fecha de inicio de la obra "
                    "conforme al Reglamento de Licencias de Habilitación Urbana y Licencias de "
                    "Edificación y ejecutarla con sujeción a los planos aprobados; toda "
                    "modificación sustancial del proyecto requiere aprobación previa.",
                ],
                "ENCARGAR a la Subgerencia de Obras Privadas y Control Urbano el control de la "
                "ejecución de la obra y del cumplimiento de la presente resolución.",
                "NOTIFICAR la presente resolución al señor Teófilo Huamaní Quispe, en su domicilio "
                "del Lote 7 de la Manzana C del sector Nueva Esperanza, Camisea, y a la "
                "Subgerencia de Obras Privadas y Control Urbano, para su conocimiento y fines.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gdur", "reason": SEND, "to": "asesor.legal"},
            {"do": "visto", "by": "gerente.gdur"},
            {"do": "save", "by": "asesor.legal",
             "note": "Asesoría Jurídica precisa la vigencia y la prórroga de la licencia",
             "edits": [
                 {"section": "resuelve",
                  "find": "treinta y seis (36) meses contados desde su notificación.",
                  "replace": "treinta y seis (36) meses contados desde su notificación, "
                             "prorrogable por única vez por doce (12) meses calendario, conforme "
                             "al artículo 11 del Texto Único Ordenado de la Ley N° 29090."},
             ]},
            {"do": "visto", "by": "asesor.legal"},
            {"do": "visto", "by": "gerente.gdur"},
            {"do": "aprobar", "by": "asesor.legal", "reason": APPROVE, "to": "gerente.gdur"},
            {"do": "emitir", "by": "gerente.gdur"},
            {"do": "publicar", "by": "archivo.sg"},
        ],
    },
    # ---------------------------------------------------------------- GDUR: RGM ampliación de plazo
    {
        "key": "rgm-ampliacion-plazo-kirigueti",
        "template": "resolucion-gerencia-municipal",
        "author": "redactor.gdur",
        "fields": {
            "sumilla": "Declarar procedente en parte la solicitud de ampliación de plazo N° 02 del "
                       "contrato de ejecución de la obra " + KIRIGUETI_OBRA,
            "expediente": "2026-000652",
            "informes": "la Carta N° 014-2026-CSK/RL del Consorcio Saneamiento Kirigueti, el "
                        "Informe N° 009-2026-SUP-JCLM del supervisor de obra, el Informe "
                        "N° 0187-2026-SGO-GDUR-MDM de la Subgerencia de Obras, el Informe "
                        "N° 0241-2026-GDUR-MDM de la Gerencia de Desarrollo Urbano y Rural y el "
                        "Informe Legal N° 058-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "resolucion_delegacion": DELEGACION,
            "firmante_nombre": GERENTE_MUNICIPAL,
            "firmante_cargo": "Gerente Municipal",
        },
        "sections": {
            "considerando": [
                "Que, mediante la " + DELEGACION + ", el Alcalde delegó en el Gerente Municipal "
                "diversas atribuciones administrativas, entre ellas la de resolver las solicitudes "
                "de ampliación de plazo de los contratos de obra;",
                [
                    "Que, el 14 de marzo de 2025 la Municipalidad Distrital de Megantoni y el "
                    "Consorcio Saneamiento Kirigueti suscribieron el Contrato N° 004-2025-MDM para "
                    "la ejecución de la obra " + KIRIGUETI_OBRA + ", con CUI N° 2512086, por el "
                    "monto de S/ 7,284,530.62 y un plazo de trescientos (300) días calendario; "
                    "contrato derivado de un procedimiento de selección convocado antes de la "
                    "entrada en vigencia de la Ley N° 32069, Ley General de Contrataciones "
                    "Públicas, que, conforme a sus disposiciones complementarias transitorias, se "
                    "rige por el Texto Único Ordenado de la Ley N° 30225, Ley de Contrataciones "
                    "del Estado, aprobado por Decreto Supremo N° 082-2019-EF, y por su Reglamento, "
                    "aprobado por Decreto Supremo N° 344-2018-EF;",
                    "Que, el artículo 197 del Reglamento de la Ley N° 30225 establece que el "
                    "contratista puede solicitar la ampliación del plazo pactado por causales "
                    "ajenas a su voluntad, como los atrasos y paralizaciones no atribuibles a él, "
                    "siempre que modifiquen la ruta crítica del programa de ejecución de obra "
                    "vigente; y el artículo 198 del mismo Reglamento dispone que el contratista, "
                    "por intermedio de su residente, anota en el cuaderno de obra el inicio y el "
                    "final de las circunstancias que determinan la ampliación y, dentro de los "
                    "quince (15) días siguientes de concluida la circunstancia invocada, solicita, "
                    "cuantifica y sustenta su pedido ante el supervisor;",
                    "Que, mediante Carta N° 014-2026-CSK/RL, el Consorcio Saneamiento Kirigueti "
                    "solicita una ampliación de plazo de veintiocho (28) días calendario por "
                    "atrasos no atribuibles al contratista, sustentada en la crecida del río "
                    "Urubamba y las precipitaciones extraordinarias registradas entre el 19 de "
                    "enero y el 15 de febrero de 2026, que impidieron el transporte fluvial de "
                    "agregados y tuberías hacia la obra; y mediante Informe N° 009-2026-SUP-JCLM, "
                    "el supervisor de obra opina que corresponde reconocer dieciocho (18) días "
                    "calendario, por ser el período en el que la afectación de la ruta crítica se "
                    "encuentra acreditada;",
                    "Que, mediante Informe N° 0187-2026-SGO-GDUR-MDM, la Subgerencia de Obras hace "
                    "suyo el pronunciamiento del supervisor; y mediante Informe "
                    "N° 0241-2026-GDUR-MDM, la Gerencia de Desarrollo Urbano y Rural recomienda "
                    "declarar procedente en parte la solicitud, por dieciocho (18) días "
                    "calendario;",
                ],
                _legal_report("058", "corresponde declarar procedente en parte la solicitud de "
                              "ampliación de plazo N° 02, conforme a lo recomendado por el área "
                              "técnica y por el supervisor de obra"),
            ],
            "resuelve": [
                [
                    "DECLARAR PROCEDENTE EN PARTE la solicitud de ampliación de plazo N° 02 "
                    "presentada por el Consorcio Saneamiento Kirigueti en el marco del Contrato "
                    "N° 004-2025-MDM, y otorgar una ampliación de dieciocho (18) días calendario, "
                    "con lo cual la fecha de término de la obra se difiere del 9 de marzo de 2026 "
                    "al 27 de marzo de 2026.",
                    "PRECISAR que la ampliación otorgada no genera el reconocimiento de mayores "
                    "gastos generales variables.",
                    "DISPONER que el contratista actualice el programa de ejecución de obra, el "
                    "calendario de avance de obra valorizado y el calendario de adquisición de "
                    "materiales, y amplíe el plazo de las garantías otorgadas, conforme al "
                    "Reglamento de la Ley N° 30225.",
                ],
                "ENCARGAR a la Gerencia de Desarrollo Urbano y Rural, a través de la Subgerencia "
                "de Obras, el cumplimiento de la presente resolución, conforme a sus funciones y "
                "bajo responsabilidad.",
                "NOTIFICAR la presente resolución al Consorcio Saneamiento Kirigueti, al "
                "supervisor de obra, a la Gerencia de Desarrollo Urbano y Rural y a la Unidad de "
                "Abastecimiento, para su conocimiento y fines.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gdur", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "gastos", "section": "resuelve",
             "on": "PRECISAR que la ampliación otorgada",
             "quote": "no genera el reconocimiento de mayores gastos generales variables",
             "body": "Conforme al Reglamento de la Ley N° 30225, la ampliación de plazo por "
                     "atrasos no atribuibles al contratista da lugar al pago de los mayores costos "
                     "directos y gastos generales variables debidamente acreditados. El área "
                     "técnica debe pronunciarse sobre su cuantificación; no basta con negarlos en "
                     "la parte resolutiva."},
            {"do": "observar", "by": "asesor.legal",
             "reason": "Se devuelve con observaciones: 1) no se adjunta la copia del cuaderno de "
                       "obra con la anotación del inicio y del final de la causal invocada, "
                       "exigida por el artículo 198 del Reglamento de la Ley N° 30225; 2) el "
                       "artículo segundo niega los mayores gastos generales variables sin "
                       "pronunciamiento técnico sobre su cuantificación."},
        ],
    },
    # ------------------------------------------------------------------ GDUR: DA constancias
    {
        "key": "da-constancias-posesion",
        "template": "decreto-alcaldia",
        "author": "redactor.gdur",
        "fields": {
            "sumilla": "Aprobar el procedimiento para el otorgamiento de constancias de posesión "
                       "para fines de acceso a servicios básicos en los centros poblados del "
                       "distrito de Megantoni",
            "expediente": "2026-000815",
            "informes": "el Informe N° 0264-2026-GDUR-MDM de la Gerencia de Desarrollo Urbano y "
                        "Rural y el Informe Legal N° 066-2026-GAJ-MDM de la Gerencia de Asesoría "
                        "Jurídica",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el Título III de la Ley N° 28687, Ley de desarrollo y complementaria de "
                    "formalización de la propiedad informal, acceso al suelo y dotación de "
                    "servicios básicos, dispone que las municipalidades en cuya jurisdicción se "
                    "encuentre una posesión informal otorguen a los poseedores certificados o "
                    "constancias de posesión para fines del otorgamiento de la factibilidad de "
                    "servicios básicos; y su Reglamento, aprobado por Decreto Supremo "
                    "N° 017-2006-VIVIENDA, establece los requisitos y el procedimiento para su "
                    "emisión;",
                    "Que, mediante Informe N° 0264-2026-GDUR-MDM, la Gerencia de Desarrollo Urbano "
                    "y Rural informa que en los centros poblados de Camisea, Kirigueti y Nuevo "
                    "Mundo existen posesiones informales cuyos ocupantes requieren constancias de "
                    "posesión para solicitar la conexión a los servicios de agua potable, "
                    "alcantarillado y energía eléctrica, y propone un procedimiento uniforme que "
                    "asegure la verificación de la posesión y el respeto de las tierras de las "
                    "comunidades nativas;",
                ],
                _legal_report("066", "corresponde aprobar el procedimiento mediante decreto de "
                              "alcaldía, por tratarse de una norma de aplicación de la Ley "
                              "N° 28687 que regula un asunto de interés para el vecindario, y "
                              "precisa que la constancia no constituye reconocimiento de derecho "
                              "de propiedad alguno"),
            ],
            "decreta": [
                [
                    "APROBAR el procedimiento para el otorgamiento de constancias de posesión para "
                    "fines de acceso a servicios básicos en los centros poblados del distrito de "
                    "Megantoni, de conformidad con la Ley N° 28687 y su Reglamento, aprobado por "
                    "Decreto Supremo N° 017-2006-VIVIENDA.",
                    "ESTABLECER que la solicitud se presenta ante la mesa de partes de la entidad, "
                    "acompañada de: a) copia del documento nacional de identidad del solicitante; "
                    "b) plano de ubicación del lote con coordenadas UTM; c) declaración jurada de "
                    "posesión directa, continua, pacífica y pública; y d) cuando el predio se "
                    "ubique en tierras de una comunidad nativa, el acta de la Asamblea Comunal "
                    "que otorga conformidad a la posesión.",
                    "ESTABLECER que la Gerencia de Desarrollo Urbano y Rural realiza la inspección "
                    "ocular del predio dentro de los diez (10) días hábiles de presentada la "
                    "solicitud, levanta el acta de verificación y otorga la constancia o la "
                    "deniega mediante pronunciamiento motivado.",
                    "PRECISAR que la constancia de posesión se otorga exclusivamente para el "
                    "trámite de factibilidad de los servicios básicos y no constituye "
                    "reconocimiento de derecho de propiedad alguno sobre el predio, conforme a la "
                    "Ley N° 28687.",
                ],
                "ENCARGAR a la Gerencia Municipal y a la Gerencia de Desarrollo Urbano y Rural el "
                "cumplimiento del presente decreto.",
            ],
        },
        "steps": [
            {"do": "save", "by": "asesor.legal",
             "note": "Asesoría Jurídica precisa la conformidad de la comunidad nativa",
             "edits": [
                 {"section": "decreta",
                  "find": "el acta de la Asamblea Comunal que otorga conformidad a la posesión.",
                  "replace": "el acta de la Asamblea Comunal o la constancia de la Junta "
                             "Directiva de la comunidad que otorga conformidad a la posesión, sin "
                             "perjuicio de la imprescriptibilidad de las tierras comunales "
                             "reconocida por el artículo 89 de la Constitución Política del "
                             "Perú."},
             ]},
            {"do": "save", "by": "redactor.gdur",
             "note": LEGAL_NOTE + " y se agrega el registro de constancias",
             "edits": [
                 {"section": "decreta", "after": "realiza la inspección ocular del predio",
                  "insert": "DISPONER que la Gerencia de Desarrollo Urbano y Rural lleve un "
                            "registro de las constancias de posesión otorgadas, por centro "
                            "poblado, y remita trimestralmente a la Gerencia Municipal el reporte "
                            "correspondiente."},
             ]},
        ],
    },
    # ----------------------------------------------------------------- GAF: OM beneficio tributario
    {
        "key": "om-beneficio-arbitrios",
        "template": "ordenanza-municipal",
        "author": "redactor.gaf",
        "fields": {
            "sumilla": "Ordenanza que aprueba el régimen extraordinario de beneficios tributarios "
                       "para el pago de arbitrios municipales en el distrito de Megantoni",
            "denominacion": "APRUEBA EL RÉGIMEN EXTRAORDINARIO DE BENEFICIOS TRIBUTARIOS PARA EL "
                            "PAGO DE ARBITRIOS MUNICIPALES EN EL DISTRITO DE MEGANTONI",
            "sesion_tipo": "Ordinaria",
            "sesion_fecha": "27 de marzo de 2026",
            "dictamen": "Dictamen N° 005-2026-CEPP-MDM de la Comisión de Economía, Presupuesto y "
                        "Planeamiento",
            "expediente": "2026-000694",
            "informes": "el Informe N° 024-2026-GAF-UR-MDM de la Unidad de Rentas, el Informe "
                        "N° 044-2026-GAF-MDM de la Gerencia de Administración y Finanzas y el "
                        "Informe Legal N° 055-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "votacion": "UNANIMIDAD",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el artículo 74 de la Constitución Política del Perú dispone que los "
                    "gobiernos locales pueden crear, modificar y suprimir contribuciones y tasas, "
                    "o exonerar de estas, dentro de su jurisdicción y con los límites que señala "
                    "la ley; y el numeral 4 de su artículo 195 reconoce su competencia para "
                    "crear, modificar y suprimir contribuciones, tasas, arbitrios, licencias y "
                    "derechos municipales, conforme a ley;",
                    "Que, el numeral 9 del artículo 9 de la Ley N° 27972 atribuye al Concejo "
                    "Municipal crear, modificar, suprimir o exonerar de contribuciones, tasas, "
                    "arbitrios, licencias y derechos, conforme a ley; y el segundo párrafo de su "
                    "artículo 40 dispone que mediante ordenanzas se crean, modifican, suprimen o "
                    "exoneran los arbitrios, tasas, licencias, derechos y contribuciones, dentro "
                    "de los límites establecidos por ley;",
                    "Que, la Norma IV del Título Preliminar del Texto Único Ordenado del Código "
                    "Tributario, aprobado por Decreto Supremo N° 133-2013-EF, establece que los "
                    "gobiernos locales, mediante ordenanza, pueden crear, modificar y suprimir sus "
                    "contribuciones, arbitrios, derechos y licencias o exonerar de ellos, dentro "
                    "de su jurisdicción y con los límites que señala la ley; y su artículo 41 "
                    "dispone que, excepcionalmente, los gobiernos locales pueden condonar, con "
                    "carácter general, el interés moratorio y las sanciones respecto de los "
                    "impuestos que administren, y que en el caso de contribuciones y tasas dicha "
                    "condonación también puede alcanzar al tributo;",
                ],
                [
                    "Que, mediante Informe N° 024-2026-GAF-UR-MDM, la Unidad de Rentas informa que "
                    "al 31 de diciembre de 2025 la deuda por arbitrios municipales de limpieza "
                    "pública, parques y jardines y serenazgo de los ejercicios 2019 a 2025 "
                    "asciende a S/ 1,284,672.35, a cargo de 2,317 contribuyentes, de los cuales "
                    "el 71% registra deuda de más de dos ejercicios, y propone un régimen temporal "
                    "de beneficios que incentive la regularización voluntaria y reduzca el costo "
                    "de la cobranza coactiva;",
                    "Que, mediante Informe N° 044-2026-GAF-MDM, la Gerencia de Administración y "
                    "Finanzas hace suya la propuesta y señala que el régimen no afecta el "
                    "financiamiento de los servicios del ejercicio 2026, al no comprender los "
                    "arbitrios de dicho ejercicio;",
                ],
                "Que, mediante Informe Legal N° 055-2026-GAJ-MDM, la Gerencia de Asesoría Jurídica "
                "opina que el proyecto de ordenanza es legalmente procedente, al encontrarse "
                "dentro de la facultad de condonación prevista en el artículo 41 del Texto Único "
                "Ordenado del Código Tributario; y la Comisión de Economía, Presupuesto y "
                "Planeamiento, mediante el dictamen del visto, recomienda su aprobación al "
                "Concejo Municipal;",
            ],
            "articulado": [
                {"heading": "OBJETO",
                 "text": "La presente ordenanza tiene por objeto establecer un régimen "
                         "extraordinario y temporal de beneficios tributarios que permita a los "
                         "contribuyentes del distrito de Megantoni regularizar el pago de sus "
                         "deudas por arbitrios municipales de limpieza pública, parques y jardines "
                         "y serenazgo."},
                {"heading": "ÁMBITO DE APLICACIÓN",
                 "text": "La presente ordenanza es de aplicación en la jurisdicción del distrito "
                         "de Megantoni, provincia de La Convención, departamento de Cusco, y "
                         "alcanza a las personas naturales y jurídicas que mantengan deudas por "
                         "arbitrios municipales de los ejercicios 2025 y anteriores, en cualquier "
                         "estado de cobranza, incluida la cobranza coactiva."},
                [
                    {"heading": "BENEFICIOS",
                     "text": "Los contribuyentes que paguen al contado su deuda por arbitrios "
                             "municipales de los ejercicios 2025 y anteriores durante la vigencia "
                             "del régimen gozan de los siguientes beneficios:\n"
                             "a) Condonación del cien por ciento (100%) de los intereses "
                             "moratorios y reajustes.\n"
                             "b) Condonación del cincuenta por ciento (50%) del insoluto de los "
                             "arbitrios de los ejercicios 2019 a 2022.\n"
                             "c) Condonación del veinte por ciento (20%) del insoluto de los "
                             "arbitrios de los ejercicios 2023 a 2025."},
                    {"heading": "DEUDAS FRACCIONADAS Y EN COBRANZA COACTIVA",
                     "text": "Los contribuyentes con fraccionamiento vigente pueden acogerse a los "
                             "beneficios respecto de las cuotas pendientes de pago. Tratándose de "
                             "deudas en cobranza coactiva, el acogimiento comprende además la "
                             "condonación de las costas y gastos del procedimiento, y el ejecutor "
                             "coactivo lo suspende una vez verificado el pago."},
                    {"heading": "PAGOS ANTERIORES Y DESISTIMIENTO",
                     "text": "Los pagos efectuados antes de la vigencia de la presente ordenanza "
                             "no son materia de devolución ni de compensación. El acogimiento "
                             "implica el reconocimiento de la deuda y el desistimiento de los "
                             "recursos que el contribuyente hubiera interpuesto respecto de ella."},
                    {"heading": "VIGENCIA DEL RÉGIMEN",
                     "text": "Los beneficios pueden solicitarse desde el día siguiente de la "
                             "publicación de la presente ordenanza hasta el 30 de junio de 2026."},
                ],
            ],
            "disposiciones_finales": [[
                "ENCARGAR a la Gerencia Municipal y a la Gerencia de Administración y Finanzas, a "
                "través de la Unidad de Rentas y de la Ejecutoría Coactiva, el cumplimiento de la "
                "presente ordenanza.",
                "FACULTAR al Alcalde para que, mediante decreto de alcaldía, dicte las "
                "disposiciones complementarias necesarias para la aplicación de la presente "
                "ordenanza y, de ser el caso, prorrogue su vigencia.",
            ]],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gaf", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "predial", "section": "articulado",
             "on": "Los contribuyentes que paguen al contado",
             "quote": "Condonación del cincuenta por ciento (50%) del insoluto",
             "body": "Precisar en este artículo que el régimen no comprende el Impuesto Predial: "
                     "conforme al artículo 41 del Código Tributario, la condonación del tributo "
                     "solo alcanza a las contribuciones y tasas, como los arbitrios."},
            {"do": "reply", "by": "redactor.gaf", "ref": "predial",
             "body": "De acuerdo. La Unidad de Rentas propone agregar al final del artículo: «El "
                     "presente régimen no comprende el Impuesto Predial ni sus intereses»."},
        ],
    },
    # ------------------------------------------------------------------ GAF: Directiva (caja chica)
    {
        "key": "dir-caja-chica",
        "template": "directiva",
        "author": "redactor.gaf",
        "fields": {
            "sumilla": "Directiva para la administración del fondo de caja chica de la "
                       "Municipalidad Distrital de Megantoni",
            "unidad_formuladora": "Gerencia de Administración y Finanzas",
            "norma_rof": ROF,
            "firmante_nombre": GERENTE_MUNICIPAL,
            "firmante_cargo": "Gerente Municipal",
        },
        "sections": {
            "objetivo": [
                "Establecer las normas y procedimientos para la constitución, administración, "
                "reposición, rendición y control del fondo de caja chica en la Municipalidad "
                "Distrital de Megantoni.",
            ],
            "finalidad": [
                "Garantizar que los gastos menores, urgentes y no programables se atiendan con "
                "oportunidad y se sustenten debidamente, asegurando el uso racional de los "
                "recursos y el control interno del fondo.",
            ],
            "base_legal": [
                BASE_FINANZAS + [
                    "Directiva de Tesorería N° 001-2007-EF/77.15, aprobada por Resolución "
                    "Directoral N° 002-2007-EF/77.15, en lo que resulte aplicable.",
                    "Resolución Directoral N° 001-2011-EF/77.15, que dicta disposiciones "
                    "complementarias a la Directiva de Tesorería, cuyo artículo 10 regula la caja "
                    "chica.",
                    COMPROBANTES,
                ],
            ],
            "alcance": [
                "Las disposiciones de la presente directiva son de cumplimiento obligatorio para "
                "la Gerencia de Administración y Finanzas, las Unidades de Tesorería y de "
                "Contabilidad, el responsable del fondo de caja chica y las unidades orgánicas "
                "que lo utilicen en la Municipalidad Distrital de Megantoni, cualquiera sea su "
                "régimen laboral o modalidad de contratación.",
            ],
            "disposiciones_generales": [[
                {"heading": "Caja chica",
                 "text": "Es un fondo en efectivo constituido con recursos públicos, destinado a "
                         "atender gastos menores que demandan su cancelación inmediata o que, por "
                         "su naturaleza, no pueden ser debidamente programados."},
                {"heading": "Constitución del fondo",
                 "text": "El fondo se constituye al inicio de cada año fiscal mediante resolución "
                         "de la Gerencia de Administración y Finanzas, que designa al responsable "
                         "titular y al suplente."},
                {"heading": "Monto del fondo",
                 "text": "El monto del fondo es de S/ 6,000.00. Cada pago con cargo a él no excede "
                         "de S/ 500.00, monto inferior al límite máximo que establece la normativa "
                         "de tesorería."},
                {"heading": "Reposición",
                 "text": "El fondo se repone cuando se haya utilizado al menos el sesenta por "
                         "ciento (60%) de su monto, previa rendición documentada de los gastos."},
            ]],
            "disposiciones_especificas": [[
                {"heading": "Solicitud del gasto",
                 "text": "La unidad orgánica usuaria solicita el gasto mediante vale provisional "
                         "(Anexo N° 01), autorizado por su jefe, con indicación del concepto, la "
                         "meta presupuestaria y el monto. El vale se rinde con el comprobante de "
                         "pago en un plazo máximo de cuarenta y ocho (48) horas."},
                {"heading": "Gastos permitidos",
                 "text": "Se atienden con el fondo los gastos menores de útiles de oficina, "
                         "materiales de limpieza, movilidad local, pasajes fluviales y terrestres "
                         "no programados, reparaciones menores y otros de naturaleza similar que "
                         "no puedan programarse."},
                {"heading": "Gastos prohibidos",
                 "text": "No se atienden con el fondo el pago de remuneraciones, pensiones, dietas "
                         "ni retribuciones por locación de servicios, la adquisición de bienes de "
                         "activo fijo, los gastos fraccionados para eludir el límite por pago ni "
                         "las contrataciones programadas en el Plan Anual de Contrataciones."},
                {"heading": "Arqueos",
                 "text": "La Unidad de Contabilidad efectúa arqueos sorpresivos del fondo al menos "
                         "una vez al mes, en presencia del responsable del fondo, y levanta el "
                         "acta correspondiente (Anexo N° 03)."},
                {"heading": "Liquidación anual",
                 "text": "El fondo se liquida al cierre del año fiscal; el saldo no utilizado se "
                         "deposita en la cuenta bancaria de la entidad a más tardar el último día "
                         "hábil de diciembre."},
            ]],
            "responsabilidades": [
                "El responsable del fondo custodia el efectivo en caja de seguridad, registra los "
                "gastos en el libro auxiliar y presenta las rendiciones para la reposición; la "
                "Unidad de Tesorería verifica las rendiciones y tramita la reposición; y la Unidad "
                "de Contabilidad efectúa los arqueos y el registro contable.",
            ],
            "anexos": [[
                "Anexo N° 01: Formato de vale provisional de caja chica.",
                "Anexo N° 02: Formato de rendición de gastos para la reposición del fondo.",
                "Anexo N° 03: Formato de acta de arqueo de caja chica.",
                "Anexo N° 04: Formato de declaración jurada de gastos de movilidad local.",
            ]],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gaf", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "monto",
             "section": "disposiciones_generales", "on": "El monto del fondo es de S/ 6,000.00",
             "quote": "El monto del fondo es de S/ 6,000.00",
             "body": "El monto del fondo y el límite por pago deben fijarse en la resolución que "
                     "constituye el fondo cada año. Indicar que S/ 6,000.00 corresponde al año "
                     "fiscal 2026 y que su variación se aprueba por resolución de la Gerencia de "
                     "Administración y Finanzas."},
            {"do": "observar", "by": "asesor.legal",
             "reason": "Se devuelve para precisar el monto del fondo y la forma de modificarlo "
                       "(ver la observación en el numeral 3 de las disposiciones generales)."},
            {"do": "save", "by": "redactor.gaf", "note": LEGAL_NOTE, "edits": [
                {"section": "disposiciones_generales",
                 "find": "El monto del fondo es de S/ 6,000.00.",
                 "replace": "Para el año fiscal 2026 el monto del fondo es de S/ 6,000.00; su "
                            "variación se aprueba por resolución de la Gerencia de Administración "
                            "y Finanzas, previa disponibilidad presupuestal."},
            ]},
            {"do": "enviar", "by": "redactor.gaf", "reason": RESEND, "to": "asesor.legal"},
            {"do": "resolve", "by": "asesor.legal", "ref": "monto"},
        ],
    },
    # ------------------------------------------------------------------ GAF: RG crédito devengado
    {
        "key": "rg-credito-devengado",
        "template": "resolucion-gerencia",
        "author": "redactor.gaf",
        "fields": {
            "sumilla": "Reconocer como crédito devengado la deuda a favor de Transportes Fluviales "
                       "Bajo Urubamba E.I.R.L. por el servicio de transporte fluvial prestado en "
                       "diciembre de 2025",
            "gerencia": "Gerencia de Administración y Finanzas",
            "norma_rof": ROF,
            "expediente": "2026-000503",
            "informes": "la Carta N° 003-2026-TFBU/GG de Transportes Fluviales Bajo Urubamba "
                        "E.I.R.L., el Informe N° 018-2026-GDS-MDM de la Gerencia de Desarrollo "
                        "Social, el Informe N° 029-2026-GAF-UA-MDM de la Unidad de "
                        "Abastecimiento, el Informe N° 016-2026-OPP-MDM de la Oficina de "
                        "Planeamiento y Presupuesto y el Informe Legal N° 037-2026-GAJ-MDM de la "
                        "Gerencia de Asesoría Jurídica",
            "firmante_nombre": GERENTE_GAF,
            "firmante_cargo": "Gerente de Administración y Finanzas",
        },
        "sections": {
            "considerando": [
                "Que, el Reglamento de Organización y Funciones (ROF) de la Municipalidad "
                "Distrital de Megantoni, aprobado por " + ROF + ", asigna a la Gerencia de "
                "Administración y Finanzas la función de conducir los sistemas administrativos de "
                "tesorería, contabilidad y abastecimiento, y de reconocer las obligaciones de pago "
                "de ejercicios anteriores conforme a la normativa vigente;",
                [
                    "Que, el Reglamento del Procedimiento Administrativo para el Reconocimiento y "
                    "Abono de Créditos Internos y Devengados a Cargo del Estado, aprobado por "
                    "Decreto Supremo N° 017-84-PCM, define en su artículo 3 como créditos las "
                    "obligaciones que, no habiendo sido afectadas presupuestariamente, han sido "
                    "contraídas en un ejercicio fiscal anterior dentro de los montos de gasto "
                    "autorizados para ese ejercicio; y su artículo 8 dispone que la resolución de "
                    "reconocimiento es expedida por el Director General de Administración o por el "
                    "funcionario homólogo;",
                    "Que, mediante Orden de Servicio N° 0912-2025, la entidad contrató a "
                    "Transportes Fluviales Bajo Urubamba E.I.R.L., con RUC N° 20564812937, para el "
                    "transporte fluvial de los alimentos del Programa de Complementación "
                    "Alimentaria desde Camisea hacia las comunidades nativas de Nuevo Mundo y "
                    "Kirigueti; el servicio fue prestado del 1 al 20 de diciembre de 2025 y la "
                    "Gerencia de Desarrollo Social otorgó su conformidad mediante Informe "
                    "N° 018-2026-GDS-MDM; sin embargo, no se pagó en el ejercicio 2025 porque el "
                    "comprobante de pago se presentó el 5 de enero de 2026, después del cierre del "
                    "ejercicio;",
                    "Que, mediante Informe N° 029-2026-GAF-UA-MDM, la Unidad de Abastecimiento "
                    "confirma que la obligación asciende a S/ 18,450.00 y que se encuentra "
                    "impaga; y mediante Informe N° 016-2026-OPP-MDM, la Oficina de Planeamiento y "
                    "Presupuesto otorga la certificación de crédito presupuestario con cargo al "
                    "presupuesto institucional del año fiscal 2026;",
                ],
                _legal_report("037", "es procedente reconocer el crédito devengado, al estar "
                              "acreditadas la prestación del servicio, su conformidad y la causa "
                              "por la que no se pagó en el ejercicio correspondiente, conforme al "
                              "Decreto Supremo N° 017-84-PCM"),
            ],
            "resuelve": [
                [
                    "RECONOCER como crédito devengado a favor de Transportes Fluviales Bajo "
                    "Urubamba E.I.R.L., con RUC N° 20564812937, la suma de S/ 18,450.00 (dieciocho "
                    "mil cuatrocientos cincuenta con 00/100 soles), por el servicio de transporte "
                    "fluvial prestado del 1 al 20 de diciembre de 2025 en el marco de la Orden de "
                    "Servicio N° 0912-2025.",
                    "DISPONER que el pago se efectúe con cargo al presupuesto institucional del "
                    "año fiscal 2026, según la certificación de crédito presupuestario otorgada "
                    "por la Oficina de Planeamiento y Presupuesto.",
                    "REMITIR copia de los actuados a la Secretaría Técnica de los Procedimientos "
                    "Administrativos Disciplinarios, para que evalúe la responsabilidad por la "
                    "demora en el trámite del pago.",
                ],
                "ENCARGAR a las Unidades de Contabilidad y de Tesorería el registro del "
                "compromiso, el devengado y el pago en el SIAF-SP, conforme a sus funciones.",
                "NOTIFICAR la presente resolución a Transportes Fluviales Bajo Urubamba E.I.R.L., "
                "a la Gerencia de Desarrollo Social y a las Unidades de Contabilidad y de "
                "Tesorería, para su conocimiento y fines.",
            ],
        },
        "steps": [],
    },
    # ----------------------------------------------------------------- GDE: OM comercio ambulatorio
    {
        "key": "om-comercio-ambulatorio",
        "template": "ordenanza-municipal",
        "author": "redactor.gde",
        "fields": {
            "sumilla": "Ordenanza que regula el comercio ambulatorio en la zona urbana de Camisea",
            "denominacion": "REGULA EL COMERCIO AMBULATORIO EN LA ZONA URBANA DE CAMISEA, CAPITAL "
                            "DEL DISTRITO DE MEGANTONI",
            "sesion_tipo": "Ordinaria",
            "sesion_fecha": "24 de abril de 2026",
            "dictamen": "Dictamen N° 003-2026-CDE-MDM de la Comisión de Desarrollo Económico",
            "expediente": "2026-000902",
            "informes": "el Informe N° 031-2026-GDE-MDM de la Gerencia de Desarrollo Económico y "
                        "el Informe Legal N° 061-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "votacion": "UNANIMIDAD",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el numeral 3.2 del artículo 83 de la Ley N° 27972 establece como función "
                    "específica exclusiva de las municipalidades distritales regular y controlar "
                    "el comercio ambulatorio, de acuerdo con las normas establecidas por la "
                    "municipalidad provincial; y el artículo 46 de la misma ley dispone que las "
                    "normas municipales son de carácter obligatorio y que las ordenanzas "
                    "determinan el régimen de sanciones administrativas por la infracción de sus "
                    "disposiciones;",
                    "Que, el Reglamento de Aplicación de Sanciones Administrativas y el Cuadro "
                    "Único de Infracciones y Sanciones de la Municipalidad Distrital de Megantoni "
                    "fueron aprobados por la " + CUIS + ";",
                ],
                "Que, mediante Informe N° 031-2026-GDE-MDM, la Gerencia de Desarrollo Económico "
                "informa que en la zona urbana de Camisea se ha incrementado el comercio "
                "ambulatorio en los alrededores del mercado, del embarcadero fluvial y de la "
                "plaza principal, lo que afecta el libre tránsito peatonal, la salubridad de los "
                "alimentos que se expenden y la seguridad de los usuarios del embarcadero; y "
                "propone regular la actividad mediante autorizaciones temporales, zonas "
                "permitidas y obligaciones sanitarias, priorizando a los comerciantes en situación "
                "de vulnerabilidad y a los productores de las comunidades nativas del distrito;",
                "Que, mediante Informe Legal N° 061-2026-GAJ-MDM, la Gerencia de Asesoría Jurídica "
                "opina que el proyecto de ordenanza es legalmente procedente; y la Comisión de "
                "Desarrollo Económico, mediante el dictamen del visto, recomienda su aprobación al "
                "Concejo Municipal;",
            ],
            "articulado": [
                {"heading": "OBJETO",
                 "text": "La presente ordenanza tiene por objeto regular el ejercicio del comercio "
                         "ambulatorio en los espacios públicos de la zona urbana de Camisea, "
                         "estableciendo las condiciones para su autorización, las zonas permitidas "
                         "y prohibidas, las obligaciones de los comerciantes y el régimen de "
                         "infracciones y sanciones."},
                {"heading": "ÁMBITO DE APLICACIÓN",
                 "text": "La presente ordenanza es de aplicación en la zona urbana de Camisea, "
                         "capital del distrito de Megantoni, provincia de La Convención, "
                         "departamento de Cusco, y es de cumplimiento obligatorio para las "
                         "personas naturales que ejercen el comercio ambulatorio en los espacios "
                         "públicos y para los funcionarios y servidores encargados de su control."},
                [
                    {"heading": "DEFINICIONES",
                     "text": "Para efectos de la presente ordenanza se entiende por:\n"
                             "a) Comercio ambulatorio: actividad económica de venta de bienes o de "
                             "prestación de servicios que se realiza en forma individual en los "
                             "espacios públicos, sin instalaciones fijas, con módulos desmontables "
                             "o móviles.\n"
                             "b) Comerciante ambulatorio: persona natural que realiza el comercio "
                             "ambulatorio de manera personal y directa, con autorización "
                             "municipal.\n"
                             "c) Autorización municipal temporal: acto administrativo que habilita "
                             "a un comerciante a ejercer el comercio ambulatorio en un giro, "
                             "horario y ubicación determinados."},
                    {"heading": "AUTORIZACIÓN MUNICIPAL TEMPORAL",
                     "text": "La autorización municipal temporal es personal e intransferible, se "
                             "otorga por un plazo de un (1) año y puede renovarse por períodos "
                             "iguales, previa evaluación. La otorga la Gerencia de Desarrollo "
                             "Económico mediante resolución, dentro del plazo de quince (15) días "
                             "hábiles de presentada la solicitud."},
                    {"heading": "REQUISITOS",
                     "text": "Para obtener la autorización, el solicitante presenta: a) solicitud "
                             "con carácter de declaración jurada en la que consigne su nombre, el "
                             "número de su documento nacional de identidad, su domicilio, el giro "
                             "y la ubicación solicitada; b) declaración jurada de no contar con "
                             "otro puesto de venta ni con otra autorización en el distrito; c) "
                             "constancia de capacitación en buenas prácticas de manipulación de "
                             "alimentos brindada por la municipalidad, cuando el giro comprenda "
                             "alimentos; y d) pago de S/ 30.00 por derecho de trámite."},
                    {"heading": "ZONAS PERMITIDAS Y PROHIBIDAS",
                     "text": "El comercio ambulatorio solo puede ejercerse en las zonas que señale "
                             "el plano de zonificación comercial aprobado por decreto de alcaldía. "
                             "Se prohíbe en todos los casos a menos de cincuenta (50) metros de "
                             "las instituciones educativas, del Centro de Salud Camisea y de los "
                             "accesos al embarcadero fluvial, así como en las rampas peatonales, "
                             "las vías de evacuación y la calzada."},
                    {"heading": "OBLIGACIONES DEL COMERCIANTE",
                     "text": "Son obligaciones del comerciante: a) ejercer personalmente la "
                             "actividad en el giro, la ubicación y el horario autorizados; b) "
                             "exhibir la autorización municipal; c) mantener limpio el espacio que "
                             "ocupa y un radio de dos (2) metros a su alrededor, y depositar los "
                             "residuos en los contenedores municipales; d) usar mandil y gorro de "
                             "color claro y mantener los alimentos protegidos, cuando el giro los "
                             "comprenda; y e) no obstaculizar el tránsito de peatones ni de "
                             "vehículos."},
                    {"heading": "INFRACCIONES Y SANCIONES",
                     "text": "Incorpórense en el Cuadro Único de Infracciones y Sanciones aprobado "
                             "por la " + CUIS + " las siguientes infracciones: a) ejercer el "
                             "comercio ambulatorio sin autorización municipal: multa del diez por "
                             "ciento (10%) de la UIT y retención de la mercadería; b) ejercer el "
                             "comercio ambulatorio en zona prohibida: multa del quince por ciento "
                             "(15%) de la UIT y retención de la mercadería; c) no mantener limpio "
                             "el espacio ocupado: multa del cinco por ciento (5%) de la UIT. La "
                             "mercadería perecible retenida se devuelve en el día a quien acredite "
                             "su propiedad; vencido ese plazo, la que sea apta para el consumo "
                             "humano se dona a los comedores populares del distrito, con acta."},
                ],
            ],
            "disposiciones_finales": [[
                "ENCARGAR a la Gerencia Municipal y a la Gerencia de Desarrollo Económico el "
                "cumplimiento de la presente ordenanza, con el apoyo de la Subgerencia de "
                "Fiscalización y del Serenazgo municipal.",
                "FACULTAR al Alcalde para que, mediante decreto de alcaldía, apruebe el plano de "
                "zonificación comercial y dicte las disposiciones reglamentarias de la presente "
                "ordenanza.",
            ]],
        },
        "steps": [
            {"do": "save", "by": "redactor.gde",
             "note": "Se incorpora el horario de la actividad a pedido de la Subgerencia de "
                     "Fiscalización",
             "edits": [
                 {"section": "articulado", "after": "El comercio ambulatorio solo puede ejercerse",
                  "insert": {"heading": "HORARIO",
                             "text": "El comercio ambulatorio se ejerce entre las 06:00 y las "
                                     "20:00 horas. En los días de feria y en las festividades del "
                                     "distrito, la Gerencia de Desarrollo Económico puede "
                                     "autorizar horarios especiales."}},
             ]},
            {"do": "enviar", "by": "redactor.gde", "reason": SEND, "to": "asesor.legal"},
            {"do": "comment", "by": "asesor.legal", "ref": "tupa", "section": "articulado",
             "on": "Para obtener la autorización, el solicitante presenta",
             "quote": "pago de S/ 30.00 por derecho de trámite",
             "body": "El procedimiento, sus requisitos y su derecho de trámite solo son exigibles "
                     "si están incorporados en el TUPA de la entidad, con el sustento de costos "
                     "correspondiente. Remitir al derecho de trámite establecido en el TUPA y "
                     "agregar una disposición que encargue su adecuación."},
            {"do": "comment", "by": "asesor.legal", "ref": "provincial", "section": "considerando",
             "on": "Que, el numeral 3.2 del artículo 83",
             "quote": "de acuerdo con las normas establecidas por la municipalidad provincial",
             "body": "Citar la ordenanza de la Municipalidad Provincial de La Convención sobre "
                     "comercio ambulatorio y verificar que las zonas prohibidas y las sanciones "
                     "propuestas sean compatibles con ella."},
            {"do": "observar", "by": "asesor.legal",
             "reason": "Se devuelve con observaciones: 1) el artículo 5 exige un derecho de "
                       "trámite que no figura en el TUPA de la entidad; 2) falta citar la norma "
                       "provincial a la que debe sujetarse la regulación distrital del comercio "
                       "ambulatorio (numeral 3.2 del artículo 83 de la Ley N° 27972). Ver los "
                       "comentarios en el texto."},
        ],
    },
    # ------------------------------------------------------------------ GDS: RG organización social
    {
        "key": "rg-club-de-madres",
        "template": "resolucion-gerencia",
        "author": "redactor.gds",
        "fields": {
            "sumilla": "Reconocer a la Organización Social de Base «Club de Madres Virgen del "
                       "Carmen» de la comunidad nativa de Kirigueti e inscribirla en el Registro "
                       "Único de Organizaciones Sociales",
            "gerencia": "Gerencia de Desarrollo Social",
            "norma_rof": ROF,
            "expediente": "2026-000577",
            "informes": "la solicitud con Registro N° 002311 presentada por la presidenta del Club "
                        "de Madres Virgen del Carmen, el Informe N° 007-2026-GDS-RUOS-MDM del "
                        "responsable del Registro Único de Organizaciones Sociales y el Informe "
                        "Legal N° 049-2026-GAJ-MDM de la Gerencia de Asesoría Jurídica",
            "firmante_nombre": GERENTE_GDS,
            "firmante_cargo": "Gerente de Desarrollo Social",
        },
        "sections": {
            "considerando": [
                [
                    "Que, el Reglamento de Organización y Funciones (ROF) de la Municipalidad "
                    "Distrital de Megantoni, aprobado por " + ROF + ", asigna a la Gerencia de "
                    "Desarrollo Social la función de promover la organización y participación de "
                    "la población en los programas sociales y de conducir el Registro Único de "
                    "Organizaciones Sociales del distrito;",
                    "Que, el artículo 84 de la Ley N° 27972 establece las funciones de las "
                    "municipalidades distritales en materia de programas sociales, defensa y "
                    "promoción de derechos, entre ellas la de organizar, administrar y ejecutar "
                    "los programas locales de lucha contra la pobreza y de desarrollo social;",
                ],
                [
                    "Que, la Ley N° 25307, que declara de prioritario interés nacional la labor "
                    "que realizan los clubes de madres, comedores populares autogestionarios y "
                    "demás organizaciones sociales de base en el servicio de apoyo alimentario, y "
                    "su Reglamento, aprobado por Decreto Supremo N° 041-2002-PCM, regulan el "
                    "reconocimiento de dichas organizaciones y su inscripción en el registro a "
                    "cargo de la municipalidad de su jurisdicción; y la Ordenanza Municipal "
                    "N° 006-2020-MDM aprobó el Reglamento del Registro Único de Organizaciones "
                    "Sociales de la Municipalidad Distrital de Megantoni;",
                    "Que, mediante solicitud con Registro N° 002311, la señora Marleni Cárdenas "
                    "Ríos, presidenta del Club de Madres Virgen del Carmen de la comunidad nativa "
                    "de Kirigueti, solicita el reconocimiento de la organización y de su Junta "
                    "Directiva para el período 2026-2028, y adjunta el acta de constitución, el "
                    "estatuto aprobado en asamblea general, el padrón de ochenta y dos (82) socias "
                    "y el acta de elección de la Junta Directiva;",
                    "Que, mediante Informe N° 007-2026-GDS-RUOS-MDM, el responsable del Registro "
                    "Único de Organizaciones Sociales verifica que la organización cumple los "
                    "requisitos del Reglamento del Registro y recomienda su reconocimiento e "
                    "inscripción;",
                ],
                _legal_report("049", "es procedente el reconocimiento solicitado, al haberse "
                              "cumplido los requisitos previstos en la normativa de la materia"),
            ],
            "resuelve": [
                [
                    "RECONOCER a la Organización Social de Base «Club de Madres Virgen del Carmen» "
                    "de la comunidad nativa de Kirigueti, distrito de Megantoni, e inscribirla en "
                    "el Registro Único de Organizaciones Sociales de la Municipalidad Distrital de "
                    "Megantoni.",
                    "RECONOCER a la Junta Directiva del Club de Madres Virgen del Carmen para el "
                    "período comprendido entre el 1 de abril de 2026 y el 31 de marzo de 2028, "
                    "integrada por:\n"
                    "Presidenta: Marleni Cárdenas Ríos\n"
                    "Vicepresidenta: Delia Vargas Huamán\n"
                    "Secretaria: Nelly Quispe Campos\n"
                    "Tesorera: Gladys Torres Ccahua\n"
                    "Vocal: Maribel Pérez Ñaupa",
                ],
                "ENCARGAR a la Gerencia de Desarrollo Social, a través del Registro Único de "
                "Organizaciones Sociales, la inscripción dispuesta y la emisión de la constancia "
                "correspondiente.",
                "NOTIFICAR la presente resolución a la presidenta del Club de Madres Virgen del "
                "Carmen y a la Junta Directiva de la Comunidad Nativa de Kirigueti, para su "
                "conocimiento y fines.",
            ],
        },
        "steps": [
            {"do": "enviar", "by": "redactor.gds", "reason": SEND, "to": "asesor.legal"},
        ],
    },
    # --------------------------------------------------------------- GDS: OM instancia concertación
    {
        "key": "om-instancia-concertacion",
        "template": "ordenanza-municipal",
        "author": "redactor.gds",
        "fields": {
            "sumilla": "Ordenanza que crea la Instancia Distrital de Concertación para erradicar "
                       "la violencia contra las mujeres y los integrantes del grupo familiar del "
                       "distrito de Megantoni",
            "denominacion": "CREA LA INSTANCIA DISTRITAL DE CONCERTACIÓN PARA ERRADICAR LA "
                            "VIOLENCIA CONTRA LAS MUJERES Y LOS INTEGRANTES DEL GRUPO FAMILIAR DEL "
                            "DISTRITO DE MEGANTONI",
            "sesion_tipo": "Ordinaria",
            "sesion_fecha": "29 de mayo de 2026",
            "dictamen": "Dictamen N° 006-2026-CDS-MDM de la Comisión de Desarrollo Social",
            "expediente": "2026-001034",
            "informes": "el Informe N° 034-2026-GDS-MDM de la Gerencia de Desarrollo Social, el "
                        "Informe N° 021-2026-DEMUNA-GDS-MDM de la Defensoría Municipal del Niño y "
                        "del Adolescente y el Informe Legal N° 072-2026-GAJ-MDM de la Gerencia de "
                        "Asesoría Jurídica",
            "votacion": "UNANIMIDAD",
            "firmante_nombre": ALCALDE,
            "firmante_cargo": "Alcalde",
        },
        "sections": {
            "considerando": [
                [
                    "Que, la Ley N° 30364, Ley para prevenir, sancionar y erradicar la violencia "
                    "contra las mujeres y los integrantes del grupo familiar, crea el Sistema "
                    "Nacional para la Prevención, Sanción y Erradicación de la Violencia contra "
                    "las Mujeres y los Integrantes del Grupo Familiar, que integran, entre otras, "
                    "las instancias distritales de concertación; y su Reglamento, aprobado por "
                    "Decreto Supremo N° 009-2016-MIMP, dispone que dichas instancias se crean "
                    "mediante ordenanza y son presididas por el alcalde de la jurisdicción;",
                    "Que, el artículo 84 de la Ley N° 27972 establece las funciones de las "
                    "municipalidades distritales en materia de programas sociales, defensa y "
                    "promoción de derechos, entre ellas la de difundir y promover los derechos del "
                    "niño, del adolescente, de la mujer y del adulto mayor;",
                ],
                "Que, mediante Informe N° 034-2026-GDS-MDM, la Gerencia de Desarrollo Social "
                "informa que en el año 2025 la Defensoría Municipal del Niño y del Adolescente y "
                "la Comisaría PNP de Camisea atendieron ciento cuarenta y tres (143) casos de "
                "violencia familiar en el distrito, el 68% de ellos en comunidades nativas, y "
                "sustenta la necesidad de articular a las entidades públicas, a las "
                "organizaciones indígenas y a la sociedad civil en una instancia que elabore, "
                "implemente y vigile las políticas locales de prevención y atención de la "
                "violencia;",
                "Que, mediante Informe Legal N° 072-2026-GAJ-MDM, la Gerencia de Asesoría Jurídica "
                "opina que el proyecto de ordenanza es legalmente procedente; y la Comisión de "
                "Desarrollo Social, mediante el dictamen del visto, recomienda su aprobación al "
                "Concejo Municipal;",
            ],
            "articulado": [
                {"heading": "OBJETO",
                 "text": "La presente ordenanza tiene por objeto crear la Instancia Distrital de "
                         "Concertación para erradicar la violencia contra las mujeres y los "
                         "integrantes del grupo familiar del distrito de Megantoni, como espacio "
                         "de coordinación y articulación de las entidades públicas, las "
                         "organizaciones indígenas y la sociedad civil del distrito."},
                {"heading": "ÁMBITO DE APLICACIÓN",
                 "text": "La presente ordenanza es de aplicación en la jurisdicción del distrito "
                         "de Megantoni, provincia de La Convención, departamento de Cusco, y es de "
                         "cumplimiento obligatorio para las entidades y organizaciones que "
                         "integran la Instancia Distrital de Concertación y para las unidades "
                         "orgánicas de la municipalidad."},
                [
                    {"heading": "CONFORMACIÓN",
                     "text": "La Instancia Distrital de Concertación está integrada por:\n"
                             "a) El Alcalde de la Municipalidad Distrital de Megantoni, quien la "
                             "preside.\n"
                             "b) La Gerente de Desarrollo Social, quien ejerce la secretaría "
                             "técnica.\n"
                             "c) El responsable de la Defensoría Municipal del Niño y del "
                             "Adolescente.\n"
                             "d) El Comisario de la Comisaría PNP de Camisea.\n"
                             "e) El Jefe del Centro de Salud Camisea.\n"
                             "f) Un representante de las instituciones educativas del distrito, "
                             "designado por la Unidad de Gestión Educativa Local de La "
                             "Convención.\n"
                             "g) El Juez de Paz de Camisea.\n"
                             "h) Un representante de las organizaciones de las comunidades nativas "
                             "del distrito.\n"
                             "i) Una representante de las organizaciones sociales de base de "
                             "mujeres del distrito."},
                    {"heading": "FUNCIONES",
                     "text": "Son funciones de la Instancia Distrital de Concertación: a) "
                             "elaborar, implementar, monitorear y evaluar las políticas públicas "
                             "locales contra la violencia hacia las mujeres y los integrantes del "
                             "grupo familiar; b) promover políticas, planes, programas y acciones "
                             "de prevención, atención, protección y recuperación de las víctimas; "
                             "c) promover el cumplimiento de la Ley N° 30364 por las entidades que "
                             "la integran; y d) informar semestralmente al Concejo Municipal sobre "
                             "la ejecución de su plan de trabajo."},
                    {"heading": "INSTALACIÓN Y FUNCIONAMIENTO",
                     "text": "La Instancia Distrital de Concertación se instala dentro de los "
                             "treinta (30) días hábiles siguientes a la vigencia de la presente "
                             "ordenanza, aprueba su reglamento interno y su plan de trabajo anual, "
                             "y sesiona en forma ordinaria una vez cada dos meses y en forma "
                             "extraordinaria cuando la convoque su presidente. Las sesiones que se "
                             "realicen en las comunidades nativas cuentan con intérprete de lengua "
                             "matsigenka."},
                ],
            ],
            "disposiciones_finales": [[
                "ENCARGAR a la Gerencia Municipal y a la Gerencia de Desarrollo Social el "
                "cumplimiento de la presente ordenanza.",
                "ENCARGAR a la Gerencia de Desarrollo Social comunicar la creación de la Instancia "
                "Distrital de Concertación al Ministerio de la Mujer y Poblaciones Vulnerables, "
                "ente rector del Sistema Nacional.",
            ]],
        },
        "steps": [
            {"do": "save", "by": "asesor.legal",
             "note": "Asesoría Jurídica incorpora la base legal sobre el uso de las lenguas "
                     "originarias",
             "edits": [
                 {"section": "considerando", "after": "Que, el artículo 84 de la Ley N° 27972",
                  "insert": "Que, la Ley N° 29735, Ley que regula el uso, preservación, "
                            "desarrollo, recuperación, fomento y difusión de las lenguas "
                            "originarias del Perú, reconoce el derecho de toda persona a ser "
                            "atendida en su lengua materna en los organismos o instancias "
                            "estatales, lo que sustenta la participación de intérpretes de lengua "
                            "matsigenka en las sesiones de la instancia;"},
             ]},
        ],
    },
]
