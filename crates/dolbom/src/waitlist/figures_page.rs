//! The officials' waitlist dashboard: children waiting over time (in all, and per 행정동 or per centre, as a chart
//! with the same figures in a table and as CSV), how long a place takes, places left empty, and where the next
//! centre would serve the most waiting children, on the map.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::figures::{self, By, Series, TimeToPlace};
use super::figures_store;
use super::siting::{self, Demand, Ranked, Site};
use super::{round, store};
use crate::app::AppState;
use crate::auth::Visitor;
use crate::db::time::seoul_today;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::index::Projection;
use crate::places::map::{label_point, svg_path, view_box};
use crate::web::chart::{Line, daily_lines};
use crate::web::{Page, render};

/// Lines drawn besides the total: the largest waiting counts today.
const TOP_LINES: usize = 5;
/// Centres listed with their empty places, most first.
const EMPTY_SHOWN: usize = 20;
/// Sites ranked in the table; the map marks the first three (and the sites an official entered).
const SITES_SHOWN: usize = 10;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct FiguresParams {
    #[serde(default)]
    by: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    limit_km: String,
    /// Sites an official enters, a line each: `name, latitude, longitude`.
    #[serde(default)]
    sites: String,
}

/// The siting question, checked.
struct Siting {
    capacity: u32,
    limit_m: f64,
    entered: Vec<Site>,
}

impl FiguresParams {
    fn by(&self) -> By {
        if self.by == "centre" { By::Centre } else { By::Area }
    }

    fn siting(&self, state: &AppState, errors: &mut FieldErrors) -> Siting {
        let capacity = match self.capacity.trim() {
            "" => 40,
            s => s.parse().ok().filter(|c| (1..=500).contains(c)).unwrap_or_else(|| {
                errors.add("capacity", "waitlist-error-capacity");
                40
            }),
        };
        let limit_km: f64 = match self.limit_km.trim() {
            "" => 1.0,
            s => s.parse().ok().filter(|k: &f64| (0.1..=20.0).contains(k)).unwrap_or_else(|| {
                errors.add("limit_km", "waitlist-error-limit");
                1.0
            }),
        };
        let mut entered = Vec::new();
        for line in self.sites.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match parse_site(line).filter(|s| state.areas.locate(s.lat, s.lon).is_some()) {
                Some(site) => entered.push(site),
                None => errors.add("sites", "waitlist-error-site"),
            }
        }
        Siting { capacity, limit_m: limit_km * 1000.0, entered }
    }
}

/// `name, latitude, longitude`.
fn parse_site(line: &str) -> Option<Site> {
    let mut parts = line.rsplitn(3, ',').map(str::trim);
    let lon: f64 = parts.next()?.parse().ok()?;
    let lat: f64 = parts.next()?.parse().ok()?;
    let name = parts.next().filter(|n| !n.is_empty())?.to_string();
    Some(Site { name, lat, lon, entered: true })
}

pub struct SiteMarker {
    pub rank: usize,
    pub x: i64,
    pub y: i64,
}

pub struct DongWaiting {
    pub name: String,
    pub path: String,
    pub label: (i64, i64),
    pub waiting: u32,
    pub children: u32,
}

#[derive(Template)]
#[template(path = "waitlist/figures.html")]
struct FiguresPage {
    page: Page,
    params: FiguresParams,
    errors: FieldErrors,
    chart: String,
    /// Per line: name, today, a week ago, four weeks ago.
    table: Vec<(String, i64, i64, i64)>,
    time_to_place: Option<TimeToPlace>,
    /// Per centre with free seats, most first.
    empty: Vec<EmptyPlaces>,
    /// Rank (from 1) and site.
    ranked: Vec<(usize, Ranked)>,
    view_box: String,
    dongs: Vec<DongWaiting>,
    markers: Vec<SiteMarker>,
}

impl FiguresPage {
    /// The centres with the most empty places; the CSV-minded official has the total above.
    fn empty_shown(&self) -> &[EmptyPlaces] {
        &self.empty[..self.empty.len().min(EMPTY_SHOWN)]
    }

    fn empty_total(&self) -> i64 {
        self.empty.iter().map(|e| e.free).sum()
    }

