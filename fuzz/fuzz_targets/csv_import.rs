//! The CSV importers (services, 정부24, 복지로, 아이사랑, 어린이집) on any bytes: the file is decoded as an import
//! reads it (UTF-8, else CP949) and every parser answers with rows or row errors, never a panic. The first byte picks
//! the parser, so one corpus covers all five.
#![no_main]

use std::sync::LazyLock;

use dolbom::areas::Areas;
use dolbom::directory::import::{bokjiro, gov24, ihue, services_csv};
use libfuzzer_sys::fuzz_target;

static AREAS: LazyLock<Areas> = LazyLock::new(|| Areas::embedded("11350"));

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    let (text, _) = services_csv::decode(bytes);
    match which % 5 {
        0 => drop(services_csv::parse(&text)),
        1 => drop(gov24::parse(&text)),
        2 => {
            let (central, tags) = text.split_once('\u{c}').unwrap_or((&text, ""));
            drop(bokjiro::parse(central, tags))
        }
        3 => drop(ihue::parse(&text, &AREAS)),
        _ => drop(dolbom::places::import::parse(&text, &AREAS)),
    }
});
