//! Checks across reports (NB5xx): the same body's reports of consecutive years, compared
//! after every file of the run has been checked.
//!
//! How it stays streaming with bounded memory: while files are checked, each annual report
//! leaves a [`Record`] (its place in the run, its configuration, the body, the year, and
//! where to read it again) in a [`Store`], which holds at most [`MEMORY_RECORDS`] of them in
//! memory and writes the rest to a temporary file. Per-file results are emitted as usual, in
//! input order. When every file is done, records are grouped by body (bucket by bucket when
//! they went to disk); only groups that hold two consecutive years are looked at again: those
//! files are re-read, one group at a time, the kinds of the cross-report rules compare each
//! pair (their [`Digest`]s, with the carry-over rows of 表三 read again), and the findings
//! are emitted after the per-file results, group by group (groups in the order of their
//! first file, files in input order), so the output is the same whatever the thread count
//! and whether or not the records went to disk. Re-reading costs one extra read of the files
//! that have a neighbouring year, and nothing for the others; in exchange, similarity is
//! exact rather than estimated from a sketch, and the snippets of cross-report findings can
//! be shown like any other.
//!
//! A year with two reports of the same body in the run (the same report as .md and .docx,
//! or two bodies with the same name) is ambiguous and is left out of the comparison.

use crate::report::Report;
use crate::report::similarity::body_key;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

/// What the cross-report checks know of one report: who published it and the year. The
/// kinds of the cross-report pass read what else they need from the two reports themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Digest {
    /// Who published the report (config `agency`, or the title's), normalised by
    /// [`body_key`].
    pub body: String,
    pub year: i32,
}

/// The digest of a checked annual report, or None when it has no body or year.
pub(crate) fn digest(report: &Report, agency_override: Option<&str>) -> Option<Digest> {
    let year = report.meta.year?;
    let agency = agency_override.or(report.meta.agency.as_deref())?;
    let body = body_key(agency);
    if body.is_empty() {
        return None;
    }
    Some(Digest { body, year })
}

/// Two reports of one body for consecutive years: `previous.year + 1 == current.year`.
#[derive(Clone, Copy, Debug)]
pub struct Pair<'a> {
    pub(crate) current: &'a Digest,
    pub(crate) previous: &'a Digest,
    pub(crate) current_path: &'a str,
    pub(crate) previous_path: &'a str,
}

/// What the first pass keeps of an annual report until every file is checked: where to read
/// it again, how it was checked, who published it and for which year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    /// Index of the input in the run (its place in the output order).
    pub(crate) input: u32,
    /// Index of the file's profile (its configuration).
    pub(crate) profile: u32,
    pub(crate) year: i32,
    /// The body, normalised by [`body_key`].
    pub(crate) body: Box<str>,
    pub(crate) source: Source,
}

/// Where a [`Record`]'s report is read again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    File(PathBuf),
    Stdin,
}

/// Records held in memory before they go to a temporary file (about 150 bytes each).
pub(crate) const MEMORY_RECORDS: usize = 4096;

/// At most this many bucket files at once at the end (file descriptors). Beyond
/// `MEMORY_RECORDS × MAX_BUCKETS` records (half a million reports) a bucket holds more than
/// `MEMORY_RECORDS`, so memory grows again, by 1/128 of what keeping everything would take.
const MAX_BUCKETS: usize = 128;

/// The records of a run, in input order: the first `limit` in memory, then all of them in a
/// temporary file, so that a run keeps at most `limit` records in memory whatever its number
/// of files.
///
/// At the end ([`Store::groups`]) the records are grouped by body: in memory when they never
/// left it; otherwise spread by a hash of the body over a few bucket files of about `limit`
/// records each, each bucket grouped in memory and its groups written back sorted by first
/// input, and the buckets' groups merged. So the groups come in the same order (their first
/// input) whether or not the records were spilled.
///
/// If the temporary file cannot be created or written, the records stay in memory (the run
/// is right, only bigger).
pub(crate) struct Store {
    limit: usize,
    kept: Vec<Record>,
    spill: Option<Spill>,
    /// The most records held in memory at once (for tests and measurements).
    peak: usize,
}

struct Spill {
    file: TempFile,
    /// Records written, and the bytes they take (a failed write is cut back to this).
    records: usize,
    bytes: u64,
}

impl Default for Store {
    fn default() -> Store {
        Store::new(MEMORY_RECORDS)
    }
}

impl Store {
    /// A store that keeps at most `limit` records in memory (at least one).
    pub(crate) fn new(limit: usize) -> Store {
        Store {
            limit: limit.max(1),
            kept: Vec::new(),
            spill: None,
            peak: 0,
        }
    }

