//! The hub's content (issue #10): officials' pages in Markdown — 정책 by topic, 전문가 칼럼, 부모·자녀 교육자료,
//! 유용한 사이트, the 스토리텔링 archive of groups' stories by year and theme, and the 자료실 of forms and templates
//! for grant holders — served as sanitised HTML, with attachments known by their bytes.

pub mod attachment;
pub mod demo;
pub mod edit_routes;
pub mod form;
pub mod markdown;
pub mod routes;
pub mod store;
