//! Criterion benchmarks of one evaluation and of screening 10,000 households against 300 services.
//! The full-size target (1,000,000 × 300) is `cargo run --release -p eligibility --example screen_million`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use eligibility::generate::{profile, rules, seeded};
use eligibility::{MedianIncome, evaluate, screen, screen_many};

fn benches(c: &mut Criterion) {
    let median = MedianIncome::official();
    let mut rng = seeded(42);
    let services: Vec<_> = (0..300).map(|_| rules(&mut rng)).collect();
    let profiles: Vec<_> = (0..10_000).map(|_| profile(&mut rng)).collect();

    c.bench_function("screen one profile x one service", |b| {
        b.iter(|| screen(black_box(&profiles[7]), black_box(&services[11]), &median))
    });
    c.bench_function("evaluate with reasons, one profile x one service", |b| {
        b.iter(|| evaluate(black_box(&profiles[7]), black_box(&services[11]), &median))
    });
    let mut group = c.benchmark_group("screen_many");
    group.sample_size(10);
    group.bench_function("10,000 profiles x 300 services", |b| {
        b.iter(|| screen_many(black_box(&profiles), black_box(&services), &median))
    });
    group.finish();
}

criterion_group!(eligibility_benches, benches);
criterion_main!(eligibility_benches);
