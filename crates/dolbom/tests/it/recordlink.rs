//! Record linkage in the app on both backends: a broken list is refused line by line and nothing kept; a list is
//! linked, the pairs the model is unsure of wait in the review queue, and a reviewer's decision draws the result
//! again; another agency does not see the run.

use std::collections::HashMap;

use dolbom::auth::Role;
use reqwest::Client;

use crate::both;
use crate::support::{PASSWORD, TestApp};

const SURNAMES: [&str; 8] = ["김", "이", "박", "최", "정", "강", "조", "윤"];
const GIVEN: [&str; 12] =
    ["민수", "서연", "지훈", "하은", "도윤", "수아", "예준", "지우", "시우", "서윤", "주원", "하린"];

/// 300 people on one list, 60 of them again on another with the usual noise, and a few hard cases: the same name
/// and birth date with another phone and address (a namesake, or the same person moved).
fn lists() -> String {
    let mut out = String::from("record_id,source,name,birth_date,phone,address\n");
    for i in 0..300 {
        let name = format!("{}{}", SURNAMES[i % 8], GIVEN[(i / 8) % 12]);
        let birth = format!("19{:02}-{:02}-{:02}", 40 + i % 50, 1 + i % 12, 1 + (i * 7) % 28);
        let phone = format!("010-{:04}-{:04}", 1000 + i, 5000 + i);
        let address = format!("서울특별시 노원구 동일로 {}", 100 + i);
        out.push_str(&format!("a{i},동주민센터,{name},{birth},{phone},{address}\n"));
        if i % 5 == 0 {
            let spaced: String = name.chars().take(1).chain([' ']).chain(name.chars().skip(1)).collect();
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            out.push_str(&format!("b{i},복지관,{spaced},{},{digits},{address}\n", birth.replace('-', "")));
        }
        if i % 50 == 7 {
            out.push_str(&format!("c{i},푸드뱅크,{name},{birth},010-9{i:03}-0000,서울특별시 노원구 상계로 {i}\n"));
        }
    }
    out
}

async fn upload(app: &TestApp, client: &Client, csv: &str) -> reqwest::Response {
    let token = app.csrf(client, "/staff/linkage").await;
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("명단.csv");
    let body = reqwest::multipart::Form::new().text("csrf", token).part("list", part);
    client.post(app.url("/staff/linkage")).multipart(body).send().await.unwrap()
}

fn clusters(csv: &str) -> HashMap<String, String> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let mut cols = l.split(',');
            (cols.next().unwrap().to_string(), cols.next().unwrap().to_string())
        })
        .collect()
}

both!(a_list_is_linked_and_a_reviewer_decides_the_uncertain_pairs, |app: TestApp| async move {
    app.account(Role::WelfareWorker, "dong@test.kr", &["1135056000"]).await;
    app.account(Role::WelfareWorker, "other@test.kr", &["1135056000"]).await;
    let worker = app.browser();
    assert_eq!(app.login(&worker, "dong@test.kr", PASSWORD).await.status(), 303);

    let broken = "record_id,source,name,birth_date,phone,address\n,동,김민수,1950-01-01,,\nx1,동,\"김민수,1950-01-01\nx2,동,이서연,1951-02-02,,\n";
    let refused = upload(&app, &worker, broken).await;
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("2번째 줄: record_id가 비어 있습니다"), "{text}");
    assert!(text.contains("아무것도 대조하지 않았습니다"));
    assert!(
        app.get(&worker, "/staff/linkage").await.text().await.unwrap().contains("아직 대조한 명단이 없습니다"),
        "nothing kept"
    );

    let linked = upload(&app, &worker, &lists()).await;
    assert_eq!(linked.status(), 303);
    let run = linked.headers()["location"].to_str().unwrap().to_string();
    let result = app.get(&worker, &format!("{run}/result.csv")).await.text().await.unwrap();
    let before = clusters(&result);
    assert_eq!(before.len(), 366, "every record once");
    assert_eq!(before["b0"], before["a0"], "spacing and formats: the same person");
    assert_eq!(before["b55"], before["a55"]);
    assert_ne!(before["a1"], before["a2"]);

    let queue = app.get(&worker, &run).await.text().await.unwrap();
    let first = queue.find("name=\"a\" value=\"").map(|at| {
        let rest = &queue[at + 16..];
        let a = rest[..rest.find('"').unwrap()].to_string();
        let at_b = rest.find("name=\"b\" value=\"").unwrap();
        let rest = &rest[at_b + 16..];
        (a, rest[..rest.find('"').unwrap()].to_string())
    });
    let (a, b) = first.unwrap_or_else(|| panic!("the hard cases wait for review: {queue}"));
    let decide = |decision: &'static str| {
        let (a, b, run) = (a.clone(), b.clone(), run.clone());
        let (app, worker) = (&app, &worker);
        async move {
            app.submit(worker, &run, &format!("{run}/decisions"), &[("a", &a), ("b", &b), ("decision", decision)]).await
        }
    };
    assert_eq!(decide("same").await.status(), 303);
    assert_eq!(decide("different").await.status(), 409, "decided once");
    let after = clusters(&app.get(&worker, &format!("{run}/result.csv")).await.text().await.unwrap());
    let ids: Vec<&String> = before.keys().collect();
    let (ia, ib): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
    let order: Vec<String> = result.lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect();
    assert_eq!(after[&order[ia]], after[&order[ib]], "the reviewer's 'same' joins them");
    assert_eq!(ids.len(), after.len());

    let other = app.browser();
    assert_eq!(app.login(&other, "other@test.kr", PASSWORD).await.status(), 303);
    assert_eq!(app.get(&other, &run).await.status(), 404, "another agency's run");
    assert_eq!(app.get(&other, &format!("{run}/result.csv")).await.status(), 404);
});
