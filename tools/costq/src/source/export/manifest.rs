//! Legacy CUR deliveries that keep every version of a month's report ("create new report
//! version") hold `report/20231101-20231201/<assembly id>/report-00001.csv.gz` for each version,
//! and `report/20231101-20231201/report-Manifest.json` naming the current one's files in
//! `reportKeys`. Reading every file would count the month once per version: where such a manifest
//! is found, only the files it names are read in its month's folder.

/// A legacy CUR manifest: its billing-period folder (`…/20231101-20231201`) and the keys it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub folder: String,
    pub keys: Vec<String>,
}

/// `20231101-20231201`: a legacy CUR billing-period folder.
fn is_period(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 17 && b[8] == b'-' && b.iter().enumerate().all(|(i, c)| i == 8 || c.is_ascii_digit())
}

/// The billing-period folder of `path` (an S3 key or a path with `/`) when it is a legacy CUR
/// manifest there.
pub fn folder_of(path: &str) -> Option<&str> {
    let (folder, name) = path.rsplit_once('/')?;
    let period = folder.rsplit('/').next()?;
    (name.ends_with("-Manifest.json") && is_period(period)).then_some(folder)
}

/// The keys a manifest names.
pub fn parse(folder: &str, text: &str) -> Result<Manifest, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not a JSON manifest: {e}"))?;
    let keys = value
        .get("reportKeys")
        .and_then(serde_json::Value::as_array)
        .ok_or("a manifest without `reportKeys`")?
        .iter()
        .filter_map(serde_json::Value::as_str)
        .map(str::to_owned)
        .collect();
    Ok(Manifest { folder: folder.to_owned(), keys })
}

/// Whether the data file at `path` is read: outside every manifest's folder, or named by the
/// manifest of its folder (a manifest's keys are S3 keys; a local copy is matched by the part
/// after the billing-period folder).
pub fn keeps(manifests: &[Manifest], path: &str) -> bool {
    let Some(manifest) = manifests.iter().find(|m| path.starts_with(&format!("{}/", m.folder))) else {
        return true;
    };
    let period = manifest.folder.rsplit('/').next().unwrap_or_default();
    let within = &path[manifest.folder.len() + 1..];
    manifest
        .keys
        .iter()
        .any(|key| key.split_once(&format!("{period}/")).is_some_and(|(_, rest)| rest == within) || key == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_current_version_of_a_month_is_read() {
        let folder = "cur/report/20231101-20231201";
        assert_eq!(folder_of(&format!("{folder}/report-Manifest.json")), Some(folder));
        assert_eq!(folder_of("cur/report/metadata/report-Manifest.json"), None);
        let m = parse(
            folder,
            r#"{"assemblyId": "b", "reportKeys": ["cur/report/20231101-20231201/b/report-00001.csv.gz"]}"#,
        )
        .unwrap();
        let manifests = [m];
        assert!(keeps(&manifests, &format!("{folder}/b/report-00001.csv.gz")));
        assert!(!keeps(&manifests, &format!("{folder}/a/report-00001.csv.gz")), "an older version");
        assert!(keeps(&manifests, "cur/report/20231201-20240101/c/report-00001.csv.gz"), "another month");
        // A local copy under another root is matched after the month's folder.
        let local = [parse(
            "/data/sync/20231101-20231201",
            r#"{"reportKeys": ["cur/report/20231101-20231201/b/report-00001.csv.gz"]}"#,
        )
        .unwrap()];
        assert!(keeps(&local, "/data/sync/20231101-20231201/b/report-00001.csv.gz"));
        assert!(!keeps(&local, "/data/sync/20231101-20231201/a/report-00001.csv.gz"));
        assert!(parse(folder, "{}").is_err());
    }
}
