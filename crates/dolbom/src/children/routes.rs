//! Guardians' pages: their children, registering one, and a child's record (printable).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::model::{CONSENTS, ChildForm};
use super::store::{self, ChildRecord, ChildSummary};
use crate::app::AppState;
use crate::auth::{CsrfForm, Visitor};
use crate::db::time::{age_on, seoul_today};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::reads::Reads;
use crate::web::{Page, render, render_with_status};

#[derive(Template)]
#[template(path = "children/list.html")]
struct ListPage {
    page: Page,
    children: Vec<(ChildSummary, i32)>,
}

pub async fn list(State(state): State<AppState>, Reads(db): Reads, visitor: Visitor) -> AppResult<Response> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let today = seoul_today();
    let children = store::of_guardian(&db, state.municipality(), &user.id)
        .await?
        .into_iter()
        .map(|c| {
            let age = age_on(c.birth_date, today);
            (c, age)
        })
        .collect();
    render(&ListPage { page: Page::new(&visitor, "children-title"), children })
}

#[derive(Template)]
#[template(path = "children/form.html")]
struct FormPage {
    page: Page,
    form: ChildForm,
    errors: FieldErrors,
    consents: Vec<&'static str>,
}

fn form_page(visitor: &Visitor, form: ChildForm, errors: FieldErrors) -> FormPage {
    FormPage { page: Page::new(visitor, "child-new-title"), form, errors, consents: CONSENTS.to_vec() }
}

pub async fn new_form(visitor: Visitor) -> AppResult<Response> {
    render(&form_page(&visitor, ChildForm::default(), FieldErrors::default()))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<ChildForm>,
) -> AppResult<Response> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let child = match form.check(seoul_today()) {
        Ok(child) => child,
        Err(errors) => {
            let form = ChildForm { rrn: String::new(), ..form };
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&visitor, form, errors));
        }
    };
    match store::create(&state.db, &state.keys, state.municipality(), &user.id, &child).await? {
        Some(id) => Ok(Redirect::to(&format!("/children/{id}")).into_response()),
        None => {
            let mut errors = FieldErrors::default();
            errors.add("rrn", "child-error-rrn-taken");
            let form = ChildForm { rrn: String::new(), ..form };
            render_with_status(StatusCode::CONFLICT, &form_page(&visitor, form, errors))
        }
    }
}

#[derive(Template)]
#[template(path = "children/child.html")]
struct ChildPage {
    page: Page,
    child: ChildRecord,
    age: i32,
}

pub async fn child(
    State(state): State<AppState>,
    Reads(db): Reads,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let user = visitor.user.as_ref().ok_or(AppError::Unauthorized)?;
    let child =
        store::for_guardian(&db, &state.keys, state.municipality(), &user.id, &id).await?.ok_or(AppError::NotFound)?;
    let mut page = Page::new(&visitor, "child-title");
    page.title = child.name.clone();
    let age = age_on(child.birth_date, seoul_today());
    render(&ChildPage { page, child, age })
}
