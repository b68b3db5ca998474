//! `nblint lsp` end to end: the real binary over pipes, driven by a small LSP client.
//!
//! Each test starts the server, initializes it, opens documents from the rule fixtures
//! (their text sent as the editor's buffer, under a URI in a fresh temporary directory so
//! that no nblint.toml of the checkout applies unless the test writes one), and checks the
//! published diagnostics, quick fixes and hovers; then shuts the server down and expects
//! exit code 0.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pending: Vec<Value>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nblint"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nblint lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("JSON message");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
            pending: Vec::new(),
        }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self) -> Value {
        match self.rx.recv_timeout(TIMEOUT) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns its result (panics on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let v = self.recv();
            if v.get("id") == Some(&json!(id)) && v.get("method").is_none() {
                if let Some(e) = v.get("error") {
                    panic!("{method} failed: {e}");
                }
                return v.get("result").cloned().unwrap_or(Value::Null);
            }
            self.pending.push(v);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_ours = |v: &Value| {
            v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri
        };
        if let Some(i) = self.pending.iter().position(is_ours) {
            let v = self.pending.remove(i);
            return v["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        loop {
            let v = self.recv();
            if is_ours(&v) {
                return v["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.pending.push(v);
        }
    }

    fn initialize(&mut self, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn code_actions(&mut self, uri: &str, range: &Value) -> Vec<Value> {
        let r = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
        );
        r.as_array().cloned().unwrap_or_default()
    }

    /// Shuts down and expects a clean exit.
    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert_eq!(status.code(), Some(0), "exit code after shutdown and exit");
                return;
            }
            assert!(start.elapsed() < TIMEOUT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh directory for a test's documents (no nblint.toml above it is expected in the
/// temporary directory).
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nblint-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn uri(p: &Path) -> String {
    // The paths used here are ASCII.
    format!("file://{}", p.display())
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rules")
            .join(rel),
    )
    .expect("fixture")
}

/// The report with a wrong completion rate, with a non-BMP character (two UTF-16 units,
/// four UTF-8 bytes) put before the sentence on line 5.
fn rate_report() -> String {
    let text = fixture("rate-mismatch/bad-completion-rate.md");
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    assert!(
        lines[4].starts_with("全年共收到"),
        "fixture changed: {}",
        lines[4]
    );
    lines[4] = format!("𠮷{}", lines[4]);
    lines.join("\n")
}

fn with_code<'a>(ds: &'a [Value], code: &str) -> Vec<&'a Value> {
    ds.iter().filter(|d| d["code"] == code).collect()
}

/// The character offset of `needle` in line `line` of `text`, in UTF-16 units or bytes.
fn column(text: &str, line: usize, needle: &str, utf16: bool) -> u64 {
    let l = text.split('\n').nth(line).expect("line");
    let at = l.find(needle).expect("needle");
    (if utf16 {
        l[..at].encode_utf16().count()
    } else {
        at
    }) as u64
}

#[test]
fn diagnostics_fixes_hover_and_changes() {
    let dir = temp_dir("main");
    let path = dir.join("report.md");
    let uri = uri(&path);
    let text = rate_report();
    let mut c = Client::start();
    let init = c.initialize(json!({}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "nblint");
    c.open(&uri, "markdown", &text);
    let ds = c.diagnostics(&uri);
    let rates = with_code(&ds, "NB301");
    assert_eq!(rates.len(), 2, "{ds:#?}");
    let d = rates[0];
    let start = column(&text, 4, "95%", true);
    assert_eq!(start, 28, "CJK and 𠮷 counted in UTF-16 units");
    assert_eq!(
        d["range"],
        json!({"start": {"line": 4, "character": start}, "end": {"line": 4, "character": start + 3}})
    );
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "nblint");
    let msg = d["message"].as_str().unwrap_or_default();
    assert!(msg.starts_with("“办结率95%”与文中的数字对不上"), "{msg}");
    let related = d["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        related.iter().any(|r| r["message"] == "分母：68"
            && r["location"]["range"]["start"]["character"] == column(&text, 4, "68", true)),
        "{related:#?}"
    );

    // The explicit suggestion is a preferred quick fix.
    let actions = c.code_actions(&uri, &d["range"]);
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let a = &actions[0];
    assert_eq!(a["kind"], "quickfix");
    assert_eq!(a["isPreferred"], true);
    assert_eq!(a["title"], "把“95%”改为“97%”");
    let edits = &a["edit"]["changes"][&uri];
    assert_eq!(edits, &json!([{"range": d["range"], "newText": "97%"}]));
    // Nothing to fix on the title line.
    let title = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}});
    assert!(c.code_actions(&uri, &title).is_empty());

    // Hover over the finding explains its rule; elsewhere nothing.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": start + 1}}),
    );
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(value.starts_with("**NB301 rate-mismatch"), "{value}");
    assert_eq!(hover["range"], d["range"]);
    let none = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 1}}),
    );
    assert_eq!(none, Value::Null);

    // Fixing the rate in the buffer (unsaved) makes the finding go away; the other stays.
    let fixed = text.replacen("办结率95%", "办结率97%", 1);
    c.change(&uri, 2, &fixed);
    let ds = c.diagnostics(&uri);
    let rates = with_code(&ds, "NB301");
    assert_eq!(rates.len(), 1, "{ds:#?}");
    assert!(
        rates[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("回复率")
    );

    // Closing clears the diagnostics.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(c.diagnostics(&uri).is_empty());
    c.shutdown();
}

