//! Places targets of issue #5, measured in one run:
//! - k = 20 nearest with filters over 100,000 facilities spread over 노원구: p50/p99 per query over a fixed set of
//!   2,000 queries (point, type, age, vacancy, open at a time incl. weekends and holidays, language), beside a
//!   linear scan of the same facilities for scale;
//! - 행정동 lookup (point-in-polygon on the real boundaries) of 1,000,000 points on every core.
//!
//! Run: cargo run --release -p dolbom --example places_bench [facilities]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dolbom::areas::Areas;
use dolbom::places::hours::{HOLIDAY, Span, WeeklyHours};
use dolbom::places::index::{PlaceIndex, PlaceQuery, Projection};
use dolbom::places::model::{FACILITY_KINDS, Facility, LANGUAGES};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn bounds(areas: &Areas) -> (f64, f64, f64, f64) {
    let boxes: Vec<_> = areas.all().iter().filter_map(|a| a.bbox).collect();
    let min_x = boxes.iter().map(|b| b.min().x).fold(f64::MAX, f64::min);
    let max_x = boxes.iter().map(|b| b.max().x).fold(f64::MIN, f64::max);
    let min_y = boxes.iter().map(|b| b.min().y).fold(f64::MAX, f64::min);
    let max_y = boxes.iter().map(|b| b.max().y).fold(f64::MIN, f64::max);
    (min_y, max_y, min_x, max_x)
}

fn hours(rng: &mut ChaCha8Rng) -> WeeklyHours {
    let mut week = WeeklyHours::default();
    let weekday = Span::new(rng.gen_range(420..600), rng.gen_range(1080..1440)).ok();
    for day in 0..5 {
        week.0[day] = weekday;
    }
    if rng.gen_bool(0.4) {
        week.0[5] = Span::new(540, 1080).ok();
    }
    if rng.gen_bool(0.1) {
        week.0[6] = Span::new(540, 1080).ok();
        week.0[HOLIDAY] = Span::new(540, 1080).ok();
    }
    week
}

fn facilities(n: usize, areas: &Areas, rng: &mut ChaCha8Rng) -> Vec<Facility> {
    let (min_lat, max_lat, min_lon, max_lon) = bounds(areas);
    (0..n)
        .map(|i| {
            let min_age = rng.gen_range(0..8);
            let capacity = rng.gen_range(10..60);
            let mut languages = vec!["ko".to_string()];
            if rng.gen_bool(0.2) {
                languages.push(LANGUAGES.choose(rng).unwrap_or(&"en").to_string());
            }
            Facility {
                id: format!("f{i}"),
                kind: FACILITY_KINDS.choose(rng).unwrap_or(&"daycare").to_string(),
                name: format!("시설 {i}"),
                latitude: rng.gen_range(min_lat..max_lat),
                longitude: rng.gen_range(min_lon..max_lon),
                adm_cd2: "1135063000".into(),
                min_age_months: min_age * 12,
                max_age_months: (min_age + rng.gen_range(2..8)) * 12 + 11,
                capacity: Some(capacity),
                enrolled: Some(rng.gen_range(capacity - 8..=capacity)),
                languages,
                hours: hours(rng),
                ..Facility::default()
            }
        })
        .collect()
}

