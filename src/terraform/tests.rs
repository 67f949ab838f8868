//! Unit tests of the Terraform loader, with exact positions.

use super::*;
use crate::resource::{Mode, Severity};
use crate::source::{FileId, LineCol, Span};
use crate::value::{Origin, RefKind, Value, HOLE};

fn files(list: &[(&str, &str)]) -> Vec<Arc<SourceFile>> {
    list.iter()
        .enumerate()
        .map(|(i, (name, text))| {
            Arc::new(SourceFile::new(
                FileId(i as u32),
                format!("/m/{name}").into(),
                (*name).to_string(),
                Arc::from(*text),
            ))
        })
        .collect()
}

fn load(list: &[(&str, &str)]) -> (Vec<Arc<SourceFile>>, LoadOutput) {
    let fs = files(list);
    let out = load_module("m", &fs, &TfOptions::default());
    (fs, out)
}

fn lc(fs: &[Arc<SourceFile>], span: Span) -> (u32, u32) {
    let f = &fs[span.file.0 as usize];
    let LineCol { line, column } = f.line_col(span.start);
    (line, column)
}

fn text(fs: &[Arc<SourceFile>], span: Span) -> &str {
    &fs[span.file.0 as usize].text[span.start as usize..span.end as usize]
}

fn errors(out: &LoadOutput) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.clone())
        .collect()
}

/// Evaluates `expr` as output `o` of a module made of `extra` plus the output.
fn eval_in(extra: &str, expr: &str) -> Value {
    let main = format!("{extra}\noutput \"o\" {{\n  value = {expr}\n}}\n");
    let (_, out) = load(&[("main.tf", &main)]);
    out.scopes[0]
        .outputs
        .iter()
        .find(|o| o.name == "o")
        .map(|o| o.value.clone())
        .expect("output")
}

/// Compact JSON with object keys sorted, as Terraform orders map keys.
fn json(v: &Value) -> String {
    fn sorted(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let mut entries: Vec<_> = m.into_iter().map(|(k, v)| (k, sorted(v))).collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                serde_json::Value::Object(entries.into_iter().collect())
            }
            serde_json::Value::Array(a) => {
                serde_json::Value::Array(a.into_iter().map(sorted).collect())
            }
            other => other,
        }
    }
    sorted(v.to_json()).to_string()
}

#[test]
fn resource_spans_and_body() {
    let src = r#"resource "aws_s3_bucket" "logs" {
  bucket = "my-logs"
  tags = {
    Name = "x"
  }
  versioning {
    enabled = true
  }
  versioning {
    enabled = false
  }
  lifecycle {
    prevent_destroy = true
  }
  provider   = aws.west
  depends_on = [aws_kms_key.k, module.m]
}
"#;
    let (fs, out) = load(&[("main.tf", src)]);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let r = &out.resources[0];
    assert_eq!(r.address, "aws_s3_bucket.logs");
    assert_eq!(r.mode, Mode::Managed);
    assert_eq!(text(&fs, r.span), r#"resource "aws_s3_bucket" "logs""#);
    assert_eq!(lc(&fs, r.span), (1, 1));
    let b = r.body.entry("bucket").unwrap();
    assert_eq!(lc(&fs, b.key_span), (2, 3));
    assert_eq!(lc(&fs, b.value.span), (2, 12));
    let name = r.body.path(&["tags", "Name"]).unwrap();
    assert_eq!(name.as_str(), Some("x"));
    assert_eq!(lc(&fs, name.span), (4, 12));
    let v = r.body.entry("versioning").unwrap();
    assert_eq!(lc(&fs, v.key_span), (6, 3));
    let blocks = v.value.as_list().unwrap();
    assert_eq!(blocks.len(), 2);
    assert_eq!(lc(&fs, blocks[1].span), (9, 3));
    assert_eq!(blocks[1].get("enabled").unwrap().as_bool(), Some(false));
    assert!(r.body.get("lifecycle").is_none());
    assert!(r.body.get("provider").is_none());
    assert!(r.body.get("depends_on").is_none());
    assert_eq!(r.depends_on.len(), 2);
    assert_eq!(r.depends_on[0].target, "aws_kms_key.k");
    assert_eq!(r.depends_on[1].kind, RefKind::Module);
    assert_eq!(out.scopes.len(), 1);
    assert_eq!(out.scopes[0].location, "m");
}

#[test]
fn data_and_provider_addresses() {
    let src = r#"data "aws_iam_policy_document" "p" {}
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
"#;
    let (fs, out) = load(&[("main.tf", src)]);
    let addrs: Vec<&str> = out.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addrs,
        [
            "data.aws_iam_policy_document.p",
            "provider.aws",
            "provider.aws.west"
        ]
    );
    assert_eq!(out.resources[0].mode, Mode::Data);
    assert_eq!(out.resources[1].mode, Mode::Provider);
    assert_eq!(out.resources[1].rtype, "aws");
    assert_eq!(lc(&fs, out.resources[2].span), (5, 1));
    assert_eq!(text(&fs, out.resources[2].span), r#"provider "aws""#);
}

