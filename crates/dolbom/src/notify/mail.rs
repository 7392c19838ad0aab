//! Sending one e-mail: through the configured SMTP server, or into the log when none is configured.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

/// A server that does not answer within this long counts as a failed attempt, retried later.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("DOLBOM_SMTP_URL is not a usable SMTP address: {0}")]
    Url(lettre::transport::smtp::Error),
    #[error("DOLBOM_MAIL_FROM is not an e-mail address with an optional name: {0}")]
    From(lettre::address::AddressError),
}

/// Where e-mail goes.
pub enum Mailer {
    /// No server configured: each message counts as sent, and the log notes it (without address or text).
    Log,
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

/// One message, written in its recipient's language.
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        match &config.smtp_url {
            None => Ok(Mailer::Log),
            Some(url) => Mailer::smtp(url, &config.mail_from),
        }
    }

    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(MailError::Url)?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Mailer::Smtp { transport, from: from.parse().map_err(MailError::From)? })
    }

    /// Sends `email`; the error says why it did not go, for the outbox's record of the attempt.
    pub async fn send(&self, email: &Email) -> Result<(), String> {
        match self {
            Mailer::Log => {
                // The address and the text are personal data: the log only says that a message went nowhere.
                tracing::info!(bytes = email.body.len(), "e-mail not sent: no DOLBOM_SMTP_URL (counted as delivered)");
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let to: Mailbox = email.to.parse().map_err(|e| format!("recipient {}: {e}", email.to))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&email.subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(email.body.clone())
                    .map_err(|e| e.to_string())?;
                transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}
