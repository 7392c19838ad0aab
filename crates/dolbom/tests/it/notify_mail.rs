//! Notification e-mail on both backends, through a real SMTP client to a local SMTP sink: written in the
//! language the resident chose, retried later when the server is down, and not sent once they turn e-mail off.

use dolbom::auth::Role;
use dolbom::notify::{self, Delivery, Mailer};
use mail_parser::MessageParser;
use serde_json::json;

use crate::both;
use crate::smtp_sink::{SmtpSink, closed_port};
use crate::support::{PASSWORD, TestApp};

const PUBLIC_URL: &str = "https://dolbom.nowon.test";
const FROM: &str = "노원 돌봄 <dolbom@nowon.test>";

async fn outbox_of(app: &TestApp, user: &str) -> Vec<(i32, i64, Option<String>, Option<i64>)> {
    let sql =
        "SELECT attempts, next_attempt_at, last_error, sent_at FROM outbox WHERE user_id = $1 ORDER BY created_at";
    dolbom::db_run!(&app.state.db, p => sqlx::query_as(sql).bind(user).fetch_all(p).await).unwrap()
}

async fn offer(app: &TestApp, user: &str) {
    let args = json!({ "centre": "상계1동 다함께돌봄센터", "deadline": "12월 3일" });
    notify::send(&app.state.db, &[user.to_string()], "notify-waitlist-offer", &args, "/waitlist").await.unwrap();
}

both!(email_is_written_in_the_chosen_language_and_retried_until_it_goes, |app: TestApp| async move {
    let db = &app.state.db;
    let me = app.account(Role::Resident, "hoa@test.kr", &[]).await;
    let client = app.browser();
    app.login(&client, "hoa@test.kr", PASSWORD).await;
    let page = app.get(&client, "/notifications/settings").await.text().await.unwrap();
    assert!(
        page.contains("hoa@test.kr")
            && page.contains("name=\"email\" value=\"on\" aria-describedby=\"email-hint\" checked")
    );
    let saved = app
        .submit(&client, "/notifications/settings", "/notifications/settings", &[("email", "on"), ("locale", "vi")])
        .await;
    assert_eq!(saved.status(), 303);
    offer(&app, &me).await;

    // The mail server is down: the attempt is recorded and the message waits a minute before the next.
    let down = Mailer::smtp(&format!("smtp://127.0.0.1:{}", closed_port().await), FROM).unwrap();
    let first = notify::deliver_outbox(db, &down, PUBLIC_URL, 100).await.unwrap();
    assert_eq!(first, Delivery { sent: 0, failed: 1, dropped: 0 });
    let rows = outbox_of(&app, &me).await;
    let (attempts, next_at, error, sent_at) = rows[0].clone();
    assert_eq!((attempts, sent_at), (1, None));
    assert!(next_at > dolbom::db::time::now_millis() + 50_000, "retried no sooner than a minute later");
    assert!(error.is_some_and(|e| !e.is_empty()));

    // The server is back, but the wait is not over: nothing is sent twice in a hurry.
    let sink = SmtpSink::start().await;
    let up = Mailer::smtp(&sink.url(), FROM).unwrap();
    assert_eq!(notify::deliver_outbox(db, &up, PUBLIC_URL, 100).await.unwrap(), Delivery::default());
    // A minute on (as the tick would find it), it goes, once.
    let due_now = "UPDATE outbox SET next_attempt_at = 0 WHERE user_id = $1";
    dolbom::db_run!(db, p => sqlx::query(due_now).bind(&me).execute(p).await.map(|_| ())).unwrap();
    assert_eq!(notify::deliver_outbox(db, &up, PUBLIC_URL, 100).await.unwrap().sent, 1);
    assert_eq!(notify::deliver_outbox(db, &up, PUBLIC_URL, 100).await.unwrap(), Delivery::default());
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let mail = MessageParser::default().parse(&messages[0]).expect("a MIME message");
    assert_eq!(mail.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("hoa@test.kr"));
    assert_eq!(mail.from().and_then(|a| a.first()).and_then(|a| a.name()), Some("노원 돌봄"));
    let subject = mail.subject().unwrap();
    assert_eq!(subject, "[dolbom] Có chỗ trống tại 상계1동 다함께돌봄센터. Hãy trả lời trước 12월 3일.");
    let body = mail.body_text(0).unwrap();
    assert!(body.contains("Xem chi tiết: https://dolbom.nowon.test/waitlist"), "{body}");
    assert!(body.contains("https://dolbom.nowon.test/notifications/settings"), "{body}");
    assert!(!body.contains('\u{2068}'), "no isolation marks in plain text");
    let row = outbox_of(&app, &me).await.remove(0);
    assert_eq!(row.0, 2);
    assert!(row.3.is_some());

    // E-mail off: the next message is only in the inbox.
    let off = app.submit(&client, "/notifications/settings", "/notifications/settings", &[("locale", "vi")]).await;
    assert_eq!(off.status(), 303);
    offer(&app, &me).await;
    assert_eq!(outbox_of(&app, &me).await.len(), 1, "no new e-mail");
    assert_eq!(notify::latest(db, &me, 10).await.unwrap().len(), 2);
    let page = app.get(&client, "/notifications/settings?saved=true").await.text().await.unwrap();
    assert!(page.contains("Đã lưu.") && !page.contains("aria-describedby=\"email-hint\" checked"));
});

both!(a_bad_language_is_refused_and_the_saved_choice_kept, |app: TestApp| async move {
    let me = app.account(Role::Resident, "lan@test.kr", &[]).await;
    let client = app.browser();
    app.login(&client, "lan@test.kr", PASSWORD).await;
    let bad = app.submit(&client, "/notifications/settings", "/notifications/settings", &[("locale", "xx")]).await;
    assert_eq!(bad.status(), 422);
    let page = bad.text().await.unwrap();
    assert!(page.contains("id=\"locale-error\"") && page.contains("aria-invalid=\"true\""), "error tied to the field");
    assert!(!page.contains("aria-describedby=\"email-hint\" checked"), "what was typed is shown again");
    assert_eq!(notify::store::prefs(&app.state.db, &me).await.unwrap(), notify::store::Prefs { email: true });
    // An account that is closed before its e-mail goes: the message is dropped, not retried for ever.
    offer(&app, &me).await;
    let close = "UPDATE users SET active = FALSE WHERE id = $1";
    dolbom::db_run!(&app.state.db, p => sqlx::query(close).bind(&me).execute(p).await.map(|_| ())).unwrap();
    let sink = SmtpSink::start().await;
    let mailer = Mailer::smtp(&sink.url(), FROM).unwrap();
    let done = notify::deliver_outbox(&app.state.db, &mailer, PUBLIC_URL, 100).await.unwrap();
    assert_eq!(done, Delivery { sent: 0, failed: 0, dropped: 1 });
    assert!(sink.messages().is_empty() && outbox_of(&app, &me).await.is_empty());
});
