//! Record linkage in the app: an agency uploads recipient lists (the columns `dolbom link` reads), dolbom finds the
//! records that are the same person, and the pairs neither clearly one person nor clearly two wait in a review
//! queue. A reviewer's decision overrides the model, and the result is drawn again from the joined pairs and the
//! decisions. Lists bigger than an upload (2 MB) go through `dolbom link`.

pub mod routes;
pub mod store;
