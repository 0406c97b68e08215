//! The clock and the structured log.

use crossrole_core::clock::Timestamp;

/// Now, from the system clock.
pub fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    Timestamp(secs)
}

/// Writes one structured log line (JSON) to stderr. Callers pass identifiers only: access key
/// ids, actions, codes; never a secret, token, password or request body.
pub fn log(event: serde_json::Value) {
    // One write per line: stderr is unbuffered, so `eprintln!` of a JSON value would write
    // each fragment with its own system call, a dozen a request. Whole lines also never
    // interleave.
    let mut line = event.to_string();
    line.push('\n');
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
}

#[cfg(test)]
mod tests {
    /// The emulator's clock is the system's (a signature's time is checked against it).
    #[test]
    fn now_is_the_system_clock() {
        let system = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((super::now().seconds() - system).abs() <= 1);
    }
}
