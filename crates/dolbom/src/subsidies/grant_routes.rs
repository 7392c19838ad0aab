//! A grant's page (`/grants/{id}`): the group's leader and officials see the same record; each sees the forms of
//! their part. A refused step comes back on the page with what was typed and why, in the reader's language.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::forms::{LinesForm, PlanForm, krw};
use super::grant_view::GrantView;
use super::ledger_store::{self, Spending};
use super::messages::describe;
use super::queries::{self, Application};
use super::routes::{leader_group, programme_of};
use super::store::{self, SubsidyError};
use crate::app::AppState;
use crate::auth::upload::text_field;
use crate::auth::{CsrfForm, CsrfUpload, CurrentUser, NoFields, Role, UploadedFile, Visitor};
use crate::cases::model::date;
use crate::db::time::{seoul_display, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render_with_status};

/// Which form a refusal belongs to, so the page shows it there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    None,
    Change,
    Spend,
    Review,
    Decision,
    Disburse,
}

/// The spending form as typed.
#[derive(Clone, Debug, Default)]
pub struct SpendForm {
    pub line: String,
    pub amount: String,
    pub spent_on: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "subsidies/grant.html")]
pub struct GrantPage {
    pub page: Page,
    pub v: GrantView,
    pub is_leader: bool,
    pub is_official: bool,
    pub change: PlanForm,
    pub spend: SpendForm,
    pub errors: FieldErrors,
    pub problems: Vec<String>,
    pub part: Part,
    pub agreed_at: String,
}

impl GrantPage {
    fn problems_in(&self, part: Part) -> bool {
        self.part == part && (!self.problems.is_empty() || !self.errors.is_empty())
    }

    fn is_line(&self, code: &str) -> bool {
        self.spend.line == code
    }

    fn change_rows(&self) -> Vec<(String, String, String)> {
        self.change.lines().rows()
    }

    fn score(&self) -> String {
        let o = self.v.outcome.as_ref();
        super::grant_view::score_text(o).unwrap_or_else(|| "—".into())
    }
}

/// The grant, when this user may see it: the leader of its group, or an official.
pub(super) async fn visible(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Application> {
    let a = queries::application(&state.db, state.municipality(), id).await?.ok_or(AppError::NotFound)?;
    let leads = leader_group(Some(user)) == Some(a.group_id.as_str());
    if leads || user.role == Role::Official { Ok(a) } else { Err(AppError::Forbidden) }
}

/// A refused step: which form, its field errors, the store's reasons, and what was typed.
#[derive(Clone, Debug)]
pub(super) struct Refusal {
    pub part: Part,
    pub errors: FieldErrors,
    pub change: Option<PlanForm>,
    pub spend: Option<SpendForm>,
}

impl Refusal {
    pub fn new(part: Part, errors: FieldErrors) -> Refusal {
        Refusal { part, errors, change: None, spend: None }
    }
}

/// The grant's page; with a refusal, its form keeps what was typed and says why.
pub(super) async fn page(
    state: &AppState,
    visitor: &Visitor,
    user: &CurrentUser,
    a: Application,
    refusal: Option<(Refusal, Option<&SubsidyError>)>,
) -> AppResult<Response> {
    if let Some((_, Some(SubsidyError::Db(_)))) = refusal {
        return Err(AppError::Internal("subsidy store".into()));
    }
    let p = programme_of(state, &a.programme_id).await?;
    let v = GrantView::load(&state.db, a, p).await?;
    let mut page = Page::new(visitor, "subsidy-grant-title");
    page.title = format!("{} · {}", v.a.title, v.a.group_name);
    let status = if refusal.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let problems = match &refusal {
        Some((_, Some(e))) => describe(visitor.locale, e, &|code| v.line_name(code)),
        _ => Vec::new(),
    };
    let r = refusal.map(|r| r.0).unwrap_or(Refusal::new(Part::None, FieldErrors::default()));
    let change = r.change.unwrap_or_else(|| PlanForm::with_lines(LinesForm::from_plan(&v.current_plan(), 2)));
    let spend = r.spend.unwrap_or_else(|| SpendForm { spent_on: seoul_today().to_string(), ..Default::default() });
    let page = GrantPage {
        page,
        is_leader: leader_group(Some(user)) == Some(v.a.group_id.as_str()),
        is_official: user.role == Role::Official,
        agreed_at: v.a.agreed_at.map(seoul_display).unwrap_or_default(),
        v,
        change,
        spend,
        errors: r.errors,
        problems,
        part: r.part,
    };
    render_with_status(status, &page)
}

/// `GET /grants/{id}`
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    page(&state, &visitor, &user, a, None).await
}

