//! Guardians register their children, on both backends.

use dolbom::auth::Role;

use crate::both;
use crate::support::TestApp;

both!(guardians_register_children_and_only_they_read_them, |app: TestApp| async move {
    let guardian = app.signed_in(Role::Resident, &[]).await;
    let fields = [
        ("name", "김하늘"),
        ("birth_date", "2018-05-04"),
        ("sex", "F"),
        ("school", "노원초등학교"),
        ("allergies", "땅콩"),
        ("rrn", "180504-4123452"),
        ("contact_name", "김엄마"),
        ("contact_relation", "어머니"),
        ("contact_phone", "010-1234-5678"),
        ("consent", "data"),
        ("consent", "emergency_care"),
    ];
    let saved = app.submit(&guardian, "/children/new", "/children", &fields).await;
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().unwrap().to_string();
    let page = app.get(&guardian, &location).await.text().await.unwrap();
    assert!(page.contains("김하늘") && page.contains("땅콩") && page.contains("180504-4******"));
    assert!(!page.contains("4123456"), "the number is shown masked");
    let list = app.get(&guardian, "/children").await.text().await.unwrap();
    assert!(list.contains("김하늘"));

    // Nothing of the number is stored in plaintext.
    let (hash, sealed): (Option<String>, Option<String>) = dolbom::db_run!(&app.state.db, p =>
        sqlx::query_as("SELECT rrn_hmac, rrn_sealed FROM children").fetch_one(p).await)
    .unwrap();
    for stored in [hash.unwrap(), sealed.unwrap()] {
        assert!(!stored.contains("1805044123452") && !stored.contains("4123452"));
    }

    // The same child twice: refused, and said why.
    let again = app.submit(&guardian, "/children/new", "/children", &fields).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("이미 등록된 아이"));

    // Impossible answers: every field named, what was typed kept (the number is never echoed back).
    let bad = [("name", "박별"), ("birth_date", "2031-01-01"), ("sex", "M"), ("rrn", "310101-3123456")];
    let refused = app.submit(&guardian, "/children/new", "/children", &bad).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("생년월일이 오늘보다 뒤입니다") && text.contains("비상 연락처를 하나 이상"));
    assert!(text.contains("정보 수집·이용에 동의해야") && text.contains("value=\"박별\""));
    assert!(!text.contains("310101-3123456"));

    // Another guardian cannot open it; staff are not guardians.
    let other = app.signed_in(Role::Resident, &[]).await;
    assert_eq!(app.get(&other, &location).await.status(), 404);
    let worker = app.signed_in(Role::WelfareWorker, &["1135063000"]).await;
    assert_eq!(app.get(&worker, &location).await.status(), 403);
});