#[test]
fn jsonencode_keeps_structure_and_spans() {
    let src = r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
  name = "p-${jsonencode({b = 1, a = [true, null]})}"
}
"#;
    let (fs, out) = load(&[("main.tf", src)]);
    let r = &out.resources[0];
    let policy = r.body.get("policy").unwrap();
    assert_eq!(lc(&fs, policy.span), (2, 12));
    let st = policy.get("Statement").unwrap().as_list().unwrap();
    let action = st[0].entry("Action").unwrap();
    assert_eq!(action.value.as_str(), Some("*"));
    assert_eq!(lc(&fs, action.key_span), (6, 7));
    assert_eq!(lc(&fs, action.value.span), (6, 18));
    assert_eq!(
        r.body.get("name").unwrap().as_str(),
        Some(r#"p-{"a":[true,null],"b":1}"#)
    );
}

#[test]
fn json_string_contexts() {
    let x = "locals {\n  j = jsonencode({ k = \"<v>\" })\n}";
    assert_eq!(json(&eval_in(x, "length(local.j)")), "21");
    assert_eq!(
        json(&eval_in(
            x,
            "local.j == \"{\\\"k\\\":\\\"\\\\u003cv\\\\u003e\\\"}\""
        )),
        "true"
    );
    assert_eq!(json(&eval_in(x, "jsondecode(local.j).k")), "\"<v>\"");
    assert_eq!(json(&eval_in("", "jsonencode(\"a\")")), r#""\"a\"""#);
}

#[test]
fn heredocs() {
    let src = "locals {\n  a = <<EOF\n  one\n    two\nEOF\n  b = <<-EOT\n    {\n      \"k\": \"${var.x}\"\n    }\n    EOT\n}\nvariable \"x\" {\n  default = \"v\"\n}\noutput \"a\" {\n  value = local.a\n}\noutput \"b\" {\n  value = local.b\n}\n";
    let (_, out) = load(&[("main.tf", src)]);
    let o = &out.scopes[0].outputs;
    assert_eq!(o[0].value.as_str(), Some("  one\n    two\n"));
    assert_eq!(o[1].value.as_str(), Some("{\n  \"k\": \"v\"\n}\n"));
    assert_eq!(o[1].value.origin, Origin::Default("x".into()));
}

#[test]
fn variables_and_precedence() {
    let main = r#"variable "a" {
  default = "d"
}
variable "b" {
  type      = number
  default   = 1
  sensitive = true
  validation {
    condition     = var.b > 0
    error_message = "positive"
  }
}
variable "c" {}
variable "d" {
  type = list(string)
}
output "a" { value = var.a }
output "b" { value = var.b }
output "c" { value = var.c }
output "d" { value = var.d }
"#;
    let fs = files(&[
        ("main.tf", main),
        ("terraform.tfvars", "a = \"tfvars\"\nb = \"2\"\n"),
        ("x.auto.tfvars", "a = \"auto-x\"\n"),
        ("y.auto.tfvars", "a = \"auto-y\"\nzz = 1\n"),
    ]);
    let opts = TfOptions {
        vars: vec![
            ("c".into(), "cli".into()),
            ("d".into(), "[\"p\", \"q\"]".into()),
        ],
        ..TfOptions::default()
    };
    let out = load_module("m", &fs, &opts);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let s = &out.scopes[0];
    let a = s.input("a").unwrap();
    assert_eq!(a.value.as_ref().unwrap().as_str(), Some("auto-y"));
    assert_eq!(
        a.value.as_ref().unwrap().origin,
        Origin::ValueFile("a".into())
    );
    assert_eq!(
        a.default.as_ref().unwrap().origin,
        Origin::Default("a".into())
    );
    assert_eq!(lc(&fs, a.span), (1, 1));
    assert_eq!(text(&fs, a.span), "variable \"a\"");
    let b = s.input("b").unwrap();
    assert!(b.sensitive && b.constrained);
    assert_eq!(json(b.value.as_ref().unwrap()), "2");
    assert_eq!(b.decl.get("type").unwrap().as_str(), Some("number"));
    let o = &s.outputs;
    assert_eq!(o[0].value.as_str(), Some("auto-y"));
    assert_eq!(lc(&fs, o[0].value.span), (17, 22));
    assert_eq!(json(&o[1].value), "2");
    assert_eq!(o[2].value.as_str(), Some("cli"));
    assert_eq!(o[2].value.origin, Origin::Cli("c".into()));
    assert_eq!(json(&o[3].value), r#"["p","q"]"#);
    // The undeclared `zz` in a value file is a note.
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Note && d.message.contains("zz")));
}

