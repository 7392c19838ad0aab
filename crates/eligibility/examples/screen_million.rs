//! The eligibility target of issue #4: 1,000,000 profiles × 300 services screened in under 10 s on 2 cores.
//! Run: cargo run --release -p eligibility --example screen_million [profiles] [services]

use std::time::Instant;

use eligibility::generate::{profile, rules, seeded};
use eligibility::{MedianIncome, screen_many};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().unwrap_or(0));
    let profiles_n = args.next().filter(|n| *n > 0).unwrap_or(1_000_000);
    let services_n = args.next().filter(|n| *n > 0).unwrap_or(300);
    let median = MedianIncome::official();
    let mut rng = seeded(2026);
    let services: Vec<_> = (0..services_n).map(|_| rules(&mut rng)).collect();
    let profiles: Vec<_> = (0..profiles_n).map(|_| profile(&mut rng)).collect();

    let started = Instant::now();
    let screened = screen_many(&profiles, &services, &median);
    let elapsed = started.elapsed();

    let eligible: usize = screened.iter().map(|s| s.eligible.len()).sum();
    let unknown: usize = screened.iter().map(|s| s.unknown.len()).sum();
    let evaluations = profiles_n as f64 * services_n as f64;
    println!(
        "{profiles_n} profiles x {services_n} services on {} threads: {:.2} s ({:.1} ns per evaluation); \
         {eligible} eligible and {unknown} unknown pairs",
        rayon::current_num_threads(),
        elapsed.as_secs_f64(),
        elapsed.as_nanos() as f64 / evaluations,
    );
}
