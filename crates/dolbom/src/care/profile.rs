//! A caregiver keeps their own profile: where they start from (their 동), when they are available, the most hours
//! a week they take, the languages they speak, and their credentials with expiry dates. The matcher reads it as
//! saved; officials see credentials about to expire.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::caregiver_store::{self, CREDENTIALS, Caregiver, Credential};
use crate::app::AppState;
use crate::auth::{CsrfForm, CurrentUser, Visitor};
use crate::error::{AppResult, FieldErrors};
use crate::places::hours::{HOLIDAY, Span, WeeklyHours};
use crate::places::model::LANGUAGES;
use crate::web::{Page, render, render_with_status};

/// The week's rows of the form: weekdays, Saturday, Sunday, public holidays.
const ROWS: [(&str, &[usize]); 4] =
    [("weekday", &[0, 1, 2, 3, 4]), ("saturday", &[5]), ("sunday", &[6]), ("holiday", &[HOLIDAY])];

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub dong: String,
    #[serde(default)]
    pub language: Vec<String>,
    #[serde(default)]
    pub weekly_hours: String,
    #[serde(default)]
    pub weekday: String,
    #[serde(default)]
    pub saturday: String,
    #[serde(default)]
    pub sunday: String,
    #[serde(default)]
    pub holiday: String,
    /// Credentials held (kinds), each with an optional expiry `expires_{kind}`.
    #[serde(default)]
    pub credential: Vec<String>,
    #[serde(default)]
    pub expires_basic: String,
    #[serde(default)]
    pub expires_infant: String,
    #[serde(default)]
    pub expires_special_needs: String,
    #[serde(default)]
    pub expires_first_aid: String,
    #[serde(default)]
    pub expires_background_check: String,
}

impl ProfileForm {
    fn row(&self, name: &str) -> &str {
        match name {
            "weekday" => &self.weekday,
            "saturday" => &self.saturday,
            "sunday" => &self.sunday,
            _ => &self.holiday,
        }
    }

    pub fn expires(&self, kind: &str) -> &str {
        match kind {
            "basic" => &self.expires_basic,
            "infant" => &self.expires_infant,
            "special_needs" => &self.expires_special_needs,
            "first_aid" => &self.expires_first_aid,
            _ => &self.expires_background_check,
        }
    }

    pub fn holds(&self, kind: &str) -> bool {
        self.credential.iter().any(|c| c == kind)
    }

    pub fn speaks(&self, code: &str) -> bool {
        self.language.iter().any(|l| l == code)
    }

    fn of(c: &Caregiver, dong: String) -> ProfileForm {
        let span = |day: usize| c.hours.0[day].map(|s| s.label().replace('–', "-")).unwrap_or_default();
        let mut form = ProfileForm {
            sex: c.sex.clone(),
            dong,
            language: c.languages.clone(),
            weekly_hours: (c.weekly_limit_minutes / 60).to_string(),
            weekday: span(0),
            saturday: span(5),
            sunday: span(6),
            holiday: span(HOLIDAY),
            credential: c.credentials.iter().map(|k| k.kind.clone()).collect(),
            ..ProfileForm::default()
        };
        for k in &c.credentials {
            let date = k.expires_on.map(|d| d.to_string()).unwrap_or_default();
            match k.kind.as_str() {
                "basic" => form.expires_basic = date,
                "infant" => form.expires_infant = date,
                "special_needs" => form.expires_special_needs = date,
                "first_aid" => form.expires_first_aid = date,
                _ => form.expires_background_check = date,
            }
        }
        form
    }