    /// A centre's classes with places left: `만 2세반 3 · 영아혼합반(만 0–2세) 1`; empty for a centre without classes.
    fn classes(&self, e: &EmptyPlaces) -> String {
        let label = |ages: &str| match ages {
            "0-2" => self.page.t("waitlist-class-infants-mixed"),
            "3-5" => self.page.t("waitlist-class-toddlers-mixed"),
            age => self.page.t1("waitlist-band", "age", age),
        };
        e.classes
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(ages, n)| format!("{} {n}", label(ages)))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn km(&self, t: &f64) -> String {
        format!("{t:.1}")
    }
}

/// A key's name: a centre's or a 행정동's.
fn name_of(state: &AppState, by: By, key: &str) -> String {
    match by {
        By::Centre => state.places.facility(key).map_or_else(|| key.to_string(), |f| f.name.clone()),
        By::Area => state.areas.name_of(key).unwrap_or(key).to_string(),
    }
}

async fn series(state: &AppState, by: By) -> AppResult<(Series, Vec<figures::Stint>)> {
    let stints = figures_store::stints(&state.db, state.municipality()).await?;
    let today = seoul_today();
    Ok((figures::series(&stints, figures::first_day(&stints, today), today, by), stints))
}

fn value_ago(values: &[i64], days: usize) -> i64 {
    values.len().checked_sub(days + 1).and_then(|i| values.get(i)).copied().unwrap_or(0)
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<FiguresParams>,
) -> AppResult<Response> {
    let by = params.by();
    let (s, stints) = series(&state, by).await?;
    let mut keys: Vec<(&String, &Vec<i64>)> = s.by_key.iter().collect();
    keys.sort_by_key(|(k, v)| (std::cmp::Reverse(v.last().copied().unwrap_or(0)), (*k).clone()));
    let page = Page::new(&visitor, "waitlist-figures-title");
    let total_name = page.t("waitlist-figures-total");
    let names: Vec<String> = keys.iter().map(|(k, _)| name_of(&state, by, k)).collect();
    let mut lines = vec![Line { name: &total_name, values: &s.total }];
    lines.extend(keys.iter().zip(&names).take(TOP_LINES).map(|((_, v), n)| Line { name: n, values: v }));
    let chart = daily_lines(&s.days, &lines, 760, 320);
    let table = std::iter::once((total_name.clone(), &s.total))
        .chain(names.iter().cloned().zip(keys.iter().map(|(_, v)| *v)))
        .map(|(n, v)| (n, value_ago(v, 0), value_ago(v, 7), value_ago(v, 28)))
        .collect();
    let mut errors = FieldErrors::default();
    let siting = params.siting(&state, &mut errors);
    let (ranked, dongs, markers, view) = site_ranking(&state, &stints, &siting);
    render(&FiguresPage {
        page,
        params,
        errors,
        chart,
        table,
        time_to_place: figures::time_to_place(&figures_store::placement_spans(&state.db, state.municipality()).await?),
        empty: empty_places(&state).await?,
        ranked,
        view_box: view,
        dongs,
        markers,
    })
}

/// A centre with places the waitlist could still give.
struct EmptyPlaces {
    name: String,
    free: i64,
    /// Children waiting for it.
    waiting: i64,
    /// Places left per class, for a 어린이집 with classes.
    classes: BTreeMap<String, i64>,
}

/// Centres with seats the waitlist could still give, their classes' places and how many children wait for each.
async fn empty_places(state: &AppState) -> AppResult<Vec<EmptyPlaces>> {
    let waiting: HashMap<String, i64> =
        store::waiting_per_centre(&state.db, state.municipality()).await?.into_iter().collect();
    let mut classes = round::places_left(state, seoul_today()).await?;
    let mut out: Vec<EmptyPlaces> = store::free_seats(&state.db, state.municipality())
        .await?
        .into_iter()
        .filter_map(|(id, free)| {
            let f = state.places.facility(&id).filter(|f| f.kind == "daycare" || f.kind == "daycare_24h")?;
            let classes = classes.remove(&id).unwrap_or_default();
            // A centre with classes can give no more than its classes have left, whatever its total says.
            let free = if classes.is_empty() { free } else { free.min(classes.values().sum()) };
            let waiting = waiting.get(&id).copied().unwrap_or(0);
            (free > 0).then(|| EmptyPlaces { name: f.name.clone(), free, waiting, classes })
        })
        .collect();
    out.sort_by_key(|e| (std::cmp::Reverse(e.free), e.name.clone()));
    Ok(out)
}

