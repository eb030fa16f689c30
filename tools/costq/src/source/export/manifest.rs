//! Exports that keep every version of a billing period list the current one's files in a
//! manifest; reading every file would count the period once per version. Where such a manifest
//! is found, only the files it names are read in its period's folder.
//!
//! - Legacy CUR ("create new report version"): `report/20231101-20231201/<assembly id>/report-00001.csv.gz`
//!   for each version, and `report/20231101-20231201/report-Manifest.json` naming the current
//!   one's keys in `reportKeys`.
//! - Data Exports (CUR 2.0, FOCUS): `<export>/data/BILLING_PERIOD=2023-11/…` holds the data and
//!   `<export>/metadata/BILLING_PERIOD=2023-11/<export>-Manifest.json` names the current files
//!   (`s3://bucket/key` URIs) in `dataFiles`.

/// A manifest: the folder whose data files it governs (`…/20231101-20231201`,
/// `…/data/BILLING_PERIOD=2023-11`) and the keys it names.
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

/// `BILLING_PERIOD=2023-11`: a Data Exports partition.
fn is_partition(name: &str) -> bool {
    name.strip_prefix("BILLING_PERIOD=").is_some_and(|month| {
        let b = month.as_bytes();
        b.len() == 7 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit())
    })
}

/// The data folder a manifest at `path` (an S3 key or a path with `/`) governs, when it is one.
pub fn folder_of(path: &str) -> Option<String> {
    let (folder, name) = path.rsplit_once('/')?;
    if !name.ends_with("-Manifest.json") {
        return None;
    }
    let (parent, period) = folder.rsplit_once('/').unwrap_or(("", folder));
    if is_period(period) {
        return Some(folder.to_owned());
    }
    let export = parent.strip_suffix("/metadata").or_else(|| (parent == "metadata").then_some(""))?;
    is_partition(period)
        .then(|| if export.is_empty() { format!("data/{period}") } else { format!("{export}/data/{period}") })
}

/// The keys a manifest names (`reportKeys`, or `dataFiles` without their `s3://bucket/`).
pub fn parse(folder: &str, text: &str) -> Result<Manifest, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not a JSON manifest: {e}"))?;
    let listed = value
        .get("reportKeys")
        .or_else(|| value.get("dataFiles"))
        .and_then(serde_json::Value::as_array)
        .ok_or("a manifest without `reportKeys` or `dataFiles`")?;
    let keys = listed
        .iter()
        .filter_map(serde_json::Value::as_str)
        .map(|key| {
            key.strip_prefix("s3://").and_then(|rest| rest.split_once('/')).map_or(key, |(_, key)| key).to_owned()
        })
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
        assert_eq!(folder_of(&format!("{folder}/report-Manifest.json")).as_deref(), Some(folder));
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

    #[test]
    fn a_data_exports_manifest_governs_its_partitions_data_folder() {
        let manifest = "exports/cur2/metadata/BILLING_PERIOD=2023-11/cur2-Manifest.json";
        let folder = folder_of(manifest).unwrap();
        assert_eq!(folder, "exports/cur2/data/BILLING_PERIOD=2023-11");
        assert_eq!(
            folder_of("metadata/BILLING_PERIOD=2023-11/x-Manifest.json").as_deref(),
            Some("data/BILLING_PERIOD=2023-11")
        );
        assert_eq!(folder_of("exports/cur2/metadata/BILLING_PERIOD=2023-1/cur2-Manifest.json"), None);
        assert_eq!(folder_of("exports/cur2/other/BILLING_PERIOD=2023-11/cur2-Manifest.json"), None);
        let m = parse(
            &folder,
            r#"{"executionId": "e2", "dataFiles": ["s3://bucket/exports/cur2/data/BILLING_PERIOD=2023-11/20231117T1607Z-e2/cur2-00001.snappy.parquet"]}"#,
        )
        .unwrap();
        assert_eq!(m.keys, ["exports/cur2/data/BILLING_PERIOD=2023-11/20231117T1607Z-e2/cur2-00001.snappy.parquet"]);
        let manifests = [m];
        assert!(keeps(&manifests, &format!("{folder}/20231117T1607Z-e2/cur2-00001.snappy.parquet")));
        assert!(!keeps(&manifests, &format!("{folder}/20231116T1607Z-e1/cur2-00001.snappy.parquet")));
        assert!(keeps(&manifests, "exports/cur2/data/BILLING_PERIOD=2023-12/x/cur2-00001.snappy.parquet"));
    }
}
