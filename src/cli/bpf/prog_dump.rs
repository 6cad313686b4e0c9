//! `rawnet bpf prog dump [ xlated ] PROG`: the kernel's translated
//! instructions of each program the handle names, as bpftool's
//! `dump_xlated_plain` prints them (`%4u: ` and the kernel's disassembly,
//! `(79) r2 = *(u64 *)(r1 +8)`) or, with `-j`, `dump_xlated_json` (an array
//! of `{"disasm": ...}`). Several programs are each introduced by their
//! header (`print_prog_header_plain` / `_json` with `"insns"`), as in
//! bpftool's `do_dump`. No `jited`, `opcodes`, `linum`, `visual` or `file`.

use rawnet::bpf::disasm::verifier_listing;
use rawnet::bpf::insn::decode;
use rawnet::bpf::ProgramInfo;

use super::super::output::Json;
use super::prog::{json_header, plain};
use super::{fail, lib_error, select, CliError, Context};
use crate::cli::{matches, output};

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let args = match args.split_first() {
        Some((w, tail)) if matches(w, "xlated") => tail,
        Some((w, _)) if matches(w, "jited") => {
            return Err(fail(
                "Error: rawnet has no JIT disassembler: use dump xlated",
            ))
        }
        _ => args,
    };
    if args.len() < 2 {
        return Err(super::usage_error(ctx));
    }
    let (programs, rest) = select::programs(args)?;
    if let Some(w) = rest.first() {
        return Err(fail(format!("Error: unexpected \"{w}\"")));
    }
    if programs.is_empty() {
        return Err(fail(""));
    }
    let mut dumped = Vec::with_capacity(programs.len());
    for p in &programs {
        let info = p.info().map_err(|e| {
            fail(format!(
                "Error: can't get prog info: {}",
                crate::cli::io_reason(&e)
            ))
        })?;
        if info.xlated.is_empty() {
            return Err(fail(
                "Error: no instructions returned (kernel.bpf_jit_harden or no privilege)",
            ));
        }
        let insns = decode(&info.xlated).map_err(|e| lib_error(e.into()))?;
        let lines = numbered(&verifier_listing(&insns));
        dumped.push((info, lines));
    }
    let text = if ctx.json {
        json(&dumped, ctx.pretty)
    } else {
        plain_text(&dumped)
    };
    output::print(&text)?;
    Ok(0)
}

/// The listing's lines as (instruction index, disassembly).
fn numbered(listing: &str) -> Vec<(u32, String)> {
    listing
        .lines()
        .filter_map(|line| {
            let (n, text) = line.split_once(": ")?;
            Some((n.parse().ok()?, text.to_string()))
        })
        .collect()
}

fn plain_text(dumped: &[(ProgramInfo, Vec<(u32, String)>)]) -> String {
    let several = dumped.len() > 1;
    let mut text = String::new();
    for (i, (info, lines)) in dumped.iter().enumerate() {
        if several {
            let mut header = String::new();
            plain(&mut header, info, None);
            text.push_str(header.lines().next().unwrap_or_default());
            text.push('\n');
        }
        for (n, insn) in lines {
            text.push_str(&format!("{n:4}: {insn}\n"));
        }
        if several && i + 1 != dumped.len() {
            text.push('\n');
        }
    }
    text
}

fn json(dumped: &[(ProgramInfo, Vec<(u32, String)>)], pretty: bool) -> String {
    let mut j = Json::bpftool(pretty);
    let several = dumped.len() > 1;
    if several {
        j.begin_array();
    }
    for (info, lines) in dumped {
        if several {
            j.begin_object();
            json_header(&mut j, info);
            j.key_array("insns");
        } else {
            j.begin_array();
        }
        for (_, insn) in lines {
            j.begin_object();
            j.str("disasm", insn);
            j.end_object();
        }
        j.end_array();
        if several {
            j.end_object();
        }
    }
    if several {
        j.end_array();
    }
    j.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_padded_to_four_as_dump_xlated_plain() {
        let lines = numbered("0: (b7) r0 = 2\n1: (95) exit\n");
        let info = super::super::prog::tests::info();
        assert_eq!(
            plain_text(&[(info, lines)]),
            "   0: (b7) r0 = 2\n   1: (95) exit\n"
        );
    }

    #[test]
    fn json_is_an_array_of_disasm_objects() {
        let lines = numbered("0: (b7) r0 = 2\n1: (95) exit\n");
        let info = super::super::prog::tests::info();
        assert_eq!(
            json(&[(info, lines)], false),
            "[{\"disasm\":\"(b7) r0 = 2\"},{\"disasm\":\"(95) exit\"}]\n"
        );
    }
}
