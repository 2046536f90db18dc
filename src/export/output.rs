//! Where an export goes: a stream given by the caller (standard output), or a file that appears
//! only when complete.
//!
//! A file is written as a hidden temporary file in the target's own directory and renamed over the
//! target at the end, so a failed or interrupted export never leaves a half-written table where a
//! complete one is expected (rename within one directory is atomic).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// The name standard output has in error messages.
pub(crate) const STDOUT: &str = "<stdout>";

/// Numbers the temporary files of one process, so two exports at once (tests run in threads)
/// never share one.
static SERIAL: AtomicUsize = AtomicUsize::new(0);

/// Where the rows of an export are written.
pub enum Destination {
    /// A stream, usually standard output; text formats only.
    Stream(Box<dyn Write>),
    /// A file, replaced atomically once the export is complete.
    File(PathBuf),
}

/// A file being written under a temporary name; removed on drop unless committed.
#[derive(Debug)]
pub(crate) struct OutputFile {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

impl OutputFile {
    /// Creates the temporary file next to `target`.
    pub(crate) fn create(target: &Path) -> Result<(OutputFile, File)> {
        let fail = |message: String| Error::export(target, message);
        if target.is_dir() {
            return Err(fail("is a directory".into()));
        }
        let name = target
            .file_name()
            .ok_or_else(|| fail("not a file name".into()))?;
        let dir = Self::dir_of(target);
        let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(
            ".{}.{}-{serial}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)
            .map_err(|e| fail(format!("cannot write in {}", dir.display())).because(e))?;
        let output = OutputFile {
            target: target.to_path_buf(),
            temp,
            committed: false,
        };
        Ok((output, file))
    }

    /// The directory of a path (`.` for a bare file name).
    pub(crate) fn dir_of(target: &Path) -> &Path {
        match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    }

    /// The directory the file is written in.
    pub(crate) fn dir(&self) -> &Path {
        Self::dir_of(&self.target)
    }

    /// The error for a failure while writing this file.
    pub(crate) fn error(
        &self,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        self.error_in("", cause)
    }

    /// The error for a failure while writing one part (`what`) of this file.
    pub(crate) fn error_in(
        &self,
        what: impl Into<String>,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::export(&self.target, what).because(cause)
    }

    /// Flushes `file` to disk and moves it to the target name.
    pub(crate) fn commit(mut self, file: File) -> Result<()> {
        file.sync_all().map_err(|e| self.error(e))?;
        drop(file);
        fs::rename(&self.temp, &self.target).map_err(|e| self.error(e))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A byte sink for the text formats: the caller's stream, or an [`OutputFile`].
pub(crate) enum Target {
    /// The caller's stream.
    Stream(Box<dyn Write>),
    /// A file being written.
    File(OutputFile, File),
}

impl Target {
    /// Opens the destination.
    pub(crate) fn open(destination: Destination) -> Result<Target> {
        Ok(match destination {
            Destination::Stream(w) => Target::Stream(w),
            Destination::File(path) => {
                let (output, file) = OutputFile::create(&path)?;
                Target::File(output, file)
            }
        })
    }

    /// The error for an I/O failure on this target. On a stream it stays an `Error::Io`, so the
    /// caller can tell a closed pipe.
    pub(crate) fn error(&self, e: io::Error) -> Error {
        match self {
            Target::Stream(_) => Error::Io {
                path: STDOUT.into(),
                source: e,
            },
            Target::File(output, _) => output.error(e),
        }
    }

    /// Flushes, and for a file moves it into place.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.flush().map_err(|e| self.error(e))?;
        match self {
            Target::Stream(_) => Ok(()),
            Target::File(output, file) => output.commit(file),
        }
    }
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Stream(w) => w.write(buf),
            Target::File(_, f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Stream(w) => w.flush(),
            Target::File(_, f) => f.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.csv");
        {
            let (_output, mut file) = OutputFile::create(&target).unwrap();
            file.write_all(b"half").unwrap();
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_committed_file_replaces_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.csv");
        fs::write(&target, "old").unwrap();
        let (output, mut file) = OutputFile::create(&target).unwrap();
        file.write_all(b"new").unwrap();
        output.commit(file).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_names_the_target() {
        let target = Path::new("/nonexistent-fupan-dir/t.csv");
        let err = OutputFile::create(target).unwrap_err().to_string();
        assert!(
            err.starts_with("/nonexistent-fupan-dir/t.csv: cannot write in"),
            "{err}"
        );
    }
}
