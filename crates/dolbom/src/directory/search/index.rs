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
    #[error("search index folder: {0}")]
    Io(String),
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
    all: Field,
    name: Field,
    description: Field,
    organization: Field,
    choseong: Field,
    facet: Field,
}

pub struct SearchIndex {
    /// The index lives in memory-mapped files in a private temporary folder: the operating system keeps what is
    /// used in its page cache, so a large directory does not pin the process's own memory. Removed on drop.
    _dir: tempfile::TempDir,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Every word of every name, normalised: the vocabulary typo suggestions are drawn from.
    vocabulary: Mutex<BTreeSet<String>>,
    /// The built-in groups plus those staff added.
    synonyms: std::sync::RwLock<korean::Synonyms>,
    /// Answers to recent searches. Residents ask the same few things (돌봄, 아동수당, 기초연금) far more than anything
    /// else; an answer is good until the index or the synonyms change, which bumps the epoch in every key.
    answers: quick_cache::sync::Cache<String, SearchResults>,
    epoch: std::sync::atomic::AtomicU64,
}

/// How many answers are kept: the head of the queries, with room for their pages and filters.
const ANSWERS_KEPT: usize = 2_000;

const FACET_ROOTS: [&str; 5] = ["/provider", "/life_stage", "/household", "/theme", "/dong"];

/// An indexed text field; positions only where phrase queries need them (초성), which saves a third of memory.
fn text_field(tokenizer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options.set_stored() } else { options }
}

impl SearchIndex {
    pub fn new() -> Result<SearchIndex, SearchError> {
        let mut builder = Schema::builder();
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED | FAST),
            // Matching reads `all`; name and organization are only shown; the summary is indexed for snippets.
            all: builder.add_text_field("all", text_field("ko", IndexRecordOption::WithFreqs, false)),
            name: builder.add_text_field("name", STORED),
            description: builder.add_text_field("description", text_field("ko", IndexRecordOption::WithFreqs, true)),
            organization: builder.add_text_field("organization", STORED),
            choseong: builder
                .add_text_field("choseong", text_field("ko_choseong", IndexRecordOption::WithFreqsAndPositions, false)),
            facet: builder.add_facet_field("facet", FacetOptions::default()),
        };
        let dir =
            tempfile::Builder::new().prefix("dolbom-search-").tempdir().map_err(|e| SearchError::Io(e.to_string()))?;
        let index = Index::create_in_dir(dir.path(), builder.build())?;
        index.tokenizers().register("ko", TextAnalyzer::from(KoreanTokenizer));
        index.tokenizers().register("ko_choseong", TextAnalyzer::from(ChoseongTokenizer));
        let writer = index.writer_with_num_threads(1, 20_000_000)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex {
            _dir: dir,
            reader,
            writer: Mutex::new(writer),
            fields,
            vocabulary: Mutex::new(BTreeSet::new()),
            synonyms: std::sync::RwLock::new(korean::Synonyms::default_korean()),
            answers: quick_cache::sync::Cache::new(ANSWERS_KEPT),
            epoch: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut document = TantivyDocument::default();
        let (name, description, organization) =
            (korean::normalize(&doc.name), korean::normalize(&doc.description), korean::normalize(&doc.organization));
        document.add_text(f.id, &doc.id);
        document.add_text(f.all, format!("{name}\n{name}\n{name}\n{description}\n{organization}"));
        document.add_text(f.name, name);
        document.add_text(f.description, description);
        document.add_text(f.organization, organization);
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
        self.stage(docs)?;
        self.publish()
    }

    /// Adds or replaces services without making them searchable yet: a bulk load stages batch after batch and
    /// publishes once, instead of committing (and syncing files) per batch.
    pub fn stage(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for doc in docs {
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(self.document(doc))?;
        }
        drop(writer);
        let mut vocabulary = self.vocabulary.lock().map_err(|_| SearchError::Poisoned)?;
        for doc in docs {
            vocabulary.extend(vocabulary_words(&doc.name));
        }
        Ok(())
    }

    /// Commits what was staged and makes it searchable.
    pub fn publish(&self) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.forget_answers();
        Ok(())
    }

    /// Uses the built-in synonym groups plus `extra` (groups staff added).
    pub fn set_extra_synonyms(&self, extra: Vec<Vec<String>>) -> Result<(), SearchError> {
        let mut groups = korean::Synonyms::default_korean().groups().to_vec();
        groups.extend(extra);
        *self.synonyms.write().map_err(|_| SearchError::Poisoned)? = korean::Synonyms::from_groups(groups);
        self.forget_answers();
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
        self.forget_answers();
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
        // The epoch is read before searching: an answer found while the index changes is filed under the old
        // epoch, where no later search looks.
        let epoch = self.epoch.load(std::sync::atomic::Ordering::Acquire);
        let key = format!(
            "{epoch}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            request.query,
            request.facets.join("\u{1e}"),
            request.limit,
            request.offset
        );
        if let Some(answer) = self.answers.get(&key) {
            return Ok(answer);
        }
        let answer = self.search_uncached(request)?;
        self.answers.insert(key, answer.clone());
        Ok(answer)
    }

    /// Makes every kept answer stale (the index or the synonyms changed).
    fn forget_answers(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// [`Self::search`] without the answer cache: what a question asked for the first time costs.
    pub fn search_uncached(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
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
        let fields =
            query::QueryFields { all: f.all, description: f.description, choseong: f.choseong, facet: f.facet };
        let synonyms = self.synonyms.read().map_err(|_| SearchError::Poisoned)?;
        let Some(built) = query::build(request, &synonyms, &fields) else {
            return Ok(SearchResults::default());
        };
        let query = built.query;
        let mut facets = FacetCollector::for_field("facet");
        for root in FACET_ROOTS {
            facets.add_facet(root);
        }
        let top = TopDocs::with_limit(request.limit.clamp(1, 100)).and_offset(request.offset);
        let (total, top_docs, facet_counts) = searcher.search(&*query, &(Count, top, facets))?;
        let snippets = SnippetGenerator::create(&searcher, &*built.highlight, f.description).map(|mut g| {
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

/// Words of a name worth suggesting: Hangul words of two syllables or more (not numbers, not single letters), so the
/// vocabulary stays the size of the language used, whatever the number of services.
fn vocabulary_words(name: &str) -> Vec<String> {
    korean::normalize(name)
        .split_whitespace()
        .filter(|w| w.chars().count() >= 2 && w.chars().any(korean::is_hangul_syllable))
        .map(str::to_string)
        .collect()
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
