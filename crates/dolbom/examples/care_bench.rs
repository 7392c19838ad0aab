//! Care matching targets of issue #6, measured in one run:
//! - 10,000 applications at once (three services, mixed days and hours) against 2,000 providers (1,000 centres
//!   and 24-hour daycare with 1–4 emergency places, 1,000 caregivers): wall time of `match_all`;
//! - on 1,000-application instances (same hours, 300 centres with more places than children), the total distance
//!   of the matcher's placement beside the exact least-cost assignment (Hungarian method, `pathfinding` crate)
//!   over every application × every place, computed in the same run.
//!
//! Points are synthetic: 9 km × 6 km like 노원구, families clustered around 40 apartment complexes.
//! Run: cargo run --release -p dolbom --example care_bench [seed]

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use dolbom::care::matcher::{Need, Provider, ProviderKind, Settings, match_all, requirements};
use dolbom::care::rules::Service;
use dolbom::places::hours::{DAYS, Span, WeeklyHours};
use pathfinding::prelude::{Matrix, kuhn_munkres_min};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const WIDTH: f64 = 6_000.0;
const HEIGHT: f64 = 9_000.0;

fn anywhere(rng: &mut ChaCha8Rng) -> [f64; 2] {
    [rng.gen_range(0.0..WIDTH), rng.gen_range(0.0..HEIGHT)]
}

/// A family: near one of the complexes (within about 600 m).
fn home(rng: &mut ChaCha8Rng, complexes: &[[f64; 2]]) -> [f64; 2] {
    let c = complexes[rng.gen_range(0..complexes.len())];
    [c[0] + rng.gen_range(-600.0..600.0), c[1] + rng.gen_range(-600.0..600.0)]
}

fn hours(opens: u16, closes: u16) -> WeeklyHours {
    WeeklyHours([Some(Span { opens, closes }); DAYS])
}

fn centre(rng: &mut ChaCha8Rng, i: usize, kind: &str, places: u32) -> Provider {
    let (min, max, open) = if kind == "daycare_24h" { (6, 83, hours(0, 1440)) } else { (72, 155, hours(480, 1320)) };
    Provider {
        id: format!("f{i}"),
        point: anywhere(rng),
        hours: open,
        kind: ProviderKind::Facility { kind: kind.into(), min_age_months: min, max_age_months: max, places },
    }
}

fn caregiver(rng: &mut ChaCha8Rng, i: usize) -> Provider {
    let mut qualifications = Vec::new();
    if rng.gen_bool(0.5) {
        qualifications.push("infant".to_string());
    }
    if rng.gen_bool(0.2) {
        qualifications.push("special_needs".to_string());
    }
    Provider {
        id: format!("g{i}"),
        point: anywhere(rng),
        hours: hours(420, 1380),
        kind: ProviderKind::Caregiver {
            sex: if rng.gen_bool(0.9) { "F" } else { "M" }.into(),
            languages: if rng.gen_bool(0.1) { vec!["ko".into(), "vi".into()] } else { vec!["ko".into()] },
            qualifications,
            weekly_limit_minutes: 40 * 60,
        },
    }
}

fn need(rng: &mut ChaCha8Rng, complexes: &[[f64; 2]], service: Service, day: NaiveDate, window: (u16, u16)) -> Need {
    let age_months = match service {
        Service::ElementaryEmergency => rng.gen_range(72..156),
        Service::AlwaysDaycare => rng.gen_range(6..84),
        Service::HomeVisit => rng.gen_range(3..156),
    };
    let special = rng.gen_bool(0.05);
    Need {
        service,
        point: home(rng, complexes),
        age_months,
        first_day: day,
        days: 1,
        start: window.0,
        end: window.1,
        requires: if service == Service::HomeVisit { requirements(age_months, special) } else { Vec::new() },
        caregiver_sex: if rng.gen_bool(0.1) { Some("F".into()) } else { None },
        language: None,
        preferred: None,
        refused_by: Vec::new(),
    }
}

fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

fn ten_thousand(seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let complexes: Vec<[f64; 2]> = (0..40).map(|_| anywhere(&mut rng)).collect();
    let mut providers = Vec::new();
    for i in 0..1_000 {
        let kind = ["community_care", "local_children", "daycare_24h"][i % 3];
        let places = rng.gen_range(1..=4);
        providers.push(centre(&mut rng, i, kind, places));
    }
    for i in 0..1_000 {
        providers.push(caregiver(&mut rng, i));
    }
    let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
    let windows = [(540, 780), (780, 1080), (540, 1080), (1080, 1320), (600, 900)];
    let needs: Vec<Need> = (0..10_000)
        .map(|_| {
            let service =
                [Service::ElementaryEmergency, Service::AlwaysDaycare, Service::HomeVisit][rng.gen_range(0..3)];
            let day = saturday + Duration::days(rng.gen_range(0..3));
            let window = windows[rng.gen_range(0..windows.len())];
            need(&mut rng, &complexes, service, day, window)
        })
        .collect();
    let started = Instant::now();
    let result = match_all(&providers, &[], &needs, &Settings::default());
    let took = started.elapsed();
    let placed = result.iter().filter(|m| m.provider.is_some()).count();
    let mean = result.iter().filter(|m| m.provider.is_some()).map(|m| m.distance_m).sum::<f64>() / placed.max(1) as f64;
    println!(
        "matching 10,000 applications × 2,000 providers: {:.3} s ({placed} placed, mean distance {mean:.0} m)",
        took.as_secs_f64()
    );
}

