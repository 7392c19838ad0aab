//! Search targets of issue #4, measured in one run on one SQLite database:
//! 100,000 services recombined from the real 복지로 names and summaries; index rebuild time and resident memory; p50/p99 per query over a fixed query set,
//! against `LIKE '%…%'` over the same rows.
//! Run: cargo run --release -p dolbom --example search_bench [services]

use std::time::{Duration, Instant};

use dolbom::db::{self, Db};
use dolbom::directory::search::SearchRequest;
use dolbom::directory::{store, sync};
use dolbom::tx_run;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// Real 복지로 service names and summaries, recombined into 100,000 services: the vocabulary and word frequencies
/// of real welfare texts, not of a made-up word list.
const REAL: &str = include_str!("../data/welfare/bokjiro-central.csv");
const PLACES: [&str; 8] = ["노원구", "상계동", "중계동", "하계동", "공릉동", "월계동", "서울시", "전국"];
const TERMS: [&str; 8] = [
    "life_stage:senior",
    "life_stage:child",
    "life_stage:young_adult",
    "household:low_income",
    "household:disability",
    "theme:care",
    "theme:housing",
    "theme:jobs",
];
const QUERIES: [&str; 20] = [
    "돌봄",
    "어르신 돌봄",
    "청년 월세",
    "장애인 일자리",
    "한부모 양육비",
    "다문화 가족",
    "임산부 의료비",
    "기초연금",
    "ㄷㅂ",
    "ㄱㅊㅇㄱ",
    "어린이",
    "노인 건강검진",
    "에너지 바우처",
    "보육료",
    "긴급 생활비",
    "1인가구 상담",
    "중장년 일자리",
    "교통비",
    "학습 지원",
    "문화 이용권",
];

fn real_services() -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_reader(REAL.as_bytes());
    reader
        .records()
        .flatten()
        .map(|r| (r.get(1).unwrap_or_default().to_string(), r.get(3).unwrap_or_default().to_string()))
        .collect()
}

fn name(rng: &mut ChaCha8Rng, real: &[(String, String)], n: usize) -> String {
    let (base, _) = real.choose(rng).expect("real services");
    format!("{} {base} {n}", PLACES.choose(rng).unwrap_or(&PLACES[0]))
}

fn description(rng: &mut ChaCha8Rng, real: &[(String, String)]) -> String {
    let (_, a) = real.choose(rng).expect("real services");
    let (_, b) = real.choose(rng).expect("real services");
    format!("{a} {b}")
}

async fn seed(db: &Db, count: usize) -> Result<(), sqlx::Error> {
    store::seed_taxonomies(db).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let real = real_services();
    let mut tx = db.begin().await?;
    let org = "INSERT INTO directory_organizations (id, municipality_code, name, description, updated_at) \
               VALUES ('org', '11350', '노원구청', '', 0)";
    tx_run!(&mut tx, c => sqlx::query(org).execute(c).await.map(|_| ()))?;
    for n in 0..count {
        let id = format!("svc-{n:06}");
        let sql = "INSERT INTO services (id, municipality_code, organization_id, name, description, status, last_modified) \
                   VALUES ($1, '11350', 'org', $2, $3, 'active', 0)";
        let (name, description) = (name(&mut rng, &real, n), description(&mut rng, &real));
        tx_run!(&mut tx, c => sqlx::query(sql).bind(&id).bind(&name).bind(&description).execute(c).await.map(|_| ()))?;
        for term in TERMS.choose_multiple(&mut rng, 2) {
            let sql = "INSERT INTO attributes (id, link_id, link_type, link_entity, taxonomy_term_id) \
                       VALUES ($1, $2, 'service', 'service', $3)";
            tx_run!(&mut tx, c => sqlx::query(sql).bind(format!("{id}-{term}")).bind(&id).bind(*term)
                .execute(c).await.map(|_| ()))?;
        }
    }
    tx.commit().await
}

fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn like_count(db: &Db, query: &str) -> Result<i64, sqlx::Error> {
    // The naive way: every word must appear somewhere in the name or the summary.
    let words: Vec<String> = query.split_whitespace().map(|w| format!("%{w}%")).collect();
    let clauses: Vec<String> =
        (0..words.len()).map(|i| format!("(name LIKE ${0} OR description LIKE ${0})", i + 1)).collect();
    let sql = format!("SELECT COUNT(*) FROM services WHERE {}", clauses.join(" AND "));
    let mut q = sqlx::query_as::<_, (i64,)>(&sql);
    for w in &words {
        q = q.bind(w);
    }
    let (n,) = match db {
        Db::Sqlite(p, _) => q.fetch_one(p).await?,
        Db::Postgres(_) => (0,),
    };
    Ok(n)
}

/// `search_bench --rebuild-only DB`: what a fresh `dolbom serve` process pays to load the index, in time and memory.
async fn rebuild_only(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let db = db::connect(url).await?;
    let started = Instant::now();
    let (index, _) = sync::build(&db, "11350").await?;
    println!("{:.3} {:.1} {}", started.elapsed().as_secs_f64(), resident_mb(), index.len());
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--rebuild-only") {
        return rebuild_only(args.get(2).map(String::as_str).unwrap_or_default()).await;
    }
    let count: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = db::connect(&url).await?;
    db.migrate().await?;
    let started = Instant::now();
    seed(&db, count).await?;
    let seeded = started.elapsed();

    // Time and memory of loading the index, measured in a fresh process as `dolbom serve` would start.
    let fresh = std::process::Command::new(std::env::current_exe()?).args(["--rebuild-only", &url]).output()?;
    let fresh = String::from_utf8_lossy(&fresh.stdout).to_string();
    let mut parts = fresh.split_whitespace().map(|p| p.parse::<f64>().unwrap_or(f64::NAN));
    let (rebuild_secs, fresh_mb) = (parts.next().unwrap_or(f64::NAN), parts.next().unwrap_or(f64::NAN));
    let (index, _) = sync::build(&db, "11350").await?;

    let rounds = 20;
    let mut ours = Vec::new();
    let mut hits = 0;
    for _ in 0..rounds {
        for q in QUERIES {
            let request = SearchRequest { query: q.into(), limit: 20, ..SearchRequest::default() };
            let t = Instant::now();
            // Every round searches afresh: the answer cache would make rounds after the first free.
            hits += index.search_uncached(&request)?.total;
            ours.push(t.elapsed());
        }
    }
    ours.sort();
    let mut like = Vec::new();
    for q in QUERIES.iter().filter(|q| !korean::is_choseong_query(q)) {
        let t = Instant::now();
        let _ = like_count(&db, q).await?;
        like.push(t.elapsed());
    }
    like.sort();
    let (p50, p99) = (percentile(&ours, 0.5), percentile(&ours, 0.99));
    let (like50, like99) = (percentile(&like, 0.5), percentile(&like, 0.99));
    println!("| measurement ({count} services, SQLite, 1 run) | result | target |");
    println!("| --- | --- | --- |");
    println!("| seeding the database (not a target) | {:.1} s | — |", seeded.as_secs_f64());
    println!("| index rebuild from the database, fresh process | {rebuild_secs:.2} s | < 10 s |");
    println!("| resident memory of that process with the index loaded | {fresh_mb:.0} MB | < 300 MB |");
    println!(
        "| search p50 / p99 over {} queries × {rounds} | {:.2} ms / {:.2} ms | p99 < 5 ms |",
        QUERIES.len(),
        ms(p50),
        ms(p99)
    );
    println!(
        "| LIKE '%…%' p50 / p99, same queries (초성 excluded) | {:.2} ms / {:.2} ms | — |",
        ms(like50),
        ms(like99)
    );
    println!("| LIKE p50 / search p50 | {:.0}× | ≥ 50× |", like50.as_secs_f64() / p50.as_secs_f64());
    eprintln!("({hits} hits in all)");
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
