//! Issue #10's board target, in one run on the embedded SQLite default: a group's board with 1,000 posts (a third
//! with a photo, each with a few comments) rendered through the real router — session middleware, one query for
//! the page, the template — for its first page, a middle page and one kind, each 300 times.
//! Run: cargo run --release -p dolbom --example board_bench

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use dolbom::auth::Role;
use dolbom::config::Config;
use dolbom::hub::board_store::{self, NewPost};
use dolbom::media;
use dolbom::places::group_store;
use dolbom::places::model::Group;
use tower::ServiceExt;

const POSTS: usize = 1_000;
const RUNS: usize = 300;

fn group() -> Group {
    Group {
        id: String::new(),
        source_id: None,
        kind: "co_parenting".into(),
        name: "공릉동 공동육아 부모모임".into(),
        organization_id: None,
        adm_cd2: "1135059500".into(),
        activities: "주말 놀이".into(),
        meeting_place: "공릉동 나눔터".into(),
        latitude: 37.62,
        longitude: 127.07,
        meeting_time: "토 10:00".into(),
        contact: None,
        member_count: 0,
        updated_at: 0,
    }
}

fn photo() -> media::Processed {
    let img = image::RgbImage::from_fn(1200, 900, |x, y| [(x % 256) as u8, (y % 256) as u8, 120].into());
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    media::process(&out.into_inner()).unwrap()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let state = dolbom::server::prepare(&Config::for_database(&url)).await.unwrap();
    let db = &state.db;
    let author = dolbom::auth::accounts::create(
        db,
        "11350",
        "writer@bench.kr",
        "김하늘",
        "bench-password-1",
        Role::Resident,
        None,
        dolbom::i18n::Locale::Ko,
    )
    .await
    .unwrap();
    let id = group_store::upsert(db, "11350", &group()).await.unwrap();
    let photo = photo();
    let body = "이번 주 토요일에는 공릉동 나눔터에서 아이들과 신문지 놀이를 했습니다. 준비물은 신문지와 테이프, \
                그리고 웃을 준비만 있으면 됩니다. 다음 모임은 둘째 주 토요일 오전 10시입니다.";
    for i in 0..POSTS {
        let kind = ["news", "practice", "gallery"][i % 3];
        let title = format!("{}번째 모임 이야기", i + 1);
        let p = NewPost { group_id: &id, author_id: &author, kind, title: &title, body };
        let photos = if kind == "gallery" { std::slice::from_ref(&photo) } else { &[] };
        let post = board_store::create(db, &p, photos).await.unwrap();
        for _ in 0..(i % 4) {
            board_store::comment(db, &post, &author, "좋은 정보 고맙습니다!").await.unwrap();
        }
    }
    let app = dolbom::app::router(state.clone());
    for (label, path) in [
        ("first page", format!("/groups/{id}/board")),
        ("page 25 of 50", format!("/groups/{id}/board?page=25")),
        ("gallery, page 5", format!("/groups/{id}/board?kind=gallery&page=5")),
    ] {
        let mut took = Vec::with_capacity(RUNS);
        let mut bytes = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let response = app.clone().oneshot(Request::get(&path).body(Body::empty()).unwrap()).await.unwrap();
            assert_eq!(response.status(), 200);
            bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().len();
            took.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        took.sort_by(f64::total_cmp);
        println!(
            "board with {POSTS} posts, {label}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({bytes} bytes; target < 20 ms)",
            percentile(&took, 0.5),
            percentile(&took, 0.99),
            took[took.len() - 1]
        );
    }
}
