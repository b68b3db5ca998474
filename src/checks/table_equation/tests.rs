//! Tests of `table_equation`: the equation parser.

use super::*;

#[test]
fn equations_parse() {
    let e = parse_equation("new + carried_in = total + carry_over").unwrap();
    assert_eq!(e.terms.len(), 4);
    assert_eq!(e.relation, Relation::Eq);
    assert_eq!(e.primary, 0);
    let e = parse_equation("total = granted + partial + refused_* + other*").unwrap();
    assert_eq!(e.primary, 0);
    assert!(e.terms[3].glob && e.terms[3].name == "refused_");
    let e = parse_equation("a + b <= c").unwrap();
    assert_eq!((e.relation, e.primary), (Relation::Le, 2));
    let e = parse_equation("a - b = c").unwrap();
    assert_eq!(e.terms[1].sign, -1);
    for bad in [
        "a + = b",
        "a b = c",
        "a = ",
        "= a",
        "a",
        "a < b",
        "a = b = c",
        "a ÷ b = c",
    ] {
        assert!(parse_equation(bad).is_err(), "{bad}");
    }
}
