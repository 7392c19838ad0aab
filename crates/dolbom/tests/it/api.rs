use dolbom::auth::Role;

use crate::both;
use crate::support::TestApp;

both!(api_errors_are_problem_documents_in_the_asked_language, |app: TestApp| async move {
    let client = app.browser();
    let url = app.url("/api/v1/accounts");

    let malformed =
        client.post(&url).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(malformed.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = malformed.json().await.unwrap();
    assert_eq!(body["status"], 400);
    assert_eq!(body["code"], "json_syntax");

    let not_json = client.post(&url).body("email=a").send().await.unwrap();
    assert_eq!(not_json.status(), 415);

    let wrong_type =
        client.post(&url).json(&serde_json::json!({ "email": 5, "password": ["x"] })).send().await.unwrap();
    assert_eq!(wrong_type.status(), 422);
    let body: serde_json::Value = wrong_type.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "email");
    assert_eq!(body["errors"][0]["code"], "type_invalid");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("형식이 맞지 않습니다"));
    let trailing = client.post(&url).header("content-type", "application/json").body("{} {}").send().await.unwrap();
    assert_eq!(trailing.status(), 400);

    let missing = client.post(&url).json(&serde_json::json!({ "email": "bad" })).send().await.unwrap();
    assert_eq!(missing.status(), 422);
    let body: serde_json::Value = missing.json().await.unwrap();
    let errors = body["errors"].as_array().unwrap();
    let email = errors.iter().find(|e| e["field"] == "email").unwrap();
    assert_eq!(email["code"], "email_invalid");
    assert!(email["message"].as_str().unwrap().contains("이메일 형식"));
    assert!(errors.iter().any(|e| e["field"] == "password" && e["code"] == "required"));

    let english = client
        .post(&url)
        .header("accept-language", "en")
        .json(&serde_json::json!({ "email": "bad" }))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = english.json().await.unwrap();
    assert_eq!(body["title"], "Please check what you entered");

    let signup = serde_json::json!({
        "email": "api@example.kr", "display_name": "API", "password": "api password 123", "password_confirm": "api password 123"
    });
    let created = client.post(&url).json(&signup).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let taken = client.post(&url).json(&signup).send().await.unwrap();
    assert_eq!(taken.status(), 422);
    let body: serde_json::Value = taken.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "email_taken");

    let me = client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), 401);
    assert_eq!(me.headers()["content-type"], "application/problem+json");
    let unknown = client.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<serde_json::Value>().await.unwrap()["type"], "about:blank");

    let resident = app.signed_in(Role::Resident, &[]).await;
    let forbidden = resident.get(app.url("/api/v1/access-log")).send().await.unwrap();
    assert_eq!(forbidden.status(), 403);
    assert_eq!(forbidden.json::<serde_json::Value>().await.unwrap()["code"], "forbidden");
});

both!(openapi_document_and_docs_are_served, |app: TestApp| async move {
    let client = app.browser();
    let doc: serde_json::Value = client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/me", "/api/v1/accounts", "/api/v1/areas", "/api/v1/residents/{id}", "/api/v1/access-log"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    // Every /api/v1 route of the table is in the document.
    for spec in dolbom::routes::table().iter().filter(|s| s.path.starts_with("/api/v1/")) {
        let op = &doc["paths"][spec.path][spec.method.as_str().to_lowercase()];
        assert!(op.is_object(), "{} {} is missing from the OpenAPI document", spec.method, spec.path);
    }
    // Errors are documented as what the server sends: problem+json.
    let unauthorized = &doc["paths"]["/api/v1/me"]["get"]["responses"]["401"]["content"];
    assert!(unauthorized["application/problem+json"].is_object() && unauthorized["application/json"].is_null());
    let docs = app.get(&client, "/api/docs").await.text().await.unwrap();
    assert!(docs.contains("GET /api/v1/areas"));
    assert!(!docs.contains("src=\"http") && !docs.contains("href=\"http"), "nothing loads from another host");

    let areas: Vec<serde_json::Value> =
        client.get(app.url("/api/v1/areas")).send().await.unwrap().json().await.unwrap();
    assert_eq!(areas.len(), 19);
    assert!(areas.iter().any(|a| a["name"] == "상계1동" && a["adm_cd2"] == "1135063000"));
});
