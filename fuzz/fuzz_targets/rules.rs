//! The rule loader on an arbitrary rule file (and, with the first byte odd, an arbitrary
//! template file): strict TOML, kinds, parameters, regexes, placeholders. The loader reads
//! directories, so the input is written to a per-process directory first.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nblint::RuleSet;
use std::path::PathBuf;
use std::sync::LazyLock;

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let d = std::env::temp_dir().join(format!("nblint-fuzz-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("templates")).expect("temp dir");
    d
});

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let dir = &*DIR;
    let (file, other) = if pick % 2 == 1 {
        (dir.join("templates/fuzz.toml"), dir.join("fuzz.toml"))
    } else {
        (dir.join("fuzz.toml"), dir.join("templates/fuzz.toml"))
    };
    let _ = std::fs::remove_file(other);
    std::fs::write(&file, text).expect("write rule");
    let _ = RuleSet::load(std::slice::from_ref(dir));
});
