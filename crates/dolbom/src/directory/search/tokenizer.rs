//! tantivy tokenizers over the `korean` crate: Hangul bigrams with offsets (so snippets highlight the right
//! characters), and 초성 bigrams for queries like `ㄷㅂ`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// A token stream over tokens computed up front (texts are short: names and summaries).
pub struct Tokens {
    tokens: Vec<Token>,
    index: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// Korean search tokens (`korean::tokens_with_offsets`): the text is expected to be normalised already.
#[derive(Clone, Default)]
pub struct KoreanTokenizer;

impl Tokenizer for KoreanTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let tokens = korean::tokens_with_offsets(text)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.start,
                offset_to: t.end,
                position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        Tokens { tokens, index: 0 }
    }
}

/// The 초성 consonants of a text, spaces and non-Hangul dropped: 다함께 돌봄센터 → ㄷㅎㄲㄷㅂㅅㅌ.
pub fn consonants(text: &str) -> Vec<char> {
    korean::choseong(text).chars().filter(|c| ('ㄱ'..='ㅎ').contains(c)).collect()
}

/// Bigrams of 초성 consonants, in order, so a query's consonants must stand together in a name.
#[derive(Clone, Default)]
pub struct ChoseongTokenizer;

impl Tokenizer for ChoseongTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let letters = consonants(text);
        let tokens = letters
            .windows(2)
            .enumerate()
            .map(|(position, pair)| Token {
                offset_from: 0,
                offset_to: 0,
                position,
                text: pair.iter().collect(),
                position_length: 1,
            })
            .collect();
        Tokens { tokens, index: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<String> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn korean_text_becomes_bigrams() {
        assert_eq!(texts(KoreanTokenizer, "다함께 돌봄센터"), ["다함", "함께", "돌봄", "봄센", "센터"]);
    }

    #[test]
    fn choseong_bigrams_stand_in_order() {
        assert_eq!(texts(ChoseongTokenizer, "돌봄 센터"), ["ㄷㅂ", "ㅂㅅ", "ㅅㅌ"]);
        assert_eq!(texts(ChoseongTokenizer, "ㄷㅂ"), ["ㄷㅂ"]);
    }
}
