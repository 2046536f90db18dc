//! The index directory as searches, stats and exports see it: read, never written.
//!
//! tantivy's reader takes the meta lock while it opens the segments, so that a writer's garbage
//! collection cannot delete them halfway. Its own directory takes that lock by opening the lock
//! file for writing (creating it when absent), so a reader of an index it may not write — a
//! read-only copy, another user's index, a read-only file system — failed with `Failed to acquire
//! Lockfile … os error 13`. Here the lock file is opened for reading only and locked shared
//! (`flock` needs no write permission): readers never wait for each other, a writer's collection
//! still waits for them, and a reader creates nothing. Every write is refused, so a search
//! cannot change the index even by mistake.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};

/// tantivy's list of the files it manages (`MANAGED_FILEPATH`, not exported).
const MANAGED_FILE: &str = ".managed.json";

/// An index directory opened for reading only.
#[derive(Debug, Clone)]
pub(super) struct ReadOnlyDirectory {
    files: MmapDirectory,
    root: PathBuf,
}

impl ReadOnlyDirectory {
    /// Opens `root` (which must exist) for reading.
    pub(super) fn open(root: &Path) -> Result<ReadOnlyDirectory, OpenDirectoryError> {
        Ok(ReadOnlyDirectory {
            files: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }

    fn refused(&self, path: &Path) -> io::Error {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{}: the index is open for reading only",
                self.root.join(path).display()
            ),
        )
    }
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.files.get_file_handle(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.files.exists(path)
    }

    /// `.managed.json` lists the files a writer's garbage collection may delete; a reader
    /// never collects, so when it cannot read the list (tantivy writes it readable by its owner
    /// only) it goes on as if there were none.
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match self.files.atomic_read(path) {
            Err(OpenReadError::IoError { io_error, .. })
                if path == Path::new(MANAGED_FILE)
                    && io_error.kind() == io::ErrorKind::PermissionDenied =>
            {
                Err(OpenReadError::FileDoesNotExist(path.to_path_buf()))
            }
            read => read,
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(self.refused(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(
            self.refused(path),
            path.to_path_buf(),
        ))
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(self.refused(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// The meta lock, shared, through a read-only handle; no lock at all when no writer ever
    /// made the lock file (then no writer has collected garbage here either) or when it cannot
    /// even be read. Other locks are a writer's and refused.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if lock.filepath != META_LOCK.filepath {
            return Err(LockError::wrap_io_error(self.refused(&lock.filepath)));
        }
        match File::open(self.root.join(&lock.filepath)) {
            Ok(file) => {
                file.lock_shared().map_err(LockError::wrap_io_error)?;
                // closing the file releases the lock
                Ok(DirectoryLock::from(Box::new(file)))
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied
                ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            Err(e) => Err(LockError::wrap_io_error(e)),
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.files.watch(watch_callback)
    }
}
