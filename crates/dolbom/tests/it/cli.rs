//! The binary itself: migrate, admin create-user, and a graceful stop on SIGTERM.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_dolbom");

/// A free port, let go of before a server binds it.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(crate) fn dolbom(db: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("DOLBOM_DATABASE_URL", db).env("DOLBOM_SECRET", "cli-test-secret-cli-test-secret-0123456");
    cmd
}

#[test]
fn migrate_and_create_users_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let out = dolbom(&db).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = dolbom(&db)
        .args(["admin", "create-user", "--email", "boss@nowon.kr", "--role", "official", "--organization", "노원구청"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("created boss@nowon.kr (official)"));
    assert!(stdout.contains("password: "), "a generated password is printed once");

    let dup =
        dolbom(&db).args(["admin", "create-user", "--email", "boss@nowon.kr", "--role", "official"]).output().unwrap();
    assert!(!dup.status.success());
    let bad_role =
        dolbom(&db).args(["admin", "create-user", "--email", "x@nowon.kr", "--role", "king"]).output().unwrap();
    assert!(!bad_role.status.success());
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role king"));
    let bad_area = dolbom(&db)
        .args(["admin", "create-user", "--email", "y@nowon.kr", "--role", "welfare_worker", "--area", "9999999999"])
        .output()
        .unwrap();
    assert!(!bad_area.status.success());
    let short = dolbom(&db)
        .args(["admin", "create-user", "--email", "z@nowon.kr", "--role", "resident", "--password", "short"])
        .output()
        .unwrap();
    assert!(!short.status.success());
    let said = String::from_utf8_lossy(&short.stderr);
    assert!(said.contains("--password: 비밀번호는 12자 이상이어야 합니다."), "{said}");
    let no_org = dolbom(&db)
        .args(["admin", "create-user", "--email", "w@nowon.kr", "--role", "welfare_worker", "--area", "1135063000"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&no_org.stderr).contains("--organization"));
}

#[test]
fn the_secret_lives_beside_an_sqlite_file_and_is_required_with_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let db_file = dir.path().join("keyed.db");
    let db = format!("sqlite://{}", db_file.display());
    let migrate = || {
        Command::new(BIN).env("DOLBOM_DATABASE_URL", &db).env_remove("DOLBOM_SECRET").arg("migrate").output().unwrap()
    };
    assert!(migrate().status.success());
    let key_file = dir.path().join("keyed.db.key");
    let first = std::fs::read_to_string(&key_file).expect("a key file beside the database");
    assert!(first.len() >= 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(migrate().status.success());
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), first, "the same key on the next start");

    let pg = Command::new(BIN)
        .env("DOLBOM_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        .env_remove("DOLBOM_SECRET")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!pg.status.success());
    assert!(String::from_utf8_lossy(&pg.stderr).contains("DOLBOM_SECRET is required with PostgreSQL"));
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("serve.db").display());
    let mut server = Server::start(&db);
    let kill = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let stopped = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(stopped.elapsed() < Duration::from_secs(10), "did not stop within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn services_import_from_a_cp949_spreadsheet_reporting_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("import.db").display());
    let csv = "서비스ID,서비스명,생애주기,관심주제,제공기관,문의처\n\
               N-1,어르신 반찬 나눔,노년,보호·돌봄,노원구 자원봉사센터,02-950-0000\n\
               N-2,,아동,교육,,\n\
               N-3,청소년 공부방,청소년,교육,노원구청,\n";
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(csv);
    let file = dir.path().join("services.csv");
    std::fs::write(&file, &bytes).unwrap();

    for _ in 0..2 {
        let out = dolbom(&db).args(["import", "services-csv"]).arg(&file).output().unwrap();
        assert!(!out.status.success(), "a refused row makes the command fail");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("read as CP949; 2 services imported, 1 rows refused"), "{said}");
        assert!(said.contains("line 3: 서비스명이 비어 있습니다"), "{said}");
    }
    let pool = dolbom::db::connect(&db).await.unwrap();
    assert_eq!(
        dolbom::directory::store::count_services(&pool, "11350").await.unwrap(),
        2,
        "imported once, then updated"
    );
    let id = dolbom::directory::store::id_by_source(&pool, "11350", "csv:N-1").await.unwrap().unwrap();
    let service = dolbom::directory::store::service(&pool, "11350", &id).await.unwrap().unwrap();
    assert_eq!(service.name, "어르신 반찬 나눔");
    assert_eq!(service.phones[0].number, "02-950-0000");
}

