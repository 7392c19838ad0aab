//! Settings, from flags or `DOLBOM_*` environment variables (see the README's configuration table).

use std::net::SocketAddr;

use clap::Args;

#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Database URL: `sqlite://FILE` (created if missing) or `postgres://…`.
    #[arg(long, env = "DOLBOM_DATABASE_URL", default_value = "sqlite://dolbom.db", global = true)]
    pub database_url: String,

    /// A PostgreSQL streaming replica of the database (`postgres://…`): read-only pages read there, except right
    /// after a visitor's own write, until the replica has caught up with it.
    #[arg(long, env = "DOLBOM_READ_REPLICA_URL", global = true)]
    pub read_replica_url: Option<String>,

    /// Server secret (at least 32 characters). Keys CSRF tokens and the 주민등록번호 hash and seal. When unset,
    /// SQLite uses a key file beside the database (made once); PostgreSQL requires it (the demo excepted).
    #[arg(long, env = "DOLBOM_SECRET", hide_env_values = true, global = true)]
    pub secret: Option<String>,

    /// 시군구 code of the municipality this instance serves (노원구 is 11350).
    #[arg(long, env = "DOLBOM_MUNICIPALITY", default_value = "11350", global = true)]
    pub municipality: String,

    /// Mark cookies `Secure` (set this when dolbom is served over HTTPS).
    #[arg(long, env = "DOLBOM_COOKIE_SECURE", default_value_t = false, global = true)]
    pub cookie_secure: bool,

    /// Take the client's IP from the last address of `X-Forwarded-For`, the one the reverse proxy appended (set
    /// this only behind exactly one proxy).
    #[arg(long, env = "DOLBOM_TRUST_PROXY", default_value_t = false, global = true)]
    pub trust_proxy: bool,

    /// Log-in and sign-up attempts allowed per client (IPv4 address, IPv6 /64) per minute.
    #[arg(long, env = "DOLBOM_LOGIN_PER_MINUTE", default_value_t = 20, global = true)]
    pub login_per_minute: u32,

    /// Days the access log is kept before the daily job deletes an entry: at least 731 (two years, as
    /// 「개인정보의 안전성 확보조치 기준」 제8조 asks; the database refuses to delete anything younger).
    #[arg(long, env = "DOLBOM_ACCESS_LOG_RETENTION_DAYS", default_value_t = 731, global = true)]
    pub access_log_retention_days: u32,

    /// The SMTP server notifications are e-mailed through: `smtp://host:25` (plain, for a relay on the same
    /// network), `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtps://user:password@host:465`.
    /// When unset, e-mail is written to the log instead (the demo, development).
    #[arg(long, env = "DOLBOM_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// The sender of notification e-mail.
    #[arg(long, env = "DOLBOM_MAIL_FROM", default_value = "돌봄 <no-reply@localhost>", global = true)]
    pub mail_from: String,

    /// The address residents reach this instance at, for the links in e-mail.
    #[arg(long, env = "DOLBOM_PUBLIC_URL", default_value = "http://127.0.0.1:8080", global = true)]
    pub public_url: String,

    /// Log format: `text` or `json`.
    #[arg(long, env = "DOLBOM_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,
}

#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "DOLBOM_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Do not run background jobs in this process (for extra web-only processes).
    #[arg(long, env = "DOLBOM_NO_JOBS", default_value_t = false)]
    pub no_jobs: bool,
}

impl Config {
    /// Settings for tests and tools: everything at its default but the database.
    pub fn for_database(database_url: &str) -> Self {
        Config {
            database_url: database_url.to_string(),
            read_replica_url: None,
            secret: Some("test-secret-test-secret-test-secret-0123".into()),
            municipality: "11350".into(),
            cookie_secure: false,
            trust_proxy: false,
            login_per_minute: 20,
            access_log_retention_days: 731,
            smtp_url: None,
            mail_from: "돌봄 <no-reply@localhost>".into(),
            public_url: "http://127.0.0.1:8080".into(),
            log_format: "text".into(),
        }
    }
}
