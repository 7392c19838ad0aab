//! Intake on both backends: a person is checked field by field (a wrong check digit named as such), then against
//! everyone known: the same 주민등록번호 is refused, a likely match (spacing, another phone format) is shown and
//! needs the worker's confirmation, and nothing is saved until then.

use chrono::NaiveDate;
use dolbom::auth::Role;
use dolbom::demo::{DemoOptions, seed_if_empty};

use crate::both;
use crate::support::{PASSWORD, TestApp};

async fn count(app: &TestApp) -> i64 {
    dolbom::people::store::count_residents(&app.state.db, "11350").await.unwrap()
}

both!(intake_refuses_known_people_until_the_worker_confirms_someone_else, |app: TestApp| async move {
    let options = DemoOptions { seed: 5, households_per_thousand: 0.3 };
    seed_if_empty(&app.state, &options).await.unwrap().unwrap();
    let sql = "SELECT r.name, r.birth_date, r.phone, h.address, h.adm_cd2 FROM residents r \
               JOIN households h ON h.id = r.household_id WHERE r.relation = 'head' AND r.phone IS NOT NULL \
               ORDER BY r.id LIMIT 1";
    let (name, birth, phone, address, area): (String, NaiveDate, Option<String>, String, String) =
        dolbom::db_run!(&app.state.db, p => sqlx::query_as(sql).fetch_one(p).await).unwrap();
    app.account(Role::WelfareWorker, "intake@test.kr", &[&area]).await;
    let worker = app.browser();
    assert_eq!(app.login(&worker, "intake@test.kr", PASSWORD).await.status(), 303);
    let before = count(&app).await;
    let post = |fields: Vec<(&'static str, String)>| {
        let (app, worker) = (&app, &worker);
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(worker, "/staff/intake", "/staff/intake", &pairs).await
        }
    };

    let typo = post(vec![
        ("name", "홍길순".into()),
        ("birth_date", "1990-01-01".into()),
        ("sex", "F".into()),
        ("rrn", "900101-2234560".into()),
        ("address", "서울특별시 노원구 동일로 1".into()),
        ("area", area.clone()),
    ])
    .await;
    assert_eq!(typo.status(), 422);
    let text = typo.text().await.unwrap();
    assert!(text.contains("마지막 자리가 앞자리와 맞지 않습니다") && text.contains("홍길순"), "{text}");

    // 900101-2234561 carries its check digit: registered.
    let new = vec![
        ("name", "홍길순".into()),
        ("birth_date", "1990-01-01".into()),
        ("sex", "F".into()),
        ("rrn", "900101-2234561".into()),
        ("address", "서울특별시 노원구 동일로 1".into()),
        ("area", area.clone()),
    ];
    let saved = post(new.clone()).await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap_or_default());
    assert_eq!(count(&app).await, before + 1);
    let household = saved.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();

    // Her mother joins the household: the household's address and 행정동, a relation asked for.
    let member = |relation: &str| {
        vec![
            ("household", household.clone()),
            ("relation", relation.to_string()),
            ("name", "홍어머니".to_string()),
            ("birth_date", "1962-07-15".to_string()),
            ("sex", "F".to_string()),
        ]
    };
    let bad = post(member("head")).await;
    assert_eq!(bad.status(), 422, "a second head is not a relation to choose");
    assert_eq!(post(member("parent")).await.status(), 303);
    let page =
        app.get(&worker, &format!("/staff/households/{household}?purpose=case_management")).await.text().await.unwrap();
    assert!(page.contains("부모") && page.contains("본인(세대주)"), "{page}");
    assert_eq!(count(&app).await, before + 2);
    let again = post(new).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("이미 등록된 주민이 있습니다"));
    assert_eq!(count(&app).await, before + 2, "the same number twice: one person");

    // The demo resident again, written with a space in the name and the phone without dashes.
    let spaced: String = name.chars().take(1).chain([' ']).chain(name.chars().skip(1)).collect();
    let digits: String = phone.unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
    let sex = {
        let sql = "SELECT sex FROM residents WHERE name = $1 AND birth_date = $2";
        let s: String =
            dolbom::db_run!(&app.state.db, p => sqlx::query_scalar(sql).bind(&name).bind(birth).fetch_one(p).await)
                .unwrap();
        s
    };
    let known = vec![
        ("name", spaced),
        ("birth_date", birth.format("%Y-%m-%d").to_string()),
        ("sex", sex),
        ("phone", digits),
        ("address", address),
        ("area", area.clone()),
    ];
    let likely = post(known.clone()).await;
    let status = likely.status();
    let text = likely.text().await.unwrap();
    assert_eq!(status, 422);
    assert!(text.contains("이미 등록된 주민일 수 있습니다") && text.contains("같은 사람일 가능성"), "{text}");
    assert!(!text.contains(&name), "the known person's name is masked");
    assert_eq!(count(&app).await, before + 2, "nothing saved before the worker confirms");
    let mut confirmed = known;
    confirmed.push(("confirm_new", "yes".into()));
    assert_eq!(post(confirmed).await.status(), 303, "the worker says it is someone else");
    assert_eq!(count(&app).await, before + 3);
});
