//! The baseline for bench/http.sh: the cheapest useful axum server, one handler returning text.
use axum::{Router, routing::get};

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8090".into());
    let app = Router::new().route("/", get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind baseline address");
    axum::serve(listener, app).await.expect("serve baseline");
}
