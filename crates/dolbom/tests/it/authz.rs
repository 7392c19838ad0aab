//! The route × role walk: every route of the table, for every role and for a signed-out visitor, is allowed
//! exactly when its declared permission says so. A new route is covered the moment it is added to the table.

use dolbom::auth::Role;
use dolbom::routes::{RouteSpec, table};
use reqwest::{Client, Method};

use crate::both;
use crate::support::{TestApp, csrf_in};

const NIL_ID: &str = "00000000-0000-0000-0000-000000000000";

fn concrete(path: &str) -> String {
    path.replace("{id}", NIL_ID)
        .replace("{item}", NIL_ID)
        .replace("{name}", "app.css")
        .replace("{code}", "en")
        .replace("{photo}", NIL_ID)
        .replace("{day}", "2030-01-01")
}

async fn visit(app: &TestApp, client: &Client, csrf: &str, spec: &RouteSpec) -> reqwest::Response {
    let url = app.url(&concrete(spec.path));
    let request = if spec.method == Method::POST {
        client.post(url).form(&[("csrf", csrf)])
    } else {
        client.request(spec.method.clone(), url)
    };
    request.send().await.expect("request")
}

/// Who may use each route, written out here by hand and independently of the route table, so that a route given
/// the wrong permission in the table fails this test. A route missing here fails it too: add every new route.
/// `None` means everyone, signed in or not.
fn expected(method: &Method, path: &str) -> Option<&'static [Role]> {
    use Role::*;
    const STAFF_READING_PEOPLE: &[Role] = &[WelfareWorker, Official];
    match (method.as_str(), path) {
        (
            "GET",
            "/" | "/healthz" | "/readyz" | "/static/{name}" | "/lang/{code}" | "/signup" | "/login"
            | "/api/openapi.json" | "/api/docs" | "/api/v1/areas",
        ) => None,
        ("POST", "/signup" | "/login" | "/api/v1/accounts" | "/welfare/check") => None,
        ("GET", p) if p.starts_with("/api/hsds") => None,
        (
            "GET",
            "/welfare/check"
            | "/welfare"
            | "/welfare/services/{id}"
            | "/welfare/manual"
            | "/api/v1/services/search"
            | "/words",
        ) => None,
        ("GET", "/staff/search-misses" | "/staff/services" | "/staff/services/new" | "/staff/services/{id}")
        | ("POST", "/staff/services" | "/staff/services/{id}" | "/staff/search-synonyms") => {
            Some(&[WelfareWorker, Official, Admin])
        }
        (
            "GET",
            "/places"
            | "/places/facilities/{id}"
            | "/places/groups/{id}"
            | "/places/photos/{id}"
            | "/care"
            | "/api/v1/places"
            | "/api/v1/places/events",
        ) => None,
        ("POST", "/places/groups/{id}/join") => Some(&Role::ALL),
        ("GET", "/care/apply" | "/care/applications")
        | ("POST", "/care/applications" | "/care/applications/{id}/cancel" | "/care/applications/{id}/survey") => {
            Some(&[Resident])
        }
        ("GET", "/care/applications/{id}") | ("POST", "/care/applications/{id}/incident") => Some(&Role::ALL),
        (
            "POST",
            "/care/applications/{id}/accept"
            | "/care/applications/{id}/decline"
            | "/care/applications/{id}/check-in"
            | "/care/applications/{id}/check-out"
            | "/care/applications/{id}/no-show"
            | "/care/work/places",
        )
        | ("GET", "/care/work") => Some(&[ProviderStaff, Caregiver]),
        ("GET" | "POST", "/care/work/profile") => Some(&[Caregiver]),
        ("GET", "/care/monitoring" | "/official/waitlist" | "/official/waitlist.csv" | "/official/waitlist/rules")
        | ("POST", "/official/waitlist/rules") => Some(&[Official]),
        ("GET" | "POST", "/notifications/settings") | ("GET", "/notifications") | ("POST", "/notifications/read") => {
            Some(&Role::ALL)
        }
        ("GET", "/waitlist" | "/my" | "/my/data.json" | "/my/checks/{id}")
        | (
            "POST",
            "/my/deletion"
            | "/my/checks/{id}/delete"
            | "/waitlist"
            | "/waitlist/{id}/withdraw"
            | "/waitlist/{id}/documents/{fact}"
            | "/waitlist/offers/{id}/accept"
            | "/waitlist/offers/{id}/decline",
        ) => Some(&[Resident]),
        (
            "GET",
            "/staff/waitlist"
            | "/staff/waitlist/rounds/{id}"
            | "/staff/waitlist/rounds/{id}/input.json"
            | "/staff/waitlist/documents/{id}",
        )
        | ("POST", "/staff/waitlist/verify" | "/staff/waitlist/rounds" | "/staff/waitlist/rounds/{id}/run") => {
            Some(&[WelfareWorker, Official])
        }
        ("GET", "/children" | "/children/new" | "/children/{id}") | ("POST", "/children") => Some(&[Resident]),
        ("GET", "/provider/facilities" | "/provider/facilities/{id}" | "/provider/waitlist")
        | (
            "POST",
            "/provider/facilities/{id}"
            | "/provider/facilities/{id}/photos"
            | "/provider/facilities/{id}/enrolled"
            | "/provider/waitlist/{id}/enrol",
        ) => Some(&[ProviderStaff, Official, Admin]),
        ("GET", "/leader/groups") | ("POST", "/leader/groups/{id}/requests/{request}") => Some(&[GroupLeader]),
        ("GET", "/account" | "/account/password" | "/api/v1/me")
        | ("POST", "/logout" | "/account/password" | "/account/language") => Some(&Role::ALL),
        (
            "GET",
            "/staff/households"
            | "/staff/households/{id}"
            | "/staff/residents/{id}"
            | "/api/v1/residents/{id}"
            | "/staff/cases"
            | "/staff/dashboard"
            | "/staff/linkage"
            | "/staff/resources"
            | "/staff/regions"
            | "/staff/regions/{id}"
            | "/staff/linkage/{id}"
            | "/staff/linkage/{id}/result.csv"
            | "/staff/cases/{id}"
            | "/staff/visits/{id}"
            | "/staff/at-risk",
        ) => Some(STAFF_READING_PEOPLE),
        ("GET", "/staff/referrals" | "/staff/visits" | "/staff/intake") => Some(&[WelfareWorker]),
        ("POST", "/staff/linkage" | "/staff/linkage/{id}/decisions") => Some(STAFF_READING_PEOPLE),
        ("POST", "/staff/resources/{id}/review" | "/staff/regions") => Some(&[Official]),
        ("POST", "/staff/regions/{id}/items" | "/staff/regions/{id}/campaigns" | "/staff/pledges/{id}/receive") => {
            Some(STAFF_READING_PEOPLE)
        }
        (
            "GET",
            "/sharing"
            | "/spaces"
            | "/spaces/{id}"
            | "/spaces/{id}/live"
            | "/spaces/photos/{id}"
            | "/api/v1/spaces"
            | "/api/v1/spaces/{id}/availability",
        ) => None,
        ("GET", "/api/v1/bookings") | ("POST", "/api/v1/bookings" | "/api/v1/bookings/{id}/confirm") => {
            Some(&Role::ALL)
        }
        ("GET", "/manage/spaces") | ("POST", "/manage/bookings/{id}/decision" | "/manage/bookings/{id}/no-show") => {
            Some(&[ProviderStaff, Official])
        }
        ("GET", "/manage/spaces/new" | "/manage/spaces/{id}/edit")
        | (
            "POST",
            "/manage/spaces"
            | "/manage/spaces/{id}/edit"
            | "/manage/spaces/{id}/closed-days"
            | "/manage/spaces/{id}/closed-days/{day}/reopen"
            | "/manage/spaces/{id}/photos"
            | "/manage/spaces/{id}/photos/{photo}/delete",
        ) => Some(&[ProviderStaff, Official]),
        ("GET", "/bookings" | "/bookings/{id}" | "/bookings/{id}/calendar.ics") => Some(&Role::ALL),
        (
            "POST",
            "/spaces/{id}/bookings" | "/spaces/{id}/waits" | "/bookings/{id}/confirm" | "/bookings/{id}/cancel",
        ) => Some(&Role::ALL),
        ("POST", "/sharing/campaigns/{id}/pledges") => Some(&Role::ALL),
        ("GET", "/subsidies" | "/subsidies/{id}") => None,
        ("GET", "/hub" | "/hub/{section}" | "/hub/pages/{id}" | "/hub/files/{id}" | "/contests" | "/contests/{id}") => {
            None
        }
        ("GET", "/official/content" | "/official/content/{id}")
        | (
            "POST",
            "/official/content"
            | "/official/content/{id}"
            | "/official/content/{id}/delete"
            | "/official/content/{id}/files/{item}/delete",
        ) => Some(&[Official]),
        ("POST", "/contests/{id}/entries" | "/consulting") | ("GET", "/consulting") => Some(&[GroupLeader]),
        ("GET", "/official/contests" | "/official/consulting")
        | (
            "POST",
            "/official/contests"
            | "/contests/{id}/entries/{item}/reviews"
            | "/contests/{id}/publish"
            | "/official/consulting/{id}/answer",
        ) => Some(&[Official]),
        (
            "GET",
            "/groups/{id}/board" | "/groups/{id}/posts/{item}" | "/groups/photos/{id}" | "/groups/photos/{id}/thumb",
        ) => None,
        ("POST", "/groups/{id}/posts" | "/groups/{id}/posts/{item}/comments" | "/groups/{id}/posts/{item}/delete") => {
            Some(&Role::ALL)
        }
        ("POST", "/leader/groups/{id}/members/{item}/role") => Some(&[GroupLeader]),
        ("GET", "/subsidies/{id}/apply")
        | (
            "POST",
            "/subsidies/{id}/apply" | "/grants/{id}/agreement" | "/grants/{id}/changes" | "/grants/{id}/spending",
        ) => Some(&[GroupLeader]),
        ("GET", "/grants/{id}" | "/grants/{id}/receipts/{item}") => Some(&Role::ALL),
        ("GET", "/leader/subsidies/report.csv" | "/leader/subsidies/report.xlsx") => Some(&[GroupLeader]),
        (
            "GET",
            "/official/subsidies"
            | "/official/subsidies/{id}/report.csv"
            | "/official/subsidies/{id}/report.xlsx"
            | "/official/subsidies/groups/{id}/report.csv"
            | "/official/subsidies/groups/{id}/report.xlsx",
        )
        | (
            "POST",
            "/official/subsidies"
            | "/grants/{id}/reviews"
            | "/grants/{id}/decision"
            | "/grants/{id}/changes/{item}/decision"
            | "/grants/{id}/disbursements",
        ) => Some(&[Official]),
        (
            "POST",
            "/staff/households/{id}/links"
            | "/staff/intake"
            | "/staff/households/{id}/consents"
            | "/staff/consents/{id}/withdraw"
            | "/staff/households/{id}/referrals"
            | "/staff/referrals/{id}/step"
            | "/staff/households/{id}/cases"
            | "/staff/cases/{id}/assessments"
            | "/staff/cases/{id}/plan"
            | "/staff/cases/{id}/plan/{item}/done"
            | "/staff/cases/{id}/reviews"
            | "/staff/cases/{id}/close"
            | "/staff/households/{id}/visits"
            | "/staff/visits/{id}"
            | "/staff/tasks/{id}/done"
            | "/staff/resources"
            | "/staff/regions/{id}/gives",
        ) => Some(&[WelfareWorker]),
        ("GET", "/official/access-log" | "/official/access-log.csv" | "/api/v1/access-log") => Some(&[Official]),
        ("GET", "/admin/accounts" | "/admin/accounts/new" | "/admin/accounts/{id}" | "/admin/deletion-requests")
        | (
            "POST",
            "/admin/accounts"
            | "/admin/accounts/{id}"
            | "/admin/deletion-requests/{id}/process"
            | "/admin/organizations"
            | "/admin/organizations/{id}/consortium",
        ) => Some(&[Admin]),
        _ => panic!("{method} {path} has no expected roles in tests/it/authz.rs: add it"),
    }
}