#[tokio::test]
async fn facilities_import_from_the_public_cp949_layout_reporting_rows_without_coordinates() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("facilities.db").display());
    // The public layout's columns that matter (the real file has 62; the importer reads them by name).
    let csv = "시군구명,어린이집코드,어린이집명,어린이집유형,운영현황,상세주소,전화번호,정원,현원,시설 위도(좌표값),시설 경도(좌표값),제공서비스\n\
               노원구,T1,햇살어린이집,국공립,정상,서울특별시 노원구 동일로 1,02-000-0001,40,35,37.6542,127.0568,\"일반,휴일보육\"\n\
               노원구,T2,좌표없는어린이집,가정,정상,서울특별시 노원구 동일로 2,,20,10,,,일반\n\
               노원구,T3,문닫은어린이집,민간,폐지,서울특별시 노원구 동일로 3,,20,0,37.65,127.06,일반\n";
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(csv);
    let file = dir.path().join("daycare.csv");
    std::fs::write(&file, &bytes).unwrap();

    let out = dolbom(&db).args(["import", "facilities"]).arg(&file).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "a refused row makes the command fail");
    assert!(said.contains("read as CP949; 1 facilities imported, 1 closed ones skipped, 1 rows refused"), "{said}");
    assert!(said.contains("line 3: 좌표(위도·경도)가 없습니다"), "{said}");

    let pool = dolbom::db::connect(&db).await.unwrap();
    let all = dolbom::places::store::all(&pool, "11350").await.unwrap();
    assert_eq!(all.len(), 1);
    let f = &all[0];
    assert_eq!((f.name.as_str(), f.vacancies(), f.adm_cd2.as_str()), ("햇살어린이집", Some(5), "1135069500"));
    assert!(f.hours.0[7].is_some() && !f.hours_confirmed, "휴일보육: standard holiday hours, unconfirmed");
}

#[test]
fn allocate_a_round_from_a_file_and_refuse_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("round.json");
    let output = dir.path().join("result.json");
    std::fs::write(
        &input,
        r#"{"centers":[{"id":"c1","capacity":1,"ranking":["k3","k1"]},{"id":"c2","capacity":1}],
            "children":[{"id":"k1","choices":["c1","c2"],"priority_class":1,"points":12,"siblings":["k9"]},
                        {"id":"k2","choices":["c2"],"priority_class":2,"points":0},
                        {"id":"k3","choices":["c1"]}],
            "lottery_seed":42}"#,
    )
    .unwrap();
    let out =
        Command::new(BIN).args(["allocate", "--input"]).arg(&input).arg("--output").arg(&output).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(result["assignments"], serde_json::json!({"k1": "c2", "k2": null, "k3": "c1"}));
    assert_eq!(result["unassigned"], serde_json::json!(["k2"]));
    assert_eq!(result["explanations"]["k2"]["choices"][0]["outcome"], "full");
    assert_eq!(result["explanations"]["k1"]["choices"][1]["outcome"], "placed");

    std::fs::write(
        &input,
        r#"{"centers":[{"id":"c1","capacity":-2}],"children":[{"id":"k1","choices":["c1","c9"]}],"lottery_seed":1}"#,
    )
    .unwrap();
    std::fs::remove_file(&output).unwrap();
    let bad =
        Command::new(BIN).args(["allocate", "--input"]).arg(&input).arg("--output").arg(&output).output().unwrap();
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("centre c1: capacity -2 is negative") && stderr.contains("chooses centre c9"), "{stderr}");
    assert!(!output.exists(), "nothing written");
    std::fs::write(&input, r#"{"centers":[{"id":"c1","capacity":"three"}],"children":[],"lottery_seed":1}"#).unwrap();
    let malformed =
        Command::new(BIN).args(["allocate", "--input"]).arg(&input).arg("--output").arg(&output).output().unwrap();
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("centers[0].capacity"), "the place of the error");
}