    /// Every wrong field named at once; `point` gives the 동's inner point (None: not the municipality's).
    fn check(&self, user: &CurrentUser, point: Option<(f64, f64)>) -> Result<Caregiver, FieldErrors> {
        let mut errors = FieldErrors::default();
        if !matches!(self.sex.as_str(), "F" | "M") {
            errors.add("sex", "field-choice-invalid");
        }
        if point.is_none() {
            errors.add("dong", "field-choice-invalid");
        }
        if self.language.is_empty() || self.language.iter().any(|l| !LANGUAGES.contains(&l.as_str())) {
            errors.add("language", "field-choice-invalid");
        }
        let weekly: i32 = self.weekly_hours.trim().parse().unwrap_or(-1);
        if !(1..=56).contains(&weekly) {
            errors.add("weekly_hours", "care-error-weekly-hours");
        }
        let mut hours = WeeklyHours::default();
        for (name, days) in ROWS {
            let text = self.row(name).trim();
            if text.is_empty() {
                continue;
            }
            match Span::parse(text) {
                Ok(span) => days.iter().for_each(|d| hours.0[*d] = Some(span)),
                Err(_) => errors.add(name, "place-error-hours"),
            }
        }
        let mut credentials = Vec::new();
        for kind in CREDENTIALS.iter().filter(|k| self.holds(k)) {
            let text = self.expires(kind).trim();
            let expires_on = if text.is_empty() { None } else { NaiveDate::parse_from_str(text, "%Y-%m-%d").ok() };
            if !text.is_empty() && expires_on.is_none() {
                errors.add(format!("expires_{kind}"), "field-date-invalid");
            }
            credentials.push(Credential { kind: kind.to_string(), number: String::new(), expires_on });
        }
        if self.credential.iter().any(|c| !CREDENTIALS.contains(&c.as_str())) {
            errors.add("credential", "field-choice-invalid");
        }
        errors.into_result(())?;
        let (latitude, longitude) = point.unwrap_or_default();
        Ok(Caregiver {
            user_id: user.id.clone(),
            name: user.display_name.clone(),
            sex: self.sex.clone(),
            latitude,
            longitude,
            languages: self.language.clone(),
            weekly_limit_minutes: weekly * 60,
            hours,
            credentials,
        })
    }
}

#[derive(Template)]
#[template(path = "care/profile.html")]
struct ProfilePage {
    page: Page,
    form: ProfileForm,
    errors: FieldErrors,
    dongs: Vec<(String, String)>,
    languages: [&'static str; 6],
    credentials: [&'static str; 5],
    rows: Vec<&'static str>,
}

impl ProfilePage {
    fn bad_expiry(&self, kind: &str) -> bool {
        self.errors.has(&format!("expires_{kind}"))
    }

    fn row_value(&self, name: &str) -> String {
        self.form.row(name).to_string()
    }
}

fn profile_page(state: &AppState, visitor: &Visitor, form: ProfileForm, errors: FieldErrors) -> ProfilePage {
    ProfilePage {
        page: Page::new(visitor, "care-profile-title"),
        form,
        errors,
        dongs: state.areas.choices(),
        languages: LANGUAGES,
        credentials: CREDENTIALS,
        rows: ROWS.iter().map(|(name, _)| *name).collect(),
    }
}

pub async fn form(State(state): State<AppState>, visitor: Visitor, user: CurrentUser) -> AppResult<Response> {
    let saved = caregiver_store::active(&state.db, state.municipality()).await?;
    let form = match saved.iter().find(|c| c.user_id == user.id) {
        Some(c) => {
            let dong = state.areas.locate(c.latitude, c.longitude).map(|a| a.adm_cd2.clone()).unwrap_or_default();
            ProfileForm::of(c, dong)
        }
        None => ProfileForm { language: vec!["ko".into()], weekly_hours: "40".into(), ..ProfileForm::default() },
    };
    render(&profile_page(&state, &visitor, form, FieldErrors::default()))
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> AppResult<Response> {
    match form.check(&user, state.areas.inner_point(&form.dong)) {
        Ok(caregiver) => {
            caregiver_store::upsert(&state.db, state.municipality(), &caregiver).await?;
            Ok(Redirect::to("/care/work").into_response())
        }
        Err(errors) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &profile_page(&state, &visitor, form, errors))
        }
    }
}
