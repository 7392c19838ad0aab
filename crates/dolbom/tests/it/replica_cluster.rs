//! A second PostgreSQL, started as a streaming replica of the test server (127.0.0.1:5432) with the PostgreSQL
//! binaries of the machine: `pg_basebackup -R` into a temporary directory, then `pg_ctl start` on a free port.
//! PostgreSQL refuses to run as root, so as root the commands run as the `postgres` account.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};

const PRIMARY: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub(crate) struct ReplicaCluster {
    bin: PathBuf,
    data: PathBuf,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl ReplicaCluster {
    /// Starts the replica, or says why it cannot (no PostgreSQL, no replication rights, no binaries).
    pub async fn start() -> Result<ReplicaCluster, String> {
        let mut primary = PgConnection::connect(PRIMARY).await.map_err(|e| format!("no primary: {e}"))?;
        let version: String = sqlx::query_scalar("SHOW server_version_num").fetch_one(&mut primary).await.unwrap();
        let major = version.parse::<u32>().map_err(|e| e.to_string())? / 10_000;
        let bin = PathBuf::from(format!("/usr/lib/postgresql/{major}/bin"));
        if !bin.join("pg_basebackup").exists() {
            return Err(format!("no PostgreSQL {major} binaries in {}", bin.display()));
        }
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let port = crate::cli::free_port();
        give_to_postgres(dir.path());

        let copy = as_postgres(&bin.join("pg_basebackup"))
            .args(["-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-X", "stream", "-R", "-c", "fast", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        ok(&copy).map_err(|e| format!("pg_basebackup: {e} (does pg_hba.conf allow replication from 127.0.0.1?)"))?;
        write_config(&mut primary, &data, dir.path(), port).await;
        let cluster = ReplicaCluster { bin, data, port, _dir: dir };
        let log = cluster.data.join("replica.log");
        let started = as_postgres(&cluster.bin.join("pg_ctl"))
            .args(["-w", "-t", "60", "-D"])
            .arg(&cluster.data)
            .arg("-l")
            .arg(&log)
            .arg("start")
            .output()
            .unwrap();
        ok(&started)
            .map_err(|e| format!("pg_ctl start: {e}\n{}", std::fs::read_to_string(&log).unwrap_or_default()))?;
        Ok(cluster)
    }

    /// The URL of database `name` on the replica.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Waits until `name` (made on the primary) can be opened on the replica.
    pub async fn wait_for_database(&self, name: &str) {
        let started = Instant::now();
        while PgConnection::connect(&self.url(name)).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "{name} did not reach the replica");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ReplicaCluster {
    fn drop(&mut self) {
        let _ =
            as_postgres(&self.bin.join("pg_ctl")).args(["-m", "immediate", "-D"]).arg(&self.data).arg("stop").output();
    }
}

/// The settings a hot standby needs, with the limits it must share with its primary. Debian keeps the primary's
/// configuration outside its data directory, so the copy has none of its own.
async fn write_config(primary: &mut PgConnection, data: &Path, socket_dir: &Path, port: u16) {
    let mut conf = format!(
        "port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nhot_standby = on\n\
         fsync = off\nshared_buffers = 32MB\n",
        socket_dir.display()
    );
    let limits = [
        "max_connections",
        "max_worker_processes",
        "max_wal_senders",
        "max_prepared_transactions",
        "max_locks_per_transaction",
    ];
    for limit in limits {
        let value: String = sqlx::query_scalar(&format!("SHOW {limit}")).fetch_one(&mut *primary).await.unwrap();
        conf.push_str(&format!("{limit} = {value}\n"));
    }
    std::fs::write(data.join("postgresql.conf"), conf).unwrap();
    std::fs::write(data.join("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n").unwrap();
    std::fs::write(data.join("pg_ident.conf"), "").unwrap();
    give_to_postgres(data);
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// The command, run as the `postgres` account when we are root.
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn give_to_postgres(path: &Path) {
    if is_root() {
        let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(path).status().unwrap();
        assert!(status.success(), "chown {}", path.display());
    }
}

fn ok(out: &Output) -> Result<(), String> {
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}
