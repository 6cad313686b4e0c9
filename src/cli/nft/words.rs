//! nft's grammar for tables and chains: the command line (or a line of a
//! `-f` file) is joined and split the way nft's scanner splits it (`{`, `}`,
//! `;` are words of their own, `"..."` is one word), then parsed into a
//! [`Command`] (rules: `rule_words.rs`). A pure function: no I/O.

use rawnet::nft::chain::{parse_hook, standard_priority, ChainSpec, Hook};
use rawnet::nft::expr::compile::Stmt;
use rawnet::nft::rule::RuleSpec;
use rawnet::nft::wire::{NF_ACCEPT, NF_DROP};
use rawnet::nft::Family;

use super::set_words::{ElemWords, SetDecl};

/// What a line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    AddTable {
        family: Family,
        name: String,
        exclusive: bool,
    },
    DeleteTable {
        family: Family,
        name: String,
    },
    FlushTable {
        family: Family,
        name: String,
    },
    ListTable {
        family: Family,
        name: String,
    },
    ListTables {
        family: Option<Family>,
    },
    AddChain {
        spec: ChainSpec,
        exclusive: bool,
    },
    DeleteChain {
        family: Family,
        table: String,
        name: String,
    },
    FlushChain {
        family: Family,
        table: String,
        name: String,
    },
    ListChain {
        family: Family,
        table: String,
        name: String,
    },
    ListChains {
        family: Option<Family>,
    },
    ListRuleset {
        family: Option<Family>,
    },
    FlushRuleset {
        family: Option<Family>,
    },
    /// `add|insert|replace rule ...`: compiled (set ids are placeholders,
    /// the statements are compiled again with the transaction's ids).
    AddRule(RuleSpec, Vec<Stmt>),
    AddSet(SetDecl),
    DeleteSet {
        family: Family,
        table: String,
        name: String,
    },
    /// `add|delete element ...`.
    Elements {
        delete: bool,
        family: Family,
        table: String,
        set: String,
        elems: Vec<ElemWords>,
    },
    ListSet {
        family: Family,
        table: String,
        name: String,
        map: bool,
    },
    /// `list sets` (`maps`: `list maps`).
    ListSets {
        family: Option<Family>,
        maps: bool,
    },
    DeleteRule {
        family: Family,
        table: String,
        chain: String,
        handle: u64,
    },
}

impl Command {
    /// Whether the command changes the ruleset (goes in a transaction).
    pub fn changes(&self) -> bool {
        !matches!(
            self,
            Command::ListTable { .. }
                | Command::ListTables { .. }
                | Command::ListChain { .. }
                | Command::ListChains { .. }
                | Command::ListRuleset { .. }
                | Command::ListSet { .. }
                | Command::ListSets { .. }
        )
    }

    /// Whether nft would read the kernel's sets first (they number the
    /// set ids of the transaction, and give named sets' key types).
    pub fn needs_sets(&self) -> bool {
        match self {
            Command::Elements { .. } => true,
            Command::AddRule(_, stmts) => stmts.iter().any(|s| {
                use rawnet::nft::expr::compile::Match;
                matches!(
                    s,
                    Stmt::Match(Match::InSet { .. })
                        | Stmt::Vmap { .. }
                        | Stmt::NumgenVmap { .. }
                        | Stmt::DnatNumgenMap { .. }
                )
            }),
            _ => false,
        }
    }
}

/// Split text into nft's words.
pub fn tokens(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '#' => break,
            '{' | '}' | ';' => {
                out.push(c.to_string());
                chars.next();
            }
            '"' => {
                chars.next();
                let mut w = String::new();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some(c) => w.push(c),
                        None => return Err("syntax error, unterminated string".into()),
                    }
                }
                out.push(w);
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '{' | '}' | ';' | '"') {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(w);
            }
        }
    }
    Ok(out)
}

/// nft's words for a line it cannot parse: `syntax error, WHAT`.
pub(super) fn syntax(what: impl std::fmt::Display) -> String {
    format!("syntax error, {what}")
}

