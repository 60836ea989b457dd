"""Who may see and do what: one function per question, shared by the API, the web UI and the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from tracker.extensions import db
from tracker.models import Case, CaseTeamMember, Event, Raiser, Referral, User
from tracker.workflow_registry import event_transition

STAFF_ROLES = frozenset({"officer", "admin"})
PERSONAL_FIELDS = ("raised_by_name", "raised_by_email", "raised_by_phone")


def is_staff(actor: User) -> bool:
    """Officers and admins see and handle every case."""
    return actor.role in STAFF_ROLES


def is_admin(actor: User) -> bool:
    """Admins manage users, agencies, forums, categories and the deadline policy."""
    return actor.role == "admin"


def referred_to_agency(agency_id: int | None):
    """SQL condition: the case was referred to this agency at some point."""
    return exists().where(Referral.case_id == Case.id, Referral.agency_id == agency_id)


def case_scope(actor: User) -> Select:
    """The cases of the actor's role (all for staff, an agency's referred ones, an
    organisation's own), confidentiality aside: reports count these in their totals."""
    query = select(Case)
    if is_staff(actor):
        return query
    if actor.role == "agency" and actor.agency_id is not None:
        return query.where(referred_to_agency(actor.agency_id))
    if actor.role == "representative" and actor.organisation_id is not None:
        return query.where(raised_by_organisation(actor.organisation_id))
    return query.where(false())


def raised_by_organisation(organisation_id: int):
    """SQL condition: the organisation raised the case, as its first raiser or a later one."""
    # One IN over a UNION, not "organisation_id = … OR EXISTS (…)": PostgreSQL cannot make
    # a join of an OR, so it tested the EXISTS on every case of the table and guessed half
    # of them matched (a union's 2,000 cases read as "about 51,000", reports in 3-7 s at
    # 100,000 cases). An alias: inside a query of cases, the list must not correlate.
    case = aliased(Case, name="organisation_case")
    own = select(case.id).where(case.organisation_id == organisation_id)
    joined = select(Raiser.case_id).where(Raiser.organisation_id == organisation_id)
    return Case.id.in_(own.union(joined))


def sees_confidential(actor: User):
    """SQL condition: the case is not confidential, or the actor is named on it (its owner or
    on its team) or an admin. Agencies and representatives never see a confidential case.

    For officers it is "not one of the few confidential cases hidden from me" (a hashed list of
    ids): a count of the list then reads an index alone, not every row's flag."""
    if is_admin(actor):
        return true()
    if not is_staff(actor):
        return Case.confidential.is_(False)
    return Case.id.not_in(hidden_confidential_cases(actor))


def _named_on_case(actor: User, case: Any = Case):
    """SQL condition: the officer owns the case or is on its team (never NULL)."""
    named = exists().where(CaseTeamMember.case_id == case.id, CaseTeamMember.user_id == actor.id)
    owns = and_(case.owner_id.is_not(None), case.owner_id == actor.id)
    return or_(owns, named)


def visible_cases(actor: User) -> Select:
    """The cases this actor may see, as a query to refine (filters, counts, lists)."""
    return case_scope(actor).where(sees_confidential(actor))


def reported_cases(actor: User) -> Select:
    """The cases a report's rows, lists and breakdowns show: the actor's, never a confidential
    one (it is counted in ``total`` only, from ``case_scope``). No confidential case means
    no confidentiality check is left to make: the scope alone, which an index can answer."""
    return case_scope(actor).where(Case.confidential.is_(False))


def not_confidential_case(case_id_column):
    """SQL condition: the row (a referral, feedback …) belongs to a case that is not
    confidential (report figures leave confidential cases out of their rows)."""
    return case_id_column.not_in(select(Case.id).where(Case.confidential.is_(True)))


def hidden_confidential_cases(actor: User) -> Select:
    """The ids of the confidential cases this actor may not see (few; served by an index)."""
    # An alias: inside a query of cases, the list must not correlate with the outer rows.
    case = aliased(Case, name="confidential_case")
    hidden = select(case.id).where(case.confidential.is_(True))
    if is_admin(actor):
        return hidden.where(false())
    return hidden.where(~_named_on_case(actor, case)) if is_staff(actor) else hidden


def is_named_on_case(actor: User, case: Case) -> bool:
    """Admins, the case's owner and the officers on its team: who may see a confidential case."""
    if is_admin(actor):
        return True
    if not is_staff(actor):
        return False
    if case.owner_id == actor.id:
        return True
    member = select(CaseTeamMember.user_id).where(
        CaseTeamMember.case_id == case.id, CaseTeamMember.user_id == actor.id
    )
    return db.session.scalar(member) is not None


