//! Reading files from disk within bounds: every byte nblint reads from a path (reports,
//! nblint.toml, baselines, rule files) comes through [`read_limited`].
//!
//! Two things make a read unbounded, and both are refused here:
//! - a file that is not a regular file: a FIFO blocks the open (and the whole run) until a
//!   writer appears, a character device such as `/dev/zero` never ends and reports size 0.
//!   Only standard input (`-`) may be a pipe; it is read by the CLI with the same bound.
//! - a file that grows or lies about its size: the read stops one byte past the limit
//!   (`take(limit + 1)`) whatever the metadata said.
//!
//! This module must not decode or interpret the bytes.

use super::ReadError;
use std::io::Read;
use std::path::Path;

/// Largest configuration file (nblint.toml) or rule file read.
pub(crate) const MAX_CONFIG_BYTES: u64 = 4 * 1024 * 1024;
/// Largest baseline file read (a baseline lists every accepted finding of a whole tree).
pub(crate) const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads the regular file at `path`, refusing anything else, and at most `limit` bytes.
/// A file over the limit is [`ReadError::TooLarge`] (with its size when the file system
/// knows it).
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_limited_unless(path, limit, 0, |_| false).map(|bytes| bytes.expect("nothing is left out"))
}

/// [`read_limited`], but a file whose first `head` bytes (fewer if it is shorter) `skip`
/// accepts is left out (`Ok(None)`) whatever its size: only its beginning is read when it
/// is over the limit.
pub(crate) fn read_limited_unless(
    path: &Path,
    limit: u64,
    head: usize,
    skip: impl FnOnce(&[u8]) -> bool,
) -> Result<Option<Vec<u8>>, ReadError> {
    // Checked before opening: opening a FIFO for reading blocks until someone writes.
    let meta = std::fs::metadata(path)?;
    check_regular(&meta)?;
    if meta.len() > limit && head == 0 {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let file = std::fs::File::open(path)?;
    // The path may have been replaced between the two calls: look at what was opened.
    let meta = file.metadata()?;
    check_regular(&meta)?;
    if meta.len() > limit {
        let mut start = Vec::with_capacity(head);
        file.take(head as u64).read_to_end(&mut start)?;
        if skip(&start) {
            return Ok(None);
        }
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    let bytes = read_bounded(file, limit, meta.len())?;
    if head > 0 && skip(&bytes[..bytes.len().min(head)]) {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Reads at most `limit` bytes from `r`; more is [`ReadError::TooLarge`] without a size.
/// `hint` is the expected size, used only to allocate once.
pub(crate) fn read_bounded(r: impl Read, limit: u64, hint: u64) -> Result<Vec<u8>, ReadError> {
    // One allocation for a file of the size it claims (and no more than the limit).
    let cap = usize::try_from(hint.min(limit)).unwrap_or(0);
    let mut buf = Vec::with_capacity(cap.saturating_add(1));
    r.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(buf)
}

/// Reads a text file (configuration, rules, baseline) within `limit`; the error is a plain
/// sentence naming what is wrong, for the caller to put after the file's name.
pub(crate) fn read_text_limited(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read_limited(path, limit).map_err(|e| e.reason(crate::diagnostic::Lang::En))?;
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), ReadError> {
    if meta.is_file() {
        return Ok(());
    }
    Err(ReadError::NotRegular {
        kind: file_kind(meta),
    })
}

/// What kind of special file a path is.
fn file_kind(meta: &std::fs::Metadata) -> Special {
    let t = meta.file_type();
    if t.is_dir() {
        return Special::Directory;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Special::Fifo;
        }
        if t.is_char_device() || t.is_block_device() {
            return Special::Device;
        }
        if t.is_socket() {
            return Special::Socket;
        }
    }
    Special::Other
}

/// A path that is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    Directory,
    Fifo,
    Device,
    Socket,
    Other,
}

impl Special {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            Special::Directory => "目录",
            Special::Fifo => "命名管道 (FIFO)",
            Special::Device => "设备文件",
            Special::Socket => "套接字 (socket)",
            Special::Other => "特殊文件",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            Special::Directory => "a directory",
            Special::Fifo => "a named pipe (FIFO)",
            Special::Device => "a device",
            Special::Socket => "a socket",
            Special::Other => "a special file",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_is_read_one_byte_past_the_limit_and_no_further() {
        // An endless source (what /dev/zero is) stops at the limit.
        let endless = std::io::repeat(b'x');
        assert_eq!(
            read_bounded(endless, 10, 0),
            Err(ReadError::TooLarge {
                size: None,
                limit: 10
            })
        );
        assert_eq!(read_bounded(&b"0123456789"[..], 10, 10).unwrap().len(), 10);
        // The largest limit does not wrap to zero.
        assert_eq!(read_bounded(&b"abc"[..], u64::MAX, 3).unwrap(), b"abc");
    }

    #[test]
    fn a_file_is_left_out_by_its_beginning_whatever_its_size() {
        let d = std::env::temp_dir().join(format!("nblint-unless-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let (small, big) = (d.join("small.txt"), d.join("big.txt"));
        std::fs::write(&small, b"OUT and more").unwrap();
        std::fs::write(&big, [&b"OUT"[..], &[b'x'; 200]].concat()).unwrap();
        let seen = std::cell::RefCell::new(Vec::new());
        let out = |head: &[u8]| {
            seen.borrow_mut().push(head.len());
            head.starts_with(b"OUT")
        };
        assert_eq!(read_limited_unless(&small, 100, 4, out), Ok(None));
        // Over the limit: only the beginning is read, and the file is still left out.
        assert_eq!(read_limited_unless(&big, 100, 4, out), Ok(None));
        assert_eq!(*seen.borrow(), [4, 4]);
        std::fs::write(&big, [b'x'; 200]).unwrap();
        assert_eq!(
            read_limited_unless(&big, 100, 4, out),
            Err(ReadError::TooLarge {
                size: Some(200),
                limit: 100
            })
        );
        std::fs::write(&small, b"ab").unwrap();
        assert_eq!(
            read_limited_unless(&small, 100, 4, out),
            Ok(Some(b"ab".to_vec()))
        );
        // Shorter than the head: the whole file is looked at.
        assert_eq!(*seen.borrow(), [4, 4, 4, 2]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_directory_is_not_read() {
        let dir = std::env::temp_dir();
        assert!(matches!(
            read_limited(&dir, 100),
            Err(ReadError::NotRegular { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_character_device_is_refused() {
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 100),
            Err(ReadError::NotRegular {
                kind: Special::Device
            })
        ));
    }
}
