//! The harness of the fast-path differential tests: two emulators over the same fixture, one
//! with `fast_paths` on and one with them off; a request goes to both and their answers must
//! be equal (byte for byte when the fast path answered), with the path that answered checked.

use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle};
use serde_json::Value;

/// The two servers.
pub struct Pair {
    pub fast: EmulatorHandle,
    pub slow: EmulatorHandle,
}

/// Which path must answer on the fast server.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Path {
    Fast,
    Schema,
}

/// Two servers loaded with `fixture` (which must give every timestamp explicitly, so that
/// both hold the same data).
pub fn pair(fixture: Value) -> Pair {
    let start = |fast_paths| {
        start_blocking(EmulatorConfig {
            fixtures: vec![fixture.clone()],
            fast_paths,
            ..Default::default()
        })
    };
    Pair {
        fast: start(true),
        slow: start(false),
    }
}

/// POSTs `body` as JSON, with the API key `key` if given: (status, body bytes).
pub fn send(endpoint: &str, key: Option<&str>, body: &Value) -> (u16, Vec<u8>) {
    let client = reqwest::blocking::Client::new();
    let mut req = client.post(endpoint).json(body);
    if let Some(k) = key {
        req = req.header("Authorization", format!("X-API-Key: {k}"));
    }
    let resp = req.send().expect("request sent");
    let status = resp.status().as_u16();
    (status, resp.bytes().expect("body").to_vec())
}

impl Pair {
    /// Sends `body` to both servers; asserts equal status and answers (equal bytes when the
    /// fast path answered), that `path` answered on the fast server and that the server with
    /// the switch off never used a fast path. Returns the decoded answer.
    pub fn compare(&self, key: Option<&str>, body: &Value, path: Path) -> Value {
        let before = self.fast.fast_path_answers();
        let (s_fast, b_fast) = send(&self.fast.endpoint(), key, body);
        let (s_slow, b_slow) = send(&self.slow.endpoint(), key, body);
        let answered = if self.fast.fast_path_answers() - before == 1 {
            Path::Fast
        } else {
            Path::Schema
        };
        let j_fast: Value = serde_json::from_slice(&b_fast).expect("JSON (fast)");
        let j_slow: Value = serde_json::from_slice(&b_slow).expect("JSON (slow)");
        assert_eq!(
            (s_fast, &j_fast),
            (s_slow, &j_slow),
            "answers differ for {body}"
        );
        assert_eq!(answered, path, "wrong path answered {body}: {j_fast}");
        if answered == Path::Fast {
            assert_eq!(
                String::from_utf8_lossy(&b_fast),
                String::from_utf8_lossy(&b_slow),
                "bytes differ for {body}"
            );
        }
        assert_eq!(
            self.slow.fast_path_answers(),
            0,
            "switch off but fast path used"
        );
        j_fast
    }
}
