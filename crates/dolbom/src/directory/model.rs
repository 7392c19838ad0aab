use serde::Serialize;

/// HSDS service statuses.
pub const STATUSES: [&str; 4] = ["active", "inactive", "defunct", "temporarily closed"];

/// A service as the importers and staff pages write it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewService {
    pub source_id: Option<String>,
    pub organization: String,
    pub organization_description: String,
    pub name: String,
    pub description: String,
    pub url: Option<String>,
    pub status: String,
    pub application_process: Option<String>,
    pub eligibility_description: Option<String>,
    pub minimum_age: Option<i32>,
    pub maximum_age: Option<i32>,
    /// `eligibility::Rules` as JSON.
    pub rules: Option<String>,
    /// Term ids (`taxonomy:code`).
    pub terms: Vec<String>,
    /// Terms that carry a text (HSDS attribute `value`), e.g. `donation:how_to_give` → "ARS 060-700-1212".
    pub attribute_values: Vec<(String, String)>,
    pub phones: Vec<NewPhone>,
    /// Where the service is delivered; `None` keeps what is stored (staff edits and CSV imports carry no places).
    pub locations: Option<Vec<ServiceLocation>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPhone {
    pub number: String,
    pub description: Option<String>,
}

/// A place a service is delivered at: HSDS `service_at_location` with its `location` and postal `address`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct ServiceLocation {
    /// The `service_at_location` id.
    pub id: String,
    pub location_id: String,
    /// HSDS `location_type`: physical, postal or virtual.
    pub location_type: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The 행정동 the coordinates fall in, found on the district's boundaries.
    pub adm_cd2: Option<String>,
    pub address: Option<Address>,
}

/// A 도로명주소 in HSDS address fields (`address_1` the road address; `postal_code` empty when the source has none).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Address {
    pub id: String,
    pub address_1: String,
    pub city: String,
    pub state_province: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Term {
    pub id: String,
    pub taxonomy_id: String,
    pub code: String,
    pub name: String,
    /// The attribute's text, for terms that carry one (how to give, the tax benefit).
    pub value: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Phone {
    pub number: String,
    pub description: Option<String>,
}

/// A service with its organization, terms and phones, as pages and the API show it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ServiceDetail {
    pub id: String,
    pub source_id: Option<String>,
    pub name: String,
    pub description: String,
    pub url: Option<String>,
    pub status: String,
    pub application_process: Option<String>,
    pub eligibility_description: Option<String>,
    pub minimum_age: Option<i32>,
    pub maximum_age: Option<i32>,
    pub rules: Option<String>,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub terms: Vec<Term>,
    pub phones: Vec<Phone>,
    pub locations: Vec<ServiceLocation>,
}