/// Parse one command from its words.
pub fn parse(words: &[String]) -> Result<Command, String> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let Some((&verb, rest)) = w.split_first() else {
        return Err(syntax("unexpected end of file"));
    };
    let Some((&object, args)) = rest.split_first() else {
        return Err(syntax(format!("unexpected end of file after '{verb}'")));
    };
    match (verb, object) {
        ("list", "tables") => Ok(Command::ListTables {
            family: only_family(args)?,
        }),
        ("list", "chains") => Ok(Command::ListChains {
            family: only_family(args)?,
        }),
        ("list", "ruleset") => Ok(Command::ListRuleset {
            family: only_family(args)?,
        }),
        ("flush", "ruleset") => Ok(Command::FlushRuleset {
            family: only_family(args)?,
        }),
        ("list", "sets" | "maps") => Ok(Command::ListSets {
            family: only_family(args)?,
            maps: object == "maps",
        }),
        (_, "set" | "map" | "element") => super::set_words::parse_set(verb, object, args),
        (_, "table") => {
            let (family, names) = family_and(args, 1)?;
            let name = names[0].to_string();
            match verb {
                "add" | "create" => Ok(Command::AddTable {
                    family,
                    name,
                    exclusive: verb == "create",
                }),
                "delete" | "destroy" => Ok(Command::DeleteTable { family, name }),
                "flush" => Ok(Command::FlushTable { family, name }),
                "list" => Ok(Command::ListTable { family, name }),
                _ => Err(syntax(format!("unexpected {verb}"))),
            }
        }
        (_, "rule") => super::rule_words::parse_rule(verb, args),
        (_, "chain") => {
            let brace = args.iter().position(|&a| a == "{").unwrap_or(args.len());
            let (family, names) = family_and(&args[..brace], 2)?;
            let (table, name) = (names[0].to_string(), names[1].to_string());
            let block = &args[brace..];
            match verb {
                "add" | "create" => {
                    let hook = if block.is_empty() {
                        None
                    } else {
                        Some(chain_block(family, block)?)
                    };
                    Ok(Command::AddChain {
                        spec: ChainSpec {
                            family,
                            table,
                            name,
                            hook,
                        },
                        exclusive: verb == "create",
                    })
                }
                _ if !block.is_empty() => Err(syntax("unexpected '{'")),
                "delete" | "destroy" => Ok(Command::DeleteChain {
                    family,
                    table,
                    name,
                }),
                "flush" => Ok(Command::FlushChain {
                    family,
                    table,
                    name,
                }),
                "list" => Ok(Command::ListChain {
                    family,
                    table,
                    name,
                }),
                _ => Err(syntax(format!("unexpected {verb}"))),
            }
        }
        ("add" | "create" | "delete" | "flush" | "list" | "insert" | "replace" | "destroy", o) => {
            Err(syntax(format!("unexpected {o}")))
        }
        (v, _) => Err(syntax(format!("unexpected {v}"))),
    }
}

fn family_word(word: &str) -> Result<Family, String> {
    Family::parse(word).ok_or_else(|| syntax(format!("unexpected {word}, expecting family")))
}

/// `[FAMILY]` and nothing else.
fn only_family(args: &[&str]) -> Result<Option<Family>, String> {
    match args {
        [] => Ok(None),
        [f] => family_word(f).map(Some),
        [_, extra, ..] => Err(syntax(format!(
            "unexpected {extra}, expecting end of file or newline or semicolon"
        ))),
    }
}