#[test]
fn variable_without_value_is_unknown_input() {
    let v = eval_in("variable \"p\" {}", "\"arn:${var.p}:iam::aws:policy/X\"");
    let u = v.as_unknown().unwrap();
    assert_eq!(u.refs[0].kind, RefKind::Input);
    assert_eq!(u.refs[0].target, "p");
    assert_eq!(
        u.partial.as_deref(),
        Some(format!("arn:{HOLE}:iam::aws:policy/X").as_str())
    );
    assert!(u.partial_ends_with(":iam::aws:policy/X"));
}

#[test]
fn undeclared_variable_is_an_error() {
    let (_, out) = load(&[("main.tf", "output \"o\" { value = var.nope }\n")]);
    assert_eq!(errors(&out), ["reference to undeclared variable `nope`"]);
    assert!(out.scopes[0].outputs[0].value.is_unknown());
}

#[test]
fn locals_any_order_and_files() {
    let (_, out) = load(&[
        (
            "a.tf",
            "output \"o\" { value = local.c }\nlocals {\n  c = \"${local.b}-c\"\n}\n",
        ),
        ("b.tf", "locals {\n  b = upper(local.a)\n  a = \"x\"\n}\n"),
    ]);
    assert!(errors(&out).is_empty());
    assert_eq!(out.scopes[0].outputs[0].value.as_str(), Some("X-c"));
}

#[test]
fn local_cycles() {
    let (fs, out) = load(&[(
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n  s = local.s\n}\noutput \"o\" { value = local.a }\n",
    )]);
    let errs = errors(&out);
    assert!(
        errs.contains(&"cycle in locals: a -> b -> a".to_string()),
        "{errs:?}"
    );
    assert!(
        errs.contains(&"cycle in locals: s -> s".to_string()),
        "{errs:?}"
    );
    assert_eq!(errs.len(), 2);
    let d = out
        .diagnostics
        .iter()
        .find(|d| d.message.contains("a -> b"))
        .unwrap();
    assert_eq!(lc(&fs, d.span.unwrap()), (3, 7));
    assert!(out.scopes[0].outputs[0].value.is_unknown());
}

#[test]
fn references() {
    let v = eval_in("", "aws_s3_bucket.logs.id");
    let r = &v.as_unknown().unwrap().refs[0];
    assert_eq!(
        (r.kind, r.target.as_str(), r.attr.as_deref()),
        (RefKind::Resource, "aws_s3_bucket.logs", Some("id"))
    );
    for (e, t) in [
        ("aws_s3_bucket.logs[0].arn", "aws_s3_bucket.logs[0]"),
        ("aws_s3_bucket.logs[\"k\"].arn", "aws_s3_bucket.logs[\"k\"]"),
        ("aws_s3_bucket.logs[*].arn", "aws_s3_bucket.logs"),
    ] {
        let v = eval_in("", e);
        let r = &v.as_unknown().unwrap().refs[0];
        assert_eq!((r.target.as_str(), r.attr.as_deref()), (t, Some("arn")));
    }
    let v = eval_in("", "data.aws_iam_policy_document.x.json");
    let r = &v.as_unknown().unwrap().refs[0];
    assert_eq!(
        (r.kind, r.target.as_str(), r.attr.as_deref()),
        (
            RefKind::Data,
            "data.aws_iam_policy_document.x",
            Some("json")
        )
    );
    let v = eval_in("", "module.m.out");
    let r = &v.as_unknown().unwrap().refs[0];
    assert_eq!((r.kind, r.target.as_str()), (RefKind::Module, "m"));
    for e in ["count.index", "each.key", "terraform.workspace", "self.id"] {
        assert!(eval_in("", e).is_unknown(), "{e}");
    }
    assert_eq!(eval_in("", "path.module").as_str(), Some("."));
}

