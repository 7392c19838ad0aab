use dolbom::auth::Role;

use crate::both;
use crate::support::{Backend, PASSWORD, TestApp, csrf_in, run_with};

both!(sign_up_log_out_and_log_in, |app: TestApp| async move {
    let client = app.browser();
    let signup = app
        .submit(
            &client,
            "/signup",
            "/signup",
            &[
                ("email", "Minji@Example.kr"),
                ("display_name", "김민지"),
                ("password", "a long enough password"),
                ("password_confirm", "a long enough password"),
                ("locale", "ko"),
            ],
        )
        .await;
    assert_eq!(signup.status(), 303);
    let cookie = signup
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("dolbom_session="));
    let cookie = cookie.expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let account = app.get(&client, "/account").await.text().await.unwrap();
    assert!(account.contains("minji@example.kr"), "e-mails are stored in lower case");
    assert!(account.contains("김민지"));

    let logout = app.submit(&client, "/account", "/logout", &[]).await;
    assert_eq!(logout.status(), 303);
    let after = app.get(&client, "/account").await;
    assert_eq!(after.status(), 303, "signed out: the account page redirects to log in");
    assert!(after.headers()["location"].to_str().unwrap().starts_with("/login?next="));

    let login = app.login(&client, "minji@example.kr", "a long enough password").await;
    assert_eq!(login.status(), 303);
    assert_eq!(app.get(&client, "/account").await.status(), 200);
});

both!(forms_without_the_csrf_token_are_refused, |app: TestApp| async move {
    let client = app.browser();
    let _ = app.get(&client, "/signup").await;
    let fields = [
        ("email", "x@example.kr"),
        ("display_name", "x"),
        ("password", "a long enough password"),
        ("password_confirm", "a long enough password"),
    ];
    let missing = app.post_form(&client, "/signup", &fields).await;
    assert_eq!(missing.status(), 403);
    let mut wrong = vec![("csrf", "not-the-token")];
    wrong.extend_from_slice(&fields);
    assert_eq!(app.post_form(&client, "/signup", &wrong).await.status(), 403);
    // Another browser's token does not work either.
    let other = app.browser();
    let foreign = app.csrf(&other, "/signup").await;
    let mut stolen = vec![("csrf", foreign.as_str())];
    stolen.extend_from_slice(&fields);
    assert_eq!(app.post_form(&client, "/signup", &stolen).await.status(), 403);
    // Nothing was created.
    assert!(dolbom::auth::store::find_by_email(&app.state.db, "11350", "x@example.kr").await.unwrap().is_none());
});

