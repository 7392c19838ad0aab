//! Synthetic households and residents spread over the real 행정동s in proportion to their population.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use geo::{BoundingRect, Contains, Point};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names;
use crate::areas::{Area, Areas};
use crate::db::Db;
use crate::error::AppError;
use crate::keys::{Keys, Rrn};
use crate::people::store::{NewHousehold, NewResident, insert_household, insert_resident};

/// Ages are drawn relative to the population data's date, not today, so a seed always gives the same people.
fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()
}

/// Millisecond timestamp that the generated UUIDv7s start from (2026-06-30T00:00Z).
const ID_EPOCH_MILLIS: u64 = 1_782_777_600_000;

pub struct Person {
    pub id: String,
    pub name: String,
    pub birth: NaiveDate,
    pub female: bool,
    pub relation: &'static str,
    pub phone: Option<String>,
    pub rrn: Rrn,
}

pub struct Household {
    pub id: String,
    pub adm_cd2: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub members: Vec<Person>,
}

struct Ids {
    next: u64,
}

impl Ids {
    /// A UUIDv7 whose time and random parts both come from the generator.
    fn next(&mut self, rng: &mut ChaCha8Rng) -> String {
        self.next += 1;
        let random: [u8; 10] = rng.r#gen();
        uuid::Builder::from_unix_timestamp_millis(ID_EPOCH_MILLIS + self.next, &random).into_uuid().to_string()
    }
}

struct Gen<'a> {
    rng: &'a mut ChaCha8Rng,
    ids: Ids,
    rrns: HashSet<String>,
}

impl Gen<'_> {
    fn birth(&mut self, min_age: i32, max_age: i32) -> NaiveDate {
        let reference = reference_date();
        let age = self.rng.gen_range(min_age..=max_age);
        let start = NaiveDate::from_ymd_opt(reference.year() - age - 1, reference.month(), reference.day())
            .unwrap_or(reference);
        start + Duration::days(self.rng.gen_range(1..=365))
    }

    fn rrn(&mut self, birth: NaiveDate, female: bool) -> Rrn {
        loop {
            let century = if birth.year() >= 2000 { 3 } else { 1 };
            let gender = century + u32::from(female);
            // The same draw as before check digits, so the rest of the demo stays as it was.
            let serial: u32 = self.rng.gen_range(0..1_000_000) / 10;
            let first = format!("{}{gender}{serial:05}", birth.format("%y%m%d"));
            // Numbers issued before October 2020 end in their check digit; later ones in a random digit.
            let last = crate::keys::check_digit(&first).unwrap_or_default();
            let text = format!("{first}{last}");
            if self.rrns.insert(text.clone())
                && let Some(rrn) = Rrn::parse(&text)
            {
                return rrn;
            }
        }
    }

    fn person(&mut self, surname: &str, min_age: i32, max_age: i32, female: bool, relation: &'static str) -> Person {
        let birth = self.birth(min_age, max_age);
        let name = format!("{surname}{}", names::given(self.rng, birth.year(), female));
        let adult = birth.year() <= reference_date().year() - 14;
        let phone =
            adult.then(|| format!("010-{:04}-{:04}", self.rng.gen_range(2000..10000), self.rng.gen_range(0..10000)));
        Person { id: self.ids.next(self.rng), rrn: self.rrn(birth, female), name, birth, female, relation, phone }
    }

    fn children(
        &mut self,
        surname: &str,
        count: usize,
        min_age: i32,
        max_age: i32,
        relation: &'static str,
    ) -> Vec<Person> {
        (0..count)
            .map(|_| {
                let female = self.rng.gen_bool(0.49);
                self.person(surname, min_age, max_age, female, relation)
            })
            .collect()
    }

    fn members(&mut self) -> Vec<Person> {
        let surname = names::surname(self.rng);
        let roll = self.rng.gen_range(0..100);
        let female = self.rng.gen_bool(0.5);
        match roll {
            0..15 => vec![self.person(surname, 20, 39, female, "head")],
            15..27 => {
                let female = self.rng.gen_bool(0.7);
                vec![self.person(surname, 65, 92, female, "head")]
            }
            27..37 => {
                let spouse = names::surname(self.rng);
                vec![self.person(surname, 66, 88, false, "head"), self.person(spouse, 63, 85, true, "spouse")]
            }
            37..47 => {
                let spouse = names::surname(self.rng);
                vec![self.person(surname, 30, 62, false, "head"), self.person(spouse, 28, 60, true, "spouse")]
            }
            47..80 => {
                let spouse = names::surname(self.rng);
                let kids = self.rng.gen_range(1..=3);
                let mut m =
                    vec![self.person(surname, 32, 52, false, "head"), self.person(spouse, 30, 50, true, "spouse")];
                m.extend(self.children(surname, kids, 0, 17, "child"));
                m
            }
            80..88 => {
                let kids = self.rng.gen_range(1..=2);
                let female = self.rng.gen_bool(0.8);
                let mut m = vec![self.person(surname, 28, 50, female, "head")];
                m.extend(self.children(surname, kids, 0, 16, "child"));
                m
            }
            88..92 => {
                let kids = self.rng.gen_range(1..=2);
                let mut m = vec![self.person(surname, 60, 80, true, "head")];
                m.extend(self.children(surname, kids, 3, 15, "grandchild"));
                m
            }
            92..97 => {
                let kids = self.rng.gen_range(1..=2);
                let mut spouse = self.person("", 25, 40, true, "spouse");
                spouse.name = names::migrant(self.rng).to_string();
                let mut m = vec![self.person(surname, 38, 55, false, "head"), spouse];
                m.extend(self.children(surname, kids, 0, 12, "child"));
                m
            }
            _ => {
                let spouse = names::surname(self.rng);
                let mut m = vec![
                    self.person(surname, 36, 50, false, "head"),
                    self.person(spouse, 34, 48, true, "spouse"),
                    self.person(surname, 68, 85, true, "parent"),
                ];
                m.extend(self.children(surname, 2, 2, 14, "child"));
                m
            }
        }
    }

    /// A point inside the 행정동's polygon, by rejection sampling in its bounding box.
    fn point_in(&mut self, area: &Area) -> Option<(f64, f64)> {
        let bbox = area.shape.bounding_rect()?;
        for _ in 0..1000 {
            let lon = self.rng.gen_range(bbox.min().x..bbox.max().x);
            let lat = self.rng.gen_range(bbox.min().y..bbox.max().y);
            if area.shape.contains(&Point::new(lon, lat)) {
                return Some((lat, lon));
            }
        }
        None
    }
}

