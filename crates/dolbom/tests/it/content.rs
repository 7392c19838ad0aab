//! The hub's content on both backends: officials write Markdown pages; a script, a frame or a `javascript:` link
//! is refused by name with everything typed kept, and what slips past the check is stripped before anyone reads
//! it; attachments are known by their bytes; the story archive filters by year and theme.

use dolbom::auth::Role;
use dolbom::content::store::{self, Filter, PageText};
use reqwest::multipart::{Form, Part};

use crate::both;
use crate::support::TestApp;

async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    action: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let token = app.csrf(client, "/official/content").await;
    let mut form = Form::new().text("csrf", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part("attachments", Part::bytes(bytes).file_name(name.to_string()));
    }
    client.post(app.url(action)).multipart(form).send().await.unwrap()
}

async fn count(app: &TestApp, section: &str) -> i64 {
    let filter = Filter { section, page: 1, ..Default::default() };
    store::list(&app.state.db, "11350", &filter, 20).await.unwrap().1
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

both!(markdown_that_runs_is_refused_by_name_and_the_rest_is_sanitised, |app: TestApp| async move {
    let official = app.signed_in(Role::Official, &[]).await;
    let resident = app.signed_in(Role::Resident, &[]).await;
    assert_eq!(app.get(&resident, "/official/content").await.status(), 403);

    let script = "## 상담 안내\n\n<script>document.cookie</script>";
    let r = save(
        &app,
        &official,
        "/official/content",
        &[("section", "column"), ("title", "칼럼"), ("body_md", script)],
        vec![],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("스크립트는 실행될 수 없어 저장하지 않았습니다"), "{page}");
    assert!(page.contains("## 상담 안내\n\n&#60;script&#62;document.cookie&#60;/script&#62;"), "kept as typed: {page}");
    let frame = "<iframe src=\"https://evil.example\"></iframe>";
    let r = save(
        &app,
        &official,
        "/official/content",
        &[("section", "column"), ("title", "칼럼"), ("body_md", frame)],
        vec![],
    )
    .await;
    assert!(r.text().await.unwrap().contains("다른 사이트를 끼워 넣는 코드"));
    let link = [("section", "link"), ("title", "가짜"), ("url", "javascript:alert(1)")];
    let r = save(&app, &official, "/official/content", &link, vec![]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("https:// 로 시작하는 사이트 주소"));
    assert_eq!(count(&app, "column").await + count(&app, "link").await, 0, "nothing refused was saved");

    // An entity-encoded scheme gets past the check; the sanitiser still takes the link's target away.
    let sneaky = "| 항목 | 금액 |\n|---|---|\n| 간식 | 5만원 |\n\n<a href=\"jav&#x61;script:alert(1)\">신청</a> [구청](https://www.nowon.kr)";
    let fields = [("section", "policy"), ("topic", "child_youth"), ("title", "돌봄 안내"), ("body_md", sneaky)];
    let r = save(&app, &official, "/official/content", &fields, vec![]).await;
    assert_eq!(r.status(), 303);
    let shown = app.get(&resident, &location(&r)).await;
    let csp = shown.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-src 'none'"), "{csp}");
    let html = shown.text().await.unwrap();
    let body = &html[html.find("id=\"body\"").unwrap()..];
    assert!(body.contains("<td>간식</td>") && body.contains("href=\"https://www.nowon.kr\""), "{body}");
    assert!(!body.to_lowercase().contains("script:") && !body.contains("&#x61;"), "{body}");
    let listed = app.get(&resident, "/hub/policy?topic=child_youth").await.text().await.unwrap();
    assert!(listed.contains("돌봄 안내"));
    let other_topic = app.get(&resident, "/hub/policy?topic=multicultural").await.text().await.unwrap();
    assert!(!other_topic.contains("돌봄 안내"));
});

both!(attachments_are_known_by_their_bytes, |app: TestApp| async move {
    let official = app.signed_in(Role::Official, &[]).await;
    let fields = [("section", "education"), ("title", "안전교육 점검표"), ("body_md", "첨부를 보세요.")];
    let fake = vec![("점검표.pdf", b"<script>alert(1)</script>".to_vec())];
    let r = save(&app, &official, "/official/content", &fields, fake).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("이름만 바꾼 다른 파일은 받지 않습니다") && page.contains("안전교육 점검표"), "{page}");
    assert_eq!(count(&app, "education").await, 0);

    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".to_vec();
    let r = save(&app, &official, "/official/content", &fields, vec![("영유아 점검표.pdf", pdf.clone())]).await;
    assert_eq!(r.status(), 303);
    let id = location(&r).rsplit('/').next().unwrap().to_string();
    let files = store::attachments(&app.state.db, &id).await.unwrap();
    assert_eq!((files.len(), files[0].size), (1, pdf.len() as i64));
    let anyone = app.browser();
    let got = app.get(&anyone, &format!("/hub/files/{}", files[0].id)).await;
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert_eq!(got.headers()["x-content-type-options"], "nosniff");
    let disposition = got.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment;") && disposition.contains("%EC%98%81"), "{disposition}");
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);

    // Editing keeps the file, adds another, and one can be taken off again.
    let xlsx_like = b"PK\x03\x04workbook".to_vec();
    let edited = [("section", "library"), ("title", "정산 서식"), ("body_md", "서식입니다.")];
    let r = save(&app, &official, &format!("/official/content/{id}"), &edited, vec![("정산.xlsx", xlsx_like)]).await;
    assert_eq!(r.status(), 303);
    let files = store::attachments(&app.state.db, &id).await.unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!((count(&app, "education").await, count(&app, "library").await), (0, 1));
    let form = format!("/official/content/{id}");
    let r = app.submit(&official, &form, &format!("/official/content/{id}/files/{}/delete", files[0].id), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(store::attachments(&app.state.db, &id).await.unwrap().len(), 1);
    let r = app.submit(&official, &form, &format!("/official/content/{id}/delete"), &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.get(&anyone, &format!("/hub/pages/{id}")).await.status(), 404);
    assert_eq!(app.get(&anyone, &format!("/hub/files/{}", files[1].id)).await.status(), 404);
});

