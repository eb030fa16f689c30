//! A directory store: the data is written to `data.sql.zst.partial` and renamed when complete;
//! the manifest is written to a temporary file and linked into place, never over another.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use opskit::{Error, Result};

use super::{DATA, Fetched, Listed, MANIFEST};
use crate::manifest::Manifest;

pub struct LocalStore {
    root: PathBuf,
}

fn cant_write(path: &Path, e: &io::Error) -> Error {
    Error::cant_create(format!("cannot write {}: {e}", path.display()))
}

impl LocalStore {
    pub fn new(root: PathBuf) -> LocalStore {
        LocalStore { root }
    }

    pub fn dir(&self, app: &str, env: &str, id: &str) -> PathBuf {
        self.root.join(app).join(env).join(id)
    }

    pub fn create(&self, app: &str, env: &str, id: &str) -> Result<LocalWriter> {
        let dir = self.dir(app, env, id);
        fs::create_dir_all(&dir).map_err(|e| cant_write(&dir, &e))?;
        let partial = dir.join(format!("{DATA}.partial"));
        let file =
            fs::OpenOptions::new().write(true).create_new(true).open(&partial).map_err(|e| cant_write(&partial, &e))?;
        Ok(LocalWriter { file: Some(BufWriter::with_capacity(1 << 20, file)), partial, dir })
    }

    pub fn put_manifest(&self, manifest: &Manifest, body: &[u8]) -> Result<()> {
        let dir = self.dir(&manifest.app, &manifest.env, &manifest.id);
        let tmp = dir.join(format!("{MANIFEST}.partial"));
        let target = dir.join(MANIFEST);
        let mut file = File::create(&tmp).map_err(|e| cant_write(&tmp, &e))?;
        file.write_all(body).and_then(|()| file.sync_all()).map_err(|e| cant_write(&tmp, &e))?;
        // A hard link fails when the target exists: two writers can never both win.
        fs::hard_link(&tmp, &target).map_err(|e| cant_write(&target, &e))?;
        let _ = fs::remove_file(&tmp);
        Ok(())
    }

    pub fn list(&self, app: &str, env: Option<&str>) -> Result<Vec<Listed>> {
        let mut out = Vec::new();
        let envs: Vec<String> = match env {
            Some(env) => vec![env.to_owned()],
            None => subdirs(&self.root.join(app))?,
        };
        for env in envs {
            for id in subdirs(&self.root.join(app).join(&env))? {
                let dir = self.dir(app, &env, &id);
                let manifest = match fs::read(dir.join(MANIFEST)) {
                    Ok(bytes) => Some(serde_json::from_slice::<Manifest>(&bytes).map_err(|e| {
                        Error::data(format!("{}: malformed manifest: {e}", dir.join(MANIFEST).display()))
                    })?),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                    Err(e) => return Err(Error::data(format!("cannot read {}: {e}", dir.display()))),
                };
                out.push(Listed {
                    app: app.to_owned(),
                    env: env.clone(),
                    id,
                    manifest,
                    location: dir.join(DATA).display().to_string(),
                });
            }
        }
        Ok(out)
    }

    pub fn fetch(&self, dump: &Listed) -> Result<Fetched> {
        let path = self.dir(&dump.app, &dump.env, &dump.id).join(DATA);
        if !path.is_file() {
            return Err(Error::not_found(format!("dump {} has no data at {}", dump.id, path.display())));
        }
        Ok(Fetched::InPlace(path))
    }

    pub fn remove(&self, dump: &Listed) -> Result<()> {
        let dir = self.dir(&dump.app, &dump.env, &dump.id);
        // The manifest first: an interrupted removal leaves an incomplete dump, never a
        // complete-looking one without data.
        let _ = fs::remove_file(dir.join(MANIFEST));
        fs::remove_dir_all(&dir).map_err(|e| Error::cant_create(format!("cannot remove {}: {e}", dir.display())))
    }
}

fn subdirs(dir: &Path) -> Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::data(format!("cannot read {}: {e}", dir.display()))),
    };
    let mut names: Vec<String> = entries
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}

/// The data file being written.
pub struct LocalWriter {
    file: Option<BufWriter<File>>,
    partial: PathBuf,
    dir: PathBuf,
}

impl Write for LocalWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("open until finished").write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("open until finished").flush()
    }
}

impl LocalWriter {
    pub fn finish(mut self) -> Result<()> {
        let file = self.file.take().expect("finished once");
        let file = file.into_inner().map_err(|e| cant_write(&self.partial, e.error()))?;
        file.sync_all().map_err(|e| cant_write(&self.partial, &e))?;
        let target = self.dir.join(DATA);
        fs::rename(&self.partial, &target).map_err(|e| cant_write(&target, &e))
    }

    pub fn abort(mut self) {
        self.file.take();
        let _ = fs::remove_file(&self.partial);
        let _ = fs::remove_dir(&self.dir);
    }
}

/// Size and SHA-256 (hex) of a file, read in large blocks.
pub fn digest(path: &Path) -> Result<(u64, String)> {
    use sha2::Digest;
    let mut file = File::open(path).map_err(|e| Error::data(format!("cannot read {}: {e}", path.display())))?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::data(format!("cannot read {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex::encode(hasher.finalize())))
}

/// A file deleted when dropped.
pub struct TempFile {
    path: PathBuf,
}

impl TempFile {
    /// A new, private (0600) file in the temporary directory.
    pub fn create(name: &str) -> Result<(TempFile, File)> {
        use std::os::unix::fs::OpenOptionsExt;
        let dir = std::env::temp_dir();
        for attempt in 0..100u32 {
            let path = dir.join(format!("dbdump-{}-{attempt}-{name}", std::process::id()));
            match fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path) {
                Ok(file) => return Ok((TempFile { path }, file)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(cant_write(&path, &e)),
            }
        }
        Err(Error::cant_create(format!("cannot create a temporary file in {}", dir.display())))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}
