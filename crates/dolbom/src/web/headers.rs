//! The security headers every answer carries unless its handler chose its own (a receipt's or document's
//! `sandbox` policy): a Content-Security-Policy without `unsafe-inline` (our only script is `/static/*.js`, our only
//! styles `/static/app.css`), no framing by anyone, no MIME sniffing, no referrer leaving the site, and HSTS when
//! dolbom is served over TLS (`--cookie-secure`).

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// Images may come from https sites an official links in a content page; nothing else leaves the origin.
pub const CONTENT_SECURITY_POLICY: &str = concat!(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; object-src 'none'; ",
    "frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
);

const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The headers as (name, value), HSTS only over TLS.
pub fn security_headers(tls: bool) -> Vec<(HeaderName, &'static str)> {
    let mut headers = vec![
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Links and images that leave the site never carry the page's address (a resident's search, a record).
        (header::REFERRER_POLICY, "same-origin"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        // The map may ask where you are; nothing may use the camera, microphone or payment.
        (HeaderName::from_static("permissions-policy"), "geolocation=(self), camera=(), microphone=(), payment=()"),
    ];
    if tls {
        headers.push((header::STRICT_TRANSPORT_SECURITY, HSTS));
    }
    headers
}

/// The router with every security header added where the handler set none.
pub fn apply<S: Clone + Send + Sync + 'static>(mut router: Router<S>, tls: bool) -> Router<S> {
    for (name, value) in security_headers(tls) {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_inline_script_or_style_is_allowed_and_hsts_only_over_tls() {
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe"));
        assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        let names = |tls| security_headers(tls).into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert!(!names(false).contains(&header::STRICT_TRANSPORT_SECURITY));
        assert!(names(true).contains(&header::STRICT_TRANSPORT_SECURITY));
    }
}