/// The hard case: 10,000 applications for the same Saturday hours at 2,000 centres whose places barely
/// outnumber them, so most placements are contested.
fn ten_thousand_contested(seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let complexes: Vec<[f64; 2]> = (0..40).map(|_| anywhere(&mut rng)).collect();
    let providers: Vec<Provider> = (0..2_000)
        .map(|i| {
            let places = rng.gen_range(4..=7);
            centre(&mut rng, i, "community_care", places)
        })
        .collect();
    let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
    let needs: Vec<Need> =
        (0..10_000).map(|_| need(&mut rng, &complexes, Service::ElementaryEmergency, saturday, (600, 1020))).collect();
    let started = Instant::now();
    let result = match_all(&providers, &[], &needs, &Settings::default());
    let took = started.elapsed();
    let placed = result.iter().filter(|m| m.provider.is_some()).count();
    println!(
        "matching 10,000 applications for the same hours × 2,000 centres with ~11,000 places: {:.3} s ({placed} placed)",
        took.as_secs_f64()
    );
}

/// One 1,000-application instance: (matcher total, exact total, matcher seconds, exact seconds).
fn against_exact(seed: u64) -> (f64, f64, f64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let complexes: Vec<[f64; 2]> = (0..40).map(|_| anywhere(&mut rng)).collect();
    let providers: Vec<Provider> = (0..300)
        .map(|i| {
            let places = rng.gen_range(2..=5);
            centre(&mut rng, i, "community_care", places)
        })
        .collect();
    let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
    let needs: Vec<Need> =
        (0..1_000).map(|_| need(&mut rng, &complexes, Service::ElementaryEmergency, saturday, (600, 1020))).collect();
    // Reach wide enough that every child can be placed, so both sides place everyone and only distance differs.
    let settings = Settings { max_distance_m: 20_000.0, ..Settings::default() };
    let started = Instant::now();
    let result = match_all(&providers, &[], &needs, &settings);
    let matcher_s = started.elapsed().as_secs_f64();
    assert!(result.iter().all(|m| m.provider.is_some()), "seats outnumber children: everyone is placed");
    let matcher_total: f64 = result.iter().map(|m| m.distance_m).sum();
    for (p, f) in providers.iter().enumerate() {
        let given = result.iter().filter(|m| m.provider == Some(p)).count();
        let ProviderKind::Facility { places, .. } = f.kind else { continue };
        assert!(given <= places as usize, "{} has {places} places and got {given}", f.id);
    }

    let seats: Vec<usize> = providers
        .iter()
        .enumerate()
        .flat_map(|(p, f)| match f.kind {
            ProviderKind::Facility { places, .. } => vec![p; places as usize],
            ProviderKind::Caregiver { .. } => Vec::new(),
        })
        .collect();
    let started = Instant::now();
    let weights = Matrix::from_fn(needs.len(), seats.len(), |(i, s)| {
        (distance(needs[i].point, providers[seats[s]].point) * 1_000.0).round() as i64
    });
    let (_, assignment) = kuhn_munkres_min(&weights);
    let exact_s = started.elapsed().as_secs_f64();
    let exact_total: f64 =
        assignment.iter().enumerate().map(|(i, s)| distance(needs[i].point, providers[seats[*s]].point)).sum();
    (matcher_total, exact_total, matcher_s, exact_s)
}

fn main() {
    let seed: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2026);
    ten_thousand(seed);
    ten_thousand_contested(seed);
    let mut worst: f64 = 0.0;
    for i in 0..5 {
        let (matcher, exact, matcher_s, exact_s) = against_exact(seed + i);
        let gap = (matcher - exact) / exact * 100.0;
        worst = worst.max(gap);
        println!(
            "1,000 applications × 300 centres (#{i}): matcher {matcher:.0} m in {matcher_s:.3} s, exact {exact:.0} m \
             in {exact_s:.1} s, gap {gap:.3} %"
        );
    }
    println!("worst gap over 5 instances: {worst:.3} % (target < 1 %)");
}
