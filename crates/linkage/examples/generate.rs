//! Recipient lists with known truth for linkage benchmarks: people with realistic Korean names (surnames by their
//! share of the population, given names from the syllables of their birth cohort), birth dates, phones and
//! addresses, each listed by one to several agencies with the noise agencies make — spacing, a mistyped jamo,
//! romanised names (surname spellings, RR with the usual variants), six date formats and typos, phone formats,
//! changed phones, moved households — and namesakes (same name and birth year) on purpose.
//!
//! `cargo run --release -p linkage --example generate -- PEOPLE RECORDS.csv TRUTH.csv [SEED]`

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Surnames and their share in 2015 인구주택총조사 (percent, rounded), the rest spread over the others.
const SURNAMES: [(&str, f64); 30] = [
    ("김", 21.5),
    ("이", 14.7),
    ("박", 8.4),
    ("최", 4.7),
    ("정", 4.3),
    ("강", 2.3),
    ("조", 2.1),
    ("윤", 2.1),
    ("장", 2.0),
    ("임", 1.7),
    ("한", 1.5),
    ("오", 1.5),
    ("서", 1.5),
    ("신", 1.4),
    ("권", 1.4),
    ("황", 1.4),
    ("안", 1.4),
    ("송", 1.3),
    ("류", 1.2),
    ("전", 1.1),
    ("홍", 1.1),
    ("고", 0.9),
    ("문", 0.9),
    ("양", 0.9),
    ("손", 0.9),
    ("배", 0.8),
    ("백", 0.8),
    ("허", 0.6),
    ("유", 0.6),
    ("남궁", 0.1),
];

/// Given-name syllables by cohort (born before 1970, 1970–1999, 2000 on), commonest first; drawn with Zipf
/// weights, so a few are everywhere and many are rare, as in 대법원 전자가족관계등록시스템's name statistics.
const OLD: &str = "영순자숙옥정희철수호석길동춘복말분금용만식명종광재태봉상덕병기성인화경례진선남월";
const MIDDLE: &str = "민지현수진영정은경미준성혜상우재훈연주선아유희원동석태호승한나윤종소규형세보람";
const YOUNG: &str = "서준윤우하민도지예아유은시율건린채원현주연수호진성이재희나다온태규하람찬결솔";
const GUS: [&str; 12] = [
    "노원구",
    "도봉구",
    "강북구",
    "성북구",
    "중랑구",
    "동대문구",
    "광진구",
    "성동구",
    "마포구",
    "서대문구",
    "은평구",
    "종로구",
];
const ROADS: [&str; 12] = [
    "동일로",
    "상계로",
    "한글비석로",
    "노해로",
    "공릉로",
    "화랑로",
    "도봉로",
    "월계로",
    "마들로",
    "덕릉로",
    "석계로",
    "광운로",
];

struct Person {
    name: String,
    birth: (i32, u32, u32),
    phone: String,
    address: String,
}

fn pick_surname(rng: &mut ChaCha8Rng) -> &'static str {
    let total: f64 = SURNAMES.iter().map(|s| s.1).sum();
    let mut x = rng.gen_range(0.0..total);
    for (s, share) in SURNAMES {
        if x < share {
            return s;
        }
        x -= share;
    }
    "김"
}

fn person(rng: &mut ChaCha8Rng) -> Person {
    let year = rng.gen_range(1930..=2024);
    let syllables: Vec<char> = if year < 1970 {
        OLD
    } else if year < 2000 {
        MIDDLE
    } else {
        YOUNG
    }
    .chars()
    .collect();
    let given: String = (0..2).map(|_| *syllables.choose(rng).unwrap_or(&'수')).collect();
    Person {
        name: format!("{}{given}", pick_surname(rng)),
        birth: (year, rng.gen_range(1..=12), rng.gen_range(1..=28)),
        phone: format!("010{:04}{:04}", rng.gen_range(0..10_000), rng.gen_range(0..10_000)),
        address: address(rng),
    }
}

fn address(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {} {} {}",
        if rng.gen_bool(0.5) { "서울특별시" } else { "서울" },
        GUS.choose(rng).unwrap_or(&"노원구"),
        ROADS.choose(rng).unwrap_or(&"동일로"),
        rng.gen_range(1..2_000)
    )
}

/// One jamo changed: the vowel of a given-name syllable (the commonest slip on a phone keyboard).
fn jamo_typo(name: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let at = rng.gen_range(1..chars.len().max(2)).min(chars.len() - 1);
    let code = chars[at] as u32 - 0xAC00;
    let (initial, medial, last) = (code / 588, code % 588 / 28, code % 28);
    let medial = (medial + rng.gen_range(1..21)) % 21;
    chars[at] = char::from_u32(0xAC00 + initial * 588 + medial * 28 + last).unwrap_or(chars[at]);
    chars.into_iter().collect()
}

