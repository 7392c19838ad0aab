//! Korean search over the directory (tantivy, in memory): Hangul bigrams with BM25, 초성 queries, synonyms,
//! one-jamo typo suggestions, facet counts and highlighted snippets. Built at start from the database and kept
//! current from the change log.

mod index;
mod query;
mod tokenizer;

pub use index::{Hit, SearchDoc, SearchError, SearchIndex, SearchResults, Segment};
pub use query::{MAX_QUERY_CHARS, SearchRequest};

#[cfg(test)]
mod tests;
