"""Demo archive: earlier Megantoni norms, as data.

The demo drafts (docsys/demo_content.py) cite the municipality's own antecedents — the
ROF ordinance, the 2023 delegation, the sanctions ordinance (CUIS), the 2024 designation
of the transparency officer, the 2026 procurement plan. They are here as archived norms,
with later norms that modify, repeal and regulate them, so that the demo shows statuses
other than "vigente", relations on each norm's page, and reports that warn about them
(the comercio ambulatorio draft still cites the repealed CUIS). All fictitious, like the
drafts; the national norms cited are real.

Each entry: type, official number, date, issuing office, sumilla, and the text as
paragraphs (the first line of the printed norm, its number, is added when stored).
"""
from __future__ import annotations

_BASE_194 = ("Que, el artículo 194 de la Constitución Política del Perú, modificado por la Ley "
             "N° 30305, establece que las municipalidades provinciales y distritales son los "
             "órganos de gobierno local y tienen autonomía política, económica y administrativa "
             "en los asuntos de su competencia;")
_BASE_40 = ("Que, el artículo 40 de la Ley N° 27972, Ley Orgánica de Municipalidades, establece "
            "que las ordenanzas son las normas de carácter general de mayor jerarquía en la "
            "estructura normativa municipal;")
_CONCEJO = ("Que, estando a lo expuesto y en uso de las facultades conferidas por el numeral 8 "
            "del artículo 9 y el artículo 40 de la Ley N° 27972, el Concejo Municipal aprobó por "
            "UNANIMIDAD la siguiente:")
_ORD_OPEN = ["EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI", "POR CUANTO:",
             "EL CONCEJO MUNICIPAL DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI"]
_ORD_CLOSE = ["POR TANTO:", "MANDO SE REGISTRE, PUBLIQUE Y CUMPLA.",
              "REGÍSTRESE, PUBLÍQUESE Y CÚMPLASE."]
_RES_CLOSE = ["REGÍSTRESE, COMUNÍQUESE Y CÚMPLASE."]