fn leads(user: &CurrentUser, a: &Application) -> AppResult<()> {
    if leader_group(Some(user)) == Some(a.group_id.as_str()) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// `POST /grants/{id}/agreement`: the leader signs the agreement (약정) of an approved grant.
pub async fn agree(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    leads(&user, &a)?;
    match store::agree(&state.db, &a.id, &a.group_id, &user.id).await {
        Ok(()) => Ok(Redirect::to(&format!("/grants/{id}")).into_response()),
        Err(e) => {
            let r = Refusal::new(Part::None, FieldErrors::default());
            page(&state, &visitor, &user, a, Some((r, Some(&e)))).await
        }
    }
}

/// `POST /grants/{id}/changes`: a plan change (사업계획변경) with its reason, waiting for an official.
pub async fn propose(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    leads(&user, &a)?;
    let (errors, outcome) = match form.read_change() {
        Ok(plan) => (
            FieldErrors::default(),
            ledger_store::propose_change(&state.db, &a.id, &plan, &form.reason, &user.id).await,
        ),
        Err(errors) => (errors, Ok((0, Vec::new()))),
    };
    match outcome {
        Ok(_) if errors.is_empty() => Ok(Redirect::to(&format!("/grants/{id}#changes")).into_response()),
        outcome => {
            let r = Refusal { change: Some(form), ..Refusal::new(Part::Change, errors) };
            page(&state, &visitor, &user, a, Some((r, outcome.as_ref().err()))).await
        }
    }
}

pub const RECEIPT_MAX_BYTES: usize = 5_000_000;
/// The spending form's request: its receipt and the text, so a receipt over the limit gets its own message.
pub const BODY_LIMIT: usize = 2 * RECEIPT_MAX_BYTES;

/// A receipt's type by its first bytes: an image, or a PDF.
fn receipt_type(bytes: &[u8]) -> Option<&'static str> {
    crate::places::photos::sniff(bytes).or_else(|| bytes.starts_with(b"%PDF-").then_some("application/pdf"))
}

/// The spending typed, checked at the edge: a line of the plan in force, an amount, a day not in the future, what
/// it bought, and its receipt.
fn read_spend<'a>(
    files: &'a [UploadedFile],
    form: &SpendForm,
    lines: &'a [String],
) -> Result<Spending<'a>, FieldErrors> {
    let mut errors = FieldErrors::default();
    if !lines.contains(&form.line) {
        errors.add("line", "field-choice-invalid");
    }
    let amount = krw(&form.amount).filter(|a| *a > 0);
    if amount.is_none() {
        errors.add("amount", "field-number-invalid");
    }
    let spent_on = date(&form.spent_on).filter(|d| *d <= seoul_today());
    if spent_on.is_none() {
        errors.add("spent_on", "subsidy-error-spent-on");
    }
    if form.description.trim().is_empty() || form.description.chars().count() > 200 {
        errors.add("description", "field-required");
    }
    let receipt = files.iter().find(|f| f.field == "receipt" && !f.bytes.is_empty());
    let kind = match receipt {
        None => {
            errors.add("receipt", "subsidy-error-receipt-missing");
            None
        }
        Some(f) if f.bytes.len() > RECEIPT_MAX_BYTES => {
            errors.add("receipt", "subsidy-error-receipt-size");
            None
        }
        Some(f) => match receipt_type(&f.bytes) {
            None => {
                errors.add("receipt", "subsidy-error-receipt-type");
                None
            }
            Some(kind) => Some((kind, f.bytes.as_slice())),
        },
    };
    match (amount, spent_on, kind) {
        (Some(amount), Some(spent_on), Some(receipt)) if errors.is_empty() => Ok(Spending {
            line_code: lines.iter().find(|l| **l == form.line).map(String::as_str).unwrap_or_default(),
            amount,
            spent_on,
            description: "",
            receipt: Some(receipt),
        }),
        _ => Err(errors),
    }
}

/// `POST /grants/{id}/spending` (multipart, with the receipt): checked against the line and the cash on hand.
pub async fn spend(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    CsrfUpload(files): CsrfUpload,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    leads(&user, &a)?;
    let form = SpendForm {
        line: text_field(&files, "line"),
        amount: text_field(&files, "amount"),
        spent_on: text_field(&files, "spent_on"),
        description: text_field(&files, "description"),
    };
    let lines: Vec<String> = match ledger_store::balance(&state.db, &a.id).await? {
        Some((b, _)) => b.lines.into_iter().map(|l| l.code).collect(),
        None => Vec::new(),
    };
    let outcome = match read_spend(&files, &form, &lines) {
        Ok(s) => {
            let s = Spending { description: form.description.trim(), ..s };
            ledger_store::spend(&state.db, &a.id, &s, &user.id).await.map_err(|e| (FieldErrors::default(), Some(e)))
        }
        Err(errors) => Err((errors, None)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/grants/{id}#ledger")).into_response()),
        Err((errors, e)) => {
            let r = Refusal { spend: Some(form), ..Refusal::new(Part::Spend, errors) };
            page(&state, &visitor, &user, a, Some((r, e.as_ref()))).await
        }
    }
}

/// `GET /grants/{id}/receipts/{item}`: served as stored, never sniffed; a PDF is offered as a download.
pub async fn receipt(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, item)): Path<(String, String)>,
) -> AppResult<Response> {
    let a = visible(&state, &user, &id).await?;
    let (kind, bytes) = queries::receipt(&state.db, &a.id, &item).await?.ok_or(AppError::NotFound)?;
    let disposition = if kind == "application/pdf" { "attachment; filename=\"receipt.pdf\"" } else { "inline" };
    let headers = [
        (header::CONTENT_TYPE, kind),
        (header::CONTENT_DISPOSITION, disposition.to_string()),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
    ];
    Ok((headers, bytes).into_response())
}
