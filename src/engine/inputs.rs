//! What to check: the inputs named on the command line, the streaming directory walk
//! ([`Walk`]) that skips nblint's own output files, and reading one input within the limits.

use super::*;

/// One thing to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A named path that does not exist or cannot be walked. (Boxed: every input of a run is
    /// kept until the end, and few are missing.)
    Missing(PathBuf, Box<ReadError>),
}

impl Input {
    pub(crate) fn display(&self) -> String {
        match self {
            Input::File(p) | Input::Missing(p, _) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// Expands the command-line paths: files are taken as named (whatever their extension),
/// directories are walked recursively in sorted order, honouring .gitignore and skipping
/// hidden files and files of other types. Each file appears once. The CLI walks
/// [`input::WALKED_EXTENSIONS`]: the formats nblint reads, and the report formats it cannot
/// read (.doc, .wps, .ofd, .rtf), which then get a finding saying what to save them as.
///
/// Collects [`Walk`] into a list; the CLI streams it instead.
#[cfg(test)]
pub(crate) fn collect_inputs(paths: &[PathBuf], extensions: &[&str]) -> Vec<Input> {
    Walk::new(paths, extensions).collect()
}

/// The inputs named by the command-line paths, one at a time, in the order of
/// [`collect_inputs`]: paths in the order named, each directory walked in sorted order.
/// Nothing is read ahead: a directory's entries are listed when the walk gets to it (the
/// `ignore` walker keeps one sorted listing per open directory), so memory does not grow
/// with the number of files.
///
/// Symbolic links are followed (a linked report is checked like any other); a link back to
/// a directory being walked is a loop and is not entered again. A directory or link the
/// walk cannot enter is reported against its own path. nblint's own outputs found in a
/// walked directory (`-o` written inside the tree, [`emit::looks_like_output`]) are not
/// reports and are left out.
///
/// A file comes twice only from two named paths (`nblint check dir dir/a.md`), so only files
/// under a path named later are remembered, to leave out their second coming.
///
/// [`Walk::next_found`] can leave the look for nblint's outputs to whoever reads the file
/// ([`lint_walked`], on a worker thread, from the bytes it reads anyway): opening every
/// walked file once more here cost three system calls per file on the walk's one thread.
/// That is done only when a single path is named: with several, an output left out only
/// when read would already have been remembered as seen, and its second coming (named on
/// its own) lost.
pub(crate) struct Walk<'a> {
    pub(super) paths: &'a [PathBuf],
    pub(super) extensions: &'a [&'a str],
    /// The next named path to start.
    pub(super) next: usize,
    /// The walk of a named directory, with the path's index.
    pub(super) current: Option<(usize, ignore::Walk)>,
    pub(super) own_outputs: bool,
    /// Whether [`Walk::next_found`] leaves nblint's outputs to the reader.
    pub(super) defer_own_outputs: bool,
    /// The last index at which each path is named (only with several paths).
    pub(super) named: HashMap<&'a Path, usize>,
    /// Files seen that a later named path also yields.
    pub(super) seen: HashSet<PathBuf>,
}

impl<'a> Walk<'a> {
    pub(crate) fn new(paths: &'a [PathBuf], extensions: &'a [&'a str]) -> Walk<'a> {
        let mut named = HashMap::new();
        if paths.len() > 1 {
            for (i, p) in paths.iter().enumerate() {
                named.insert(p.as_path(), i);
            }
        }
        Walk {
            paths,
            extensions,
            next: 0,
            current: None,
            own_outputs: true,
            defer_own_outputs: false,
            named,
            seen: HashSet::new(),
        }
    }

    /// Keeps nblint's own outputs (does not open files to look for them): for a quick count
    /// of what a walk will yield.
    pub(crate) fn keep_own_outputs(mut self) -> Walk<'a> {
        self.own_outputs = false;
        self
    }

    /// Leaves nblint's own outputs found by walking a directory to the reader
    /// ([`lint_walked`]) when only one path is named: [`Walk::next_found`] then says which
    /// files to look at.
    pub(crate) fn defer_own_outputs(mut self) -> Walk<'a> {
        self.defer_own_outputs = self.own_outputs && self.paths.len() == 1;
        self
    }

    /// Whether the file `path`, found from the path named at `index`, is new.
    pub(super) fn first_time(&mut self, index: usize, path: &Path) -> bool {
        if self.named.is_empty() {
            return true;
        }
        if self.seen.contains(path) {
            return false;
        }
        if path
            .ancestors()
            .any(|a| self.named.get(a).is_some_and(|&k| k > index))
        {
            self.seen.insert(path.to_path_buf());
        }
        true
    }

    /// Files remembered to leave out their second coming (for tests).
    #[cfg(test)]
    pub(crate) fn remembered(&self) -> usize {
        self.seen.len()
    }
}

impl Iterator for Walk<'_> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        self.next_found().map(|(input, _)| input)
    }
}