#[test]
fn operators_and_conditionals() {
    let cases = [
        ("1 + 2 * 3", "7"),
        ("-(4) % 3", "-1"),
        ("!true || false", "false"),
        ("false && aws_x.y.z", "false"),
        ("true || aws_x.y.z", "true"),
        ("1 < 2 && 2 >= 2", "true"),
        ("\"a\" == \"a\"", "true"),
        ("1 == \"1\"", "false"),
        ("true ? \"y\" : \"n\"", "\"y\""),
        ("aws_x.y.z ? \"s\" : \"s\"", "\"s\""),
        (
            "[for i, v in [\"a\", \"b\"] : \"${i}${v}\" if v != \"c\"]",
            "[\"0a\",\"1b\"]",
        ),
        (
            "{for k, v in {b = 1, a = 2} : v => k}",
            "{\"1\":\"b\",\"2\":\"a\"}",
        ),
        (
            "{for v in [\"a\", \"b\", \"a\"] : v => v...}",
            "{\"a\":[\"a\",\"a\"],\"b\":[\"b\"]}",
        ),
        ("[{a = 1}, {a = 2}][*].a", "[1,2]"),
        ("[{a = 1}, {a = 2}].*.a", "[1,2]"),
        ("{a = {b = [10, 20]}}.a.b[1]", "20"),
        ("\"%{if true}yes%{else}no%{endif}\"", "\"yes\""),
        ("\"%{for x in [1, 2]}<${x}>%{endfor}\"", "\"<1><2>\""),
        ("\"a  %{~ if true ~}  b  %{~ endif ~}  c\"", "\"abc\""),
    ];
    for (e, want) in cases {
        assert_eq!(json(&eval_in("", e)), want, "{e}");
    }
    let v = eval_in("", "aws_x.y.z ? aws_a.b.c : \"n\"");
    let refs: Vec<&str> = v
        .as_unknown()
        .unwrap()
        .refs
        .iter()
        .map(|r| r.target.as_str())
        .collect();
    assert_eq!(refs, ["aws_x.y", "aws_a.b"]);
    assert!(eval_in("", "true && aws_x.y.z").is_unknown());
}

#[test]
fn functions() {
    let cases = [
        (
            "format(\"%s-%d-%q-%v\", \"a\", 3, \"b\", true)",
            "\"a-3-\\\"b\\\"-true\"",
        ),
        ("join(\",\", [\"a\", 1])", "\"a,1\""),
        ("split(\",\", \"a,b\")", "[\"a\",\"b\"]"),
        ("concat([1], [2, 3])", "[1,2,3]"),
        ("merge({b = 1}, {a = 2, b = 3})", "{\"a\":2,\"b\":3}"),
        ("lookup({a = 1}, \"b\", 5)", "5"),
        ("element([\"a\", \"b\"], 3)", "\"b\""),
        ("length({a = 1})", "1"),
        ("replace(\"a.b.c\", \".\", \"-\")", "\"a-b-c\""),
        ("toset([\"b\", \"a\", \"b\"])", "[\"a\",\"b\"]"),
        ("coalesce(null, \"\", \"x\")", "\"x\""),
        ("compact([\"a\", \"\", null])", "[\"a\"]"),
        ("contains([\"a\"], \"a\")", "true"),
        ("keys({b = 1, a = 2})", "[\"a\",\"b\"]"),
        ("values({b = 1, a = 2})", "[2,1]"),
        ("flatten([[1], [2, [3]]])", "[1,2,3]"),
        ("distinct([1, 1, 2])", "[1,2]"),
        ("try({a = 1}.b, \"fallback\")", "\"fallback\""),
        ("can({a = 1}.b)", "false"),
        ("tonumber(\"5\")", "5"),
        ("tostring(5)", "\"5\""),
    ];
    for (e, want) in cases {
        assert_eq!(json(&eval_in("", e)), want, "{e}");
    }
    assert!(eval_in("", "try(aws_x.y.z, \"x\")").is_unknown());
    assert!(eval_in("", "replace(\"a\", \"/a/\", \"b\")").is_unknown());
    let v = eval_in("", "cidrsubnet(\"10.0.0.0/16\", 8, 1)");
    assert_eq!(
        v.as_unknown().unwrap().reason.as_deref(),
        Some("function `cidrsubnet` is not evaluated")
    );
    // Known structure around unknown parts.
    let v = eval_in("", "merge({a = 1}, {b = aws_x.y.z})");
    assert_eq!(json(&v), r#"{"a":1,"b":{"$unknown":["aws_x.y.z"]}}"#);
}

#[test]
fn count_zero_and_dynamic() {
    let src = r#"resource "a_b" "gone" {
  count = 0
}
resource "a_b" "empty" {
  for_each = {}
}
resource "a_b" "kept" {
  count = var.n
  dynamic "rule" {
    for_each = var.rules
    content {
      x = rule.value
    }
  }
}
variable "n" {}
variable "rules" {}
"#;
    let (_, out) = load(&[("main.tf", src)]);
    assert_eq!(out.resources.len(), 1);
    let r = &out.resources[0];
    assert_eq!(r.address, "a_b.kept");
    assert!(r.body.get("count").is_none());
    let rules = r.body.get("rule").unwrap().as_list().unwrap();
    let u = rules[0].as_unknown().unwrap();
    assert_eq!(u.refs[0].target, "rules");
}

#[test]
fn parse_errors_at_the_right_line() {
    let (fs, out) = load(&[
        ("ok.tf", "resource \"a_b\" \"c\" {}\n"),
        ("bad.tf", "locals {\n  a = 1\n  b = = 2\n}\n"),
    ]);
    assert_eq!(out.resources.len(), 1);
    let d = &out.diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.file, FileId(1));
    assert_eq!(lc(&fs, d.span.unwrap()).0, 3);
    assert!(d.message.starts_with("HCL parse error"), "{}", d.message);
}

