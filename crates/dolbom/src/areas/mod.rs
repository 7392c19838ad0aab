//! The municipality's 행정동s: names, boundaries (real polygons, WGS84) and population, embedded in the binary.
//! Finds the 행정동 of a point by point-in-polygon.

use geo::{BoundingRect, Contains, MultiPolygon, Point, Rect};
use serde::Serialize;

const NOWON_BOUNDARIES: &str = include_str!("../../data/nowon-boundaries.geojson");
const NOWON_POPULATION: &str = include_str!("../../data/nowon-population-202606.csv");
const SEODAEMUN_BOUNDARIES: &str = include_str!("../../data/seodaemun-boundaries.geojson");
const SEODAEMUN_POPULATION: &str = include_str!("../../data/seodaemun-population-202606.csv");

/// The children the care facilities serve: 만 0–12세.
pub const CHILD_AGES: std::ops::RangeInclusive<usize> = 0..=12;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Area {
    /// 10-digit 행정기관코드.
    pub adm_cd2: String,
    /// Short name, e.g. `상계1동`.
    pub name: String,
    /// Full name, e.g. `서울특별시 노원구 상계1동`.
    pub full_name: String,
    /// 주민등록 인구 (June 2026).
    pub population: u32,
    /// Of them, children aged 만 0–12세.
    pub children: u32,
    #[serde(skip)]
    #[schema(ignore)]
    pub shape: MultiPolygon<f64>,
    #[serde(skip)]
    #[schema(ignore)]
    pub bbox: Option<Rect<f64>>,
}

#[derive(Debug, Default)]
pub struct Areas {
    municipality_name: String,
    areas: Vec<Area>,
}

impl Areas {
    /// The embedded boundaries of `municipality` (시군구 code): 노원구 (11350) and 서대문구 (11410) ship today; any
    /// other code gets an empty set, and the pages say so rather than show another place's map.
    pub fn embedded(municipality: &str) -> Areas {
        let sources = match municipality {
            "11350" => (NOWON_BOUNDARIES, NOWON_POPULATION),
            "11410" => (SEODAEMUN_BOUNDARIES, SEODAEMUN_POPULATION),
            _ => return Areas::default(),
        };
        Areas::from_sources(sources.0, sources.1).unwrap_or_default()
    }

    fn from_sources(geojson: &str, population_csv: &str) -> Result<Areas, String> {
        let collection: geojson::FeatureCollection = geojson
            .parse::<geojson::GeoJson>()
            .map_err(|e| e.to_string())?
            .try_into()
            .map_err(|e: geojson::Error| e.to_string())?;
        let population = population_by_area(population_csv)?;
        let mut municipality_name = String::new();
        let mut areas = Vec::new();
        for feature in collection.features {
            let prop = |key: &str| feature.property(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let (adm_cd2, full_name) = (prop("adm_cd2"), prop("adm_nm"));
            municipality_name = format!("{} {}", prop("sidonm"), prop("sggnm"));
            let geometry = feature.geometry.as_ref().ok_or("feature without geometry")?;
            let shape: MultiPolygon<f64> =
                geometry.value.clone().try_into().map_err(|e: geojson::Error| e.to_string())?;
            let (people, children) =
                population.iter().find(|(code, _, _)| *code == adm_cd2).map(|(_, n, c)| (*n, *c)).unwrap_or((0, 0));
            areas.push(Area {
                name: full_name.rsplit(' ').next().unwrap_or_default().to_string(),
                population: people,
                children,
                bbox: shape.bounding_rect(),
                shape,
                adm_cd2,
                full_name,
            });
        }
        areas.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Areas { municipality_name, areas })
    }

    pub fn municipality_name(&self) -> &str {
        &self.municipality_name
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    pub fn all(&self) -> &[Area] {
        &self.areas
    }

    pub fn get(&self, adm_cd2: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.adm_cd2 == adm_cd2)
    }