    pub(crate) fn push(&mut self, r: Record) {
        self.kept.push(r);
        self.peak = self.peak.max(self.kept.len());
        if self.kept.len() >= self.limit {
            self.write_out();
        }
    }

    /// The most records held in memory at once so far.
    #[cfg(test)]
    pub(crate) fn peak_in_memory(&self) -> usize {
        self.peak
    }

    /// Records written to the temporary file.
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> usize {
        self.spill.as_ref().map_or(0, |s| s.records)
    }

    /// Moves the records held in memory to the temporary file. On failure they stay (and
    /// so do later ones: a disk that failed once is not tried again).
    fn write_out(&mut self) {
        if self.spill.is_none() {
            match TempFile::new() {
                Ok(file) => {
                    self.spill = Some(Spill {
                        file,
                        records: 0,
                        bytes: 0,
                    });
                }
                Err(_) => {
                    self.limit = usize::MAX;
                    return;
                }
            }
        }
        let Some(s) = self.spill.as_mut() else { return };
        let mut buf = Vec::new();
        for r in &self.kept {
            encode(&mut buf, r);
        }
        match s.file.0.write_all(&buf) {
            Ok(()) => {
                s.records += self.kept.len();
                s.bytes += buf.len() as u64;
                self.kept.clear();
            }
            Err(_) => {
                let _ = s.file.0.set_len(s.bytes);
                let _ = s.file.0.seek(SeekFrom::Start(s.bytes));
                self.limit = usize::MAX;
            }
        }
    }

    /// The groups of the run's records, for the cross-report pass: per body that has two
    /// consecutive years, its reports with an unambiguous year, sorted by year. Groups come in
    /// the order of their first input.
    pub(crate) fn groups(mut self) -> Groups {
        let Some(mut spill) = self.spill.take() else {
            return Groups::Memory(group(std::mem::take(&mut self.kept)).into_iter());
        };
        match buckets(&mut spill, std::mem::take(&mut self.kept), self.limit) {
            Ok(g) => g,
            // The file could not be read back: what it held is lost to the cross-report
            // checks (the per-file results are out already).
            Err(_) => Groups::Memory(Vec::new().into_iter()),
        }
    }
}

/// The groups of records held in memory, sorted by first input.
fn group(mut records: Vec<Record>) -> Vec<Vec<Record>> {
    records.sort_by(|a, b| (&a.body, a.year, a.input).cmp(&(&b.body, b.year, b.input)));
    let mut out: Vec<Vec<Record>> = Vec::new();
    let mut records = records.into_iter().peekable();
    while let Some(first) = records.next() {
        let mut same_body = vec![first];
        while let Some(r) = records.next_if(|r| r.body == same_body[0].body) {
            same_body.push(r);
        }
        // A year with two reports is ambiguous: left out.
        let mut single: Vec<Record> = Vec::new();
        let mut i = 0;
        while i < same_body.len() {
            let n = same_body[i..]
                .iter()
                .take_while(|r| r.year == same_body[i].year)
                .count();
            if n == 1 {
                single.push(same_body[i].clone());
            }
            i += n;
        }
        if single.windows(2).any(|w| w[0].year + 1 == w[1].year) {
            out.push(single);
        }
    }
    // Each input is in one group at most, so this order is total.
    out.sort_by_key(|g| g.iter().map(|r| r.input).min());
    out
}

/// Spreads the spilled records (and `rest`) over bucket files by body, groups each bucket and
/// writes its groups back sorted; returns the merge of the buckets' groups.
fn buckets(spill: &mut Spill, rest: Vec<Record>, limit: usize) -> io::Result<Groups> {
    let total = spill.records + rest.len();
    let k = total.div_ceil(limit).clamp(2, MAX_BUCKETS);
    let mut files = Vec::with_capacity(k);
    for _ in 0..k {
        files.push(BufWriter::new(TempFile::new()?));
    }
    let which = |r: &Record| {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        r.body.hash(&mut h);
        (h.finish() % k as u64) as usize
    };
    let mut buf = Vec::new();
    let mut put = |r: &Record, files: &mut Vec<BufWriter<TempFile>>| {
        buf.clear();
        encode(&mut buf, r);
        files[which(r)].write_all(&buf)
    };
    spill.file.0.seek(SeekFrom::Start(0))?;
    let mut read = BufReader::new((&mut spill.file.0).take(spill.bytes));
    while let Some(r) = decode(&mut read)? {
        put(&r, &mut files)?;
    }
    for r in &rest {
        put(r, &mut files)?;
    }
    drop(rest);
    let mut runs = Vec::with_capacity(k);
    for f in files {
        let mut f = f.into_inner().map_err(io::IntoInnerError::into_error)?;
        f.0.seek(SeekFrom::Start(0))?;
        let mut records = Vec::new();
        {
            let mut read = BufReader::new(&mut f.0);
            while let Some(r) = decode(&mut read)? {
                records.push(r);
            }
        }
        let groups = group(records);
        f.0.set_len(0)?;
        f.0.seek(SeekFrom::Start(0))?;
        let mut w = BufWriter::new(f);
        for g in &groups {
            buf.clear();
            buf.extend_from_slice(&(g.len() as u32).to_le_bytes());
            for r in g {
                encode(&mut buf, r);
            }
            w.write_all(&buf)?;
        }
        let mut f = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        f.0.seek(SeekFrom::Start(0))?;
        runs.push(BufReader::new(f));
    }
    let mut merge = Merge {
        runs,
        heads: std::collections::BinaryHeap::new(),
    };
    for i in 0..merge.runs.len() {
        merge.refill(i)?;
    }
    Ok(Groups::Merge(merge))
}