#[test]
fn invalid_tfvars() {
    let fs = files(&[
        ("main.tf", "variable \"a\" {}\n"),
        ("terraform.tfvars", "a = var.b\nblock {}\n"),
    ]);
    let out = load_module("m", &fs, &TfOptions::default());
    let errs = errors(&out);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(out.diagnostics.iter().all(|d| d.file == FileId(1)));
}

#[test]
fn duplicates() {
    let (_, out) = load(&[
        ("a.tf", "variable \"x\" {}\nlocals {\n  l = 1\n}\n"),
        ("b.tf", "variable \"x\" {}\nlocals {\n  l = 2\n}\n"),
    ]);
    assert_eq!(
        errors(&out),
        ["duplicate variable `x`", "duplicate local value `l`"]
    );
}

#[test]
fn deep_nesting_and_garbage_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let deep = format!(
                "locals {{\n  a = {}1{}\n}}\n",
                "[".repeat(5000),
                "]".repeat(5000)
            );
            let (fs, out) = load(&[("deep.tf", &deep)]);
            assert_eq!(out.diagnostics.len(), 1);
            assert_eq!(lc(&fs, out.diagnostics[0].span.unwrap()).0, 2);
            // Just under our limit: hcl-edit's own limit answers with a parse error.
            let medium = format!(
                "locals {{\n  a = {}1{}\n}}\n",
                "(".repeat(150),
                ")".repeat(150)
            );
            let (_, out) = load(&[("m.tf", &medium)]);
            assert_eq!(errors(&out).len(), 1);
            // The deepest input hcl-edit accepts evaluates fine.
            let ok = format!(
                "locals {{\n  a = {}1{}\n}}\noutput \"o\" {{ value = local.a }}\n",
                "[".repeat(60),
                "]".repeat(60)
            );
            let (_, out) = load(&[("ok.tf", &ok)]);
            assert!(errors(&out).is_empty(), "{:?}", errors(&out));
            // Long operator chains and long local chains.
            let chain = format!("locals {{\n  a = {}\n}}\n", vec!["1"; 120].join(" + "));
            let (_, out) = load(&[("c.tf", &chain)]);
            assert!(errors(&out).is_empty());
            let mut locals = String::from("locals {\n");
            for i in 0..2000 {
                locals.push_str(&format!("  l{i} = local.l{}\n", i + 1));
            }
            locals.push_str("  l2000 = \"end\"\n}\noutput \"o\" { value = local.l0 }\n");
            let (_, out) = load(&[("l.tf", &locals)]);
            assert!(errors(&out).is_empty());
            assert_eq!(out.scopes[0].outputs[0].value.as_str(), Some("end"));
            // Garbage.
            for g in [
                "\u{0}\u{1}{{{",
                "resource",
                "}}}}",
                "\"${",
                "<<EOF\n",
                "a = <<-X\n  ${[\n",
                "x = \"%{if\"",
                "\u{feff}a = 1",
            ] {
                let (_, _out) = load(&[("g.tf", g)]);
            }
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}

#[test]
fn stats_count_unknowns() {
    let (_, out) = load(&[(
        "main.tf",
        "resource \"a_b\" \"c\" {\n  x = 1\n  y = aws_q.r.s\n  n {\n    z = [aws_q.r.t]\n  }\n}\n",
    )]);
    assert_eq!(out.stats.expressions, 3);
    assert_eq!(out.stats.unknown, 2);
}