/// The name as a passport or a foreign-language form writes it.
fn romanised(name: &str, rng: &mut ChaCha8Rng) -> String {
    let surname_len = if name.starts_with("남궁") { 2 } else { 1 };
    let surname: String = name.chars().take(surname_len).collect();
    let spelling = match surname.as_str() {
        "이" => *["Lee", "Yi", "Rhee", "LEE"].choose(rng).unwrap_or(&"Lee"),
        "박" => *["Park", "Pak", "PARK"].choose(rng).unwrap_or(&"Park"),
        "최" => *["Choi", "Choe"].choose(rng).unwrap_or(&"Choi"),
        "정" => *["Jung", "Jeong", "Chung"].choose(rng).unwrap_or(&"Jung"),
        "김" => *["Kim", "KIM", "Gim"].choose(rng).unwrap_or(&"Kim"),
        _ => "",
    };
    let surname = if spelling.is_empty() { capitalise(&linkage::romanize(&surname)) } else { spelling.to_string() };
    let syllables: Vec<String> = name.chars().skip(surname_len).map(|c| linkage::romanize(&c.to_string())).collect();
    let syllables: Vec<String> = syllables
        .into_iter()
        .map(|s| if rng.gen_bool(0.3) { s.replace('u', "oo").replace("eo", "u") } else { s })
        .collect();
    let given = match rng.gen_range(0..3) {
        0 => capitalise(&syllables.concat()),
        1 => capitalise(&syllables.join("-")),
        _ => syllables.iter().map(|s| capitalise(s)).collect::<Vec<_>>().join(" "),
    };
    if rng.gen_bool(0.2) { format!("{given} {surname}") } else { format!("{surname} {given}") }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

fn written_date((y, m, d): (i32, u32, u32), rng: &mut ChaCha8Rng) -> String {
    let (mut y, mut m, mut d) = (y, m, d);
    if rng.gen_bool(0.02) {
        let typo = d / 10 * 10 + rng.gen_range(0..10);
        if (1..=28).contains(&typo) {
            d = typo;
        }
    }
    if rng.gen_bool(0.01) && d <= 12 {
        std::mem::swap(&mut m, &mut d);
    }
    if rng.gen_bool(0.01) {
        y += if rng.gen_bool(0.5) { 1 } else { -1 };
    }
    match rng.gen_range(0..6) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{y}.{m}.{d}"),
        2 => format!("{y}/{m:02}/{d:02}"),
        3 => format!("{y}{m:02}{d:02}"),
        4 => format!("{:02}{m:02}{d:02}", y % 100),
        _ => format!("{y}년 {m}월 {d}일"),
    }
}

fn written_phone(digits: &str, rng: &mut ChaCha8Rng) -> String {
    let (a, b, c) = (&digits[..3], &digits[3..7], &digits[7..]);
    match rng.gen_range(0..4) {
        0 => format!("{a}-{b}-{c}"),
        1 => digits.to_string(),
        2 => format!("+82 {}-{b}-{c}", &a[1..]),
        _ => format!("{a} {b} {c}"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, people, records_path, truth_path, rest @ ..] = args.as_slice() else {
        return Err("usage: generate PEOPLE RECORDS.csv TRUTH.csv [SEED]".into());
    };
    let people: usize = people.parse()?;
    let seed: u64 = rest.first().map_or(Ok(1), |s| s.parse())?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut everyone: Vec<Person> = Vec::with_capacity(people);
    for i in 0..people {
        let mut p = person(&mut rng);
        // Namesakes: one in fifty shares the name and birth year of someone listed before.
        if i > 0 && rng.gen_bool(0.02) {
            let other = &everyone[rng.gen_range(0..i)];
            p.name = other.name.clone();
            p.birth.0 = other.birth.0;
        }
        // Households: one in four lives with someone listed before.
        if i > 0 && rng.gen_bool(0.25) {
            p.address = everyone[rng.gen_range(0..i)].address.clone();
        }
        everyone.push(p);
    }
    let mut records = csv::Writer::from_path(records_path)?;
    let mut truth = csv::Writer::from_path(truth_path)?;
    records.write_record(["record_id", "source", "name", "birth_date", "phone", "address"])?;
    truth.write_record(["record_id", "person_id"])?;
    let mut n = 0usize;
    for (id, p) in everyone.iter().enumerate() {
        let copies = 1 + (0..4).take_while(|_| rng.gen_bool(0.45)).count();
        for _ in 0..copies {
            n += 1;
            let name = match rng.gen_range(0..100) {
                0..=9 => p.name.chars().take(1).collect::<String>() + " " + &p.name.chars().skip(1).collect::<String>(),
                10..=12 => jamo_typo(&p.name, &mut rng),
                13..=16 => romanised(&p.name, &mut rng),
                _ => p.name.clone(),
            };
            let birth = if rng.gen_bool(0.02) { String::new() } else { written_date(p.birth, &mut rng) };
            let phone = match rng.gen_range(0..100) {
                0..=4 => String::new(),
                5..=19 => written_phone(&format!("010{:08}", rng.gen_range(0..100_000_000)), &mut rng),
                _ => written_phone(&p.phone, &mut rng),
            };
            let address = if rng.gen_bool(0.1) { address(&mut rng) } else { p.address.clone() };
            let source = ["동주민센터", "종합사회복지관", "노인복지관", "푸드뱅크", "지역아동센터", "민간단체"]
                .choose(&mut rng)
                .unwrap_or(&"동주민센터");
            let record_id = format!("r{n}");
            records.write_record([record_id.as_str(), source, &name, &birth, &phone, &address])?;
            truth.write_record([record_id, format!("p{id}")])?;
        }
    }
    records.flush()?;
    truth.flush()?;
    eprintln!("{people} people, {n} records");
    Ok(())
}
