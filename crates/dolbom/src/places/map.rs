//! The map page: the district's real 행정동 boundaries drawn as SVG by the server (no tiles, no CDN: it works offline
//! from the binary), the facilities and groups found as markers, a layer per 행정동 (facilities per 1,000 children,
//! or free places), and the same results as a list, which is what keyboard and screen-reader users read.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use geo::{MultiPolygon, Simplify};
use serde::Deserialize;

use super::api::{self, FacilityHit};
use super::index::{Hit, Projection};
use super::model::{FACILITY_KINDS, GROUP_KINDS, Group, LANGUAGES};
use super::query::PlaceParams;
use crate::app::AppState;
use crate::areas::{Area, Areas};
use crate::auth::Visitor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::{Page, render_with_status};

/// How many places the map shows at once (the whole demo district fits).
const MAP_LIMIT: usize = 400;
/// Boundary simplification, in degrees (about 5 m): invisible at district scale, a third of the bytes.
const SIMPLIFY: f64 = 0.00005;

/// One 행정동 on the map and in the layer table.
pub struct DongShape {
    pub code: String,
    pub name: String,
    pub path: String,
    pub label: (i64, i64),
    pub facilities: usize,
    pub children: u32,
    /// Facilities per 1,000 children aged 0–12, one decimal.
    pub per_thousand: String,
    pub free: i64,
    /// 0–3: the layer's shade.
    pub shade: usize,
}

pub struct Marker {
    pub x: i64,
    pub y: i64,
    pub kind: String,
    pub index: usize,
}

/// `M x y L …Z` for every ring, in metres (y grows southwards, as SVG's does).
pub(crate) fn svg_path(shape: &MultiPolygon<f64>, projection: &Projection) -> String {
    let mut out = String::new();
    for polygon in shape.simplify(&SIMPLIFY).0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for (i, c) in ring.0.iter().enumerate() {
                let [x, y] = projection.point(c.y, c.x);
                out.push_str(&format!("{}{} {}", if i == 0 { "M" } else { "L" }, x.round() as i64, -y.round() as i64));
            }
            out.push('Z');
        }
    }
    out
}

pub(crate) fn label_point(area: &Area, projection: &Projection) -> (i64, i64) {
    use geo::InteriorPoint;
    let p = area.shape.interior_point().map(|p| projection.point(p.y(), p.x())).unwrap_or_default();
    (p[0].round() as i64, -p[1].round() as i64)
}

/// The drawing of the 행정동s, the same on every visit: made once per process (simplifying and projecting the
/// boundaries took most of a page's time).
pub struct Outlines {
    view_box: String,
    /// Per area of `Areas::all`, in order: its SVG path and where its label goes.
    dongs: Vec<(String, (i64, i64))>,
}

impl Outlines {
    pub fn of(areas: &Areas) -> Outlines {
        let (lat, lon) = areas.center();
        let projection = Projection::around(lat, lon);
        let dongs =
            areas.all().iter().map(|a| (svg_path(&a.shape, &projection), label_point(a, &projection))).collect();
        Outlines { view_box: view_box(areas, &projection), dongs }
    }
}

/// The layer: each 행정동 with its counts, shaded by quartile of the chosen figure.
fn dong_shapes(
    areas: &Areas,
    outlines: &Outlines,
    per_dong: &std::collections::HashMap<String, (usize, i64)>,
    layer: &str,
) -> Vec<DongShape> {
    let mut shapes: Vec<DongShape> = areas
        .all()
        .iter()
        .zip(&outlines.dongs)
        .map(|(a, (path, label))| {
            let (facilities, free) = per_dong.get(&a.adm_cd2).copied().unwrap_or_default();
            let per_thousand = if a.children > 0 { facilities as f64 * 1000.0 / a.children as f64 } else { 0.0 };
            DongShape {
                code: a.adm_cd2.clone(),
                name: a.name.clone(),
                path: path.clone(),
                label: *label,
                facilities,
                children: a.children,
                per_thousand: format!("{per_thousand:.1}"),
                free,
                shade: 0,
            }
        })
        .collect();
    let figure = |s: &DongShape| if layer == "free" { s.free as f64 } else { s.per_thousand.parse().unwrap_or(0.0) };
    let mut sorted: Vec<f64> = shapes.iter().map(figure).collect();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let quartile = |q: usize| sorted.get(sorted.len() * q / 4).copied().unwrap_or(0.0);
    let cuts = [quartile(1), quartile(2), quartile(3)];
    for s in &mut shapes {
        let v = figure(s);
        s.shade = cuts.iter().filter(|c| v >= **c).count();
    }
    shapes
}

/// `minx miny width height` around every boundary, with a margin.
pub(crate) fn view_box(areas: &Areas, projection: &Projection) -> String {
    let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
    for b in areas.all().iter().filter_map(|a| a.bbox) {
        for (lon, lat) in [(b.min().x, b.min().y), (b.max().x, b.max().y)] {
            let [x, y] = projection.point(lat, lon);
            min = [min[0].min(x), min[1].min(-y)];
            max = [max[0].max(x), max[1].max(-y)];
        }
    }
    if min[0] > max[0] {
        return "0 0 1000 1000".into();
    }
    let margin = 200.0;
    format!(
        "{} {} {} {}",
        (min[0] - margin) as i64,
        (min[1] - margin) as i64,
        (max[0] - min[0] + 2.0 * margin) as i64,
        (max[1] - min[1] + 2.0 * margin) as i64
    )
}