def can_set_confidential(actor: User) -> bool:
    """Mark a case confidential and name its team: staff (who can see it)."""
    return is_staff(actor)


def can_view_case(actor: User, case: Case) -> bool:
    """Tell whether the actor may see this case at all (else it answers as not found)."""
    if not actor.active:
        return False
    if case.confidential and not is_named_on_case(actor, case):
        return False
    if is_staff(actor):
        return True
    if actor.role == "agency":
        return actor.agency_id is not None and any(
            r.agency_id == actor.agency_id for r in case.referrals
        )
    if actor.role == "representative":
        org = actor.organisation_id
        return org is not None and (
            case.organisation_id == org or any(r.organisation_id == org for r in case.raisers)
        )
    return False


def can_see_personal_data(actor: User, case: Case) -> bool:
    """The first raiser's name, email and phone (the case's ``raised_by_*``)."""
    return _may_see_raiser(actor, case, case.created_by_id, case.consent_share)


def can_see_raiser_data(actor: User, case: Case, raiser: Raiser) -> bool:
    """One raiser's name and contact (``tracker.services.raisers.raisers_of`` lists them)."""
    return _may_see_raiser(actor, case, raiser.created_by_id, raiser.consent_share)


def _may_see_raiser(actor: User, case: Case, created_by_id: int | None, consent: bool) -> bool:
    """Staff; whoever entered that raiser themselves; and, when the raiser agreed to share
    their data, the agencies the case was referred to."""
    if is_staff(actor) or (created_by_id is not None and created_by_id == actor.id):
        return True
    return shared_with_agencies(consent) and actor.role == "agency" and can_view_case(actor, case)


def shared_with_agencies(consent: bool | None) -> bool:
    """Whether agencies (accounts, answer links, referral emails) see a raiser's name and
    contact: only with the raiser's consent to share."""
    return bool(consent)


def can_add_raiser(actor: User, case: Case) -> bool:
    """Add a further raiser to a case: staff, and a representative who may see the case."""
    return is_staff(actor) or (actor.role == "representative" and can_view_case(actor, case))


def can_edit_case(actor: User, case: Case) -> bool:
    """Edit the case's fields or assign its owner: staff only."""
    return is_staff(actor)


def can_comment(actor: User, case: Case) -> bool:
    """Add information to a case: anyone who may see it."""
    return can_view_case(actor, case)


def holds_case_now(actor: User, case: Case) -> bool:
    """An agency user whose agency has an open referral of the case (a case referred to
    several agencies at once is held by each of them until it answers)."""
    return (
        actor.role == "agency"
        and actor.agency_id is not None
        and actor.active
        and any(r.agency_id == actor.agency_id and r.answered_at is None for r in case.referrals)
    )


def can_see_internal_notes(actor: User, case: Case) -> bool:
    """Analysis and referral notes and internal comments, and writing internal comments: staff
    and the agency the case is referred to now. An agency that had the case before a
    re-referral keeps its public facts and its own referral only (``can_see_referral``)."""
    return is_staff(actor) or holds_case_now(actor, case)


def can_see_referral(
    actor: User, case: Case, agency_id: int | None, referred_at: datetime | None = None
) -> bool:
    """A referral of the case to ``agency_id`` (its note and response): staff, and an agency its
    own referrals, also after the case moved on to another agency. Another agency's referral
    made at ``referred_at``: only the agency holding the case after a re-referral, never an
    agency referred together with it (several at once: each sees its own)."""
    if is_staff(actor):
        return True
    if actor.role != "agency" or actor.agency_id is None:
        return False
    if agency_id == actor.agency_id:
        return True
    together = referred_at is not None and any(
        r.agency_id == actor.agency_id and r.referred_at == referred_at for r in case.referrals
    )
    return holds_case_now(actor, case) and not together


def acts_for_case_agency(actor: User, case: Case) -> bool:
    """An agency user may act only on a referral to their own agency that is open now."""
    return actor.role != "agency" or (
        actor.agency_id is not None
        and any(r.agency_id == actor.agency_id and r.answered_at is None for r in case.referrals)
    )


def can_see_user_contact(actor: User, user: User) -> bool:
    """Other users' email addresses: staff, and each user their own."""
    return is_staff(actor) or actor.id == user.id


def can_create_case(actor: User) -> bool:
    """Staff log concerns; representatives raise them for their organisation."""
    return is_staff(actor) or (actor.role == "representative" and actor.organisation_id is not None)


