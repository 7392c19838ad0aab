//! The OpenAPI document and its browsable, server-rendered docs (no CDN, no JavaScript).

use askama::Template;
use axum::Json;
use axum::response::Response;
use serde_json::Value;
use utoipa::OpenApi;

use crate::auth::Visitor;
use crate::error::AppResult;
use crate::web::{Page, render};

#[derive(OpenApi)]
#[openapi(
    info(title = "dolbom API", description = "돌봄: the care and welfare platform of a Korean 시·군·구. Errors are RFC 9457 problem+json; text follows Accept-Language (ko, en, vi, zh)."),
    paths(
        super::v1::me,
        super::v1::create_account,
        super::v1::areas,
        crate::directory::search_routes::search_api,
        crate::places::api::search,
        crate::places::api::events,
        crate::people::routes::api_resident,
        crate::audit::routes::api_list,
        crate::spaces::api::search,
        crate::spaces::api::availability,
        crate::spaces::api::create,
        crate::spaces::api::mine,
        crate::spaces::api::confirm,
    ),
    tags((name = "accounts"), (name = "areas"), (name = "directory"), (name = "places"), (name = "people"), (name = "audit"), (name = "spaces"))
)]
pub struct ApiDoc;

pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    errors_as_problems(&mut doc);
    doc
}

/// Every error answer is `application/problem+json` (`api::problem`), whatever the annotation's default said, and
/// every operation may answer 400, so clients and schema checkers (schemathesis in CI) read what the server sends.
fn errors_as_problems(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for operation in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut()) {
        let takes_body = operation.get("requestBody").is_some();
        let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { continue };
        let problem = |description: &str| {
            let schema = serde_json::json!({"schema": {"$ref": "#/components/schemas/Problem"}});
            serde_json::json!({"description": description, "content": {"application/json": schema}})
        };
        // Any request can arrive unreadable (a repeated or mangled query parameter, a broken body), and a body
        // that is not JSON is refused as such.
        responses.entry("400").or_insert_with(|| problem("The request cannot be read: a malformed query or body"));
        if takes_body {
            responses.entry("415").or_insert_with(|| problem("The body is not JSON"));
        }
        for (status, response) in responses.iter_mut() {
            if !status.starts_with(['4', '5']) {
                continue;
            }
            let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else { continue };
            if let Some(body) = content.remove("application/json") {
                content.insert("application/problem+json".into(), body);
            }
        }
    }
}

pub async fn openapi_json() -> Json<Value> {
    Json(document())
}

pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub parameters: Vec<(String, String, bool, String)>,
    pub request: Option<String>,
    pub responses: Vec<(String, String)>,
}

/// Flattens the document into what the docs page lists, in document order.
fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(methods) = item.as_object() else {
            continue;
        };
        for (method, op) in methods {
            let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
            let parameters = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
                            (text(p.get("name")), text(p.get("in")), required, text(p.get("description")))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let request = op
                .pointer("/requestBody/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .map(|r| r.rsplit('/').next().unwrap_or(r).to_string());
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|rs| rs.iter().map(|(code, r)| (code.clone(), text(r.get("description")))).collect())
                .unwrap_or_default();
            let summary = text(op.get("summary").or_else(|| op.get("description")));
            out.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary,
                parameters,
                request,
                responses,
            });
        }
    }
    out
}

#[derive(Template)]
#[template(path = "api/docs.html")]
struct DocsPage {
    page: Page,
    operations: Vec<Operation>,
    schemas: Vec<(String, String)>,
}

pub async fn docs(visitor: Visitor) -> AppResult<Response> {
    let doc = document();
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.iter()
                .map(|(name, schema)| (name.clone(), serde_json::to_string_pretty(schema).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    render(&DocsPage { page: Page::new(&visitor, "api-docs-title"), operations: operations(&doc), schemas })
}
