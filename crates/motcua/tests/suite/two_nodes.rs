//! Two `motcua serve` nodes on one PostgreSQL database, as behind a load balancer: started
//! together on an empty database they apply each migration once; clients file dossiers, move
//! them on and take queue tickets through both at once while one node is killed; afterwards
//! every acknowledged write is there, dossier codes and ticket numbers are gapless and
//! unrepeated, each dossier has exactly its one message in the outbox, the audit chain holds,
//! an account locked by wrong passwords sent to one node is locked on the other, an
//! address's failed sign-ins and wrong lookup secrets are counted across both, and an API
//! token revoked by another process stops working on both at once.

use crate::process::*;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CLIENTS: usize = 4;
const TOKEN: &str = "demo-tn.trungtam1";

fn api(address: &str, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    json_exchange(address, method, path, TOKEN, body)
}

fn intake(n: usize) -> String {
    serde_json::json!({
        "receiving_agency": "000.01.01.H56",
        "procedure_code": "1.000828",
        "case_code": "chung",
        "channel": "counter",
        "applicant": {"kind": "person", "name": "Nguyễn Văn Bình", "id_number": "038190012345",
                      "phone": "0912345678", "email": format!("nguoi{n}@example.vn"),
                      "notify": ["email"]},
        "components": [
            {"code": "tp-01", "form": "original"}, {"code": "tp-02", "form": "copy"},
            {"code": "tp-03", "form": "original"}, {"code": "tp-04", "form": "original"}
        ],
        "return_method": "in_person"
    })
    .to_string()
}

/// Server processes killed when the test ends, passed or not.
struct Nodes(Vec<std::process::Child>);