type SiteMap = (Vec<(usize, Ranked)>, Vec<DongWaiting>, Vec<SiteMarker>, String);

/// Waiting children by home 행정동, the candidate sites ranked, and the map of both.
fn site_ranking(state: &AppState, stints: &[figures::Stint], siting: &Siting) -> SiteMap {
    let mut waiting: HashMap<&str, u32> = HashMap::new();
    for s in stints.iter().filter(|s| s.left_at.is_none()) {
        if let Some(home) = s.home_area.as_deref() {
            *waiting.entry(home).or_default() += 1;
        }
    }
    let areas = state.areas.all();
    let demand: Vec<Demand> = areas
        .iter()
        .filter_map(|a| {
            let (lat, lon) = state.areas.inner_point(&a.adm_cd2)?;
            Some(Demand {
                lat,
                lon,
                waiting: waiting.get(a.adm_cd2.as_str()).copied().unwrap_or(0),
                children: a.children,
            })
        })
        .collect();
    let mut sites: Vec<Site> = areas
        .iter()
        .filter_map(|a| {
            let (lat, lon) = state.areas.inner_point(&a.adm_cd2)?;
            Some(Site { name: a.name.clone(), lat, lon, entered: false })
        })
        .collect();
    sites.extend(siting.entered.iter().cloned());
    // The top sites, and every site the official entered wherever it ranks: they asked about it.
    let ranked: Vec<(usize, Ranked)> = siting::rank(&sites, &demand, siting.capacity, siting.limit_m)
        .into_iter()
        .enumerate()
        .filter(|(i, r)| *i < SITES_SHOWN || r.site.entered)
        .map(|(i, r)| (i + 1, r))
        .collect();
    let (lat0, lon0) = state.areas.center();
    let projection = Projection::around(lat0, lon0);
    let dongs = areas
        .iter()
        .map(|a| DongWaiting {
            name: a.name.clone(),
            path: svg_path(&a.shape, &projection),
            label: label_point(a, &projection),
            waiting: waiting.get(a.adm_cd2.as_str()).copied().unwrap_or(0),
            children: a.children,
        })
        .collect();
    let markers = ranked
        .iter()
        .filter(|(rank, r)| *rank <= 3 || r.site.entered)
        .map(|(rank, r)| {
            let [x, y] = projection.point(r.site.lat, r.site.lon);
            SiteMarker { rank: *rank, x: x.round() as i64, y: -y.round() as i64 }
        })
        .collect();
    (ranked, dongs, markers, view_box(&state.areas, &projection))
}

/// `GET /official/waitlist.csv?by=area|centre`: every day's waiting count, in all and per key (with a BOM, so a
/// spreadsheet opens the Korean names right).
pub async fn csv(State(state): State<AppState>, Query(params): Query<FiguresParams>) -> AppResult<Response> {
    let by = params.by();
    let (s, _) = series(&state, by).await?;
    let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let csv_error = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    writer.write_record(["date", "key", "name", "waiting"]).map_err(csv_error)?;
    let names: Vec<(&String, String)> = s.by_key.keys().map(|k| (k, name_of(&state, by, k))).collect();
    for (i, day) in s.days.iter().enumerate() {
        let day = day.to_string();
        writer.write_record([day.as_str(), "total", "", &s.total[i].to_string()]).map_err(csv_error)?;
        for (key, name) in &names {
            let n = s.by_key[*key][i].to_string();
            writer.write_record([day.as_str(), key.as_str(), name.as_str(), &n]).map_err(csv_error)?;
        }
    }
    let body = writer.into_inner().map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    let scope = if by == By::Centre { "centre" } else { "area" };
    let filename = format!("attachment; filename=\"waitlist-{scope}-{}.csv\"", seoul_today().format("%Y%m%d"));
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, filename)], body)
        .into_response())
}