fn queries(areas: &Areas, rng: &mut ChaCha8Rng) -> Vec<PlaceQuery> {
    let (min_lat, max_lat, min_lon, max_lon) = bounds(areas);
    let times = [
        NaiveDate::from_ymd_opt(2026, 11, 27).and_then(|d| d.and_hms_opt(18, 30, 0)), // Friday evening
        NaiveDate::from_ymd_opt(2026, 11, 28).and_then(|d| d.and_hms_opt(10, 0, 0)),  // Saturday
        NaiveDate::from_ymd_opt(2026, 12, 25).and_then(|d| d.and_hms_opt(11, 0, 0)),  // 성탄절
        None,
    ];
    (0..2_000)
        .map(|_| PlaceQuery {
            near: Some((rng.gen_range(min_lat..max_lat), rng.gen_range(min_lon..max_lon))),
            kinds: if rng.gen_bool(0.7) {
                vec![FACILITY_KINDS.choose(rng).unwrap_or(&"daycare").to_string()]
            } else {
                Vec::new()
            },
            age_months: rng.gen_bool(0.7).then(|| rng.gen_range(0..12) * 12),
            vacancy: rng.gen_bool(0.6),
            open_at: *times.choose(rng).unwrap_or(&None),
            language: rng.gen_bool(0.1).then(|| "vi".to_string()),
            limit: 20,
            ..PlaceQuery::default()
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let areas = Areas::embedded("11350");
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let all = facilities(n, &areas, &mut rng);
    let (lat, lon) = areas.center();
    let index = PlaceIndex::new(Projection::around(lat, lon));
    let started = Instant::now();
    index.load(all.clone(), Vec::new());
    println!("loaded {n} facilities into the R-trees in {:.0} ms", started.elapsed().as_secs_f64() * 1e3);

    let set = queries(&areas, &mut rng);
    let mut times = Vec::with_capacity(set.len());
    let (mut one_type, mut all_types) = (Vec::new(), Vec::new());
    let mut found = 0;
    for q in &set {
        let t = Instant::now();
        found += index.facilities(q).len();
        let took = t.elapsed();
        times.push(took);
        if q.kinds.is_empty() { all_types.push(took) } else { one_type.push(took) }
    }
    times.sort();
    one_type.sort();
    all_types.sort();
    println!(
        "k=20 nearest with filters, {} queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({:.1} hits a query)",
        set.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        found as f64 / set.len() as f64
    );

    println!(
        "  of which one type: p99 {:.3} ms; every type: p99 {:.3} ms",
        percentile(&one_type, 0.99).as_secs_f64() * 1e3,
        percentile(&all_types, 0.99).as_secs_f64() * 1e3
    );

    // For scale: the same first 200 queries by scanning every facility and sorting by distance.
    let projection = Projection::around(lat, lon);
    let mut scan = Vec::new();
    for q in set.iter().take(200) {
        let t = Instant::now();
        let (qlat, qlon) = q.near.unwrap_or_default();
        let at = projection.point(qlat, qlon);
        let mut hits: Vec<(f64, &Facility)> = all
            .iter()
            .filter(|f| q.kinds.is_empty() || q.kinds.contains(&f.kind))
            .filter(|f| q.age_months.is_none_or(|m| f.serves_age(m)))
            .filter(|f| !q.vacancy || f.vacancies().is_some_and(|v| v > 0))
            .filter(|f| q.open_at.is_none_or(|t| f.hours.open_at(t)))
            .filter(|f| q.language.as_ref().is_none_or(|l| f.languages.contains(l)))
            .map(|f| {
                let p = projection.point(f.latitude, f.longitude);
                ((p[0] - at[0]).powi(2) + (p[1] - at[1]).powi(2), f)
            })
            .collect();
        hits.sort_by(|a, b| a.0.total_cmp(&b.0));
        hits.truncate(20);
        scan.push(t.elapsed());
    }
    scan.sort();
    println!(
        "linear scan of the same (200 queries): p50 {:.3} ms, p99 {:.3} ms",
        percentile(&scan, 0.5).as_secs_f64() * 1e3,
        percentile(&scan, 0.99).as_secs_f64() * 1e3
    );

    // 행정동 lookup of 1,000,000 points (in the district's bounding box) on every core.
    let (min_lat, max_lat, min_lon, max_lon) = bounds(&areas);
    let points: Vec<(f64, f64)> =
        (0..1_000_000).map(|_| (rng.gen_range(min_lat..max_lat), rng.gen_range(min_lon..max_lon))).collect();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let started = Instant::now();
    let inside: usize = std::thread::scope(|s| {
        let handles: Vec<_> = points
            .chunks(points.len().div_ceil(cores))
            .map(|chunk| {
                let areas = &areas;
                s.spawn(move || chunk.iter().filter(|(lat, lon)| areas.locate(*lat, *lon).is_some()).count())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    println!(
        "행정동 lookup of 1,000,000 points on {cores} cores: {:.2} s ({inside} inside 노원구)",
        started.elapsed().as_secs_f64()
    );
}
