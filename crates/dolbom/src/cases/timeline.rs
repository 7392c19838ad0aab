//! A case's timeline, read from where each event is kept: the case's opening, assessments, plan, reviews and
//! closure; the household's visits, referrals and linked services since the case opened. Newest first.

use serde::Serialize;

use super::store::Case;
use crate::db::Db;
use crate::db::time::Millis;
use crate::db_run;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    pub at: Millis,
    /// The catalog key naming what happened (`timeline-assessed`, …).
    pub what: &'static str,
    /// A code the page translates: the domain (`domain-…`) or a referral's status (`referral-status-…`); empty
    /// when there is none.
    pub code: String,
    /// The event's own words: a note, a goal, a service, an outcome.
    pub detail: String,
    /// Who did it: the agency or the worker.
    pub by: String,
}

type Row = (Millis, String, String, String);

async fn rows(db: &Db, sql: &str, id: &str, since: Millis) -> Result<Vec<Row>, sqlx::Error> {
    db_run!(db, p => sqlx::query_as(sql).bind(id).bind(since).fetch_all(p).await)
}

/// The queries of the timeline: what each tells, and its SQL over (`$1` case or household id, `$2` since).
const SOURCES: [(&str, bool, &str); 10] = [
    (
        "timeline-assessed",
        true,
        "SELECT a.assessed_at, 'domain-' || a.domain, CAST(a.level AS TEXT) || ' · ' || a.note, \
        u.display_name FROM case_assessments a JOIN users u ON u.id = a.assessed_by WHERE a.case_id = $1 AND a.assessed_at >= $2",
    ),
    (
        "timeline-planned",
        true,
        "SELECT p.created_at, 'domain-' || p.domain, p.goal, u.display_name FROM case_plan_items p \
        JOIN users u ON u.id = p.created_by WHERE p.case_id = $1 AND p.created_at >= $2",
    ),
    (
        "timeline-plan-done",
        true,
        "SELECT p.done_at, '', p.goal, u.display_name FROM case_plan_items p \
        JOIN users u ON u.id = p.created_by WHERE p.case_id = $1 AND p.done_at >= $2",
    ),
    (
        "timeline-reviewed",
        true,
        "SELECT r.reviewed_at, '', r.note, u.display_name FROM case_reviews r \
        JOIN users u ON u.id = r.reviewed_by WHERE r.case_id = $1 AND r.reviewed_at >= $2",
    ),
    (
        "timeline-visited",
        false,
        "SELECT v.visited_at, '', v.notes, u.display_name FROM outreach_visits v \
        JOIN users u ON u.id = v.worker_id WHERE v.household_id = $1 AND v.status = 'done' AND v.visited_at >= $2",
    ),
    (
        "timeline-referred",
        false,
        "SELECT f.sent_at, 'domain-' || f.domain, t.name || ': ' || f.need, o.name FROM referrals f \
        JOIN organizations o ON o.id = f.from_agency JOIN organizations t ON t.id = f.to_agency \
        WHERE f.household_id = $1 AND f.sent_at >= $2",
    ),
    (
        "timeline-referral-answered",
        false,
        "SELECT f.answered_at, CASE WHEN f.status = 'declined' THEN 'referral-status-declined' ELSE 'referral-status-accepted' END, f.need, t.name FROM referrals f \
        JOIN organizations t ON t.id = f.to_agency WHERE f.household_id = $1 AND f.answered_at >= $2",
    ),
    (
        "timeline-referral-served",
        false,
        "SELECT f.served_at, '', f.need, t.name FROM referrals f \
        JOIN organizations t ON t.id = f.to_agency WHERE f.household_id = $1 AND f.served_at >= $2",
    ),
    (
        "timeline-referral-closed",
        false,
        "SELECT f.closed_at, '', f.outcome, t.name FROM referrals f \
        JOIN organizations t ON t.id = f.to_agency WHERE f.household_id = $1 AND f.closed_at >= $2",
    ),
    (
        "timeline-linked",
        false,
        "SELECT l.created_at, '', s.name, o.name FROM resource_links l \
        JOIN services s ON s.id = l.service_id JOIN organizations o ON o.id = l.agency_id \
        WHERE l.household_id = $1 AND l.created_at >= $2",
    ),
];

pub async fn of_case(db: &Db, case: &Case) -> Result<Vec<Event>, sqlx::Error> {
    let mut events = vec![Event {
        at: case.opened_at,
        what: "timeline-opened",
        code: String::new(),
        detail: case.summary.clone(),
        by: format!("{} · {}", case.agency_name, case.worker_name),
    }];
    if let Some(at) = case.closed_at {
        let (code, detail) = (format!("case-closure-{}", case.closure_reason), case.closure_note.clone());
        events.push(Event { at, what: "timeline-closed", code, detail, by: case.agency_name.clone() });
    }
    for (what, of_case, sql) in SOURCES {
        let id = if of_case { &case.id } else { &case.household_id };
        for (at, code, detail, by) in rows(db, sql, id, case.opened_at).await? {
            if case.closed_at.is_none_or(|closed| at <= closed) {
                events.push(Event { at, what, code, detail, by });
            }
        }
    }
    events.sort_by(|a, b| b.at.cmp(&a.at).then(a.what.cmp(b.what)));
    Ok(events)
}