fn may(method: &Method, path: &str, role: Option<Role>) -> bool {
    match (expected(method, path), role) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(roles), Some(role)) => roles.contains(&role),
    }
}

fn is_denied(spec: &RouteSpec, response: &reqwest::Response, signed_in: bool) -> bool {
    let status = response.status().as_u16();
    let to_login = status == 303
        && response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login?next="));
    if signed_in {
        status == 403
    } else if spec.path.starts_with("/api/") {
        status == 401
    } else {
        to_login
    }
}

both!(every_route_for_every_role, |app: TestApp| async move {
    let mut specs = table();
    assert!(specs.len() >= 30, "the table lists every route");
    // Log-out ends the session; walk it last.
    specs.sort_by_key(|s| s.path == "/logout");

    let mut visitors: Vec<(Option<Role>, Client)> = vec![(None, app.browser())];
    for role in Role::ALL {
        visitors.push((Some(role), app.signed_in(role, &["1135063000"]).await));
    }
    let mut checked = 0;
    for (role, client) in &visitors {
        let csrf = csrf_in(&app.get(client, "/login").await.text().await.unwrap()).unwrap();
        for spec in &specs {
            let response = visit(&app, client, &csrf, spec).await;
            let status = response.status().as_u16();
            let allowed = may(&spec.method, spec.path, *role);
            let denied = is_denied(spec, &response, role.is_some());
            assert_eq!(
                !denied, allowed,
                "{} {} as {:?}: the table declares {:?}, got {status}",
                spec.method, spec.path, role, spec.permission
            );
            assert!(status < 500, "{} {} as {:?} failed with {status}", spec.method, spec.path, role);
            checked += 1;
        }
    }
    assert_eq!(checked, specs.len() * (Role::ALL.len() + 1));
});

