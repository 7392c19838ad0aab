//! Working through the outbox: each due e-mail is written in its recipient's language and sent; a failure is
//! recorded and tried again later, each wait longer than the last, until [`MAX_ATTEMPTS`].

use super::mail::{Email, Mailer};
use super::store::{self, DueEmail};
use crate::db::Db;
use crate::db::time::{Millis, now_millis};
use crate::i18n::{self, Locale};

/// After this many failed attempts a message is given up (its last error stays on the row).
pub const MAX_ATTEMPTS: i32 = 5;

/// The wait before attempt `n + 1` after `n` failures: 1, 5, 25 and 125 minutes.
fn retry_delay(failures: i32) -> Millis {
    60_000 * 5_i64.pow(failures.saturating_sub(1).clamp(0, 4) as u32)
}

/// What one pass over the outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
    /// Messages for accounts that no longer exist or are closed: dropped unsent.
    pub dropped: usize,
}

/// A message's text with its arguments, in `locale` (the inbox shows the same words).
pub fn message_text(locale: Locale, message: &str, args: &str) -> String {
    let args: serde_json::Map<String, serde_json::Value> = serde_json::from_str(args).unwrap_or_default();
    let pairs: Vec<(&str, String)> =
        args.iter().map(|(k, v)| (k.as_str(), v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect();
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    i18n::t_args(locale, message, &borrowed)
}

/// Plain-text mail has no bidirectional layout to protect: Fluent's isolation marks would only show as noise.
fn plain(text: String) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}

fn compose(due: &DueEmail, public_url: &str) -> Email {
    let locale = Locale::parse(&due.locale).unwrap_or_default();
    let text = plain(message_text(locale, &due.message, &due.args));
    let base = public_url.trim_end_matches('/');
    let mut body = format!("{text}\n\n");
    if !due.link.is_empty() {
        body.push_str(&plain(i18n::t_args(locale, "email-open", &[("url", &format!("{base}{}", due.link))])));
        body.push_str("\n\n");
    }
    body.push_str(&plain(i18n::t_args(locale, "email-footer", &[("url", &format!("{base}/notifications/settings"))])));
    body.push('\n');
    Email { to: due.email.clone(), subject: plain(i18n::t_args(locale, "email-subject", &[("text", &text)])), body }
}

/// Sends up to `batch` due e-mails through `mailer`.
pub async fn deliver_outbox(db: &Db, mailer: &Mailer, public_url: &str, batch: i64) -> Result<Delivery, sqlx::Error> {
    let mut done = Delivery::default();
    for message in store::due_emails(db, MAX_ATTEMPTS, now_millis(), batch).await? {
        if !message.active {
            store::drop_outgoing(db, &message.id).await?;
            done.dropped += 1;
            continue;
        }
        match mailer.send(&compose(&message, public_url)).await {
            Ok(()) => {
                store::mark_sent(db, &message.id, now_millis()).await?;
                done.sent += 1;
            }
            Err(error) => {
                tracing::warn!(outbox = %message.id, %error, "e-mail not sent; will retry");
                let retry_at = now_millis() + retry_delay(message.attempts + 1);
                store::mark_failed(db, &message.id, &error, retry_at).await?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wait_is_longer_than_the_last() {
        let waits: Vec<Millis> = (1..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(waits, vec![60_000, 300_000, 1_500_000, 7_500_000, 37_500_000]);
    }
}
