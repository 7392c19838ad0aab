//! `POST /staff/households/{id}/links`: a welfare worker links a service to a household. The household must be in
//! the worker's 행정동s (its read is logged with the purpose); an overlapping support of the same category from any
//! agency brings the page back with those links and asks for a reason; with one, it is saved and the warning kept.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::model::LinkForm;
use super::store::{self, LedgerError};
use crate::app::AppState;
use crate::audit::Purpose;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::people::routes::{HouseholdPage, PurposeQuery};
use crate::web::render_with_status;

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<PurposeQuery>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> AppResult<Response> {
    let purpose = Purpose::parse_casework(&q.purpose).unwrap_or(Purpose::CaseManagement);
    let page = HouseholdPage::load(&state, &visitor, &user, &id, purpose).await?;
    let form = LinkForm { household_id: id.clone(), ..form };
    let refused = |mut page: HouseholdPage, form: LinkForm, errors: FieldErrors, overlapping| {
        page.form = form;
        page.errors = errors;
        page.overlapping = overlapping;
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let link = match form.check() {
        Ok(link) => link,
        Err(errors) => return refused(page, form, errors, Vec::new()),
    };
    let Some(agency) = user.organization_id.as_deref() else {
        let mut errors = FieldErrors::default();
        errors.add("service_id", "ledger-error-no-agency");
        return refused(page, form, errors, Vec::new());
    };
    match store::save(&state.db, state.municipality(), &link, agency, &user.id).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/households/{id}?purpose={}", purpose.as_str())).into_response()),
        Err(LedgerError::NeedsReason(overlapping)) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "reason",
                if form.reason.trim().is_empty() { "ledger-error-needs-reason" } else { "field-required" },
            );
            refused(page, form, errors, overlapping)
        }
        Err(LedgerError::UnknownService) => {
            let mut errors = FieldErrors::default();
            errors.add("service_id", "field-choice-invalid");
            refused(page, form, errors, Vec::new())
        }
        Err(LedgerError::UnknownHousehold) => Err(AppError::NotFound),
        Err(LedgerError::Db(e)) => Err(e.into()),
    }
}