#[test]
fn inferred_findings_have_no_quick_fix() {
    let dir = temp_dir("inferred");
    let uri = uri(&dir.join("share.txt"));
    let mut c = Client::start();
    c.initialize(json!({}));
    c.open(&uri, "plaintext", &fixture("rate-mismatch/bad-share.txt"));
    let ds = c.diagnostics(&uri);
    let rates = with_code(&ds, "NB301");
    assert_eq!(rates.len(), 1, "{ds:#?}");
    assert_eq!(rates[0]["severity"], 2, "an inferred finding is a warning");
    assert!(c.code_actions(&uri, &rates[0]["range"]).is_empty());
    c.shutdown();
}

#[test]
fn utf8_positions_when_offered() {
    let dir = temp_dir("utf8");
    let uri = uri(&dir.join("report.md"));
    let text = rate_report();
    let mut c = Client::start();
    let init = c.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    c.open(&uri, "markdown", &text);
    let ds = c.diagnostics(&uri);
    let d = with_code(&ds, "NB301")[0];
    let start = column(&text, 4, "95%", false);
    assert_eq!(start, 4 + 70, "bytes of 𠮷 and the text before 95%");
    assert_eq!(d["range"]["start"], json!({"line": 4, "character": start}));
    assert_eq!(
        d["range"]["end"],
        json!({"line": 4, "character": start + 3})
    );
    c.shutdown();
}

#[test]
fn configuration_inline_comments_and_ignored_files() {
    let dir = temp_dir("config");
    let md = dir.join("report.md");
    let uri_md = uri(&md);
    let mut c = Client::start();
    c.initialize(json!({}));

    // nblint.toml next to the document lowers the rule to a note.
    std::fs::write(
        dir.join("nblint.toml"),
        "[rules]\nrate-mismatch = \"note\"\n",
    )
    .expect("write");
    c.open(&uri_md, "markdown", &rate_report());
    let ds = c.diagnostics(&uri_md);
    let rates = with_code(&ds, "NB301");
    assert_eq!(rates.len(), 2, "{ds:#?}");
    assert!(rates.iter().all(|d| d["severity"] == 3), "{rates:#?}");

    // An inline comment in the unsaved buffer switches one finding off.
    let text = rate_report().replacen(
        "𠮷全年",
        "<!-- nblint-disable-next-line rate-mismatch -->\n𠮷全年",
        1,
    );
    c.change(&uri_md, 2, &text);
    let ds = c.diagnostics(&uri_md);
    assert!(with_code(&ds, "NB301").is_empty(), "{ds:#?}");

    // A broken configuration is one diagnostic pointing at it; saving re-reads it.
    std::fs::write(dir.join("nblint.toml"), "[rules]\nno-such-rule = \"off\"\n").expect("write");
    let toml_uri = uri(&dir.join("nblint.toml"));
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": toml_uri}}),
    );
    let ds = c.diagnostics(&uri_md);
    assert_eq!(ds.len(), 1, "{ds:#?}");
    assert_eq!(ds[0]["code"], "config");
    assert!(
        ds[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no-such-rule"),
        "{ds:#?}"
    );
    let related = &ds[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], toml_uri);
    assert_eq!(related["location"]["range"]["start"]["line"], 1);
    std::fs::remove_file(dir.join("nblint.toml")).expect("remove");

    // Word and PDF files are not checked; a later document still is.
    let docx = uri(&dir.join("report.docx"));
    c.open(&docx, "plaintext", "PK\u{3}\u{4}garbage");
    let txt = uri(&dir.join("share.txt"));
    c.open(&txt, "plaintext", &fixture("rate-mismatch/bad-share.txt"));
    assert!(!with_code(&c.diagnostics(&txt), "NB301").is_empty());
    assert!(
        !c.pending.iter().any(|v| v["params"]["uri"] == docx),
        "diagnostics published for a .docx"
    );
    c.shutdown();
}

#[test]
fn web_pages_point_into_the_source() {
    let dir = temp_dir("html");
    let uri = uri(&dir.join("report.html"));
    let md = fixture("rate-mismatch/bad-completion-rate.md");
    let mut html = String::from("<!DOCTYPE html>\n<html><head><title>年报</title></head><body>\n");
    for l in md.lines().filter(|l| !l.trim().is_empty()) {
        match l.strip_prefix("## ").or_else(|| l.strip_prefix("# ")) {
            Some(h) => html.push_str(&format!("<h2>{h}</h2>\n")),
            None => html.push_str(&format!("<p>{l}</p>\n")),
        }
    }
    html.push_str("</body></html>\n");
    let mut c = Client::start();
    c.initialize(json!({}));
    c.open(&uri, "html", &html);
    let ds = c.diagnostics(&uri);
    let rates = with_code(&ds, "NB301");
    assert_eq!(rates.len(), 2, "{ds:#?}");
    let line = html
        .split('\n')
        .position(|l| l.contains("办结率95%"))
        .expect("line");
    assert_eq!(
        rates[0]["range"]["start"],
        json!({"line": line, "character": column(&html, line, "95%", true)})
    );
    let actions = c.code_actions(&uri, &rates[0]["range"]);
    assert_eq!(actions.len(), 1, "{actions:#?}");
    c.shutdown();
}

#[test]
fn exit_without_shutdown_is_an_error_and_garbage_does_not_panic() {
    let mut c = Client::start();
    c.initialize(json!({}));
    // A request before anything is open, and one the server does not know.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.md"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r, Value::Null);
    c.next_id += 1;
    let id = c.next_id;
    c.send(json!({"jsonrpc": "2.0", "id": id, "method": "workspace/unknown", "params": {}}));
    let v = c.recv();
    assert_eq!(v["error"]["code"], -32601);
    c.notify("textDocument/didOpen", json!({"textDocument": 42}));
    c.notify("exit", Value::Null);
    let start = Instant::now();
    loop {
        if let Some(status) = c.child.try_wait().expect("wait") {
            assert_eq!(status.code(), Some(1));
            break;
        }
        assert!(start.elapsed() < TIMEOUT, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}
