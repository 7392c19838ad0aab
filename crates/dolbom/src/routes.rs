//! The route table: every route, with the one permission it needs, in one place. The router is built from it and
//! the route × role test walks it, so a route cannot exist without a declared permission.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::app::AppState;
use crate::auth::Permission::{self, *};
use crate::{
    api, audit, auth, care, cases, children, content, directory, hub, ledger, mine, notify, outreach, people, places,
    recordlink, sharing, spaces, subsidies, waitlist, web,
};

/// What the route table says about one route.
#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub permission: Permission,
}

struct Route {
    spec: RouteSpec,
    handler: MethodRouter<AppState>,
}

/// A route that takes large uploads: its body may be up to `limit` bytes (others keep axum's 2 MB).
fn upload<H, T>(path: &'static str, permission: Permission, handler: H, limit: usize) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let mut r = route(Method::POST, path, permission, handler);
    r.handler = r.handler.layer(DefaultBodyLimit::max(limit));
    r
}

fn route<H, T>(method: Method, path: &'static str, permission: Permission, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    Route { spec: RouteSpec { method, path, permission }, handler: on(filter, handler) }
}

fn routes() -> Vec<Route> {
    const GET: Method = Method::GET;
    const POST: Method = Method::POST;
    vec![
        // Site, operations and assets.
        route(GET, "/", Public, web::pages::home),
        route(GET, "/words", Public, web::words::page),
        route(GET, "/healthz", Public, web::pages::healthz),
        route(GET, "/readyz", Public, web::pages::readyz),
        route(GET, "/static/{name}", Public, web::assets::asset),
        route(GET, "/lang/{code}", Public, web::pages::switch_language),
        // Welfare directory (residents, no log-in needed).
        route(GET, "/welfare", Public, directory::search_routes::search_page),
        route(GET, "/welfare/services/{id}", Public, directory::search_routes::service_page),
        route(GET, "/welfare/manual", Public, directory::manual::manual),
        route(GET, "/staff/search-misses", ManageDirectory, directory::search_routes::misses_page),
        route(POST, "/staff/search-synonyms", ManageDirectory, directory::search_routes::add_synonyms),
        route(GET, "/staff/services", ManageDirectory, directory::staff::list),
        route(GET, "/staff/services/new", ManageDirectory, directory::staff::new_form),
        route(POST, "/staff/services", ManageDirectory, directory::staff::create),
        route(GET, "/staff/services/{id}", ManageDirectory, directory::staff::edit_form),
        route(POST, "/staff/services/{id}", ManageDirectory, directory::staff::update),
        route(GET, "/welfare/check", Public, directory::routes::check_form),
        // Care: the services and their rules, before anyone applies.
        route(GET, "/care", Public, care::routes::services),
        route(GET, "/care/apply", RegisterChildren, care::apply::form),
        route(POST, "/care/applications", RegisterChildren, care::apply::submit),
        route(GET, "/care/applications", RegisterChildren, care::apply::list),
        route(GET, "/care/applications/{id}", SignedIn, care::record::page),
        route(POST, "/care/applications/{id}/cancel", RegisterChildren, care::record::cancel),
        route(POST, "/care/applications/{id}/survey", RegisterChildren, care::record::survey),
        route(POST, "/care/applications/{id}/incident", SignedIn, care::record::incident),
        route(POST, "/care/applications/{id}/accept", ProvideCare, care::record::accept),
        route(POST, "/care/applications/{id}/decline", ProvideCare, care::record::decline),
        route(POST, "/care/applications/{id}/check-in", ProvideCare, care::record::check_in),
        route(POST, "/care/applications/{id}/check-out", ProvideCare, care::record::check_out),
        route(POST, "/care/applications/{id}/no-show", ProvideCare, care::record::no_show),
        route(GET, "/care/work", ProvideCare, care::work::page),
        route(POST, "/care/work/places", ProvideCare, care::work::set_places),
        route(GET, "/care/work/profile", KeepCaregiverProfile, care::profile::form),
        route(POST, "/care/work/profile", KeepCaregiverProfile, care::profile::save),
        route(GET, "/care/monitoring", MonitorCare, care::monitor::page),
        // Waitlists.
        route(GET, "/waitlist", RegisterChildren, waitlist::routes::mine),
        route(POST, "/waitlist", RegisterChildren, waitlist::routes::apply),
        route(POST, "/waitlist/{id}/withdraw", RegisterChildren, waitlist::routes::withdraw),
        route(POST, "/waitlist/offers/{id}/accept", RegisterChildren, waitlist::routes::accept),
        route(POST, "/waitlist/{id}/documents/{fact}", RegisterChildren, waitlist::documents::upload),
        route(GET, "/staff/waitlist/documents/{id}", ManageWaitlist, waitlist::documents::open),
        route(POST, "/waitlist/offers/{id}/decline", RegisterChildren, waitlist::routes::decline),
        route(GET, "/staff/waitlist", ManageWaitlist, waitlist::staff::staff),
        route(POST, "/staff/waitlist/verify", ManageWaitlist, waitlist::staff::verify),
        route(POST, "/staff/waitlist/rounds", ManageWaitlist, waitlist::staff::publish),
        route(POST, "/staff/waitlist/rounds/{id}/run", ManageWaitlist, waitlist::staff::run),
        route(GET, "/staff/waitlist/rounds/{id}", ManageWaitlist, waitlist::staff::audit_page),
        route(GET, "/staff/waitlist/rounds/{id}/input.json", ManageWaitlist, waitlist::staff::input_json),
        route(GET, "/official/waitlist", MonitorCare, waitlist::figures_page::page),
        route(GET, "/official/waitlist.csv", MonitorCare, waitlist::figures_page::csv),
        route(GET, "/official/waitlist/rules", SetRules, waitlist::rules_page::page),
        route(POST, "/official/waitlist/rules", SetRules, waitlist::rules_page::save),
        route(GET, "/provider/waitlist", EditFacilities, waitlist::staff::enrol_page),
        route(POST, "/provider/waitlist/{id}/enrol", EditFacilities, waitlist::staff::enrol),
        // Children their guardians register for care.
        route(GET, "/my", RegisterChildren, mine::routes::page),
        route(GET, "/my/data.json", RegisterChildren, mine::routes::data),
        route(POST, "/my/deletion", RegisterChildren, mine::routes::ask_deletion),
        route(GET, "/my/checks/{id}", RegisterChildren, mine::checks::show),
        route(POST, "/my/checks/{id}/delete", RegisterChildren, mine::checks::delete),
        route(GET, "/children", RegisterChildren, children::routes::list),
        route(GET, "/children/new", RegisterChildren, children::routes::new_form),
        route(POST, "/children", RegisterChildren, children::routes::create),
        route(GET, "/children/{id}", RegisterChildren, children::routes::child),
        // Places: facilities and groups on the map.
        route(GET, "/places", Public, places::map::map_page),
        route(GET, "/places/facilities/{id}", Public, places::pages::facility),
        route(GET, "/places/groups/{id}", Public, places::pages::group),
        route(POST, "/places/groups/{id}/join", SignedIn, places::pages::join),
        route(GET, "/api/v1/places", Public, places::api::search),
        route(GET, "/api/v1/places/events", Public, places::api::events),
        route(GET, "/provider/facilities", EditFacilities, places::provider::list),
        route(GET, "/provider/facilities/{id}", EditFacilities, places::provider::edit_form),
        route(POST, "/provider/facilities/{id}", EditFacilities, places::provider::update),
        route(POST, "/provider/facilities/{id}/photos", EditFacilities, places::photos::upload),
        route(POST, "/provider/facilities/{id}/enrolled", EditFacilities, places::provider::set_enrolled),
        route(GET, "/places/photos/{id}", Public, places::photos::serve),
        route(GET, "/leader/groups", LeadGroups, places::leader::groups),
        route(POST, "/leader/groups/{id}/requests/{request}", LeadGroups, places::leader::answer),
        route(POST, "/welfare/check", Public, directory::routes::check),
        // Accounts.
        route(GET, "/signup", Public, auth::routes::signup_form),
        route(POST, "/signup", Public, auth::routes::signup),
        route(GET, "/login", Public, auth::routes::login_form),
        route(POST, "/login", Public, auth::routes::login),
        route(POST, "/logout", SignedIn, auth::routes::logout),
        route(GET, "/account", SignedIn, auth::routes::account),
        route(GET, "/notifications", SignedIn, notify::routes::inbox),
        route(POST, "/notifications/read", SignedIn, notify::routes::mark_read),
        route(GET, "/notifications/settings", SignedIn, notify::settings::show),
        route(POST, "/notifications/settings", SignedIn, notify::settings::save),
        route(POST, "/account/language", SignedIn, auth::routes::set_language),
        route(GET, "/account/password", SignedIn, auth::routes::password_form),
        route(POST, "/account/password", SignedIn, auth::routes::change_password),
        // Administration.
        route(GET, "/admin/accounts", ManageAccounts, auth::admin::accounts),
        route(GET, "/admin/deletion-requests", ManageAccounts, mine::deletion_routes::queue),
        route(POST, "/admin/deletion-requests/{id}/process", ManageAccounts, mine::deletion_routes::process),
        route(GET, "/admin/accounts/new", ManageAccounts, auth::admin::new_account_form),
        route(POST, "/admin/accounts", ManageAccounts, auth::admin::create_account),
        route(GET, "/admin/accounts/{id}", ManageAccounts, auth::admin::edit_account_form),
        route(POST, "/admin/accounts/{id}", ManageAccounts, auth::admin::update_account),
        route(POST, "/admin/organizations", ManageAccounts, auth::admin::create_organization),
        route(POST, "/admin/organizations/{id}/consortium", ManageAccounts, auth::admin::set_consortium),
        // People (staff), every record read logged.
        route(GET, "/staff/households", ReadPeople, people::routes::households),
        route(GET, "/staff/households/{id}", ReadPeople, people::routes::household),
        route(POST, "/staff/households/{id}/links", LinkResources, ledger::routes::save),
        route(GET, "/staff/intake", CaseWork, people::intake_routes::form),
        route(POST, "/staff/intake", CaseWork, people::intake_routes::register),
        route(POST, "/staff/households/{id}/consents", CaseWork, people::casework_routes::record_consent),
        route(POST, "/staff/consents/{id}/withdraw", CaseWork, people::casework_routes::withdraw_consent),
        route(POST, "/staff/households/{id}/referrals", CaseWork, people::casework_routes::refer),
        route(GET, "/staff/referrals", CaseWork, people::casework_routes::list),
        route(POST, "/staff/referrals/{id}/step", CaseWork, people::casework_routes::step),
        route(POST, "/staff/households/{id}/cases", CaseWork, cases::routes::open),
        route(GET, "/staff/cases", ReadPeople, cases::routes::list),
        route(GET, "/staff/dashboard", ReadPeople, cases::dashboard::show),
        route(GET, "/staff/resources", ReadPeople, sharing::resource_routes::list),
        route(POST, "/staff/resources", CaseWork, sharing::resource_routes::propose),
        route(POST, "/staff/resources/{id}/review", OverseeSharing, sharing::resource_routes::review),
        route(GET, "/staff/regions", ReadPeople, sharing::pool_routes::regions),
        route(POST, "/staff/regions", OverseeSharing, sharing::pool_routes::create_region),
        route(GET, "/staff/regions/{id}", ReadPeople, sharing::pool_routes::region),
        route(POST, "/staff/regions/{id}/items", SharePool, sharing::pool_routes::add_item),
        route(POST, "/staff/regions/{id}/gives", LinkResources, sharing::pool_routes::give),
        route(POST, "/staff/regions/{id}/campaigns", SharePool, sharing::pool_routes::create_campaign),
        route(POST, "/staff/pledges/{id}/receive", SharePool, sharing::pool_routes::receive),
        route(GET, "/sharing", Public, sharing::pool_routes::campaigns),
        route(GET, "/spaces", Public, spaces::routes::search),
        route(GET, "/spaces/{id}", Public, spaces::routes::show),
        route(GET, "/spaces/{id}/live", Public, spaces::live::live),
        route(POST, "/spaces/{id}/bookings", SignedIn, spaces::routes::book),
        route(POST, "/spaces/{id}/waits", SignedIn, spaces::routes::wait),
        route(GET, "/bookings", SignedIn, spaces::booking_routes::mine),
        route(GET, "/bookings/{id}", SignedIn, spaces::booking_routes::show_booking),
        route(POST, "/bookings/{id}/confirm", SignedIn, spaces::booking_routes::confirm),
        route(POST, "/bookings/{id}/cancel", SignedIn, spaces::booking_routes::cancel),
        route(GET, "/bookings/{id}/calendar.ics", SignedIn, spaces::booking_routes::ics),
        route(GET, "/api/v1/spaces", Public, spaces::api::search),
        route(GET, "/api/v1/spaces/{id}/availability", Public, spaces::api::availability),
        route(POST, "/api/v1/bookings", SignedIn, spaces::api::create),
        route(GET, "/api/v1/bookings", SignedIn, spaces::api::mine),
        route(POST, "/api/v1/bookings/{id}/confirm", SignedIn, spaces::api::confirm),
        route(GET, "/manage/spaces", ManageSpaces, spaces::manage_routes::page),
        route(GET, "/manage/spaces/new", ManageSpaces, spaces::edit_routes::new_form),
        route(POST, "/manage/spaces", ManageSpaces, spaces::edit_routes::create),
        route(GET, "/manage/spaces/{id}/edit", ManageSpaces, spaces::edit_routes::edit_form),
        route(POST, "/manage/spaces/{id}/edit", ManageSpaces, spaces::edit_routes::update),
        route(POST, "/manage/spaces/{id}/closed-days", ManageSpaces, spaces::edit_routes::close_day),
        route(POST, "/manage/spaces/{id}/closed-days/{day}/reopen", ManageSpaces, spaces::edit_routes::reopen_day),
        route(POST, "/manage/spaces/{id}/photos", ManageSpaces, spaces::edit_routes::add_photo),
        route(POST, "/manage/spaces/{id}/photos/{photo}/delete", ManageSpaces, spaces::edit_routes::delete_photo),
        route(GET, "/spaces/photos/{id}", Public, spaces::edit_routes::serve_photo),
        route(POST, "/manage/bookings/{id}/decision", ManageSpaces, spaces::manage_routes::decide),
        route(POST, "/manage/bookings/{id}/no-show", ManageSpaces, spaces::manage_routes::no_show),
        // Groups' boards.
        route(GET, "/groups/{id}/board", Public, hub::board_routes::show),
        upload("/groups/{id}/posts", SignedIn, hub::board_routes::create, hub::board_routes::BODY_LIMIT),
        route(GET, "/groups/{id}/posts/{item}", Public, hub::post_routes::show),
        route(POST, "/groups/{id}/posts/{item}/comments", SignedIn, hub::post_routes::comment),
        route(POST, "/groups/{id}/posts/{item}/delete", SignedIn, hub::post_routes::delete),
        route(GET, "/groups/photos/{id}", Public, hub::board_routes::photo),
        route(GET, "/groups/photos/{id}/thumb", Public, hub::board_routes::thumbnail),
        route(POST, "/leader/groups/{id}/members/{item}/role", LeadGroups, hub::board_routes::set_role),
        // Subsidy programmes (보조금 사업) and grants.
        // The hub's content, the best-practice contest and consulting (issue #10).
        route(GET, "/hub", Public, content::routes::index),
        route(GET, "/hub/{section}", Public, content::routes::section),
        route(GET, "/hub/pages/{id}", Public, content::routes::show),
        route(GET, "/hub/files/{id}", Public, content::routes::file),
        route(GET, "/official/content", PublishContent, content::edit_routes::list),
        upload("/official/content", PublishContent, content::edit_routes::create, content::edit_routes::BODY_LIMIT),
        route(GET, "/official/content/{id}", PublishContent, content::edit_routes::edit),
        upload(
            "/official/content/{id}",
            PublishContent,
            content::edit_routes::update,
            content::edit_routes::BODY_LIMIT,
        ),
        route(POST, "/official/content/{id}/delete", PublishContent, content::edit_routes::delete),
        route(POST, "/official/content/{id}/files/{item}/delete", PublishContent, content::edit_routes::delete_file),
        route(GET, "/contests", Public, hub::contest_routes::list),
        route(GET, "/contests/{id}", Public, hub::contest_routes::show),
        route(POST, "/contests/{id}/entries", LeadGroups, hub::contest_routes::enter),
        route(POST, "/contests/{id}/entries/{item}/reviews", RunSubsidies, hub::contest_official::review),
        route(POST, "/contests/{id}/publish", RunSubsidies, hub::contest_official::publish),
        route(GET, "/official/contests", RunSubsidies, hub::contest_official::list),
        route(POST, "/official/contests", RunSubsidies, hub::contest_official::create),
        route(GET, "/consulting", LeadGroups, subsidies::consulting::page),
        route(POST, "/consulting", LeadGroups, subsidies::consulting::ask),
        route(GET, "/official/consulting", RunSubsidies, subsidies::consulting::official),
        route(POST, "/official/consulting/{id}/answer", RunSubsidies, subsidies::consulting::answer),
        route(GET, "/subsidies", Public, subsidies::routes::list),
        route(GET, "/subsidies/{id}", Public, subsidies::routes::show),
        route(GET, "/subsidies/{id}/apply", LeadGroups, subsidies::routes::apply_form),
        route(POST, "/subsidies/{id}/apply", LeadGroups, subsidies::routes::apply),
        route(GET, "/grants/{id}", SignedIn, subsidies::grant_routes::show),
        route(POST, "/grants/{id}/agreement", LeadGroups, subsidies::grant_routes::agree),
        route(POST, "/grants/{id}/changes", LeadGroups, subsidies::grant_routes::propose),
        upload(
            "/grants/{id}/spending",
            LeadGroups,
            subsidies::grant_routes::spend,
            subsidies::grant_routes::BODY_LIMIT,
        ),
        route(GET, "/grants/{id}/receipts/{item}", SignedIn, subsidies::grant_routes::receipt),
        route(POST, "/grants/{id}/reviews", RunSubsidies, subsidies::official_routes::review),
        route(POST, "/grants/{id}/decision", RunSubsidies, subsidies::official_routes::decide),
        route(POST, "/grants/{id}/changes/{item}/decision", RunSubsidies, subsidies::official_routes::decide_change),
        route(POST, "/grants/{id}/disbursements", RunSubsidies, subsidies::official_routes::disburse),
        route(GET, "/official/subsidies", RunSubsidies, subsidies::official_routes::list),
        route(POST, "/official/subsidies", RunSubsidies, subsidies::official_routes::create),
        route(GET, "/official/subsidies/{id}/report.csv", RunSubsidies, subsidies::report::programme_csv),
        route(GET, "/official/subsidies/{id}/report.xlsx", RunSubsidies, subsidies::report::programme_xlsx),
        route(GET, "/official/subsidies/groups/{id}/report.csv", RunSubsidies, subsidies::report::group_csv),
        route(GET, "/official/subsidies/groups/{id}/report.xlsx", RunSubsidies, subsidies::report::group_xlsx),
        route(GET, "/leader/subsidies/report.csv", LeadGroups, subsidies::report::own_csv),
        route(GET, "/leader/subsidies/report.xlsx", LeadGroups, subsidies::report::own_xlsx),
        route(POST, "/sharing/campaigns/{id}/pledges", SignedIn, sharing::pool_routes::pledge),
        route(GET, "/staff/linkage", ReadPeople, recordlink::routes::runs),
        route(POST, "/staff/linkage", ReadPeople, recordlink::routes::upload),
        route(GET, "/staff/linkage/{id}", ReadPeople, recordlink::routes::queue),
        route(POST, "/staff/linkage/{id}/decisions", ReadPeople, recordlink::routes::decide),
        route(GET, "/staff/linkage/{id}/result.csv", ReadPeople, recordlink::routes::result),
        route(GET, "/staff/cases/{id}", ReadPeople, cases::routes::show),
        route(POST, "/staff/cases/{id}/assessments", CaseWork, cases::routes::assess),
        route(POST, "/staff/cases/{id}/plan", CaseWork, cases::routes::plan),
        route(POST, "/staff/cases/{id}/plan/{item}/done", CaseWork, cases::routes::plan_done),
        route(POST, "/staff/cases/{id}/reviews", CaseWork, cases::routes::review),
        route(POST, "/staff/cases/{id}/close", CaseWork, cases::routes::close),
        route(POST, "/staff/households/{id}/visits", CaseWork, outreach::routes::schedule),
        route(GET, "/staff/visits", CaseWork, outreach::routes::mine),
        route(GET, "/staff/visits/{id}", ReadPeople, outreach::routes::show),
        route(POST, "/staff/visits/{id}", CaseWork, outreach::routes::record),
        route(POST, "/staff/tasks/{id}/done", CaseWork, outreach::routes::task_done),
        route(GET, "/staff/at-risk", ReadPeople, outreach::routes::at_risk),
        route(GET, "/staff/residents/{id}", ReadPeople, people::routes::resident),
        // Access log (officials).
        route(GET, "/official/access-log", ViewAccessLog, audit::routes::page),
        route(GET, "/official/access-log.csv", ViewAccessLog, audit::routes::export_csv),
        // JSON API.
        route(GET, "/api/openapi.json", Public, api::docs::openapi_json),
        route(GET, "/api/docs", Public, api::docs::docs),
        route(GET, "/api/v1/areas", Public, api::v1::areas),
        // Open Referral HSDS 3.0 read API.
        route(GET, "/api/hsds", Public, directory::hsds::root),
        route(GET, "/api/hsds/services", Public, directory::hsds::services),
        route(GET, "/api/hsds/services/{id}", Public, directory::hsds::service),
        route(GET, "/api/hsds/organizations", Public, directory::hsds::organizations),
        route(GET, "/api/hsds/organizations/{id}", Public, directory::hsds::organization),
        route(GET, "/api/hsds/taxonomies", Public, directory::hsds::taxonomies),
        route(GET, "/api/hsds/taxonomies/{id}", Public, directory::hsds::taxonomy),
        route(GET, "/api/hsds/taxonomy_terms", Public, directory::hsds::taxonomy_terms),
        route(GET, "/api/hsds/taxonomy_terms/{id}", Public, directory::hsds::taxonomy_term),
        route(GET, "/api/hsds/service_at_locations", Public, directory::hsds::service_at_locations),
        route(GET, "/api/hsds/service_at_locations/{id}", Public, directory::hsds::service_at_location),
        route(GET, "/api/v1/services/search", Public, directory::search_routes::search_api),
        route(POST, "/api/v1/accounts", Public, api::v1::create_account),
        route(GET, "/api/v1/me", SignedIn, api::v1::me),
        route(GET, "/api/v1/residents/{id}", ReadPeople, people::routes::api_resident),
        route(GET, "/api/v1/access-log", ViewAccessLog, audit::routes::api_list),
    ]
}

/// The table alone, for tests and docs.
pub fn table() -> Vec<RouteSpec> {
    routes().into_iter().map(|r| r.spec).collect()
}

/// The table as JSON (`dolbom routes`): method, path and the roles let in (`null` for everyone).
pub fn table_json() -> serde_json::Value {
    let rows = table().into_iter().map(|r| {
        let roles = r.permission.roles().map(|roles| roles.iter().map(|role| role.as_str()).collect::<Vec<_>>());
        serde_json::json!({"method": r.method.as_str(), "path": r.path, "roles": roles})
    });
    serde_json::Value::Array(rows.collect())
}

/// The router: each route's handler behind its permission check.
pub fn build() -> Router<AppState> {
    routes().into_iter().fold(Router::new(), |router, r| {
        let guarded = r.handler.route_layer(from_fn_with_state(r.spec.permission, auth::require));
        router.route(r.spec.path, guarded)
    })
}
