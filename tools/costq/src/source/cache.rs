//! A local cache of Cost Explorer answers for closed periods: once AWS says a period's numbers
//! are final (no result `Estimated`), asking again costs $0.01 a request for the same answer.
//! Kept under `$XDG_CACHE_HOME/opskit/costq` (default `~/.cache/opskit/costq`), one file per
//! request, holding the request and whose credentials asked it, so a file is only ever used for
//! exactly the question it answers. `--no-cache` skips it (and refreshes it).

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The cache directory, when a home is known.
pub fn dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| Path::new(&h).join(".cache")))?;
    Some(base.join("opskit").join("costq"))
}

/// FNV-1a: a stable name for a request (the file itself holds the request, to be sure).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

pub struct Cache {
    dir: PathBuf,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry<K, V> {
    key: K,
    value: V,
}

impl Cache {
    pub fn open() -> Option<Cache> {
        dir().map(|dir| Cache { dir })
    }

    fn path(&self, key_json: &str) -> PathBuf {
        self.dir.join(format!("ce-{:016x}.json", fnv1a(key_json.as_bytes())))
    }

    /// The answer stored for `key`, if any (a file that does not hold exactly `key` is not it).
    pub fn get<K: Serialize, V: DeserializeOwned>(&self, key: &K) -> Option<V> {
        let key_json = serde_json::to_string(key).ok()?;
        let text = std::fs::read_to_string(self.path(&key_json)).ok()?;
        let entry: Entry<serde_json::Value, V> = serde_json::from_str(&text).ok()?;
        (entry.key == serde_json::to_value(key).ok()?).then_some(entry.value)
    }

    /// Store `value` for `key` (best effort: a cache that cannot be written is only slower).
    pub fn put<K: Serialize, V: Serialize>(&self, key: &K, value: &V) {
        let Ok(key_json) = serde_json::to_string(key) else { return };
        let path = self.path(&key_json);
        let Ok(text) = serde_json::to_string(&Entry { key, value }) else { return };
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&self.dir)?;
            // Write then rename: a reader never sees half a file.
            let temp = path.with_extension(format!("tmp{}", std::process::id()));
            std::fs::write(&temp, text)?;
            std::fs::rename(&temp, &path)
        };
        if let Err(e) = write() {
            tracing::info!("not cached ({}): {e}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_finds_exactly_the_same_question() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache { dir: dir.path().join("c") };
        cache.put(&("a", 1), &vec![1, 2, 3]);
        assert_eq!(cache.get::<_, Vec<i32>>(&("a", 1)), Some(vec![1, 2, 3]));
        assert_eq!(cache.get::<_, Vec<i32>>(&("a", 2)), None);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
