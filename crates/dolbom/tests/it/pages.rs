use crate::both;
use crate::support::TestApp;

both!(health_and_readiness, |app: TestApp| async move {
    let client = app.browser();
    let health = app.get(&client, "/healthz").await;
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-request-id"), "every response carries a request id");
    let ready = app.get(&client, "/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["status"], "ready");

    // With the database gone, readiness fails and pages that need it answer with the friendly 500, not a panic.
    let signed_in = app.signed_in(dolbom::auth::Role::Resident, &[]).await;
    app.state.db.close().await;
    let down = app.get(&client, "/readyz").await;
    assert_eq!(down.status(), 503);
    let account = app.get(&signed_in, "/account").await;
    assert_eq!(account.status(), 500);
    assert!(account.text().await.unwrap().contains("이미 저장된 정보는 그대로 있습니다"));
    let health = app.get(&client, "/healthz").await;
    assert_eq!(health.status(), 200, "the process itself is still up");
});

both!(readiness_needs_every_migration_applied, |app: TestApp| async move {
    let client = app.browser();
    assert_eq!(app.get(&client, "/readyz").await.status(), 200);
    let pending = "UPDATE _sqlx_migrations SET success = FALSE";
    dolbom::db_run!(&app.state.db, p => sqlx::query(pending).execute(p).await.map(|_| ())).unwrap();
    assert_eq!(app.get(&client, "/readyz").await.status(), 503);
});

/// SQLite only: the journal mode and foreign keys are connection settings of the SQLite pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    crate::support::run(crate::support::Backend::Sqlite, |app: TestApp| async move {
        let dolbom::db::Db::Sqlite(pool, _) = &app.state.db else { panic!("the SQLite run got another backend") };
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(pool).await.unwrap();
        assert_eq!(mode, "wal");
        let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(pool).await.unwrap();
        assert_eq!(fk, 1);
    })
    .await;
}

both!(home_page_is_korean_by_default_and_switches_language, |app: TestApp| async move {
    let client = app.browser();
    let home = app.get(&client, "/").await;
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("<html lang=\"ko\">"));
    assert!(html.contains("본문 바로가기"), "skip link");
    assert!(html.contains("서울특별시 노원구"), "site identity names the municipality");

    let switch = app.get(&client, "/lang/en?next=/signup").await;
    assert_eq!(switch.status(), 303);
    assert_eq!(switch.headers()["location"], "/signup");
    let english = app.get(&client, "/signup").await.text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">"));
    assert!(english.contains("Create account"));

    let vietnamese = app.get(&client, "/lang/vi?next=/").await;
    assert_eq!(vietnamese.status(), 303);
    assert!(app.get(&client, "/").await.text().await.unwrap().contains("<html lang=\"vi\">"));

    // An open redirect through `next` is refused.
    let evil = app.get(&client, "/lang/ko?next=//evil.example").await;
    assert_eq!(evil.headers()["location"], "/");
    // Unknown languages are not a language.
    assert_eq!(app.get(&client, "/lang/xx").await.status(), 404);
});

both!(accept_language_picks_the_language_when_no_choice_was_made, |app: TestApp| async move {
    let client = app.browser();
    let html = client
        .get(app.url("/login"))
        .header("accept-language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"zh\">"));
});

both!(unknown_routes_get_the_friendly_404, |app: TestApp| async move {
    let client = app.browser();
    let page = app.get(&client, "/no/such/page").await;
    assert_eq!(page.status(), 404);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("페이지를 찾을 수 없습니다"));
    assert!(html.contains("본문 바로가기"), "the 404 page has the full layout");

    let wrong_method = client.delete(app.url("/login")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert!(wrong_method.text().await.unwrap().contains("허용되지 않는"));

    assert_eq!(app.get(&client, "/static/nope.css").await.status(), 404);
    let css = app.get(&client, "/static/app.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
});

both!(pages_go_compressed_and_event_streams_do_not, |app: TestApp| async move {
    let client = app.browser();
    let fetch = |encoding: &'static str, path: &'static str| {
        let request = client.get(app.url(path)).header("accept-encoding", encoding);
        async move { request.send().await.unwrap() }
    };
    let plain = fetch("identity", "/welfare/manual").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap().len();
    for encoding in ["br", "gzip"] {
        let packed = fetch(encoding, "/welfare/manual").await;
        assert_eq!(packed.headers()["content-encoding"], encoding);
        let packed = packed.bytes().await.unwrap().len();
        assert!(packed * 2 < plain, "{encoding}: {packed} bytes of {plain}");
    }
    let css = fetch("br, gzip", "/static/app.css").await;
    assert_eq!(css.headers()["content-encoding"], "br", "brotli first when both are offered");
    let events = fetch("br, gzip", "/api/v1/places/events").await;
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    assert!(events.headers().get("content-encoding").is_none(), "an event stream is sent as it comes");
});

both!(hard_words_are_explained_where_residents_meet_them, |app: TestApp| async move {
    let client = app.browser();
    let words = app.get(&client, "/words").await.text().await.unwrap();
    assert!(words.contains("id=\"median-income\">기준 중위소득</dt>") && words.contains("한가운데 가구의 소득"));
    for id in dolbom::web::words::WORDS {
        assert!(words.contains(&format!("<dt id=\"{id}\">")), "{id} on the page");
    }
    let check = app.get(&client, "/welfare/check").await.text().await.unwrap();
    assert!(check.contains("href=\"/words#recognised-income\""), "the form links the word it uses");
    assert!(check.contains("href=\"/words\""), "and every page links the list");
    let vi = app.browser();
    app.get(&vi, "/lang/vi?next=/").await;
    let words = app.get(&vi, "/words").await.text().await.unwrap();
    assert!(words.contains("Thu nhập trung vị chuẩn"), "in the reader's language");
});
