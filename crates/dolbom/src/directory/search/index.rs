use std::collections::BTreeSet;
use std::sync::Mutex;

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::query::{self, SearchRequest};
use super::tokenizer::{ChoseongTokenizer, KoreanTokenizer};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("the search index lock was poisoned")]
    Poisoned,
}

/// What the index keeps of a service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchDoc {
    pub id: String,
    pub name: String,
    pub description: String,
    pub organization: String,
    /// Term ids `taxonomy:code`, indexed as facets `/taxonomy/code`.
    pub terms: Vec<String>,
}

/// A piece of a snippet: highlighted or not; the template escapes both.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub highlighted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub snippet: Vec<Segment>,
    pub score: f32,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// `(facet path, count)` for every facet value among all matches, e.g. `("/theme/care", 12)`.
    pub facets: Vec<(String, u64)>,
    /// "이것을 찾으셨나요?": the corrected query whose results these are, when the query as typed found nothing.
    pub suggestion: Option<String>,
}

struct Fields {
    id: Field,
    name: Field,
    description: Field,
    organization: Field,
    choseong: Field,
    facet: Field,
}

pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Every word of every name, normalised: the vocabulary typo suggestions are drawn from.
    vocabulary: Mutex<BTreeSet<String>>,
    synonyms: korean::Synonyms,
}

const FACET_ROOTS: [&str; 4] = ["/provider", "/life_stage", "/household", "/theme"];

fn text_field(tokenizer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options.set_stored() } else { options }
}

impl SearchIndex {
    pub fn new() -> Result<SearchIndex, SearchError> {
        let mut builder = Schema::builder();
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED | FAST),
            name: builder.add_text_field("name", text_field("ko", true)),
            description: builder.add_text_field("description", text_field("ko", true)),
            organization: builder.add_text_field("organization", text_field("ko", true)),
            choseong: builder.add_text_field("choseong", text_field("ko_choseong", false)),
            facet: builder.add_facet_field("facet", FacetOptions::default()),
        };
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register("ko", TextAnalyzer::from(KoreanTokenizer));
        index.tokenizers().register("ko_choseong", TextAnalyzer::from(ChoseongTokenizer));
        let writer = index.writer_with_num_threads(1, 50_000_000)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex {
            reader,
            writer: Mutex::new(writer),
            fields,
            vocabulary: Mutex::new(BTreeSet::new()),
            synonyms: korean::Synonyms::default_korean(),
        })
    }

    fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut document = TantivyDocument::default();
        document.add_text(f.id, &doc.id);
        document.add_text(f.name, korean::normalize(&doc.name));
        document.add_text(f.description, korean::normalize(&doc.description));
        document.add_text(f.organization, korean::normalize(&doc.organization));
        document.add_text(f.choseong, &doc.name);
        for term in &doc.terms {
            if let Some((taxonomy, code)) = term.split_once(':') {
                document.add_facet(f.facet, Facet::from_path([taxonomy, code]));
            }
        }
        document
    }

    /// Adds or replaces services (by id) and makes them searchable at once.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for doc in docs {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(self.document(doc))?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        let mut vocabulary = self.vocabulary.lock().map_err(|_| SearchError::Poisoned)?;
        for doc in docs {
            vocabulary.extend(korean::normalize(&doc.name).split_whitespace().map(str::to_string));
        }
        Ok(())
    }

    /// Removes services by id.
    pub fn remove(&self, ids: &[String]) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for id in ids {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs a search; when the query as typed finds nothing, retries with the nearest words of the vocabulary
    /// (one jamo apart) and says so.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let results = self.run(request)?;
        if results.total > 0 || request.is_choseong() {
            return Ok(results);
        }
        let Some(corrected) = self.correct(&request.query)? else { return Ok(results) };
        let retry = SearchRequest { query: corrected.clone(), ..request.clone() };
        let mut corrected_results = self.run(&retry)?;
        if corrected_results.total == 0 {
            return Ok(results);
        }
        corrected_results.suggestion = Some(corrected);
        Ok(corrected_results)
    }

    fn correct(&self, query: &str) -> Result<Option<String>, SearchError> {
        let vocabulary = self.vocabulary.lock().map_err(|_| SearchError::Poisoned)?;
        let mut changed = false;
        let words: Vec<String> = korean::normalize(query)
            .split_whitespace()
            .map(|word| {
                if vocabulary.contains(word) {
                    return word.to_string();
                }
                match vocabulary.iter().find(|known| korean::within_one_jamo(word, known)) {
                    Some(known) => {
                        changed = true;
                        known.clone()
                    }
                    None => word.to_string(),
                }
            })
            .collect();
        Ok(changed.then(|| words.join(" ")))
    }

    fn run(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let Some(query) =
            query::build(request, &self.synonyms, f.name, f.description, f.organization, f.choseong, f.facet)
        else {
            return Ok(SearchResults::default());
        };
        let mut facets = FacetCollector::for_field("facet");
        for root in FACET_ROOTS {
            facets.add_facet(root);
        }
        let top = TopDocs::with_limit(request.limit.clamp(1, 100)).and_offset(request.offset);
        let (total, top_docs, facet_counts) = searcher.search(&*query, &(Count, top, facets))?;
        let snippets = SnippetGenerator::create(&searcher, &*query, f.description).map(|mut g| {
            g.set_max_num_chars(140);
            g
        });
        let mut hits = Vec::with_capacity(top_docs.len());
        for (score, address) in top_docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let description = text(f.description);
            let snippet = match &snippets {
                Ok(generator) => segments(&generator.snippet(&description)),
                Err(_) => Vec::new(),
            };
            let snippet = if snippet.is_empty() { plain_start(&description) } else { snippet };
            hits.push(Hit { id: text(f.id), name: text(f.name), organization: text(f.organization), snippet, score });
        }
        let facets = FACET_ROOTS
            .iter()
            .flat_map(|root| {
                facet_counts.get(*root).map(|(facet, count)| (facet.to_string(), count)).collect::<Vec<_>>()
            })
            .collect();
        Ok(SearchResults { total, hits, facets, suggestion: None })
    }
}

/// Highlighted and plain pieces of a snippet. Bigram matches overlap (돌봄, 봄센), so ranges are merged first.
fn segments(snippet: &tantivy::snippet::Snippet) -> Vec<Segment> {
    let fragment = snippet.fragment();
    let mut ranges: Vec<std::ops::Range<usize>> = snippet.highlighted().to_vec();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut out = Vec::new();
    let mut at = 0;
    for range in &merged {
        if range.start > at {
            out.push(Segment { text: fragment[at..range.start].to_string(), highlighted: false });
        }
        out.push(Segment { text: fragment[range.clone()].to_string(), highlighted: true });
        at = range.end;
    }
    if at < fragment.len() {
        out.push(Segment { text: fragment[at..].to_string(), highlighted: false });
    }
    out
}

fn plain_start(text: &str) -> Vec<Segment> {
    let start: String = text.chars().take(140).collect();
    if start.is_empty() { Vec::new() } else { vec![Segment { text: start, highlighted: false }] }
}
