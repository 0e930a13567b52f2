//! Gọi ra ngoài — what every outbound HTTP link (the time-stamping authority, the population
//! database) starts with: its address checked and a client that gives up after a timeout.

/// `url` trimmed and checked to be http or https (`what` names the link in the message),
/// with a client waiting at most `timeout` for each answer.
pub(crate) fn client(
    url: &str,
    what: &str,
    timeout: std::time::Duration,
) -> Result<(String, reqwest::Client), String> {
    let url = url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "địa chỉ {what} “{url}” phải bắt đầu bằng http:// hoặc https://"
        ));
    }
    // HTTPS needs a process-wide TLS provider; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .map_err(|e| format!("không tạo được HTTP client: {e}"))?;
    Ok((url.to_string(), client))
}