/// Compares our evaluator with real `terraform console` on a batch of expressions.
#[test]
fn oracle_terraform_console() {
    const TOOL: &str = "../shared/tools/terraform-offline";
    let main = r#"variable "a" {
  default = "d"
}
variable "b" {
  default = "d"
}
variable "n" {
  type    = number
  default = 1
}
locals {
  greeting = "hello ${var.a}!"
  heredoc  = <<EOT
  line one
    line ${var.a}
EOT
  indented = <<-EOT
    {
      "k": "${var.b}"
    }
    EOT
  obj = {
    nested = { list = [10, 20, 30] }
  }
}
"#;
    let exprs = [
        "var.a",
        "var.b",
        "var.n + 1",
        "local.greeting",
        "local.heredoc",
        "local.indented",
        r#"format("%s-%d-%q-%v-%5s|%-4d|%05d|%.2f", "a", 3, "b", true, "x", 7, 42, 3.14159)"#,
        r#"join(",", ["a", 1, true])"#,
        r#"split(",", "a,,b")"#,
        "concat([1, 2], [3])",
        "merge({b = 1}, {a = 2, b = 3})",
        r#"lookup({a = "x"}, "b", "d")"#,
        r#"element(["a", "b", "c"], 4)"#,
        r#"length("héllo")"#,
        r#"[lower("ABC"), upper("abc"), title("hello world")]"#,
        r#"replace("a.b.c", ".", "-")"#,
        "trimspace(\"  x \\n\")",
        "[tostring(12.5), tonumber(\"42\"), tobool(\"true\")]",
        r#"toset(["b", "a", "b"])"#,
        r#"coalesce("", "x")"#,
        r#"compact(["a", "", null])"#,
        r#"contains(["a", "b"], "b")"#,
        "[keys({z = 1, a = 2}), values({z = 1, a = 2})]",
        "flatten([[1, [2]], [], [3]])",
        r#"distinct(["a", "b", "a"])"#,
        r#"try(local.obj.missing, "fallback")"#,
        "can(local.obj.missing)",
        "[10 / 4, 7 % 3, 10 / 3, -5 + 2.5]",
        r#"true ? "y" : "n""#,
        r#"[for i, v in ["a", "b"] : "${i}=${v}" if v != "z"]"#,
        "{for k, v in {b = 1, a = 2} : k => v * 2}",
        r#""%{for x in ["a", "b"]~}${x},%{endfor~}""#,
        r#""%{if var.a == "y"}yes%{else}no%{endif}""#,
        r#"jsonencode({b = [1, "x"], a = {c = null}})"#,
        r#"jsondecode("{\"a\":[1,2]}").a"#,
        "[{a = 1}, {a = 2}][*].a",
        "local.obj.nested.list[1]",
        r#""a  %{~ if true ~}  b  %{~ endif ~}  c""#,
        r#"jsonencode("<&>")"#,
        r#"1 == "1""#,
        r#"{for v in ["a", "b", "a"] : v => v...}"#,
        r#"format("%q", "a\"b")"#,
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    write("main.tf", main);
    write(
        "terraform.tfvars",
        "a = \"tfvars\"\nb = \"tfvars-b\"\nn = \"5\"\n",
    );
    write("x.auto.tfvars", "a = \"auto-x\"\n");
    write("y.auto.tfvars", "a = \"y\"\n");

    // Ours: every expression as an output.
    let mut outs = String::new();
    for (i, e) in exprs.iter().enumerate() {
        outs.push_str(&format!("output \"o{i}\" {{\n  value = {e}\n}}\n"));
    }
    let fs = files(&[
        ("main.tf", main),
        ("outputs.tf", &outs),
        (
            "terraform.tfvars",
            "a = \"tfvars\"\nb = \"tfvars-b\"\nn = \"5\"\n",
        ),
        ("x.auto.tfvars", "a = \"auto-x\"\n"),
        ("y.auto.tfvars", "a = \"y\"\n"),
    ]);
    let out = load_module("m", &fs, &TfOptions::default());
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));

    // Terraform's: the console prints only the last result of a batch, so all expressions go
    // into one tuple, as JSON.
    let input = format!("jsonencode([{}])\n", exprs.join(", "));
    let mut child = match std::process::Command::new(TOOL)
        .arg("console")
        .arg(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("skipping oracle test: cannot run {TOOL}: {e}");
            return;
        }
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write stdin");
    }
    let res = child.wait_with_output().expect("console");
    if res.status.code() == Some(3) {
        eprintln!("skipping oracle test: terraform is not available here");
        return;
    }
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert!(
        res.status.success(),
        "console failed: {}\n{stdout}",
        String::from_utf8_lossy(&res.stderr)
    );
    let line = stdout.trim();
    let Ok(hcl_edit::expr::Expression::String(s)) = hcl_edit::parser::parse_expr(line) else {
        panic!("cannot read console output {line}");
    };
    let theirs: serde_json::Value = serde_json::from_str(s.value()).expect("terraform json");
    let theirs = theirs.as_array().expect("a tuple").clone();
    assert_eq!(theirs.len(), exprs.len());
    let mut mismatches = Vec::new();
    for (i, (e, theirs)) in exprs.iter().zip(theirs).enumerate() {
        let ours = &out.scopes[0].outputs[i].value;
        let mut ours_json = if ours.contains_unknown() {
            serde_json::Value::String(format!("UNKNOWN {ours:?}"))
        } else {
            functions::json_text(ours)
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(serde_json::Value::Null)
        };
        let mut theirs = theirs;
        if e.starts_with("jsonencode(") {
            // A JSON string: Terraform's text must be exactly ours when ours is text.
            if let (Some(t), Some(o)) = (theirs.as_str(), ours.as_str()) {
                if t != o {
                    mismatches.push(format!("{e}\n   ours:      {o}\n   terraform: {t}"));
                }
            }
            theirs = theirs
                .as_str()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or(serde_json::Value::Null);
            if let Some(o) = ours.as_str() {
                ours_json = serde_json::from_str(o).unwrap_or(serde_json::Value::Null);
            }
        }
        if ours_json != theirs {
            mismatches.push(format!(
                "{e}\n   ours:      {ours_json}\n   terraform: {theirs}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "mismatches:\n{}",
        mismatches.join("\n")
    );
}

/// Loads every Terraform module directory of a corpus (`FTRLINT_CORPUS`, default
/// `../shared/corpus`) and prints counts: `cargo test --release corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn corpus_smoke() {
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    let root = std::env::var("FTRLINT_CORPUS").unwrap_or_else(|_| "../shared/corpus".into());
    let mut dirs: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut stack = vec![PathBuf::from(&root)];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".tf") || name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
            {
                dirs.entry(d.clone()).or_default().push(p);
            }
        }
    }
    let (mut nfiles, mut nres, mut nexpr, mut nunk, mut nparse, mut nerr) = (0, 0, 0, 0, 0, 0);
    let mut samples = Vec::new();
    let mut slowest = (std::time::Duration::ZERO, PathBuf::new());
    let start = std::time::Instant::now();
    let mut next_id = 0u32;
    for (dir, mut paths) in dirs.clone() {
        paths.sort();
        let fs: Vec<Arc<SourceFile>> = paths
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                next_id += 1;
                Some(Arc::new(SourceFile::new(
                    FileId(next_id),
                    p.clone(),
                    p.display().to_string(),
                    Arc::from(text),
                )))
            })
            .collect();
        nfiles += fs.len();
        let t = std::time::Instant::now();
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            load_module(&dir.display().to_string(), &fs, &TfOptions::default())
        }))
        .unwrap_or_else(|_| panic!("panic in {}", dir.display()));
        let el = t.elapsed();
        if el > slowest.0 {
            slowest = (el, dir.clone());
        }
        nres += out.resources.len();
        nexpr += out.stats.expressions;
        nunk += out.stats.unknown;
        for d in &out.diagnostics {
            if d.severity != Severity::Error {
                continue;
            }
            nerr += 1;
            let f = fs.iter().find(|f| f.id == d.file);
            let pos = match (f, d.span) {
                (Some(f), Some(s)) => format!("{}:{}", f.display, f.line_col(s.start).line),
                (Some(f), None) => f.display.clone(),
                _ => String::new(),
            };
            if d.message.starts_with("HCL parse error") {
                nparse += 1;
            }
            samples.push(format!("{pos}: {}", d.message));
        }
    }
    println!(
        "dirs {} files {nfiles} resources {nres} expressions {nexpr} unknown {nunk} errors {nerr} (parse {nparse}) time {:?} slowest {:?} {}",
        dirs.len(),
        start.elapsed(),
        slowest.0,
        slowest.1.display()
    );
    for s in samples.iter().take(80) {
        println!("  {s}");
    }
}

