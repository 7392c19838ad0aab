//! From what a resident typed to a tantivy query: every word must match (in name, summary or organization,
//! the name counting most), each word through any of its synonyms; a 초성 query matches names by consonants.

use tantivy::Term;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};

use super::tokenizer::consonants;

/// Longest query taken: past this, words are ignored (a 10,000-character paste is not a search).
pub const MAX_QUERY_CHARS: usize = 200;
const MAX_WORDS: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    pub query: String,
    /// Facet paths every hit must carry, e.g. `/theme/care`.
    pub facets: Vec<String>,
    pub limit: usize,
    pub offset: usize,
}

impl SearchRequest {
    pub fn is_choseong(&self) -> bool {
        korean::is_choseong_query(&self.query)
    }

    /// The query trimmed to [`MAX_QUERY_CHARS`] and normalised.
    pub fn normalized_query(&self) -> String {
        let cut: String = self.query.chars().take(MAX_QUERY_CHARS).collect();
        korean::normalize(&cut)
    }
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

/// The fields a query reads. `all` holds name (three times, which is the name's boost under BM25), summary and
/// organization, so each token is one posting list rather than a union of three.
pub struct QueryFields {
    pub all: Field,
    pub description: Field,
    pub choseong: Field,
    pub facet: Field,
}

/// A built query, and the terms to highlight in the summary.
pub struct Built {
    pub query: Box<dyn Query>,
    pub highlight: Box<dyn Query>,
}

/// All tokens of one spelling of a word.
fn spelling(
    word: &str,
    all: Field,
    highlight: &mut Vec<(Occur, Box<dyn Query>)>,
    description: Field,
) -> Option<Box<dyn Query>> {
    let tokens = korean::tokens(word);
    if tokens.is_empty() {
        return None;
    }
    highlight.extend(tokens.iter().map(|t| (Occur::Should, term(description, t))));
    let clauses = tokens.iter().map(|t| (Occur::Must, term(all, t))).collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

fn choseong_query(query: &str, field: Field) -> Option<Box<dyn Query>> {
    let letters = consonants(query);
    let bigrams: Vec<Term> =
        letters.windows(2).map(|pair| Term::from_field_text(field, &pair.iter().collect::<String>())).collect();
    match bigrams.len() {
        0 => None,
        1 => Some(term(field, bigrams[0].value().as_str().unwrap_or_default())),
        _ => Some(Box::new(PhraseQuery::new(bigrams))),
    }
}

/// The query, or `None` when nothing searchable was typed.
pub fn build(request: &SearchRequest, synonyms: &korean::Synonyms, fields: &QueryFields) -> Option<Built> {
    let text = request.normalized_query();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if korean::is_choseong_query(&text) {
        clauses.push((Occur::Must, choseong_query(&text, fields.choseong)?));
    } else {
        for word in text.split_whitespace().take(MAX_WORDS) {
            let spellings: Vec<(Occur, Box<dyn Query>)> = synonyms
                .expand(word)
                .iter()
                .filter_map(|w| spelling(w, fields.all, &mut highlight, fields.description))
                .map(|q| (Occur::Should, q))
                .collect();
            if !spellings.is_empty() {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(spellings))));
            }
        }
    }
    let searching_text = !clauses.is_empty();
    for path in &request.facets {
        if let Ok(parsed) = Facet::from_text(path) {
            let facet_term = Term::from_facet(fields.facet, &parsed);
            clauses.push((Occur::Must, Box::new(TermQuery::new(facet_term, IndexRecordOption::Basic))));
        }
    }
    if clauses.is_empty() {
        return None;
    }
    if !searching_text {
        // Browsing by facets alone: every service, filtered.
        clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
    }
    Some(Built { query: Box::new(BooleanQuery::new(clauses)), highlight: Box::new(BooleanQuery::new(highlight)) })
}
