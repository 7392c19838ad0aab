use dolbom::auth::{Role, store};

use crate::both;
use crate::support::TestApp;

both!(admins_create_staff_accounts_scoped_to_an_organization_and_dongs, |app: TestApp| async move {
    let admin = app.signed_in(Role::Admin, &[]).await;
    let new_org = [("name", "중계1동 주민센터"), ("kind", "community_center")];
    let org = app.submit(&admin, "/admin/accounts", "/admin/organizations", &new_org).await;
    assert_eq!(org.status(), 303);
    let again = app.submit(&admin, "/admin/accounts", "/admin/organizations", &new_org).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("같은 이름의 기관이 이미 있습니다."));
    let orgs = dolbom::auth::admin_store::organizations(&app.state.db, "11350").await.unwrap();
    let org_id = orgs.iter().find(|o| o.name == "중계1동 주민센터").unwrap().id.clone();

    // A welfare worker without organization or dongs is refused, field by field, keeping what was typed.
    let bad = app
        .submit(
            &admin,
            "/admin/accounts/new",
            "/admin/accounts",
            &[
                ("email", "worker@nowon.kr"),
                ("display_name", "최복지"),
                ("password", "initial password 1"),
                ("role", "welfare_worker"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("이 역할은 소속 기관이 있어야 합니다."));
    assert!(html.contains("복지 담당자는 담당 행정동을 하나 이상 골라야 합니다."));
    assert!(html.contains("value=\"worker@nowon.kr\""));
    assert!(store::find_by_email(&app.state.db, "11350", "worker@nowon.kr").await.unwrap().is_none());

    let made = app
        .submit(
            &admin,
            "/admin/accounts/new",
            "/admin/accounts",
            &[
                ("email", "worker@nowon.kr"),
                ("display_name", "최복지"),
                ("password", "initial password 1"),
                ("role", "welfare_worker"),
                ("organization_id", &org_id),
                ("areas", "1135062100"),
                ("areas", "1135062400"),
            ],
        )
        .await;
    assert_eq!(made.status(), 303);
    let account = store::find_by_email(&app.state.db, "11350", "worker@nowon.kr").await.unwrap().unwrap();
    assert_eq!(account.role(), Role::WelfareWorker);
    assert_eq!(account.organization_id.as_deref(), Some(org_id.as_str()));
    assert_eq!(store::areas_of(&app.state.db, &account.id).await.unwrap(), vec!["1135062100", "1135062400"]);

    // Opening the account to manage it is itself a read of personal data, and logged.
    let _ = app.get(&admin, &format!("/admin/accounts/{}", account.id)).await;
    let entries = dolbom::audit::store::list(&app.state.db, "11350", &Default::default(), 10).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.record_kind == "account" && e.record_id == account.id && e.purpose == "account_administration")
    );

    // The worker signs in and sees their scope.
    let worker = app.browser();
    assert_eq!(app.login(&worker, "worker@nowon.kr", "initial password 1").await.status(), 303);
    let me: serde_json::Value = worker.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["role"], "welfare_worker");
    assert_eq!(me["areas"], serde_json::json!(["1135062100", "1135062400"]));

    // Switching the account off ends its sessions at once.
    let page = format!("/admin/accounts/{}", account.id);
    let off = app
        .submit(
            &admin,
            &page,
            &page,
            &[("role", "welfare_worker"), ("organization_id", &org_id), ("areas", "1135062100")],
        )
        .await;
    assert_eq!(off.status(), 303);
    assert_eq!(app.get(&worker, "/account").await.status(), 303);
    assert_eq!(app.login(&worker, "worker@nowon.kr", "initial password 1").await.status(), 401);

    let list = app.get(&admin, "/admin/accounts?role=welfare_worker").await.text().await.unwrap();
    assert!(list.contains("worker@nowon.kr") && list.contains("사용 중지"));
    let by_name = app.get(&admin, "/admin/accounts?q=NOWON").await.text().await.unwrap();
    assert!(by_name.contains("worker@nowon.kr"), "search ignores case");
    let wildcard = app.get(&admin, "/admin/accounts?q=%25").await.text().await.unwrap();
    assert!(!wildcard.contains("worker@nowon.kr"), "a typed % is a character, not a wildcard");
});

both!(admins_cannot_lock_themselves_out, |app: TestApp| async move {
    let id = app.account(Role::Admin, "root@nowon.kr", &[]).await;
    let admin = app.browser();
    assert_eq!(app.login(&admin, "root@nowon.kr", crate::support::PASSWORD).await.status(), 303);
    let page = format!("/admin/accounts/{id}");
    let demote = app.submit(&admin, &page, &page, &[("role", "resident"), ("active", "on")]).await;
    assert_eq!(demote.status(), 422);
    assert_eq!(store::find_by_id(&app.state.db, &id).await.unwrap().unwrap().role(), Role::Admin);
    let bogus = app.submit(&admin, &page, &page, &[("role", "emperor"), ("active", "on")]).await;
    assert_eq!(bogus.status(), 422);
    assert!(bogus.text().await.unwrap().contains("목록에 있는 값 중에서 골라 주세요."));
});