#[test]
fn repeated_object_keys_later_wins() {
    // hcl-edit rejects these; Terraform keeps the later key.
    let main = "locals {\n  o = {\n    a = 1\n    b = { x = 1, x = 2 }\n    a = 3\n    \"q\" = 4\n    a = 5\n  }\n  \"z\" = 0\n}\noutput \"o\" {\n  value = local.o\n}\n";
    let main = main.replace("  \"z\" = 0\n", "");
    let (fs, out) = load(&[("main.tf", &main)]);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let o = &out.scopes[0].outputs[0].value;
    assert_eq!(json(o), r#"{"a":5,"b":{"x":2},"q":4}"#);
    let a = o.entry("a").expect("a");
    assert_eq!(lc(&fs, a.key_span), (7, 5));
    assert_eq!(lc(&fs, a.value.span), (7, 9));
    let x = o.get("b").and_then(|b| b.entry("x")).expect("x");
    assert_eq!(text(&fs, x.value.span), "2");
    // Single-character keys, quoted keys, and `a` vs `"a"` (the same key for Terraform).
    let v = eval_in("", "{ k = 1, \"k\" = 2, j = 0, k = 3 }");
    assert_eq!(json(&v), r#"{"j":0,"k":3}"#);
    let v = eval_in("", "{ \"a.b\" = 1, \"a.b\" = 2 }");
    assert_eq!(json(&v), r#"{"a.b":2}"#);
}

#[test]
fn json_syntax_module() {
    let main = r#"{
  "resource": {
    "aws_cloudtrail": {
      "main": {
        "name": "${var.name}-trail",
        "s3_bucket_name": "${aws_s3_bucket.logs.id}",
        "enable_log_file_validation": false,
        "tags": { "env": "${local.env}", "literal": "$${x}" },
        "depends_on": ["aws_s3_bucket.logs"]
      }
    },
    "aws_s3_bucket": { "logs": { "bucket": "logs", "count": "${var.n}" } }
  },
  "locals": { "env": "prod" },
  "output": { "o": { "value": "${var.name}" } }
}
"#;
    let vars = "{\n  \"variable\": {\n    \"name\": { \"type\": \"string\", \"default\": \"d\" },\n    \"n\": { \"type\": \"number\", \"default\": 1 }\n  }\n}\n";
    let tfvars = "{\n  \"name\": \"from-tfvars\"\n}\n";
    let (fs, out) = load(&[
        ("main.tf.json", main),
        ("variables.tf.json", vars),
        ("terraform.tfvars.json", tfvars),
    ]);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let trail = out
        .resources
        .iter()
        .find(|r| r.address == "aws_cloudtrail.main")
        .expect("trail");
    assert_eq!(text(&fs, trail.span), "\"main\"");
    assert_eq!(lc(&fs, trail.span), (4, 7));
    let name = trail.body.get("name").expect("name");
    assert_eq!(name.as_str(), Some("from-tfvars-trail"));
    assert_eq!(lc(&fs, name.span), (5, 17));
    let v = trail.body.entry("enable_log_file_validation").expect("v");
    assert_eq!(lc(&fs, v.key_span), (7, 9));
    assert_eq!(v.value.as_bool(), Some(false));
    let tags = trail.body.get("tags").expect("tags");
    assert_eq!(json(tags), r#"{"env":"prod","literal":"${x}"}"#);
    assert_eq!(trail.depends_on.len(), 1);
    assert_eq!(trail.depends_on[0].target, "aws_s3_bucket.logs");
    assert!(out
        .resources
        .iter()
        .any(|r| r.address == "aws_s3_bucket.logs[0]"));
    let input = out.scopes[0]
        .inputs
        .iter()
        .find(|i| i.name == "name")
        .expect("input");
    assert_eq!(lc(&fs, input.span), (3, 5));
    assert_eq!(
        input.value.as_ref().map(|v| (*v.origin).clone()),
        Some(Origin::ValueFile(Arc::from("name")))
    );
    assert_eq!(out.scopes[0].outputs[0].value.as_str(), Some("from-tfvars"));
}

#[test]
fn json_syntax_errors_have_lines() {
    let (fs, out) = load(&[
        ("main.tf.json", "{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"b\": {\"bucket\": 1,}\n    }\n  }\n}\n"),
        ("bad.tf.json", "{\n  \"output\": {\"o\": {\"value\": \"${var.}\"}}\n}\n"),
    ]);
    let mut errs: Vec<(u32, String)> = out
        .diagnostics
        .iter()
        .map(|d| (lc(&fs, d.span.expect("span")).0, d.message.clone()))
        .collect();
    errs.sort();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].0, 2, "{errs:?}");
    assert!(errs[0].1.starts_with("Terraform JSON:"), "{errs:?}");
    assert_eq!(errs[1].0, 4, "{errs:?}");
    assert!(errs[1].1.starts_with("invalid JSON"), "{errs:?}");
}

#[test]
fn json_syntax_dynamic_blocks_and_provider_aliases() {
    let main = r#"{
  "provider": {"aws": [{"region": "a"}, {"alias": "west", "region": "b"}]},
  "data": {"aws_x": {"y": {
    "dynamic": {"d": {"for_each": "${[1, 2]}", "iterator": "it", "content": {"k": "${it.value}"}}}
  }}}
}
"#;
    let (fs, out) = load(&[("main.tf.json", main)]);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let addrs: Vec<&str> = out.resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addrs, ["provider.aws", "provider.aws.west", "data.aws_x.y"]);
    let d = out.resources[2].body.get("d").expect("d");
    assert_eq!(json(d), r#"[{"k":1},{"k":2}]"#);
    let k = d
        .as_list()
        .and_then(|l| l.first())
        .and_then(|m| m.entry("k"))
        .expect("k");
    assert_eq!(lc(&fs, k.key_span), (4, 78));
}

#[test]
fn repeated_object_keys_are_bounded() {
    // Empty quoted keys cannot get a same-length placeholder: the parse error stays.
    let (_, out) = load(&[("main.tf", "locals {\n  o = { \"\" = 1, \"\" = 2 }\n}\n")]);
    assert_eq!(errors(&out).len(), 1, "{:?}", errors(&out));
    // More repeated keys than the bound: an error, never a hang or a panic.
    let items: Vec<String> = (0..200).map(|i| format!("k = {i}")).collect();
    let main = format!("locals {{\n  o = {{ {} }}\n}}\n", items.join(", "));
    let (_, out) = load(&[("main.tf", &main)]);
    assert_eq!(errors(&out).len(), 1, "{:?}", errors(&out));
    // Within the bound, the last one wins.
    let items: Vec<String> = (0..40).map(|i| format!("k = {i}")).collect();
    let v = eval_in("", &format!("{{ {} }}", items.join(", ")));
    assert_eq!(json(&v), r#"{"k":39}"#);
}
