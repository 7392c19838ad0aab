//! `dolbom backup` and `dolbom restore` on both backends: a backup taken while the server runs, then changes, then
//! a restore brings every table back to what the backup held, row counts and contents alike; a file that is no
//! backup is refused and the database is left as it was.

use dolbom::auth::Role;
use dolbom::backup::{backup, restore};
use dolbom::content::attachment::Checked;
use dolbom::content::store::{self as content, PageText};
use dolbom::db::{Backend, Db, connect};

use crate::both;
use crate::support::TestApp;

/// Every table with its row count, the accounts' e-mails and the attachments' bytes.
async fn snapshot(db: &Db) -> (Vec<(String, i64)>, Vec<String>, Vec<Vec<u8>>) {
    let tables_sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    let tables: Vec<String> = dolbom::db_run!(db, c => sqlx::query_scalar(tables_sql).fetch_all(c).await).unwrap();
    let mut counts = Vec::new();
    for t in tables {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let n: i64 = dolbom::db_run!(db, c => sqlx::query_scalar(&sql).fetch_one(c).await).unwrap();
        counts.push((t, n));
    }
    let sql = "SELECT email FROM users ORDER BY email";
    let emails = dolbom::db_run!(db, c => sqlx::query_scalar(sql).fetch_all(c).await).unwrap();
    let sql = "SELECT bytes FROM content_attachments ORDER BY id";
    let files = dolbom::db_run!(db, c => sqlx::query_scalar(sql).fetch_all(c).await).unwrap();
    (counts, emails, files)
}

both!(a_restore_brings_back_what_the_backup_held, |app: TestApp| async move {
    let url = app.state.config.database_url.clone();
    let official = app.account(Role::Official, "official@test.kr", &[]).await;
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let page = PageText {
        section: "library",
        topic: "",
        year: None,
        group_id: None,
        url: None,
        title: "정산 서식",
        body_md: "서식",
        body_html: "<p>서식</p>",
    };
    let files = [Checked { file_name: "정산.pdf".into(), content_type: "application/pdf", bytes: &pdf }];
    let page_id = content::create(&app.state.db, "11350", &official, &page, &files).await.unwrap();
    let before = snapshot(&app.state.db).await;
    assert!(before.0.iter().any(|(t, n)| t == "content_attachments" && *n == 1), "{:?}", before.0);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dolbom.backup");
    backup(&url, &file).await.unwrap();
    assert!(backup(&url, &file).await.is_err(), "a backup never overwrites a file");

    // Changes after the backup: a page gone, an account more.
    content::delete(&app.state.db, "11350", &page_id).await.unwrap();
    app.account(Role::Resident, "later@test.kr", &[]).await;
    assert_ne!(snapshot(&app.state.db).await, before);

    let not_a_backup = dir.path().join("notes.txt");
    std::fs::write(&not_a_backup, "hello").unwrap();
    app.state.db.close().await;
    assert!(restore(&url, &not_a_backup).await.is_err());
    let untouched = connect(&url).await.unwrap();
    assert!(snapshot(&untouched).await.1.contains(&"later@test.kr".to_string()), "a refused restore changes nothing");
    untouched.close().await;

    restore(&url, &file).await.unwrap();
    let restored = connect(&url).await.unwrap();
    assert_eq!(snapshot(&restored).await, before);
    restored.close().await;
});
