//! 찾아가는 동주민센터: outreach visits scheduled per welfare worker, the notes and risks seen on a visit, the
//! follow-up tasks it leaves, and the households at risk per 행정동 (by their latest visit).

pub mod model;
pub mod routes;
pub mod store;
