//! Documents proving a claimed fact on both backends: the guardian uploads a PDF (sealed at rest), a wrong file is
//! refused with what to fix, nobody else can add to the application, and staff open it beside the fact to verify,
//! the opening in the access log.

use dolbom::auth::Role;
use dolbom::waitlist::store;

use crate::both;
use crate::support::TestApp;
use crate::waitlist::{HOME, centre, child_of, guardian_id, ids};

both!(a_guardian_proves_a_fact_and_staff_open_the_document_to_verify_it, |app: TestApp| async move {
    let db = &app.state.db;
    let c1 = centre(&app, "바람어린이집", 1).await;
    let me = app.account(Role::Resident, "boram@test.kr", &[]).await;
    let guardian = app.browser();
    app.login(&guardian, "boram@test.kr", crate::support::PASSWORD).await;
    let kid = child_of(&app, &me, "보람").await;
    let application =
        store::apply(db, "11350", &me, &kid, HOME, std::slice::from_ref(&c1), &ids(&["dual_income"])).await.unwrap();
    assert_eq!(guardian_id(&app, "보람").await, me);

    let csrf = crate::support::csrf_in(&app.get(&guardian, "/waitlist").await.text().await.unwrap()).unwrap();
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let upload = |client: &reqwest::Client, bytes: Vec<u8>, fact: &str, token: &str| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("재직증명서.pdf");
        let body = reqwest::multipart::Form::new().text("csrf", token.to_string()).part("document", part);
        client.post(app.url(&format!("/waitlist/{application}/documents/{fact}"))).multipart(body).send()
    };
    let text = upload(&guardian, b"just text".to_vec(), "dual_income", &csrf).await.unwrap();
    assert_eq!(text.status(), 422);
    assert!(text.text().await.unwrap().contains("PDF나 사진(JPEG, PNG, WebP) 파일만"), "what to fix");
    let huge = upload(&guardian, [b"%PDF-".to_vec(), vec![0; 1_600_000]].concat(), "dual_income", &csrf).await;
    assert!(huge.is_err() || huge.unwrap().status().is_client_error(), "too large");
    assert_eq!(upload(&guardian, pdf.clone(), "single_parent", &csrf).await.unwrap().status(), 404, "not claimed");
    assert_eq!(upload(&guardian, pdf.clone(), "dual_income", "forged").await.unwrap().status(), 403);
    assert_eq!(upload(&guardian, pdf.clone(), "dual_income", &csrf).await.unwrap().status(), 303);
    assert!(app.get(&guardian, "/waitlist").await.text().await.unwrap().contains("서류 올림"));
    let stranger = app.signed_in(Role::Resident, &[]).await;
    let theirs = crate::support::csrf_in(&app.get(&stranger, "/waitlist").await.text().await.unwrap()).unwrap();
    assert_eq!(upload(&stranger, pdf.clone(), "dual_income", &theirs).await.unwrap().status(), 404, "not theirs");

    let sealed: Vec<u8> = dolbom::db_run!(db, p => sqlx::query_scalar("SELECT sealed FROM waitlist_documents")
        .fetch_one(p).await)
    .unwrap();
    assert!(!sealed.windows(5).any(|w| w == b"%PDF-"), "sealed at rest");

    let worker = app.signed_in(Role::WelfareWorker, &["1135056000"]).await;
    let staff_page = app.get(&worker, "/staff/waitlist").await.text().await.unwrap();
    let link = staff_page.split("href=\"/staff/waitlist/documents/").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let opened = app.get(&worker, &format!("/staff/waitlist/documents/{link}")).await;
    assert_eq!(opened.headers()["content-type"], "application/pdf");
    assert_eq!(opened.headers()["cache-control"], "no-store");
    assert_eq!(opened.headers()["x-content-type-options"], "nosniff");
    assert_eq!(opened.bytes().await.unwrap().to_vec(), pdf);
    let sql = "SELECT COUNT(*) FROM access_log WHERE record_kind = 'waitlist_application' AND record_id = $1 \
               AND purpose = 'eligibility_check'";
    let logged: i64 = dolbom::db_run!(db, p => sqlx::query_scalar(sql).bind(&application).fetch_one(p).await).unwrap();
    assert!(logged >= 2, "the list and the document opened are both in the access log: {logged}");
    let verify = [("application_id", application.as_str()), ("fact", "dual_income")];
    assert_eq!(app.submit(&worker, "/staff/waitlist", "/staff/waitlist/verify", &verify).await.status(), 303);
});