#[derive(Deserialize, Default)]
struct MapExtras {
    #[serde(default)]
    layer: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

/// Results per page of the list and the map: a phone gets a page it can carry, not every centre of the 구.
const PER_PAGE: usize = 30;

/// This page's query with `page` set to `n`.
fn page_href(raw: &str, n: usize) -> String {
    let mut pairs: Vec<&str> = raw.split('&').filter(|p| !p.is_empty() && !p.starts_with("page=")).collect();
    let page = format!("page={n}");
    pairs.push(&page);
    format!("/places?{}", pairs.join("&"))
}

#[derive(Template)]
#[template(path = "places/map.html")]
struct MapPage {
    page: Page,
    params: PlaceParams,
    layer: String,
    errors: FieldErrors,
    view_box: String,
    dongs: Vec<DongShape>,
    /// This page's share of the results, and where it stands among them.
    facilities: Vec<FacilityHit>,
    total: usize,
    page_no: usize,
    page_count: usize,
    query: String,
    groups: Vec<Hit<Group>>,
    markers: Vec<Marker>,
    group_markers: Vec<Marker>,
    kinds: Vec<&'static str>,
    group_kinds: Vec<&'static str>,
    languages: Vec<&'static str>,
}

impl MapPage {
    fn page_href(&self, n: usize) -> String {
        page_href(&self.query, n)
    }

    fn dong_name(&self, code: &str) -> String {
        self.dongs.iter().find(|d| d.code == code).map(|d| d.name.clone()).unwrap_or_default()
    }

    fn vacancy_on(&self) -> bool {
        matches!(self.params.vacancy.as_deref().map(str::trim), Some("1" | "true" | "on"))
    }

    fn checked(&self, list: &[String], value: &str) -> bool {
        list.iter().any(|v| v == value)
    }

    fn distance(&self, metres: &Option<f64>) -> String {
        match metres {
            Some(m) if *m >= 1000.0 => format!("{:.1} km", m / 1000.0),
            Some(m) => format!("{} m", m.round() as i64),
            None => String::new(),
        }
    }
}

pub async fn map_page(State(state): State<AppState>, visitor: Visitor, RawQuery(raw): RawQuery) -> AppResult<Response> {
    let mut params = api::parse(raw.clone())?;
    // A first visit shows the groups too; once the form is used, its boxes decide.
    if raw.as_deref().is_none_or(str::is_empty) {
        params.group = GROUP_KINDS.iter().map(|k| k.to_string()).collect();
    }
    let extras = serde_html_form::from_str::<MapExtras>(raw.as_deref().unwrap_or_default()).ok();
    let layer =
        extras.as_ref().and_then(|e| e.layer.clone()).filter(|l| l == "free").unwrap_or_else(|| "density".into());
    let asked_page = extras.and_then(|e| e.page).and_then(|p| p.trim().parse::<usize>().ok()).unwrap_or(1);
    let (center_lat, center_lon) = state.areas.center();
    let projection = Projection::around(center_lat, center_lon);
    let outlines = state.map_outlines.get_or_init(|| Outlines::of(&state.areas));
    let (mut results, errors) = match api::run(&state, &params, MAP_LIMIT) {
        Ok(r) => (r, FieldErrors::default()),
        Err(AppError::Invalid(errors)) => (api::PlaceResults { facilities: Vec::new(), groups: Vec::new() }, errors),
        Err(e) => return Err(e),
    };
    let total = results.facilities.len();
    let page_count = total.div_ceil(PER_PAGE).max(1);
    let page_no = asked_page.clamp(1, page_count);
    results.facilities = results.facilities.into_iter().skip((page_no - 1) * PER_PAGE).take(PER_PAGE).collect();
    let marker = |(index, lat, lon, kind): (usize, f64, f64, &str)| {
        let [x, y] = projection.point(lat, lon);
        Marker { x: x.round() as i64, y: -y.round() as i64, kind: kind.to_string(), index }
    };
    let markers = results
        .facilities
        .iter()
        .enumerate()
        .map(|(i, h)| marker((i, h.hit.place.latitude, h.hit.place.longitude, &h.hit.place.kind)))
        .collect();
    let group_markers = results
        .groups
        .iter()
        .enumerate()
        .map(|(i, h)| marker((i, h.place.latitude, h.place.longitude, &h.place.kind)))
        .collect();
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(
        status,
        &MapPage {
            page: Page::new(&visitor, "map-title"),
            view_box: outlines.view_box.clone(),
            dongs: dong_shapes(&state.areas, outlines, &state.places.per_dong(), &layer),
            layer,
            params,
            errors,
            facilities: results.facilities,
            total,
            page_no,
            page_count,
            query: raw.unwrap_or_default(),
            groups: results.groups,
            markers,
            group_markers,
            kinds: FACILITY_KINDS.to_vec(),
            group_kinds: GROUP_KINDS.to_vec(),
            languages: LANGUAGES.to_vec(),
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_links_keep_the_search_and_replace_the_page() {
        assert_eq!(super::page_href("", 2), "/places?page=2");
        assert_eq!(super::page_href("kind=daycare&page=3&vacancy=1", 4), "/places?kind=daycare&vacancy=1&page=4");
    }
}
