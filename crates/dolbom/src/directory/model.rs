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
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewPhone {
    pub number: String,
    pub description: Option<String>,
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
}