/// Households for every 행정동: `per_thousand` per 1,000 registered residents, at least one each.
pub fn generate(rng: &mut ChaCha8Rng, areas: &Areas, per_thousand: f64) -> Vec<Household> {
    let mut g = Gen { rng, ids: Ids { next: 0 }, rrns: HashSet::new() };
    let mut out = Vec::new();
    for area in areas.all() {
        let count = ((f64::from(area.population) / 1000.0 * per_thousand).round() as usize).max(1);
        for _ in 0..count {
            let Some((lat, lon)) = g.point_in(area) else {
                continue;
            };
            let road = names::ROADS[g.rng.gen_range(0..names::ROADS.len())];
            let address = format!("{} {road} {}", areas.municipality_name(), g.rng.gen_range(1..600));
            let id = g.ids.next(g.rng);
            let members = g.members();
            out.push(Household { id, adm_cd2: area.adm_cd2.clone(), address, lat, lon, members });
        }
    }
    out
}

/// Writes the households in one transaction; returns the number of residents.
pub async fn store(db: &Db, keys: &Keys, municipality: &str, households: &[Household]) -> Result<usize, AppError> {
    let mut tx = db.begin().await?;
    let mut residents = 0;
    for h in households {
        let household = NewHousehold {
            id: &h.id,
            municipality_code: municipality,
            adm_cd2: &h.adm_cd2,
            address: &h.address,
            lat: h.lat,
            lon: h.lon,
        };
        insert_household(&mut tx, &household).await?;
        for p in &h.members {
            let resident = NewResident {
                id: &p.id,
                municipality_code: municipality,
                household_id: &h.id,
                name: &p.name,
                birth_date: p.birth,
                sex: if p.female { "F" } else { "M" },
                relation: p.relation,
                phone: p.phone.as_deref(),
                rrn_hmac: Some(keys.rrn_hash(&p.rrn)),
                rrn_sealed: Some(keys.seal_rrn(&p.rrn)),
            };
            insert_resident(&mut tx, &resident).await?;
            residents += 1;
        }
    }
    tx.commit().await?;
    Ok(residents)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    type Fingerprint = Vec<(String, String, Vec<(String, String)>)>;

    fn fingerprint(households: &[Household]) -> Fingerprint {
        households
            .iter()
            .map(|h| {
                (h.id.clone(), h.address.clone(), h.members.iter().map(|p| (p.id.clone(), p.name.clone())).collect())
            })
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let areas = Areas::embedded("11350");
        let a = generate(&mut ChaCha8Rng::seed_from_u64(7), &areas, 0.5);
        let b = generate(&mut ChaCha8Rng::seed_from_u64(7), &areas, 0.5);
        let c = generate(&mut ChaCha8Rng::seed_from_u64(8), &areas, 0.5);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }

    #[test]
    fn every_household_lies_in_its_own_dong() {
        let areas = Areas::embedded("11350");
        let households = generate(&mut ChaCha8Rng::seed_from_u64(1), &areas, 0.5);
        assert!(households.len() >= 19);
        for h in &households {
            assert_eq!(areas.locate(h.lat, h.lon).map(|a| a.adm_cd2.as_str()), Some(h.adm_cd2.as_str()));
            assert!(!h.members.is_empty());
        }
    }
}