/// The groups of the cross-report pass, in order (see [`Store::groups`]).
pub(crate) enum Groups {
    Memory(std::vec::IntoIter<Vec<Record>>),
    Merge(Merge),
}

impl Iterator for Groups {
    type Item = Vec<Record>;

    fn next(&mut self) -> Option<Vec<Record>> {
        match self {
            Groups::Memory(g) => g.next(),
            Groups::Merge(m) => m.next(),
        }
    }
}

/// Merges the sorted groups of the bucket files: one group per bucket in memory.
pub(crate) struct Merge {
    runs: Vec<BufReader<TempFile>>,
    /// The next group of each bucket that has one, smallest first input on top.
    heads: std::collections::BinaryHeap<Head>,
}

struct Head {
    first: u32,
    run: usize,
    group: Vec<Record>,
}

impl PartialEq for Head {
    fn eq(&self, o: &Head) -> bool {
        self.first == o.first
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, o: &Head) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Head {
    /// Reversed: the heap's top is the smallest first input.
    fn cmp(&self, o: &Head) -> std::cmp::Ordering {
        o.first.cmp(&self.first)
    }
}

impl Merge {
    fn refill(&mut self, run: usize) -> io::Result<()> {
        let r = &mut self.runs[run];
        let mut n = [0u8; 4];
        match r.read_exact(&mut n) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let mut group = Vec::with_capacity(u32::from_le_bytes(n) as usize);
        for _ in 0..u32::from_le_bytes(n) {
            group.push(decode(r)?.ok_or(io::ErrorKind::UnexpectedEof)?);
        }
        if let Some(first) = group.iter().map(|r| r.input).min() {
            self.heads.push(Head { first, run, group });
        }
        Ok(())
    }
}

impl Iterator for Merge {
    type Item = Vec<Record>;

    fn next(&mut self) -> Option<Vec<Record>> {
        let Head { run, group, .. } = self.heads.pop()?;
        // A bucket that cannot be read on ends here; the others go on.
        let _ = self.refill(run);
        Some(group)
    }
}

/// A record as bytes: input, profile, year, the body, then the source (`0` standard input,
/// `1` a path). Paths are stored as the OS gives them on Unix; elsewhere as UTF-8 (a
/// Windows path that is not valid Unicode is read back with replacement characters).
fn encode(out: &mut Vec<u8>, r: &Record) {
    out.extend_from_slice(&r.input.to_le_bytes());
    out.extend_from_slice(&r.profile.to_le_bytes());
    out.extend_from_slice(&r.year.to_le_bytes());
    let bytes = |out: &mut Vec<u8>, b: &[u8]| {
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    };
    bytes(out, r.body.as_bytes());
    match &r.source {
        Source::Stdin => out.push(0),
        Source::File(p) => {
            out.push(1);
            #[cfg(unix)]
            bytes(out, std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()));
            #[cfg(not(unix))]
            bytes(out, p.to_string_lossy().as_bytes());
        }
    }
}

