//! Client-chosen identifiers: a cuid (v1, 25 characters starting with `c`, like the reference
//! SDK) per new asset, chosen before any upload so that bucket paths and `idArray` agree and a
//! retried creation can be checked for what already exists; random external ids are uuid4 hex.
//! Thread-safe.

/// A new asset id (cuid v1).
pub fn new_asset_id() -> String {
    cuid::cuid1()
}

/// A random external id: 32 lower-case hex characters (uuid4), like the reference SDK.
pub fn random_external_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let id = new_asset_id();
        assert!(id.starts_with('c') && id.len() >= 24, "{id}");
        assert_ne!(new_asset_id(), new_asset_id());
        let e = random_external_id();
        assert_eq!(e.len(), 32);
        assert!(e
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }
}