impl Drop for Nodes {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[derive(Default)]
struct Acked {
    dossiers: BTreeMap<i64, (String, i64)>,
    tickets: BTreeSet<i64>,
}

/// Files, forwards and takes a ticket, round the nodes, until stopped.
fn client(
    nodes: Vec<String>,
    who: usize,
    centre: i64,
    field: String,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Acked>>,
) {
    let mut turn = who;
    while !stop.load(Ordering::Relaxed) {
        turn += 1;
        let node = &nodes[turn % nodes.len()];
        if let Some((201, d)) = api(node, "POST", "/api/v1/dossiers", &intake(turn)) {
            let d: serde_json::Value = serde_json::from_str(&d).unwrap();
            let (id, code, version) = (
                d["id"].as_i64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["version"].as_i64().unwrap(),
            );
            acked.lock().unwrap().dossiers.insert(id, (code, version));
            // Moved on through the other node.
            let other = &nodes[(turn + 1) % nodes.len()];
            let forward =
                serde_json::json!({"action": "forward", "expected_version": version}).to_string();
            if let Some((200, d)) = api(
                other,
                "POST",
                &format!("/api/v1/dossiers/{id}/transitions"),
                &forward,
            ) {
                let d: serde_json::Value = serde_json::from_str(&d).unwrap();
                if let Some(e) = acked.lock().unwrap().dossiers.get_mut(&id) {
                    e.1 = d["version"].as_i64().unwrap();
                }
            }
        } else {
            std::thread::sleep(Duration::from_millis(20));
        }
        let form = format!("agency={centre}&field={field}");
        if let Some((303, text)) = exchange(
            node,
            "POST",
            "/lay-so",
            &format!(
                "Origin: http://{node}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            ),
            &form,
        ) && let Some(id) = text
            .lines()
            .find_map(|l| l.strip_prefix("location: /lay-so/ve/"))
            .and_then(|v| v.trim().parse::<i64>().ok())
        {
            acked.lock().unwrap().tickets.insert(id);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgresql_stay_exact() {
    // Started together on an empty database: each migration applied once, both serve.
    let Some(empty) = postgres_url().await else {
        return;
    };
    let files = temp_dir("two-nodes-files").display().to_string();
    let racing: Vec<_> = (0..2)
        .map(|_| {
            let (url, files, address) = (empty.clone(), files.clone(), free_address());
            std::thread::spawn(move || (serve(&url, &files, &address), address))
        })
        .collect();
    let (children, addresses): (Vec<_>, Vec<_>) =
        racing.into_iter().map(|t| t.join().unwrap()).unzip();
    let first = Nodes(children);
    for address in &addresses {
        assert!(matches!(
            exchange(address, "GET", "/", "", ""),
            Some((200, _))
        ));
    }
    let db = motcua_db::Db::connect(&empty).await.unwrap();
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(&sqlx::PgPool::connect(&empty).await.unwrap())
            .await
            .unwrap();
    let expected: Vec<i64> = (1..=versions.len() as i64).collect();
    assert_eq!(versions, expected, "each migration applied once, in order");
    db.close().await;
    drop(first);

    // A demo province served by two nodes.
    let Some(url) = postgres_url().await else {
        return;
    };
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "--files",
        &files,
        "seed",
        "demo",
        "--dossiers",
        "10",
    ]);
    assert!(ok, "{err}");
    let db = motcua_db::Db::connect(&url).await.unwrap();
    let centre = db
        .agencies()
        .agency_by_code("000.01.01.H56")
        .await
        .unwrap()
        .unwrap()
        .id;
    let field = db.tickets().fields().await.unwrap()[0].0.clone();
    let nodes: Vec<String> = (0..2).map(|_| free_address()).collect();
    let mut children = Nodes(nodes.iter().map(|a| serve(&url, &files, a)).collect());

    // A citizen's sign-in through the API at `node`.
    let session = |node: &str, login: &str, password: &str| {
        let body = serde_json::json!({"login": login, "password": password}).to_string();
        exchange(
            node,
            "POST",
            "/api/v1/me/session",
            "Content-Type: application/json\r\n",
            &body,
        )
    };
    // An account locked through one node is locked on the other.
    let login = |node: &str, password: &str| {
        session(node, motcua::demo::DEMO_CITIZEN_PHONE, password).map(|(s, _)| s)
    };
    for i in 0..5 {
        assert_eq!(login(&nodes[i % 2], "mat-khau-sai-roi"), Some(401));
    }
    for node in &nodes {
        assert_eq!(
            login(node, motcua::demo::DEMO_PASSWORD),
            Some(429),
            "the lock-out holds on {node}"
        );
    }
    // Failed sign-ins per address are counted in the database: 20 in five minutes between
    // both nodes (the five wrong passwords and the two refused while locked count), then
    // both refuse this address.
    let guess = |node: &str, n: usize| {
        // Another unknown login each time, so no account's own lock-out answers first.
        session(node, &format!("09000000{n:02}"), "khong-biet-mat-khau")
            .map(|(s, text)| (s, text.contains("từ địa chỉ này")))
    };
    for i in 0..13 {
        assert_eq!(guess(&nodes[i % 2], i), Some((401, false)), "guess {i}");
    }
    for (i, node) in nodes.iter().enumerate() {
        assert_eq!(
            guess(node, 20 + i),
            Some((429, true)),
            "the address limit holds on {node}"
        );
    }

    // Wrong lookup secrets are counted between the nodes too: 30 in five minutes from one
    // address, sent alternately (15 to each, under either node's own count); then each
    // node hears the allowance is gone at its next wrong one and refuses the address.
    let wrong_lookup = |node: &str, n: usize| {
        let path = format!("/api/v1/lookup?code=000.01.01.H56-260101-{n:04}&secret=SAIROI{n:02}");
        exchange(node, "GET", &path, "", "").map(|(s, _)| s)
    };
    for i in 0..30 {
        assert_eq!(wrong_lookup(&nodes[i % 2], i), Some(404), "lookup {i}");
    }
    for (i, node) in nodes.iter().enumerate() {
        assert_eq!(
            wrong_lookup(node, 40 + i),
            Some(404),
            "counted, not yet refused"
        );
        assert_eq!(
            wrong_lookup(node, 50 + i),
            Some(429),
            "the lookup limit holds on {node}"
        );
    }

    // An API token revoked elsewhere stops working on a node that has just used it (and
    // keeps its holder for ten seconds): the change is told to every node at once.
    let officer = db
        .people()
        .staff_by_username("tn.trungtam1")
        .await
        .unwrap()
        .unwrap();
    let created = db
        .people()
        .create_api_token(officer.id, "hai nút", None, None, "test")
        .await
        .unwrap();
    let with_token = |node: &str| {
        let auth = format!("Authorization: Bearer {}\r\n", created.secret);
        exchange(node, "GET", "/api/v1/dossiers?assignee=me", &auth, "").map(|(s, _)| s)
    };
    for node in &nodes {
        assert_eq!(with_token(node), Some(200), "the new token works on {node}");
    }
    db.people()
        .revoke_api_token(created.token.id, "test")
        .await
        .unwrap();
    for node in &nodes {
        let mut refused = false;
        for _ in 0..20 {
            if with_token(node) == Some(401) {
                refused = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(refused, "the revoked token still works on {node} after 2 s");
    }

    // The dossiers the load files come after these.
    let first_id: i64 = {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM dossiers")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        last + 1
    };
    // Both nodes under load; one is killed half-way, the other keeps serving.
    let acked = Arc::new(Mutex::new(Acked::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|who| {
            let (nodes, stop, acked, field) = (
                nodes.clone(),
                Arc::clone(&stop),
                Arc::clone(&acked),
                field.clone(),
            );
            std::thread::spawn(move || client(nodes, who, centre, field, stop, acked))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    children.0[0].kill().unwrap();
    children.0[0].wait().unwrap();
    let before = acked.lock().unwrap().dossiers.len();
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let after = acked.lock().unwrap().dossiers.len();
    assert!(
        after > before,
        "the other node kept serving ({before} → {after})"
    );
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    drop(children);
    let acked = Arc::try_unwrap(acked).ok().unwrap().into_inner().unwrap();
    assert!(acked.dossiers.len() >= 10, "the load ran");
    assert!(!acked.tickets.is_empty());

    // Nothing acknowledged is lost.
    for (id, (code, version)) in &acked.dossiers {
        let d = db
            .dossiers()
            .dossier(*id)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{code} lost"));
        assert_eq!(&d.code, code);
        assert!(
            d.version >= *version,
            "{code}: acknowledged {version}, stored {}",
            d.version
        );
    }
    // Codes and ticket numbers gapless, never repeated, whichever node gave them.
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let today: Vec<String> =
        sqlx::query_scalar("SELECT code FROM dossiers WHERE receiving_agency_id = $1")
            .bind(centre)
            .fetch_all(&pool)
            .await
            .unwrap();
    let mut by_prefix: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for code in &today {
        let (prefix, n) = code.rsplit_once('-').unwrap();
        by_prefix
            .entry(prefix.into())
            .or_default()
            .push(n.parse().unwrap());
    }
    for (prefix, mut numbers) in by_prefix {
        numbers.sort_unstable();
        let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
        assert_eq!(numbers, expected, "codes of {prefix}");
    }
    let mut tickets: Vec<i64> =
        sqlx::query_scalar("SELECT number FROM tickets WHERE agency_id = $1")
            .bind(centre)
            .fetch_all(&pool)
            .await
            .unwrap();
    tickets.sort_unstable();
    let expected: Vec<i64> = (1..=tickets.len() as i64).collect();
    assert_eq!(tickets, expected, "ticket numbers");
    // Exactly one "received" message per dossier the load filed, none twice.
    let doubled: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT dossier_id FROM outbox WHERE event = 'received'
            AND dossier_id >= $1 GROUP BY dossier_id HAVING COUNT(*) <> 1) x",
    )
    .bind(first_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(doubled, 0, "a dossier without its one message, or with two");
    let missing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dossiers d WHERE d.id >= $1
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dossier_id = d.id AND o.event = 'received')",
    )
    .bind(first_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(missing, 0);
    pool.close().await;
    db.close().await;
    let (ok, out, err) = motcua(&["--database", &url, "audit", "verify"]);
    assert!(ok, "audit verify: {out}{err}");
    eprintln!(
        "two nodes: {} dossiers and {} tickets acknowledged, one node killed, none lost",
        acked.dossiers.len(),
        acked.tickets.len()
    );
}
