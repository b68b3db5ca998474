//! Files nblint writes (`--output`, `--write-baseline`, `nblint init`): written whole or not
//! at all, and never over a file the run reads.
//!
//! An output is written to a hidden temporary file next to its destination and renamed over
//! it at the end ([`AtomicFile`]): a run that fails half-way leaves the old file as it was,
//! and the destination is never truncated while the run could still read it. Whether two
//! paths name the same file is decided by the file system ([`same_file`]), not by
//! comparing spellings (`./a.txt`, `a.txt`, a symbolic link).
//!
//! This module must not know what is written.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// An output being written: bytes go to a temporary file that [`AtomicFile::commit`] renames
/// to the destination. Dropped without a commit, the temporary file is removed.
pub(crate) struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Creates the temporary file in the destination's directory (a rename is atomic only
    /// within one file system). Its name is hidden (a leading dot), so a directory walk
    /// that runs meanwhile does not take it for a report.
    pub(crate) fn create(dest: &Path) -> io::Result<AtomicFile> {
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dest
            .file_name()
            .ok_or_else(|| io::Error::other("the output path names no file"))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".nblint-{}.tmp", std::process::id()));
        let tmp = dir.join(tmp_name);
        let file = File::create(&tmp)?;
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            tmp,
            file: Some(file),
        })
    }

    /// Flushes the temporary file and renames it over the destination.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        if let Some(f) = self.file.take() {
            f.sync_all()?;
        }
        std::fs::rename(&self.tmp, &self.dest)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("output already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `dest` through an [`AtomicFile`].
pub(crate) fn write_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(dest)?;
    f.write_all(bytes)?;
    f.commit()
}

/// The identity of an existing file (device and inode on Unix, the canonical path
/// elsewhere); `None` when it does not exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileId(Id);

#[cfg(unix)]
type Id = (u64, u64);
#[cfg(not(unix))]
type Id = PathBuf;

impl FileId {
    pub(crate) fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(path).ok()?;
            Some(FileId((m.dev(), m.ino())))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path).ok().map(FileId)
        }
    }
}

/// True when the file may have other names than its path spells (a hard link: more than one
/// directory entry). Unknown (not Unix) counts as true.
pub(crate) fn has_other_names(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).is_ok_and(|m| m.nlink() > 1)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// True when both paths name one existing file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (FileId::of(a), FileId::of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nblint-outfile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn an_output_replaces_the_file_only_when_committed() {
        let d = dir("commit");
        let dest = d.join("out.txt");
        std::fs::write(&dest, "old").unwrap();
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"new").unwrap();
        // Until the commit the old content is intact.
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old");
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        // Dropped without a commit: nothing changes and no temporary file is left.
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn two_spellings_of_one_file_are_the_same_file() {
        let d = dir("same");
        let a = d.join("a.txt");
        std::fs::write(&a, "x").unwrap();
        assert!(same_file(&a, &d.join(".").join("a.txt")));
        assert!(!same_file(&a, &d.join("b.txt")));
        let _ = std::fs::remove_dir_all(&d);
    }
}