    pub fn name_of(&self, adm_cd2: &str) -> Option<&str> {
        self.get(adm_cd2).map(|a| a.name.as_str())
    }

    /// The middle of the district's bounding box (latitude, longitude); Seoul City Hall when there are no areas.
    pub fn center(&self) -> (f64, f64) {
        let boxes: Vec<_> = self.areas.iter().filter_map(|a| a.bbox).collect();
        if boxes.is_empty() {
            return (37.5665, 126.978);
        }
        let (min_x, max_x) =
            boxes.iter().fold((f64::MAX, f64::MIN), |(lo, hi), b| (lo.min(b.min().x), hi.max(b.max().x)));
        let (min_y, max_y) =
            boxes.iter().fold((f64::MAX, f64::MIN), |(lo, hi), b| (lo.min(b.min().y), hi.max(b.max().y)));
        ((min_y + max_y) / 2.0, (min_x + max_x) / 2.0)
    }

    /// The 행정동s as a form's choices: code and name.
    pub fn choices(&self) -> Vec<(String, String)> {
        self.areas.iter().map(|a| (a.adm_cd2.clone(), a.name.clone())).collect()
    }

    /// A point inside the 행정동 (latitude, longitude): where a resident who gave only their 동 is taken to be.
    pub fn inner_point(&self, adm_cd2: &str) -> Option<(f64, f64)> {
        use geo::InteriorPoint;
        self.get(adm_cd2)?.shape.interior_point().map(|p| (p.y(), p.x()))
    }

    /// The 행정동 containing the point, if any.
    pub fn locate(&self, lat: f64, lon: f64) -> Option<&Area> {
        let point = Point::new(lon, lat);
        self.areas.iter().filter(|a| a.bbox.is_some_and(|b| b.contains(&point))).find(|a| a.shape.contains(&point))
    }
}

/// `(adm_cd2, everyone, children 만 0–12세)` per 행정동.
fn population_by_area(csv_text: &str) -> Result<Vec<(String, u32, u32)>, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name).ok_or(format!("no column {name}"));
    let (code, level, total) = (column("adm_cd2")?, column("level")?, column("total_pop")?);
    let child_columns: Vec<usize> = CHILD_AGES.map(|age| column(&format!("age_{age}"))).collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        if record.get(level) == Some("emd") {
            let number = |i: usize| record.get(i).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
            let children = child_columns.iter().map(|i| number(*i)).sum();
            out.push((record.get(code).unwrap_or_default().to_string(), number(total), children));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nowon_has_nineteen_dongs_with_population() {
        let areas = Areas::embedded("11350");
        assert_eq!(areas.len(), 19);
        assert_eq!(areas.municipality_name(), "서울특별시 노원구");
        let total: u32 = areas.all().iter().map(|a| a.population).sum();
        assert_eq!(total, 481_053, "the emd rows add up to the 구's total");
        assert!(areas.all().iter().all(|a| a.population > 0 && a.children > 0 && a.children < a.population));
    }

    #[test]
    fn seodaemun_ships_too() {
        let areas = Areas::embedded("11410");
        assert_eq!((areas.len(), areas.municipality_name()), (14, "서울특별시 서대문구"));
        assert_eq!(areas.all().iter().map(|a| a.population).sum::<u32>(), 299_810, "the 구's total");
    }

    #[test]
    fn points_fall_in_the_right_dong() {
        use geo::InteriorPoint;
        let areas = Areas::embedded("11350");
        for area in areas.all() {
            let inside = area.shape.interior_point().expect("a non-empty polygon has an interior point");
            let found = areas.locate(inside.y(), inside.x()).map(|a| a.adm_cd2.as_str());
            assert_eq!(found, Some(area.adm_cd2.as_str()), "{}", area.name);
        }
        // 서울시청 is not in 노원구.
        assert!(areas.locate(37.5663, 126.9779).is_none());
    }

    #[test]
    fn other_municipalities_have_no_embedded_map() {
        assert!(Areas::embedded("41360").is_empty());
    }
}