def can_see_event_note(actor: User, case: Case, event: Event) -> bool:
    """An event's note (and comment body): internal ones only for who may see internal notes;
    an agency's answer to its referral: not for the other agencies."""
    answered = answered_referral(case, event)
    if answered is not None and actor.role == "agency":
        return can_see_referral(actor, case, answered.agency_id, answered.referred_at)
    if can_see_internal_notes(actor, case):
        return True
    if event.kind == "commented":
        return not (event.data or {}).get("internal", False)
    if opens_referral(case, event):
        return any(can_see_referral(actor, case, agency) for agency in referred_agencies(event))
    return not is_internal_note(case, event)


def internal_event_fields(case: Case, event: Event) -> frozenset[str]:
    """The fields of a transition event that its definition marks internal."""
    transition = event_transition(case.workflow, event.kind, event.trigger)
    return transition.internal_fields() if transition else frozenset()


def is_internal_note(case: Case, event: Event) -> bool:
    """Tell whether an event's note is internal: an internal comment, or a transition whose
    note comes from a field the workflow definition marks internal."""
    if event.kind == "commented":
        return bool((event.data or {}).get("internal"))
    transition = event_transition(case.workflow, event.kind, event.trigger)
    field = transition.note_field(event.data or {}) if transition else None
    return field is not None and field.internal


def opens_referral(case: Case, event: Event) -> bool:
    """Tell whether an event is a transition that referred the case to agencies."""
    transition = event_transition(case.workflow, event.kind, event.trigger)
    return transition is not None and "open_referral" in transition.effects


def answered_referral(case: Case, event: Event) -> Referral | None:
    """The referral an answer event answered (None: not an answer, or not recorded)."""
    transition = event_transition(case.workflow, event.kind, event.trigger)
    if transition is None or "answer_referral" not in transition.effects:
        return None
    referral_id = (event.data or {}).get("referral_id")
    return next((r for r in case.referrals if r.id == referral_id), None)


def answer_fields(case: Case, event: Event) -> frozenset[str]:
    """The texts of an answer event (the response): hidden with its note from other agencies."""
    transition = event_transition(case.workflow, event.kind, event.trigger)
    if transition is None or "answer_referral" not in transition.effects:
        return frozenset()
    return frozenset(f.name for f in transition.text_fields())


def referred_agencies(event: Event) -> list[int]:
    """The agencies a refer event referred the case to (``agency_id`` or ``agency_ids``)."""
    data = event.data or {}
    found = [data.get("agency_id"), *(data.get("agency_ids") or [])]
    return [agency for agency in found if isinstance(agency, int)]


def can_manage_forums(actor: User) -> bool:
    """Create and edit forums (officers do so at intake): staff."""
    return is_staff(actor)


def can_run_intake(actor: User) -> bool:
    """Log many concerns from one forum at once: staff."""
    return is_staff(actor)


def can_reissue_access_codes(actor: User) -> bool:
    """Issue a new access code (the old one stops working) or print intake slips: staff."""
    return is_staff(actor)


def can_list_referrals(actor: User) -> bool:
    """The referrals page: staff (all agencies) and agency focal points (their agency's)."""
    return is_staff(actor) or (actor.role == "agency" and actor.agency_id is not None)


def visible_referrals(actor: User) -> Select:
    """The referrals this actor may list: staff all, an agency user their agency's; never a
    referral of a confidential case the actor may not see."""
    query = select(Referral).where(Referral.case_id.not_in(hidden_confidential_cases(actor)))
    if is_staff(actor):
        return query
    if actor.role == "agency" and actor.agency_id is not None:
        return query.where(Referral.agency_id == actor.agency_id)
    return query.where(false())


def can_see_reports(actor: User) -> bool:
    """Reports over one's visible cases: staff, agency focal points and representatives."""
    if is_staff(actor):
        return True
    if actor.role == "agency":
        return actor.agency_id is not None
    return actor.role == "representative" and actor.organisation_id is not None


def can_print_forum_brief(actor: User) -> bool:
    """The printable brief of a forum's concerns: staff."""
    return is_staff(actor)


def reported_referrals(actor: User) -> Select:
    """Referrals counted in the actor's reports: staff all; an agency its own; a representative
    those of its organisation's cases. Referrals of confidential cases are left out."""
    query = select(Referral).where(not_confidential_case(Referral.case_id))
    if is_staff(actor):
        return query
    if actor.role == "agency" and actor.agency_id is not None:
        return query.where(Referral.agency_id == actor.agency_id)
    if actor.role == "representative" and actor.organisation_id is not None:
        own = select(Case.id).where(raised_by_organisation(actor.organisation_id))
        return query.where(Referral.case_id.in_(own))
    return query.where(false())