/// `[FAMILY] NAME...` with `n` names; the family defaults to ip.
fn family_and<'a>(args: &'a [&'a str], n: usize) -> Result<(Family, &'a [&'a str]), String> {
    if args.len() == n + 1 {
        Ok((family_word(args[0])?, &args[1..]))
    } else if args.len() == n {
        Ok((Family::Ip, args))
    } else if args.len() < n {
        Err(syntax("unexpected end of file"))
    } else {
        Err(syntax(format!(
            "unexpected {}, expecting end of file or newline or semicolon",
            args[n + 1]
        )))
    }
}

/// `{ type T hook H [device D] priority P ; [policy X ;] }`.
fn chain_block(family: Family, block: &[&str]) -> Result<Hook, String> {
    if block.last() != Some(&"}") {
        return Err(syntax("unexpected end of file, expecting '}'"));
    }
    let inner = &block[1..block.len() - 1];
    let mut chain_type = None;
    let mut hook = None;
    let mut device = None;
    let mut priority = None;
    let mut policy = None;
    let mut i = 0;
    let next = |i: &mut usize| -> Result<&str, String> {
        *i += 1;
        inner
            .get(*i)
            .copied()
            .ok_or_else(|| syntax("unexpected '}'"))
    };
    while i < inner.len() {
        match inner[i] {
            ";" => {}
            "type" => {
                let t = next(&mut i)?;
                if !matches!(t, "filter" | "nat" | "route") {
                    return Err(format!("unknown chain type {t}"));
                }
                chain_type = Some(t.to_string());
            }
            "hook" => {
                let h = next(&mut i)?;
                hook =
                    Some(parse_hook(family, h).ok_or_else(|| format!("unknown chain hook {h}"))?);
            }
            "device" => device = Some(next(&mut i)?.to_string()),
            "priority" => {
                // A number, a standard name, or NAME +|- NUMBER.
                let mut expr = vec![next(&mut i)?];
                while matches!(inner.get(i + 1), Some(&"+") | Some(&"-")) {
                    expr.push(next(&mut i)?);
                    expr.push(next(&mut i)?);
                }
                let Some(h) = hook else {
                    return Err(syntax("priority before hook"));
                };
                priority = Some(priority_value(family, h, &expr)?);
            }
            "policy" => {
                policy = Some(match next(&mut i)? {
                    "accept" => NF_ACCEPT as u32,
                    "drop" => NF_DROP as u32,
                    p => {
                        return Err(syntax(format!(
                            "unexpected string {p}, expecting accept or drop"
                        )))
                    }
                })
            }
            w => return Err(syntax(format!("unexpected {w}"))),
        }
        i += 1;
    }
    let (Some(chain_type), Some(hooknum)) = (chain_type, hook) else {
        return Err(syntax("a base chain needs type and hook"));
    };
    let Some(priority) = priority else {
        return Err(syntax("unexpected '}', expecting priority"));
    };
    Ok(Hook {
        chain_type,
        hooknum,
        priority,
        device,
        policy,
    })
}

fn priority_value(family: Family, hooknum: u32, expr: &[&str]) -> Result<i32, String> {
    let term = |w: &str| -> Result<i64, String> {
        if let Ok(n) = w.parse::<i64>() {
            return Ok(n);
        }
        standard_priority(family, hooknum, w)
            .map(i64::from)
            .ok_or_else(|| "invalid priority expression value in this context.".to_string())
    };
    // nft's scanner reads "-150" as one word; "dstnat -10" as name and -10.
    let mut value = term(expr[0])?;
    for pair in expr[1..].chunks(2) {
        let n: i64 = pair
            .get(1)
            .and_then(|w| w.parse().ok())
            .ok_or_else(|| syntax("priority arithmetic takes a number"))?;
        let next = if pair[0] == "+" {
            value.checked_add(n)
        } else {
            value.checked_sub(n)
        };
        value = next.ok_or_else(|| format!("priority {} out of range", expr.join(" ")))?;
    }
    i32::try_from(value).map_err(|_| format!("priority {value} out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<Command, String> {
        parse(&tokens(line)?)
    }

    #[test]
    fn tables_and_chains_parse_as_nft_reads_them() {
        assert_eq!(
            p("add table t").unwrap(),
            Command::AddTable {
                family: Family::Ip,
                name: "t".into(),
                exclusive: false
            }
        );
        assert_eq!(
            p("delete table inet t").unwrap(),
            Command::DeleteTable {
                family: Family::Inet,
                name: "t".into()
            }
        );
        let Command::AddChain { spec, exclusive } = p(
            "create chain inet t c { type nat hook postrouting priority srcnat - 5; policy drop; }",
        )
        .unwrap() else {
            panic!()
        };
        assert!(exclusive);
        let h = spec.hook.unwrap();
        assert_eq!(
            (h.chain_type.as_str(), h.hooknum, h.priority, h.policy),
            ("nat", 4, 95, Some(0))
        );
        let Command::AddChain { spec, .. } =
            p("add chain netdev nd i {type filter hook ingress device \"lo\" priority -150;}")
                .unwrap()
        else {
            panic!()
        };
        assert_eq!(spec.hook.unwrap().device.as_deref(), Some("lo"));
        assert_eq!(
            p("list ruleset").unwrap(),
            Command::ListRuleset { family: None }
        );
        assert!(p("add table foo t").is_err());
        assert!(p("add chain t c { type filter hook output priority dstnat; }").is_err());
        assert!(p("add chain t c { type filter hook input priority 0; policy bogus; }").is_err());
        assert!(p("add chain t c { type filter hook input priority 0;").is_err());
        assert!(p("add").is_err());
        assert!(p("frobnicate table t").is_err());
    }

    #[test]
    fn priority_arithmetic_that_overflows_is_an_error() {
        // Once a panic in debug builds (i64 overflow), a wrap in release.
        let e = p("add chain t c { type filter hook input priority 9223372036854775807 + 1; }")
            .unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        let e = p("add chain t c { type filter hook input priority -9223372036854775807 - 2; }")
            .unwrap_err();
        assert!(e.contains("out of range"), "{e}");
        assert!(
            p("add chain t c { type nat hook postrouting priority srcnat + 2147483647; }").is_err()
        );
    }
}
