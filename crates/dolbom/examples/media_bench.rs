//! Issue #10's photo target: uploading a 10 MB photo makes its display copy and thumbnail in < 1 s. The input is a
//! 4,000 × 3,000 JPEG of a textured pattern with noise (noise keeps it near 10 MB, as a phone's photo is), made
//! once; `media::process` is timed over 10 runs.
//!
//! Run: cargo run --release -p dolbom --example media_bench

use std::time::Instant;

use image::codecs::jpeg::JpegEncoder;

fn photo() -> Vec<u8> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let n = (seed % 96) as u8;
        image::Rgb([((x / 7) % 160) as u8 + n, ((y / 5) % 160) as u8 + n, ((x + y) % 160) as u8 + n / 2])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 92).encode_image(&img).unwrap();
    out
}

fn main() {
    let upload = photo();
    let mut took = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let p = dolbom::media::process(&upload).unwrap();
        took.push(started.elapsed().as_secs_f64() * 1_000.0);
        std::hint::black_box(p);
    }
    took.sort_by(f64::total_cmp);
    println!(
        "a {:.1} MB, 4000×3000 JPEG to a 1600 px copy and a 400 px thumbnail: p50 {:.0} ms, max {:.0} ms over 10 (target < 1 s)",
        upload.len() as f64 / 1e6,
        took[5],
        took[9]
    );
}
