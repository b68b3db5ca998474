//! The equation language of `table_equation`: terms joined by `+` and `-`, one of `=`, `<=`,
//! `>=`, a term ending in `*` standing for every id that starts with it; and its parser.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    Eq,
    Le,
    Ge,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Term {
    pub(crate) sign: i64,
    pub(crate) name: String,
    /// `refused_*`: every id starting with `name`.
    pub(crate) glob: bool,
    pub(crate) left: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Equation {
    pub(crate) terms: Vec<Term>,
    pub(crate) relation: Relation,
    /// Index into `terms` of the cell that most likely holds the error.
    pub(crate) primary: usize,
}

/// Parses `a + b - c = d + e*`.
pub(crate) fn parse_equation(s: &str) -> Result<Equation, String> {
    let mut terms = Vec::new();
    let mut relation = None;
    let mut left = true;
    let mut sign = 1i64;
    let mut expect_term = true;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '+' | '-' | '−' if expect_term && c != '+' => sign = -sign,
            '+' | '-' | '−' => {
                if expect_term {
                    return Err(format!("`{c}` where a term was expected (at byte {i})"));
                }
                sign = if c == '+' { 1 } else { -1 };
                expect_term = true;
            }
            '=' | '<' | '>' | '≤' | '≥' => {
                if relation.is_some() {
                    return Err("more than one `=`, `<=` or `>=`".into());
                }
                if expect_term {
                    return Err(format!("`{c}` where a term was expected (at byte {i})"));
                }
                let rel = match c {
                    '=' => Relation::Eq,
                    '≤' => Relation::Le,
                    '≥' => Relation::Ge,
                    '<' | '>' => {
                        if chars.next_if(|(_, n)| *n == '=').is_none() {
                            return Err(format!(
                                "write `{c}=`: strict inequalities are not supported"
                            ));
                        }
                        if c == '<' { Relation::Le } else { Relation::Ge }
                    }
                    _ => Relation::Eq,
                };
                relation = Some(rel);
                left = false;
                sign = 1;
                expect_term = true;
            }
            c if c.is_ascii_alphanumeric() || c == '_' => {
                if !expect_term {
                    return Err(format!("missing `+` or `-` before byte {i}"));
                }
                let mut name = String::from(c);
                while let Some((_, n)) =
                    chars.next_if(|(_, n)| n.is_ascii_alphanumeric() || *n == '_')
                {
                    name.push(n);
                }
                let glob = chars.next_if(|(_, n)| *n == '*').is_some();
                terms.push(Term {
                    sign,
                    name,
                    glob,
                    left,
                });
                sign = 1;
                expect_term = false;
            }
            c => {
                return Err(format!(
                    "unexpected `{c}` at byte {i}; write ids joined by + and -"
                ));
            }
        }
    }
    let Some(relation) = relation else {
        return Err("no `=`, `<=` or `>=` in the equation".into());
    };
    if expect_term {
        return Err("the equation ends where a term was expected".into());
    }
    let nl = terms.iter().filter(|t| t.left).count();
    let nr = terms.len() - nl;
    if nl == 0 || nr == 0 {
        return Err("both sides need at least one term".into());
    }
    // The cell that most likely holds the error: the single term of one side (a total).
    let primary = if nl == 1 && !terms[0].glob {
        0
    } else if nr == 1 && !terms[nl].glob {
        nl
    } else {
        terms.iter().position(|t| !t.glob).unwrap_or(0)
    };
    Ok(Equation {
        terms,
        relation,
        primary,
    })
}
