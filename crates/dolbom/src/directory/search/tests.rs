use super::*;

fn doc(id: &str, name: &str, description: &str, terms: &[&str]) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        organization: "노원구청".into(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
    }
}

fn index() -> SearchIndex {
    let index = SearchIndex::new().unwrap();
    index
        .upsert(&[
            doc(
                "1",
                "다함께돌봄센터 방과후 돌봄",
                "초등학생 자녀를 방과 후에 돌봅니다.",
                &["life_stage:child", "theme:care"],
            ),
            doc(
                "2",
                "노인맞춤돌봄서비스",
                "혼자 사시는 노인의 안부를 확인하고 생활을 돕습니다.",
                &["life_stage:senior", "theme:care"],
            ),
            doc("3", "청년월세 지원", "청년의 월세를 매달 지원합니다.", &["life_stage:young_adult", "theme:housing"]),
            doc(
                "4",
                "아동수당",
                "만 8세 미만 아동에게 수당을 드립니다.",
                &["life_stage:infant", "life_stage:child", "theme:living"],
            ),
        ])
        .unwrap();
    index
}

fn search(index: &SearchIndex, query: &str) -> SearchResults {
    index.search(&SearchRequest { query: query.into(), limit: 10, ..SearchRequest::default() }).unwrap()
}

fn ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn korean_words_match_inside_compounds() {
    let index = index();
    let found = search(&index, "돌봄");
    assert_eq!(found.total, 2);
    assert!(ids(&found).contains(&"1") && ids(&found).contains(&"2"));
    assert_eq!(ids(&search(&index, "월세 청년")), ["3"], "every word must match, in any order");
}

#[test]
fn choseong_finds_names() {
    let index = index();
    let found = search(&index, "ㄷㅂ");
    assert_eq!(found.total, 2, "{:?}", ids(&found));
    assert_eq!(ids(&search(&index, "ㅊㄴㅇㅅ")), ["3"]);
    assert_eq!(search(&index, "ㅎㅎ").total, 0);
}

#[test]
fn synonyms_widen_a_word() {
    let index = index();
    assert_eq!(ids(&search(&index, "어르신")), ["2"], "어르신 finds 노인");
    assert!(ids(&search(&index, "어린이")).contains(&"4"), "어린이 finds 아동");
}

#[test]
fn a_one_jamo_typo_is_corrected_and_said() {
    let index = index();
    let found = search(&index, "아동수닫");
    assert_eq!(found.suggestion.as_deref(), Some("아동수당"));
    assert_eq!(ids(&found), ["4"]);
    assert!(search(&index, "전혀없는말").suggestion.is_none());
}

#[test]
fn facets_count_and_filter() {
    let index = index();
    let found = search(&index, "돌봄");
    assert!(found.facets.contains(&("/theme/care".into(), 2)));
    assert!(found.facets.contains(&("/life_stage/senior".into(), 1)));
    let seniors = index
        .search(&SearchRequest {
            query: "돌봄".into(),
            facets: vec!["/life_stage/senior".into()],
            limit: 10,
            offset: 0,
        })
        .unwrap();
    assert_eq!(ids(&seniors), ["2"]);
    let browse =
        index.search(&SearchRequest { facets: vec!["/theme/care".into()], limit: 10, ..SearchRequest::default() });
    assert_eq!(browse.unwrap().total, 2, "facets alone browse");
}

#[test]
fn snippets_highlight_the_matched_words() {
    let index = index();
    let found = search(&index, "안부");
    let highlighted: Vec<&str> =
        found.hits[0].snippet.iter().filter(|s| s.highlighted).map(|s| s.text.as_str()).collect();
    assert_eq!(highlighted, ["안부"]);
    let merged = search(&index, "방과후");
    let marks: Vec<&str> = merged.hits[0].snippet.iter().filter(|s| s.highlighted).map(|s| s.text.as_str()).collect();
    assert!(marks.iter().all(|m| !m.is_empty()));
}

#[test]
fn odd_queries_are_harmless() {
    let index = index();
    for query in ["", "   ", "!!!", "\u{200b}", "🙂", "돌봄\u{0}센터", &"돌".repeat(10_000)] {
        let _ = search(&index, query);
    }
    assert_eq!(search(&index, "").total, 0);
}

#[test]
fn updates_replace_and_removals_remove() {
    let index = index();
    index.upsert(&[doc("3", "청년 주거 지원", "청년의 집을 돕습니다.", &[])]).unwrap();
    assert_eq!(search(&index, "월세").total, 0, "the old text is gone");
    assert_eq!(ids(&search(&index, "주거")), ["3"]);
    index.remove(&["3".into()]).unwrap();
    assert_eq!(search(&index, "주거").total, 0);
    assert_eq!(index.len(), 3);
}

#[test]
fn a_kept_answer_is_dropped_when_the_index_or_the_synonyms_change() {
    let index = index();
    let ask = |q: &str| SearchRequest { query: q.into(), facets: vec![], limit: 10, offset: 0 };
    let ids = |r: SearchResults| r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids(index.search(&ask("월세")).unwrap()), ["3"]);
    assert_eq!(ids(index.search(&ask("월세")).unwrap()), ["3"], "the same answer again, kept");
    index.upsert(&[doc("5", "신혼부부 월세 지원", "신혼부부의 월세를 지원합니다.", &[])]).unwrap();
    assert_eq!(index.search(&ask("월세")).unwrap().total, 2, "a new service shows at once");
    index.remove(&["3".to_string()]).unwrap();
    assert_eq!(ids(index.search(&ask("월세")).unwrap()), ["5"], "a removed one is gone at once");
    assert_eq!(index.search(&ask("집세")).unwrap().total, 0);
    index.set_extra_synonyms(vec![vec!["월세".into(), "집세".into()]]).unwrap();
    assert_eq!(ids(index.search(&ask("집세")).unwrap()), ["5"], "a new synonym group applies at once");
}