/// The next record, `None` at the end of the data.
fn decode(r: &mut impl Read) -> io::Result<Option<Record>> {
    let mut head = [0u8; 12];
    match r.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let word = |i: usize| [head[i], head[i + 1], head[i + 2], head[i + 3]];
    let bytes = |r: &mut dyn Read| -> io::Result<Vec<u8>> {
        let mut n = [0u8; 8];
        r.read_exact(&mut n)?;
        let mut b = vec![0; usize::try_from(u64::from_le_bytes(n)).map_err(io::Error::other)?];
        r.read_exact(&mut b)?;
        Ok(b)
    };
    let body = String::from_utf8(bytes(r)?).map_err(io::Error::other)?;
    let mut kind = [0u8; 1];
    r.read_exact(&mut kind)?;
    let source = if kind[0] == 0 {
        Source::Stdin
    } else {
        let b = bytes(r)?;
        #[cfg(unix)]
        let p = PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(b));
        #[cfg(not(unix))]
        let p = PathBuf::from(String::from_utf8(b).map_err(io::Error::other)?);
        Source::File(p)
    };
    Ok(Some(Record {
        input: u32::from_le_bytes(word(0)),
        profile: u32::from_le_bytes(word(4)),
        year: i32::from_le_bytes(word(8)),
        body: body.into(),
        source,
    }))
}

/// A temporary file that is gone when closed: on Unix its name is removed at once, on
/// Windows it is opened to be deleted on close. Elsewhere (WebAssembly) files cannot be
/// made and the records stay in memory.
struct TempFile(File);

impl TempFile {
    fn new() -> io::Result<TempFile> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir();
        let mut last = io::Error::other("no temporary file");
        for _ in 0..100 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = dir.join(format!(
                "nblint-cross-{}-{}-{nanos}",
                std::process::id(),
                COUNT.fetch_add(1, Ordering::Relaxed)
            ));
            let mut o = std::fs::OpenOptions::new();
            o.read(true).write(true).create_new(true);
            #[cfg(windows)]
            {
                // FILE_FLAG_DELETE_ON_CLOSE
                std::os::windows::fs::OpenOptionsExt::custom_flags(&mut o, 0x0400_0000);
            }
            match o.open(&path) {
                Ok(f) => {
                    #[cfg(unix)]
                    let _ = std::fs::remove_file(&path);
                    return Ok(TempFile(f));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }
}

impl Read for TempFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

// TESTS
#[cfg(test)]
mod tests {
    use super::*;

    fn r(input: u32, body: &str, year: i32) -> Record {
        Record {
            input,
            profile: input % 3,
            year,
            body: body.into(),
            source: if input == 7 {
                Source::Stdin
            } else {
                Source::File(PathBuf::from(format!("报告/{body}/{year}-{input}.md")))
            },
        }
    }

    fn groups_of(records: &[Record], limit: usize) -> (Vec<Vec<Record>>, usize) {
        let mut s = Store::new(limit);
        for x in records {
            s.push(x.clone());
        }
        let spilled = s.spilled();
        (s.groups().collect(), spilled)
    }

    #[test]
    fn grouping() {
        let rs = vec![
            r(0, "青山镇", 2021),
            r(1, "白水镇", 2021),
            r(2, "青山镇", 2022),
            r(3, "红石镇", 2020),
            r(4, "红石镇", 2022),
            r(5, "白水镇", 2022),
            r(6, "白水镇", 2022),
        ];
        // 红石镇 has no consecutive years; 白水镇's 2022 is ambiguous.
        let (g, _) = groups_of(&rs, usize::MAX);
        assert_eq!(g, vec![vec![rs[0].clone(), rs[2].clone()]]);
    }

    #[test]
    fn spilled_records_give_the_same_groups_with_few_in_memory() {
        // 600 reports of 90 bodies over a few years, with repeated years and standard input.
        let rs: Vec<Record> = (0..600u32)
            .map(|i| {
                let body = format!("第{}单位", (i * 7919) % 90);
                r(i, &body, 2018 + (i / 90 % 5) as i32)
            })
            .collect();
        let (want, _) = groups_of(&rs, usize::MAX);
        assert!(want.len() > 20, "{}", want.len());
        for limit in [1, 2, 5, 64, 599] {
            let mut s = Store::new(limit);
            for x in &rs {
                s.push(x.clone());
            }
            assert!(
                s.peak_in_memory() <= limit,
                "{} > {limit}",
                s.peak_in_memory()
            );
            assert!(s.spilled() >= 600 - limit, "{limit}: {}", s.spilled());
            let got: Vec<Vec<Record>> = s.groups().collect();
            assert_eq!(got, want, "limit {limit}");
        }
    }

    #[test]
    fn records_read_back_as_written() {
        let mut buf = Vec::new();
        let rs = [
            r(0, "青山镇", -3),
            r(7, "", 2021),
            r(u32::MAX, "x", i32::MAX),
        ];
        for x in &rs {
            encode(&mut buf, x);
        }
        let mut read = &buf[..];
        for x in &rs {
            assert_eq!(decode(&mut read).expect("read").as_ref(), Some(x));
        }
        assert_eq!(decode(&mut read).expect("end"), None);
    }
}
