"""The officials' daily work on SQLite and PostgreSQL: discard and withdraw, observations
marked attended, actions that say what they still miss, derivation candidates, the working
copy, notices, deadlines in business days across a holiday, and the Bandeja's filters and
keyset paging."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from docsys import deadlines, inbox, notifications, services, versions, workflow
from docsys.db import transaction
from docsys.drafting import service
from docsys.errors import Conflict, PermissionDenied
from docsys.models import Document, Notification, WorkingCopy
from docsys.rendering.layout import part_names
from docsys.states import Status
from tests.conftest import get_user

RGM = "resolucion-gerencia-municipal"


def new_doc(factory, username="redactor", sumilla="Aprobar el PAC 2026"):
    with transaction(factory) as s:
        return service.create_document(s, RGM, {"sumilla": sumilla}, get_user(s, username)).id


def act(factory, doc_id, action, username, reason=""):
    with transaction(factory) as s:
        return services.transition(s, get_user(s, username), doc_id, action, reason).to_status


def _discard_a_never_sent_draft_and_withdraw_before_anyone_acts(session_factory):
    kept = new_doc(session_factory, sumilla="Borrador que se descarta")
    with pytest.raises(PermissionDenied):
        act(session_factory, kept, "descartar", "redactor2", "Otra oficina")
    assert act(session_factory, kept, "descartar", "redactor", "Duplicado") == "descartado"
    with transaction(session_factory) as s:
        document = s.get(Document, kept)  # kept, audited, out of the Bandeja
        assert document.status == Status.DISCARDED
        assert workflow.history(s, document)[-1].reason == "Duplicado"
        rosa = get_user(s, "redactor")
        listed = [d.id for d in inbox.inbox_documents(s, rosa)]
        assert kept not in listed
        assert kept in [d.id for d in inbox.inbox_documents(s, rosa, status="descartado")]
        from docsys.indexing import load_docs
        assert load_docs(s, [kept]) == []  # it leaves the search index too

    sent = new_doc(session_factory)
    act(session_factory, sent, "enviar", "redactor")
    with transaction(session_factory) as s:
        options = {o.move.key: o for o in workflow.action_blockers(
            s, get_user(s, "redactor"), s.get(Document, sent))}
        assert options["retirar"].ready
    assert act(session_factory, sent, "retirar", "redactor") == "borrador"
    with transaction(session_factory) as s:
        assert s.get(Document, sent).assignee.username == "redactor"
        options = {o.move.key: o for o in workflow.action_blockers(
            s, get_user(s, "redactor"), s.get(Document, sent))}
        assert "enviado a revisión" in options["descartar"].missing[0]  # sent once: no discard
    with pytest.raises(Conflict, match="enviado a revisión"):
        act(session_factory, sent, "descartar", "redactor", "Ya no")

    act(session_factory, sent, "enviar", "redactor")
    with transaction(session_factory) as s:
        workflow.give_visto_bueno(s, s.get(Document, sent), get_user(s, "asesor"))
    with pytest.raises(Conflict, match="La revisión ya empezó"):
        act(session_factory, sent, "retirar", "redactor")


def _observations_are_attended_by_the_drafter_and_named_as_the_document_does(session_factory):
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        content = versions.latest_version(s, d).content
        article = next(sec for sec in content["sections"] if sec["key"] == "resuelve")["items"][1]
        assert part_names(content)[article["id"]] == "SE RESUELVE: Artículo Segundo"
        comment = workflow.add_comment(s, d, get_user(s, "asesor"), "Precisar.", 1,
                                       item_id=article["id"])
        comment_id = comment.id
        options = {o.move.key: o for o in workflow.action_blockers(s, get_user(s, "asesor"), d)}
        missing = options["aprobar"].missing  # observation, two vistos buenos, unfinished text
        assert len(missing) == 4 and not options["observar"].missing
        assert any("no está terminado" in reason for reason in missing)
        candidates = {u.username for u in workflow.derivation_candidates(s, d)}
        assert "asesor" in candidates and "redactor" not in candidates and "archivo" not in candidates
    with pytest.raises(PermissionDenied):  # not while in review: the text is not hers now
        with transaction(session_factory) as s:
            workflow.address_comment(s, s.get(Document, doc), get_user(s, "redactor"), comment_id)
    act(session_factory, doc, "observar", "asesor", "Corregir el artículo segundo")
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        assert workflow.return_reason(s, d).reason == "Corregir el artículo segundo"
        workflow.address_comment(s, d, get_user(s, "redactor"), comment_id)
        thread = workflow.comment_threads(s, d)[0]
        assert thread["part_name"] == "SE RESUELVE: Artículo Segundo"
        assert thread["comment"].addressed_by.username == "redactor"
        assert thread["comment"].resolved_at is None  # the adviser still closes it
        with pytest.raises(Conflict, match="ya estaba"):
            workflow.address_comment(s, d, get_user(s, "redactor"), comment_id)


def _autosave_keeps_a_working_copy_and_a_state_change_makes_it_a_version(session_factory):
    doc = new_doc(session_factory)
    with transaction(session_factory) as s:
        rosa = get_user(s, "redactor")
        content = versions.latest_version(s, s.get(Document, doc)).content
    content["closing"] = "REGÍSTRESE Y ARCHÍVESE."
    for _ in range(3):  # autosave after autosave: one copy, no version
        with transaction(session_factory) as s:
            services.keep_working_copy(s, get_user(s, "redactor"), doc, content, 1)
    with transaction(session_factory) as s:
        assert s.scalar(select(Document.latest_version).where(Document.id == doc)) == 1
        copy = versions.working_copy(s, s.get(Document, doc), get_user(s, "redactor"))
        assert copy.content["closing"] == "REGÍSTRESE Y ARCHÍVESE." and copy.base_version == 1
    act(session_factory, doc, "enviar", "redactor")  # a state change makes the version
    with transaction(session_factory) as s:
        latest = versions.latest_version(s, s.get(Document, doc))
        assert latest.number == 2 and latest.content["closing"] == "REGÍSTRESE Y ARCHÍVESE."
        assert s.scalar(select(WorkingCopy).where(WorkingCopy.document_id == doc)) is None
        assert rosa.id == latest.author_id


def _moves_leave_notices_for_whoever_has_the_next_step(session_factory):
    with transaction(session_factory) as s:  # what earlier checks left is read
        for username in ("asesor", "redactor", "archivo"):
            notifications.mark_all_read(s, get_user(s, username))
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    act(session_factory, doc, "observar", "asesor", "Falta el informe técnico")
    with transaction(session_factory) as s:
        asesor, rosa = get_user(s, "asesor"), get_user(s, "redactor")
        assert notifications.unread_count(s, asesor) == 1
        assert notifications.unread_count(s, rosa) == 1
        notice = notifications.list_for(s, rosa)[0]
        assert notice.kind == "observado" and "Falta el informe técnico" in notice.message
        assert notifications.unread_count(s, get_user(s, "archivo")) == 0
        assert notifications.mark_all_read(s, rosa) == 1
        assert notifications.unread_count(s, rosa) == 0
        assert s.scalar(select(Notification).where(Notification.user_id == asesor.id)
                        .order_by(Notification.id.desc()).limit(1)).emailed_at is None
    # a long reason is cut at a word, never inside a norm's number
    long_reason = ("Se devuelve con observaciones: el horario del artículo primero no cumple el mínimo de ocho horas diarias "
                   "consecutivas de atención exigido por el numeral 149.1 del artículo 149 "
                   "del TUO de la Ley N° 27444, Ley del Procedimiento Administrativo General.")
    cut_at = long_reason.index("27444") + 3
    assert 190 < cut_at <= 200   # where a cut at 200 characters would split the number
    doc = new_doc(session_factory, sumilla="Horario de atención")
    act(session_factory, doc, "enviar", "redactor")
    act(session_factory, doc, "observar", "asesor", long_reason)
    with transaction(session_factory) as s:
        message = notifications.list_for(s, get_user(s, "redactor"))[0].message
        assert message.endswith("del TUO de la Ley N° …"), message


def _deadlines_skip_weekends_national_and_local_holidays(session_factory):
    with transaction(session_factory) as s:
        services.add_local_holiday(s, get_user(s, "admin"), "2026-12-10", "Aniversario distrital")
        with pytest.raises(PermissionDenied):
            deadlines.add_local_holiday(s, get_user(s, "redactor"), "2026-12-11", "x")
        cal = deadlines.calendar(s, range(2026, 2028))
    # Friday 4 Dec 2026 + 5 business days: Mon 7, (Tue 8 Inmaculada Concepción, Wed 9 Batalla
    # de Ayacucho: national), (Thu 10: local), Fri 11, Mon 14, Tue 15, Wed 16.
    assert cal.add_business_days(date(2026, 12, 4), 5) == date(2026, 12, 16)
    assert cal.business_days_between(date(2026, 12, 4), date(2026, 12, 16)) == 5
    doc = new_doc(session_factory)
    act(session_factory, doc, "enviar", "redactor")
    sent_at = datetime(2026, 12, 4, 15, 0, tzinfo=timezone.utc)  # 10:00 in Lima
    with transaction(session_factory) as s:
        s.execute(update(Document).where(Document.id == doc).values(updated_at=sent_at))
    days = deadlines.deadline_days({})
    with transaction(session_factory) as s:
        d = s.get(Document, doc)
        on_time = deadlines.deadline_of(d, cal, days, date(2026, 12, 16))
        late = deadlines.deadline_of(d, cal, days, date(2026, 12, 17))
        assert on_time.due == date(2026, 12, 16) and not on_time.overdue and on_time.soon
        assert late.overdue
        asesor = get_user(s, "asesor")
        overdue = inbox.InboxFilters(deadline="vencido")
        ids = [r.document.id for r in inbox.inbox_page(s, asesor, overdue, today=date(2026, 12, 17)).rows]
        assert doc in ids
        ids = [r.document.id for r in inbox.inbox_page(s, asesor, overdue, today=date(2026, 12, 16)).rows]
        assert doc not in ids


def _bandeja_search_filters_and_keyset_paging(session_factory):
    ids = [new_doc(session_factory, sumilla=f"Aprobar la directiva de caja chica n.º {n}")
           for n in range(5)]
    other = new_doc(session_factory, "redactor2", sumilla="Otra oficina")
    base = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)
    with transaction(session_factory) as s:
        for n, doc_id in enumerate(ids):  # the same instant twice: the id breaks the tie
            s.execute(update(Document).where(Document.id == doc_id)
                      .values(updated_at=base + timedelta(hours=n // 2)))
    with transaction(session_factory) as s:
        asesor = get_user(s, "asesor")
        filters = inbox.InboxFilters(q="CAJA chica")
        seen, pages = [], 0
        while True:
            page = inbox.inbox_page(s, asesor, filters, page_size=2)
            seen += [r.document.id for r in page.rows]
            pages += 1
            if not page.next_cursor:
                break
            filters.after = page.next_cursor
        assert seen == sorted(ids, key=lambda i: (ids.index(i) // 2, i), reverse=True)
        assert pages == 3
        oldest = inbox.inbox_page(s, asesor, inbox.InboxFilters(q="caja chica", sort="antiguos"))
        assert [r.document.id for r in oldest.rows] == seen[::-1]
        filters, ascending = inbox.InboxFilters(q="caja chica", sort="antiguos"), []
        while True:  # the cursor seeks the other way too, ties included
            page = inbox.inbox_page(s, asesor, filters, page_size=2)
            ascending += [r.document.id for r in page.rows]
            if not page.next_cursor:
                break
            filters.after = page.next_cursor
        assert ascending == seen[::-1]
        by_office = inbox.inbox_page(s, asesor, inbox.InboxFilters.from_args(
            {"oficina": "gdur", "tipo": "rgm", "estado": "nada", "despues": "%%%"}))
        assert [r.document.id for r in by_office.rows] == [other]


# Each test migrates and seeds both databases (seconds): the checks share two of them.

def test_review_work_discard_withdraw_observations_working_copy_notices(session_factory):
    _discard_a_never_sent_draft_and_withdraw_before_anyone_acts(session_factory)
    _observations_are_attended_by_the_drafter_and_named_as_the_document_does(session_factory)
    _autosave_keeps_a_working_copy_and_a_state_change_makes_it_a_version(session_factory)
    _moves_leave_notices_for_whoever_has_the_next_step(session_factory)


def _year_names_are_data_an_administrator_keeps(session_factory):
    from docsys import institution
    from docsys.rendering.layout import build_meta
    with transaction(session_factory) as s:
        names = institution.year_names(s)
        assert names[2026] == "Año de la Esperanza y el Fortalecimiento de la Democracia"
        with pytest.raises(PermissionDenied):
            institution.set_year_name(s, get_user(s, "redactor"), 2027, "Año X")
        services.set_year_name(s, get_user(s, "admin"), "2027", "  Año   de prueba ")
    with transaction(session_factory) as s:
        settings = institution.with_year_names(s, {"YEAR_NAME": "Nombre por defecto"})
    meta = build_meta(settings, {}, {"fields": {"fecha": "2027-03-01"}})
    assert meta.year_name == "Año de prueba"
    assert build_meta(settings, {}, {"fields": {"fecha": "2025-03-01"}}).year_name == \
        "Año de la recuperación y consolidación de la economía peruana"
    assert build_meta(settings, {}, {"fields": {"fecha": "2030-03-01"}}).year_name == \
        "Nombre por defecto"


def test_deadlines_across_holidays_and_the_bandeja_pages(session_factory):
    _year_names_are_data_an_administrator_keeps(session_factory)
    _deadlines_skip_weekends_national_and_local_holidays(session_factory)
    _bandeja_search_filters_and_keyset_paging(session_factory)