#[test]
fn link_agencies_lists_in_cp949_and_refuse_a_file_with_broken_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("lists.csv"), dir.path().join("people.csv"));
    let mut csv = String::from("record_id,source,name,birth_date,phone,address\n");
    csv += "a1,동주민센터,김민수,1985-03-07,010-1234-5678,서울특별시 노원구 동일로 1414\n";
    csv += "a2,종합사회복지관,김 민수,850307,+82 10 1234 5678,서울 노원구 동일로 1414\n";
    csv += "a3,민간단체,KIM MINSU,1985.3.7,,서울특별시 노원구 동일로 1414\n";
    csv += "h1,푸드뱅크,김민수,1985-11-20,010-9999-0000,서울특별시 노원구 상계로 70\n";
    let (surnames, given) =
        (["이", "박", "최", "정", "강", "김"], ["서연", "지훈", "유진", "하준", "서윤", "민준", "지우"]);
    for i in 0..400 {
        let (s, g) = (surnames[i % 6], given[i / 6 % 7]);
        csv += &format!(
            "x{i},동주민센터,{s}{g},19{}-{:02}-{:02},010-5{i:03}-{i:04},서울특별시 노원구 한글비석로 {}\n",
            50 + i % 40,
            1 + i % 12,
            1 + i % 28,
            i % 50
        );
    }
    std::fs::write(&input, encoding_rs::EUC_KR.encode(&csv).0).unwrap();
    let out = Command::new(BIN).args(["link", "--input"]).arg(&input).arg("--output").arg(&output).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.starts_with("record_id,cluster_id,score\n"), "{text}");
    let cluster = |id: &str| {
        text.lines().find(|l| l.starts_with(&format!("{id},"))).unwrap().split(',').nth(1).unwrap().to_string()
    };
    assert_eq!((cluster("a2"), cluster("a3")), (cluster("a1"), cluster("a1")), "one person in three agencies' formats");
    assert_ne!(cluster("h1"), cluster("a1"), "a namesake born another day");
    assert!(String::from_utf8_lossy(&out.stdout).contains("404 records"));

    std::fs::remove_file(&output).unwrap();
    let broken = "record_id,source,name,birth_date,phone,address\nb1,동주민센터,김민수\nb2,x,이서연,1990-01-01,,\nb2,y,이서연,1990-01-01,,\n";
    std::fs::write(&input, broken).unwrap();
    let bad = Command::new(BIN).args(["link", "--input"]).arg(&input).arg("--output").arg(&output).output().unwrap();
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("line 2") && stderr.contains("record_id b2 is given twice"), "{stderr}");
    assert!(!output.exists(), "nothing written");
}

/// A `dolbom serve` of the test's: stopped with SIGTERM when dropped.
pub(crate) struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub fn start(url: &str) -> Server {
        Server::start_on(url, free_port())
    }

    /// On a given port, as a restart after a crash comes back where it was.
    pub fn start_on(url: &str, port: u16) -> Server {
        Server::start_with(url, port, &[])
    }

    /// With more flags for `serve`.
    pub fn start_with(url: &str, port: u16, flags: &[&str]) -> Server {
        let child = dolbom(url)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(flags)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Server { child, base: format!("http://127.0.0.1:{port}") }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // After a test's own SIGKILL the process is gone already; `kill` need not say so.
        let term = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).stderr(Stdio::null()).status();
        let _ = term;
        let _ = self.child.wait();
    }
}