both!(stories_are_archived_by_year_and_theme, |app: TestApp| async move {
    let official = app.account(Role::Official, "official@test.kr", &[]).await;
    for (year, theme, title) in
        [(2024, "youth", "청소년 밴드"), (2025, "co_parenting", "아빠 놀이터"), (2025, "youth", "청소년 텃밭")]
    {
        let p = PageText {
            section: "story",
            topic: theme,
            year: Some(year),
            group_id: None,
            url: None,
            title,
            body_md: "이야기",
            body_html: "<p>이야기</p>",
        };
        store::create(&app.state.db, "11350", &official, &p, &[]).await.unwrap();
    }
    assert_eq!(store::story_years(&app.state.db, "11350").await.unwrap(), vec![2025, 2024]);
    let anyone = app.browser();
    let page = |path: &'static str| {
        let (app, anyone) = (&app, &anyone);
        async move { app.get(anyone, path).await.text().await.unwrap() }
    };
    let y2025 = page("/hub/story?year=2025").await;
    assert!(y2025.contains("아빠 놀이터") && y2025.contains("청소년 텃밭") && !y2025.contains("청소년 밴드"));
    let youth = page("/hub/story?topic=youth").await;
    assert!(youth.contains("청소년 밴드") && youth.contains("청소년 텃밭") && !youth.contains("아빠 놀이터"));
    let both = page("/hub/story?topic=youth&year=2024").await;
    assert!(both.contains("청소년 밴드") && !both.contains("청소년 텃밭"));
    // A year the archive does not have is ignored, not an error.
    assert!(page("/hub/story?year=abc").await.contains("청소년 밴드"));
    assert_eq!(app.get(&anyone, "/hub/notes").await.status(), 404);
});