#[test]
fn every_route_is_declared_once() {
    let specs = table();
    let mut keys: Vec<String> = specs.iter().map(|s| format!("{} {}", s.method, s.path)).collect();
    keys.sort();
    let before = keys.len();
    keys.dedup();
    assert_eq!(before, keys.len(), "a method and path appear twice in the route table");
}

both!(every_form_post_needs_the_csrf_token, |app: TestApp| async move {
    let admin = app.signed_in(Role::Admin, &[]).await;
    for spec in table().iter().filter(|s| s.method == Method::POST && !s.path.starts_with("/api/")) {
        let response = admin.post(app.url(&concrete(spec.path))).form(&[("email", "a@b.kr")]).send().await.unwrap();
        assert_eq!(response.status(), 403, "POST {} without a token", spec.path);
    }
    assert_eq!(app.get(&admin, "/account").await.status(), 200, "and the session survived all of it");
});

both!(garbage_input_never_breaks_a_route, |app: TestApp| async move {
    let visitors = [app.browser(), app.signed_in(Role::Admin, &[]).await, app.signed_in(Role::Official, &[]).await];
    let oversize = vec![b'a'; 3 * 1024 * 1024];
    for client in &visitors {
        assert_eq!(app.get(client, "/healthz").await.status(), 200);
        let csrf = csrf_in(&app.get(client, "/login").await.text().await.unwrap()).unwrap();
        let bodies: Vec<(&str, Vec<u8>)> = vec![
            (
                "application/x-www-form-urlencoded",
                format!("csrf={csrf}&email=%zz&password=%ff%fe&areas=%").into_bytes(),
            ),
            (
                "application/x-www-form-urlencoded",
                [b"csrf=".as_slice(), csrf.as_bytes(), b"&name=\xff\xfe\x00"].concat(),
            ),
            ("application/json", b"{\"email\": [1, 2, {\"a\": null}], \"password\": 12}".to_vec()),
            ("application/json", b"\xff\xfe".to_vec()),
            ("text/plain", b"hello".to_vec()),
            ("application/x-www-form-urlencoded", oversize.clone()),
        ];
        let mut specs = table();
        specs.sort_by_key(|s| s.path == "/logout");
        for spec in specs {
            let path = concrete(spec.path);
            for query in ["", "?from=%zz&to=2026-02-30&purpose=%00&q=%ff&area=x&next=//evil&role=king"] {
                let url = app.url(&format!("{path}{query}"));
                if spec.method == Method::GET {
                    let status = client.get(&url).send().await.unwrap().status();
                    assert!(status.as_u16() < 500, "GET {url} gave {status}");
                    continue;
                }
                for (content_type, body) in &bodies {
                    match client.post(&url).header("content-type", *content_type).body(body.clone()).send().await {
                        Ok(r) => assert!(r.status().as_u16() < 500, "POST {url} ({content_type}) gave {}", r.status()),
                        // The server may answer (413, 403, 303) and close before an oversize body is sent.
                        Err(e) => assert!(body.len() > 2 * 1024 * 1024 && e.is_request(), "POST {url}: {e}"),
                    }
                }
            }
        }
    }
    assert_eq!(app.get(&visitors[0], "/readyz").await.status(), 200, "still serving after all of it");
});