both!(bad_sign_ups_are_explained_per_field_and_lose_nothing, |app: TestApp| async move {
    let client = app.browser();
    let empty = app.submit(&client, "/signup", "/signup", &[]).await;
    assert_eq!(empty.status(), 422);
    let html = empty.text().await.unwrap();
    assert!(html.contains("필수 입력 항목입니다."));
    assert!(html.contains("aria-invalid=\"true\""));

    let first = app
        .submit(
            &client,
            "/signup",
            "/signup",
            &[
                ("email", "taken@example.kr"),
                ("display_name", "첫 사람"),
                ("password", "first person password"),
                ("password_confirm", "first person password"),
            ],
        )
        .await;
    assert_eq!(first.status(), 303);

    let other = app.browser();
    let _ = app.get(&other, "/lang/en").await;
    let dup = app
        .submit(
            &other,
            "/signup",
            "/signup",
            &[
                ("email", "TAKEN@example.kr"),
                ("display_name", "Second"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(dup.status(), 422);
    let html = dup.text().await.unwrap();
    assert!(html.contains("Passwords need at least 12 characters."), "English when chosen");
    assert!(html.contains("value=\"TAKEN@example.kr\""), "what was typed is kept");
    assert!(!html.contains("value=\"short\""), "passwords are never echoed back");

    // The first account is untouched and still logs in.
    let third = app.browser();
    assert_eq!(app.login(&third, "taken@example.kr", "first person password").await.status(), 303);
});

both!(repeated_failures_lock_the_account_until_unlocked, |app: TestApp| async move {
    app.account(Role::Resident, "lock@example.kr", &[]).await;
    let client = app.browser();
    for attempt in 1..=4 {
        let r = app.login(&client, "lock@example.kr", "wrong password!").await;
        assert_eq!(r.status(), 401, "attempt {attempt}");
        assert!(r.text().await.unwrap().contains("이메일 또는 비밀번호가 맞지 않습니다."));
    }
    let fifth = app.login(&client, "lock@example.kr", "wrong password!").await;
    assert_eq!(fifth.status(), 429);
    assert!(fifth.text().await.unwrap().contains("잠겼습니다"));
    let right = app.login(&client, "lock@example.kr", PASSWORD).await;
    assert_eq!(right.status(), 429, "the right password does not open a locked account");

    let admin = app.signed_in(Role::Admin, &[]).await;
    let account = dolbom::auth::store::find_by_email(&app.state.db, "11350", "lock@example.kr").await.unwrap().unwrap();
    let page = format!("/admin/accounts/{}", account.id);
    let html = app.get(&admin, &page).await.text().await.unwrap();
    assert!(html.contains("name=\"unlock\""), "the admin page offers to unlock");
    let unlock = app.submit(&admin, &page, &page, &[("role", "resident"), ("active", "on"), ("unlock", "on")]).await;
    assert_eq!(unlock.status(), 303);
    assert_eq!(app.login(&client, "lock@example.kr", PASSWORD).await.status(), 303);
});

mod login_rate_limit {
    use super::*;

    async fn body(app: TestApp) {
        let client = app.browser();
        for _ in 0..3 {
            assert_eq!(app.login(&client, "nobody@example.kr", "whatever password").await.status(), 401);
        }
        let limited = app.login(&client, "nobody@example.kr", "whatever password").await;
        assert_eq!(limited.status(), 429);
        assert!(limited.text().await.unwrap().contains("1분 뒤"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run_with(Backend::Sqlite, |c| dolbom::config::Config { login_per_minute: 3, ..c }, body).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run_with(Backend::Postgres, |c| dolbom::config::Config { login_per_minute: 3, ..c }, body).await;
    }
}

both!(password_change_signs_out_other_devices, |app: TestApp| async move {
    app.account(Role::Resident, "pw@example.kr", &[]).await;
    let laptop = app.browser();
    let phone = app.browser();
    assert_eq!(app.login(&laptop, "pw@example.kr", PASSWORD).await.status(), 303);
    assert_eq!(app.login(&phone, "pw@example.kr", PASSWORD).await.status(), 303);

    let wrong = app
        .submit(
            &laptop,
            "/account/password",
            "/account/password",
            &[
                ("current", "not it at all"),
                ("new_password", "a brand new password"),
                ("new_password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("현재 비밀번호가 맞지 않습니다."));

    let changed = app
        .submit(
            &laptop,
            "/account/password",
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new_password", "a brand new password"),
                ("new_password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(app.get(&laptop, "/account").await.status(), 200, "this device stays signed in");
    assert_eq!(app.get(&phone, "/account").await.status(), 303, "the other device is signed out");
    let fresh = app.browser();
    assert_eq!(app.login(&fresh, "pw@example.kr", PASSWORD).await.status(), 401);
    assert_eq!(app.login(&fresh, "pw@example.kr", "a brand new password").await.status(), 303);
    let inbox = app.get(&fresh, "/notifications").await.text().await.unwrap();
    assert_eq!(inbox.matches("비밀번호가 바뀌었습니다.").count(), 1, "told once, for the change that happened");
    let emails = "SELECT COUNT(*) FROM outbox o JOIN users u ON u.id = o.user_id WHERE u.email = 'pw@example.kr'";
    let queued: i64 = dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(emails).fetch_one(p).await).unwrap();
    assert_eq!(queued, 1, "and by e-mail");
});

both!(anonymous_visitors_get_a_csrf_binding_cookie, |app: TestApp| async move {
    let client = app.browser();
    let home = app.get(&client, "/").await;
    assert!(home.headers().get("set-cookie").is_none(), "a page without forms sets no cookie");
    let page = app.get(&client, "/login").await;
    let cookies: Vec<String> =
        page.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("dolbom_anon=") && c.contains("HttpOnly")), "{cookies:?}");
    let token = csrf_in(&page.text().await.unwrap()).unwrap();
    assert_eq!(token, app.csrf(&client, "/signup").await, "one token per browser until it signs in");
});

both!(the_chosen_language_follows_the_account, |app: TestApp| async move {
    let first = app.browser();
    let signup = app
        .submit(
            &first,
            "/signup",
            "/signup",
            &[
                ("email", "lan@example.kr"),
                ("display_name", "Lan"),
                ("password", "xin chao mot hai ba"),
                ("password_confirm", "xin chao mot hai ba"),
                ("locale", "vi"),
            ],
        )
        .await;
    assert_eq!(signup.status(), 303);
    assert!(app.get(&first, "/account").await.text().await.unwrap().contains("<html lang=\"vi\">"));

    // A new device with no language chosen yet gets the account's language at log-in.
    let second = app.browser();
    assert_eq!(app.login(&second, "lan@example.kr", "xin chao mot hai ba").await.status(), 303);
    assert!(app.get(&second, "/account").await.text().await.unwrap().contains("<html lang=\"vi\">"));

    // The language link changes only this browser; the account page's form changes the account.
    assert_eq!(app.get(&second, "/lang/en?next=/account").await.status(), 303);
    let account = dolbom::auth::store::find_by_email(&app.state.db, "11350", "lan@example.kr").await.unwrap().unwrap();
    assert_eq!(account.locale, "vi");
    let bad = app.submit(&second, "/account", "/account/language", &[("locale", "klingon")]).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(app.submit(&second, "/account", "/account/language", &[("locale", "zh")]).await.status(), 303);
    let account = dolbom::auth::store::find_by_email(&app.state.db, "11350", "lan@example.kr").await.unwrap().unwrap();
    assert_eq!(account.locale, "zh");
    assert!(app.get(&second, "/account").await.text().await.unwrap().contains("<html lang=\"zh\">"));
    let third = app.browser();
    assert_eq!(app.login(&third, "lan@example.kr", "xin chao mot hai ba").await.status(), 303);
    assert!(app.get(&third, "/account").await.text().await.unwrap().contains("<html lang=\"zh\">"));
});

mod parallel_guesses_cannot_beat_the_lock {
    use super::*;

    async fn body(app: TestApp) {
        app.account(Role::Resident, "target@example.kr", &[]).await;
        let mut guesses = Vec::new();
        for n in 0..20 {
            let client = app.browser();
            let token = app.csrf(&client, "/login").await;
            let url = app.url("/login");
            guesses.push(tokio::spawn(async move {
                let password = format!("guess number {n}");
                let form = [("csrf", token.as_str()), ("email", "target@example.kr"), ("password", password.as_str())];
                client.post(url).form(&form).send().await.unwrap().status().as_u16()
            }));
        }
        let mut statuses = Vec::new();
        for g in guesses {
            statuses.push(g.await.unwrap());
        }
        let judged = statuses.iter().filter(|s| **s == 401).count();
        assert!(judged <= 4, "at most four wrong guesses are judged before the lock: {statuses:?}");
        assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
        let client = app.browser();
        assert_eq!(app.login(&client, "target@example.kr", PASSWORD).await.status(), 429, "locked");

        // Once the lock has run out, counting starts again: one more miss does not lock the account at once.
        let expire = "UPDATE users SET locked_until = 1 WHERE email = 'target@example.kr'";
        dolbom::db_run!(&app.state.db, p => sqlx::query(expire).execute(p).await.map(|_| ())).unwrap();
        assert_eq!(app.login(&client, "target@example.kr", "still wrong").await.status(), 401);
        assert_eq!(app.login(&client, "target@example.kr", PASSWORD).await.status(), 303);
    }

    fn generous(c: dolbom::config::Config) -> dolbom::config::Config {
        dolbom::config::Config { login_per_minute: 1000, ..c }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run_with(Backend::Sqlite, generous, body).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run_with(Backend::Postgres, generous, body).await;
    }
}
