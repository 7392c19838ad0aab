//! The access log: every staff read of a person's record goes through [`record_read`], which is the only way the
//! people store hands out a record. The log is append-only: the app has no code that edits or deletes it, and
//! database triggers refuse UPDATE and DELETE on both backends.

pub mod routes;
pub mod store;

use serde::Serialize;

use crate::app::AppState;
use crate::auth::{CurrentUser, Visitor};
use crate::db::Db;

/// Why a staff member opens a record; they choose one before the record is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Counselling,
    CaseManagement,
    EligibilityCheck,
    Complaint,
    Emergency,
    /// An administrator opening an account to manage it.
    AccountAdministration,
    /// A provider giving (or an official overseeing) the care a guardian applied for.
    CareProvision,
}

impl Purpose {
    /// The purposes staff choose from before opening a resident's record.
    pub const CASEWORK: [Purpose; 5] = [
        Purpose::Counselling,
        Purpose::CaseManagement,
        Purpose::EligibilityCheck,
        Purpose::Complaint,
        Purpose::Emergency,
    ];
    pub const ALL: [Purpose; 7] = [
        Purpose::Counselling,
        Purpose::CaseManagement,
        Purpose::EligibilityCheck,
        Purpose::Complaint,
        Purpose::Emergency,
        Purpose::AccountAdministration,
        Purpose::CareProvision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Counselling => "counselling",
            Purpose::CaseManagement => "case_management",
            Purpose::EligibilityCheck => "eligibility_check",
            Purpose::Complaint => "complaint",
            Purpose::Emergency => "emergency",
            Purpose::AccountAdministration => "account_administration",
            Purpose::CareProvision => "care_provision",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Parses only the purposes a caseworker may choose.
    pub fn parse_casework(s: &str) -> Option<Purpose> {
        Purpose::CASEWORK.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("purpose-{}", self.as_str().replace('_', "-"))
    }
}

/// The kinds of personal record the log covers; later features add theirs (child, case, application, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    Resident,
    Household,
    Account,
    /// A list of accounts (names and e-mails); the record id is the search that produced it.
    AccountList,
    /// A care application with the child's record, read by the provider or an official.
    CareApplication,
    /// A waitlist application with its priority facts, or a place accepted, read by staff or the centre.
    WaitlistApplication,
    /// A case with its needs, plan and timeline, read by its agency, a sharing agency or an official.
    Case,
    /// An outreach visit's notes and risk flags.
    Visit,
    /// The review queue of a linkage run: the agencies' records of the pairs shown.
    LinkageRun,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Resident => "resident",
            RecordKind::Household => "household",
            RecordKind::Account => "account",
            RecordKind::AccountList => "account_list",
            RecordKind::CareApplication => "care_application",
            RecordKind::WaitlistApplication => "waitlist_application",
            RecordKind::Case => "case",
            RecordKind::Visit => "outreach_visit",
            RecordKind::LinkageRun => "linkage_run",
        }
    }
}

/// Who is reading, from where, in which municipality: built once per request from the session.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    pub user: &'a CurrentUser,
    pub ip: &'a str,
    pub municipality: &'a str,
}

impl<'a> Reader<'a> {
    /// The signed-in staff member behind this request.
    pub fn of(state: &'a AppState, user: &'a CurrentUser, visitor: &'a Visitor) -> Reader<'a> {
        Reader { user, ip: &visitor.ip, municipality: state.municipality() }
    }
}

/// Writes one access-log entry. Callers write it before they return the record, and return nothing if it fails.
pub async fn record_read(
    db: &Db,
    reader: &Reader<'_>,
    kind: RecordKind,
    record_id: &str,
    purpose: Purpose,
) -> Result<(), sqlx::Error> {
    store::append(db, reader, kind.as_str(), record_id, purpose.as_str()).await
}