ARCHIVE = [
    {
        "doc_type": "OM", "number": "ORDENANZA MUNICIPAL N° 012-2019-MDM",
        "date": "2019-04-26", "office": "SG",
        "sumilla": "Aprueba el Reglamento de Organización y Funciones (ROF) de la Municipalidad "
                   "Distrital de Megantoni",
        "text": _ORD_OPEN + [
            "VISTO:",
            "En Sesión Ordinaria de Concejo de fecha 25 de abril de 2019, el Dictamen N° "
            "004-2019-CAL-MDM de la Comisión de Asuntos Legales y el Informe N° 031-2019-GPP-MDM "
            "de la Gerencia de Planeamiento y Presupuesto, sobre el proyecto de Reglamento de "
            "Organización y Funciones; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, el numeral 3 del artículo 9 de la Ley N° 27972 atribuye al Concejo Municipal "
            "aprobar el régimen de organización interior y funcionamiento del gobierno local;",
            "Que, el Decreto Supremo N° 054-2018-PCM aprueba los Lineamientos de Organización "
            "del Estado, que regulan los principios, criterios y reglas que definen el diseño, "
            "estructura, organización y funcionamiento de las entidades del Estado;",
            _CONCEJO,
            "ORDENANZA QUE APRUEBA EL REGLAMENTO DE ORGANIZACIÓN Y FUNCIONES",
            "Artículo 1.- APROBAR el Reglamento de Organización y Funciones (ROF) de la "
            "Municipalidad Distrital de Megantoni, que consta de seis títulos, ciento dos "
            "artículos y el organigrama estructural.",
            "Artículo 2.- ENCARGAR a la Gerencia Municipal y a la Gerencia de Planeamiento y "
            "Presupuesto la implementación del Reglamento de Organización y Funciones.",
            "Artículo 3.- La presente ordenanza entra en vigencia al día siguiente de su "
            "publicación.",
        ] + _ORD_CLOSE,
    },
    {
        "doc_type": "OM", "number": "ORDENANZA MUNICIPAL N° 003-2020-MDM",
        "date": "2020-02-18", "office": "SG",
        "sumilla": "Aprueba el Régimen de Aplicación de Sanciones Administrativas de la "
                   "Municipalidad Distrital de Megantoni",
        "text": _ORD_OPEN + [
            "VISTO:",
            "En Sesión Ordinaria de Concejo de fecha 17 de febrero de 2020, el Dictamen N° "
            "002-2020-CAL-MDM y el Informe Legal N° 018-2020-GAJ-MDM; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, el artículo 46 de la Ley N° 27972 dispone que las ordenanzas determinan el "
            "régimen de sanciones administrativas por la infracción de sus disposiciones, "
            "estableciendo las escalas de multas en función de la gravedad de la falta;",
            "Que, el artículo 248 del Texto Único Ordenado de la Ley N° 27444, aprobado por "
            "Decreto Supremo N° 004-2019-JUS, regula los principios de la potestad "
            "sancionadora administrativa;",
            _CONCEJO,
            "ORDENANZA QUE APRUEBA EL RÉGIMEN DE APLICACIÓN DE SANCIONES ADMINISTRATIVAS",
            "Artículo 1.- APROBAR el Régimen de Aplicación de Sanciones Administrativas de la "
            "Municipalidad Distrital de Megantoni, que consta de cuarenta y dos artículos.",
            "Artículo 2.- ENCARGAR a la Gerencia de Desarrollo Económico y a la Gerencia de "
            "Servicios Públicos la fiscalización de las disposiciones municipales.",
        ] + _ORD_CLOSE,
    },
    {
        "doc_type": "OM", "number": "ORDENANZA MUNICIPAL N° 008-2021-MDM",
        "date": "2021-06-15", "office": "SG",
        "sumilla": "Aprueba el Reglamento de Aplicación de Sanciones Administrativas y el Cuadro "
                   "Único de Infracciones y Sanciones (CUIS)",
        "text": _ORD_OPEN + [
            "VISTO:",
            "En Sesión Ordinaria de Concejo de fecha 14 de junio de 2021, el Dictamen N° "
            "007-2021-CAL-MDM y el Informe N° 044-2021-GDE-MDM de la Gerencia de Desarrollo "
            "Económico; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, el artículo 46 de la Ley N° 27972 dispone que las normas municipales son de "
            "carácter obligatorio y que las ordenanzas determinan el régimen de sanciones "
            "administrativas por la infracción de sus disposiciones;",
            "Que, la Ordenanza Municipal N° 003-2020-MDM aprobó el Régimen de Aplicación de "
            "Sanciones Administrativas, que debe actualizarse e integrarse con un cuadro único "
            "de infracciones y sanciones conforme al Texto Único Ordenado de la Ley N° 27444;",
            _CONCEJO,
            "ORDENANZA QUE APRUEBA EL REGLAMENTO DE APLICACIÓN DE SANCIONES ADMINISTRATIVAS Y EL "
            "CUADRO ÚNICO DE INFRACCIONES Y SANCIONES",
            "Artículo 1.- APROBAR el Reglamento de Aplicación de Sanciones Administrativas "
            "(RASA) y el Cuadro Único de Infracciones y Sanciones (CUIS) de la Municipalidad "
            "Distrital de Megantoni.",
            "Artículo 2.- DERÓGUESE la Ordenanza Municipal N° 003-2020-MDM.",
            "Artículo 3.- ENCARGAR a la Gerencia de Desarrollo Económico el cumplimiento de la "
            "presente ordenanza.",
        ] + _ORD_CLOSE,
    },
    {
        "doc_type": "DA", "number": "DECRETO DE ALCALDÍA N° 002-2021-A-MDM",
        "date": "2021-08-02", "office": "A",
        "sumilla": "Aprueba el Reglamento de la Ordenanza Municipal N° 008-2021-MDM en materia "
                   "de fiscalización y control",
        "text": [
            "EL ALCALDE DE LA MUNICIPALIDAD DISTRITAL DE MEGANTONI",
            "VISTO:",
            "El Informe N° 061-2021-GDE-MDM y el Informe Legal N° 102-2021-GAJ-MDM; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, el artículo 42 de la Ley N° 27972 establece que los decretos de alcaldía "
            "establecen normas reglamentarias y de aplicación de las ordenanzas;",
            "Estando a lo expuesto y en uso de las atribuciones conferidas por el numeral 6 del "
            "artículo 20 de la Ley N° 27972;",
            "DECRETA:",
            "ARTÍCULO PRIMERO.- APRUÉBESE el Reglamento de la Ordenanza Municipal N° "
            "008-2021-MDM en materia de fiscalización y control, que consta de veinte artículos.",
            "ARTÍCULO SEGUNDO.- ENCARGAR a la Gerencia de Desarrollo Económico el cumplimiento "
            "del presente decreto.",
            "REGÍSTRESE, COMUNÍQUESE, PUBLÍQUESE Y CÚMPLASE.",
        ],
    },
    {
        "doc_type": "OM", "number": "ORDENANZA MUNICIPAL N° 004-2022-MDM",
        "date": "2022-03-30", "office": "SG",
        "sumilla": "Modifica el artículo 12 del Reglamento de Organización y Funciones aprobado "
                   "por Ordenanza Municipal N° 012-2019-MDM",
        "text": _ORD_OPEN + [
            "VISTO:",
            "En Sesión Ordinaria de Concejo de fecha 29 de marzo de 2022, el Dictamen N° "
            "003-2022-CAL-MDM y el Informe N° 012-2022-GPP-MDM; y,",
            "CONSIDERANDO:",
            _BASE_194,
            _BASE_40,
            "Que, la Ordenanza Municipal N° 012-2019-MDM aprobó el Reglamento de Organización y "
            "Funciones de la entidad, cuyo artículo 12 regula las funciones de la Gerencia "
            "Municipal, que deben adecuarse a la delegación de atribuciones administrativas;",
            _CONCEJO,
            "ORDENANZA QUE MODIFICA EL REGLAMENTO DE ORGANIZACIÓN Y FUNCIONES",
            "Artículo 1.- MODIFÍQUESE el artículo 12 del Reglamento de Organización y Funciones "
            "aprobado por la Ordenanza Municipal N° 012-2019-MDM, el mismo que queda redactado "
            "de la siguiente manera:",
            "“Artículo 12.- La Gerencia Municipal es el órgano de dirección de la administración "
            "municipal; ejerce las atribuciones administrativas que el Alcalde le delegue.”",
            "Artículo 2.- La presente ordenanza entra en vigencia al día siguiente de su "
            "publicación.",
        ] + _ORD_CLOSE,
    },
    {
        "doc_type": "RA", "number": "RESOLUCIÓN DE ALCALDÍA N° 145-2023-A-MDM",
        "date": "2023-08-10", "office": "A",
        "sumilla": "Delega en el Gerente Municipal atribuciones administrativas del Despacho de "
                   "Alcaldía",
        "text": [
            "VISTO:",
            "El Informe N° 022-2023-GM-MDM y el Informe Legal N° 140-2023-GAJ-MDM; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, el numeral 20 del artículo 20 de la Ley N° 27972 faculta al Alcalde a delegar "
            "sus atribuciones administrativas en el Gerente Municipal;",
            "Que, el artículo 12 del Reglamento de Organización y Funciones, aprobado por la "
            "Ordenanza Municipal N° 012-2019-MDM y modificado por la Ordenanza Municipal N° "
            "004-2022-MDM, dispone que la Gerencia Municipal ejerce las atribuciones "
            "administrativas que el Alcalde le delegue;",
            "Estando a lo expuesto y en uso de las atribuciones conferidas por el numeral 6 del "
            "artículo 20 de la Ley N° 27972;",
            "SE RESUELVE:",
            "ARTÍCULO PRIMERO.- DELEGAR en el Gerente Municipal la aprobación de expedientes "
            "técnicos, del Plan Anual de Contrataciones y de sus modificaciones, y la "
            "resolución de los recursos de apelación contra las resoluciones de las gerencias.",
            "ARTÍCULO SEGUNDO.- NOTIFICAR la presente resolución a la Gerencia Municipal y a las "
            "unidades orgánicas de la entidad.",
        ] + _RES_CLOSE,
    },
    {
        "doc_type": "RA", "number": "RESOLUCIÓN DE ALCALDÍA N° 058-2024-A-MDM",
        "date": "2024-03-05", "office": "A",
        "sumilla": "Designa al responsable de la elaboración y actualización del Portal de "
                   "Transparencia Estándar",
        "text": [
            "VISTO:",
            "El Informe N° 009-2024-SG-MDM de la Secretaría General; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, el Texto Único Ordenado de la Ley N° 27806, Ley de Transparencia y Acceso a la "
            "Información Pública, aprobado por Decreto Supremo N° 021-2019-JUS, dispone que la "
            "entidad designe al funcionario responsable del Portal de Transparencia;",
            "Estando a lo expuesto y en uso de las atribuciones conferidas por el numeral 6 del "
            "artículo 20 de la Ley N° 27972;",
            "SE RESUELVE:",
            "ARTÍCULO PRIMERO.- DESIGNAR al servidor Juan Carlos Pillco Huamán como responsable "
            "de la elaboración y actualización del Portal de Transparencia Estándar.",
            "ARTÍCULO SEGUNDO.- NOTIFICAR la presente resolución al servidor designado.",
        ] + _RES_CLOSE,
    },
    {
        "doc_type": "OM", "number": "ORDENANZA MUNICIPAL N° 002-2025-MDM",
        "date": "2025-02-14", "office": "SG",
        "sumilla": "Aprueba el nuevo Reglamento de Aplicación de Sanciones Administrativas y el "
                   "Cuadro de Infracciones y Sanciones Administrativas",
        "text": _ORD_OPEN + [
            "VISTO:",
            "En Sesión Ordinaria de Concejo de fecha 13 de febrero de 2025, el Dictamen N° "
            "001-2025-CAL-MDM y el Informe N° 007-2025-GDE-MDM; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, el artículo 46 de la Ley N° 27972 dispone que las ordenanzas determinan el "
            "régimen de sanciones administrativas por la infracción de sus disposiciones;",
            "Que, la Ordenanza Municipal N° 008-2021-MDM aprobó el Reglamento de Aplicación de "
            "Sanciones Administrativas y el Cuadro Único de Infracciones y Sanciones, que deben "
            "sustituirse para adecuarlos al Texto Único Ordenado de la Ley N° 27444;",
            _CONCEJO,
            "ORDENANZA QUE APRUEBA EL NUEVO REGLAMENTO DE APLICACIÓN DE SANCIONES "
            "ADMINISTRATIVAS",
            "Artículo 1.- APROBAR el Reglamento de Aplicación de Sanciones Administrativas y el "
            "Cuadro de Infracciones y Sanciones Administrativas de la Municipalidad Distrital de "
            "Megantoni.",
            "Artículo 2.- DERÓGUESE la Ordenanza Municipal N° 008-2021-MDM y toda disposición "
            "que se oponga a la presente ordenanza.",
            "Artículo 3.- La presente ordenanza entra en vigencia al día siguiente de su "
            "publicación.",
        ] + _ORD_CLOSE,
    },
    {
        "doc_type": "RGM", "number": "RESOLUCIÓN DE GERENCIA MUNICIPAL N° 0012-2026-GM-MDM",
        "date": "2026-01-20", "office": "GM",
        "sumilla": "Aprueba el Plan Anual de Contrataciones de la Municipalidad Distrital de "
                   "Megantoni para el año fiscal 2026",
        "text": [
            "VISTO:",
            "El Informe N° 004-2026-GAF-MDM y el Informe Legal N° 006-2026-GAJ-MDM; y,",
            "CONSIDERANDO:",
            _BASE_194,
            "Que, la Ley N° 32069, Ley General de Contrataciones Públicas, y su Reglamento, "
            "aprobado por Decreto Supremo N° 009-2025-EF, disponen que cada entidad aprueba su "
            "Plan Anual de Contrataciones;",
            "Que, mediante la Resolución de Alcaldía N° 145-2023-A-MDM, el Alcalde delegó en el "
            "Gerente Municipal la aprobación del Plan Anual de Contrataciones;",
            "Estando a lo expuesto y en uso de las facultades delegadas mediante la Resolución "
            "de Alcaldía N° 145-2023-A-MDM;",
            "SE RESUELVE:",
            "ARTÍCULO PRIMERO.- APROBAR el Plan Anual de Contrataciones de la Municipalidad "
            "Distrital de Megantoni para el año fiscal 2026, que comprende cuarenta y dos "
            "procedimientos de selección.",
            "ARTÍCULO SEGUNDO.- DISPONER su publicación en la plataforma del Sistema Electrónico "
            "de Contrataciones del Estado.",
        ] + _RES_CLOSE,
    },
]