impl Walk<'_> {
    /// The next input, and whether it is a walked file that is to be left out if it turns
    /// out to be an nblint output (only with [`Walk::defer_own_outputs`]; see
    /// [`lint_walked`]).
    pub(crate) fn next_found(&mut self) -> Option<(Input, bool)> {
        loop {
            if let Some((j, w)) = &mut self.current {
                let j = *j;
                match w.next() {
                    Some(Ok(e)) => {
                        if !e.file_type().is_some_and(|t| t.is_file()) {
                            continue;
                        }
                        let path = e.into_path();
                        let ext = input::extension(&path.to_string_lossy());
                        if !self.extensions.contains(&ext.as_str()) {
                            continue;
                        }
                        let output_ext =
                            self.own_outputs && OUTPUT_EXTENSIONS.contains(&ext.as_str());
                        let deferred = output_ext && self.defer_own_outputs;
                        if !(output_ext && !deferred && is_own_output(&path, &ext))
                            && self.first_time(j, &path)
                        {
                            return Some((Input::File(path), deferred));
                        }
                    }
                    Some(Err(e)) => {
                        if let Some(m) = walk_error(e, &self.paths[j], self.extensions) {
                            return Some((m, false));
                        }
                    }
                    None => self.current = None,
                }
                continue;
            }
            let j = self.next;
            let p = self.paths.get(j)?;
            self.next += 1;
            if p.as_os_str() == "-" {
                return Some((Input::Stdin, false));
            }
            let meta = match std::fs::metadata(p) {
                Ok(m) => m,
                Err(e) => return Some((Input::Missing(p.clone(), Box::new(e.into())), false)),
            };
            if !meta.is_dir() {
                if self.first_time(j, p) {
                    return Some((Input::File(p.clone()), false));
                }
                continue;
            }
            let walker = ignore::WalkBuilder::new(p)
                .require_git(false)
                .follow_links(true)
                // Siblings share their parent's path, so comparing whole paths as bytes orders
                // them by name, as `sort_by_file_name` would, without splitting each path into
                // components for every comparison (`Path::file_name`, `Path::cmp`).
                .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
                .build();
            self.current = Some((j, walker));
        }
    }
}

/// Extensions under which the text formats of nblint's output (human, short, github) are
/// usually saved; only these are opened during the walk to look for an nblint output.
pub(super) const OUTPUT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "log"];

/// True when the walked file at `path` is an output of nblint (see
/// [`emit::looks_like_output`]); reads at most [`emit::OUTPUT_HEAD`] bytes.
pub(crate) fn is_own_output(path: &Path, ext: &str) -> bool {
    use std::io::Read;
    if !OUTPUT_EXTENSIONS.contains(&ext) {
        return false;
    }
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(emit::OUTPUT_HEAD);
    if f.take(emit::OUTPUT_HEAD as u64)
        .read_to_end(&mut head)
        .is_err()
    {
        return false;
    }
    emit::looks_like_output(&head)
}

/// What the walk could not do, as an input reported against the path that failed (the
/// subdirectory, the dangling link), or `None` for what is not worth a finding: a symbolic
/// link loop (its target is walked already) and a path of a type the walk does not check.
pub(super) fn walk_error(e: ignore::Error, root: &Path, extensions: &[&str]) -> Option<Input> {
    fn parts(e: &ignore::Error) -> (Option<&Path>, bool) {
        match e {
            ignore::Error::WithPath { path, err } => (Some(path), parts(err).1),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err)
            }
            ignore::Error::Loop { .. } => (None, true),
            _ => (None, false),
        }
    }
    let (path, is_loop) = parts(&e);
    if is_loop {
        return None;
    }
    let path = path.unwrap_or(root).to_path_buf();
    let ext = input::extension(&path.to_string_lossy());
    if !ext.is_empty() && !extensions.contains(&ext.as_str()) && !path.is_dir() {
        return None;
    }
    let err = match e.into_io_error() {
        Some(io) => ReadError::from(io),
        None => ReadError::Io("无法遍历这个目录".into()),
    };
    Some(Input::Missing(path, Box::new(err)))
}

/// Reads a file within the size limit (regular files only: see [`input::file`]).
pub(super) fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    input::file::read_limited(path, limits.max_file_bytes)
}

/// Checks a file found by walking a directory whose extension may hold an nblint output
/// ([`OUTPUT_EXTENSIONS`]), or leaves it out (`None`) when it is one
/// ([`emit::looks_like_output`] on its first [`emit::OUTPUT_HEAD`] bytes; a file over the
/// size limit is not read further than that).
pub(crate) fn lint_walked(path: &Path, rules: &RuleSet, opts: &Options) -> Option<FileReport> {
    lint_file(path, emit::OUTPUT_HEAD, rules, opts)
}

/// Reads and checks the file at `path`; `None` when its first `head` bytes are an nblint
/// output (never for `head` 0).
fn lint_file(path: &Path, head: usize, rules: &RuleSet, opts: &Options) -> Option<FileReport> {
    let name = path.display().to_string();
    let limit = opts.limits.max_file_bytes;
    match input::file::read_limited_unless(path, limit, head, emit::looks_like_output) {
        Ok(None) => None,
        Ok(Some(bytes)) => Some(lint_owned(&name, bytes, rules, opts)),
        Err(e) => Some(read_failure(&name, &e, rules, opts)),
    }
}

/// Checks one input.
pub(crate) fn lint_input(
    input: &Input,
    stdin: Option<&[u8]>,
    rules: &RuleSet,
    opts: &Options,
) -> FileReport {
    let name = input.display();
    match input {
        Input::Stdin => lint_source(&name, stdin.unwrap_or_default(), rules, opts),
        Input::Missing(_, e) => read_failure(&name, e, rules, opts),
        Input::File(p) => lint_file(p, 0, rules, opts).expect("nothing is left out at head 0"),
    }
}
