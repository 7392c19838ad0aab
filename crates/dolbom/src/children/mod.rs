//! Children their guardians register once for every care application: name, birth date, sex, school, special needs,
//! allergies, emergency contacts and consents. A 주민등록번호, if given, is kept only as a keyed hash and a sealed
//! copy (see `keys`).

pub mod model;
pub mod routes;
pub mod store;
