//! Loader tests: exact positions, tag rewriting, resolution, robustness.

use super::*;
use crate::resource::Severity;
use crate::source::{FileId, Span};
use crate::value::{Kind, Origin, RefKind, HOLE};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn src(name: &str, text: &str) -> SourceFile {
    SourceFile::new(FileId(0), name.into(), name.into(), Arc::from(text))
}

fn load_str(name: &str, text: &str) -> Option<LoadOutput> {
    load(&src(name, text), &CfnOptions::default())
}

/// Start line and column (1-based) of a span.
fn lc(f: &SourceFile, span: Span) -> (u32, u32) {
    let p = f.line_col(span.start);
    (p.line, p.column)
}

fn text(f: &SourceFile, span: Span) -> &str {
    f.text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("")
}

fn errors(out: &LoadOutput) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.clone())
        .collect()
}

fn resource<'a>(out: &'a LoadOutput, id: &str) -> &'a crate::resource::Resource {
    out.resources
        .iter()
        .find(|r| r.address == id)
        .unwrap_or_else(|| panic!("no resource {id}"))
}

fn in_small_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("thread panicked (stack overflow?)");
}

const YAML: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  Secret:
    Type: String
    NoEcho: true
  Subnets:
    Type: CommaDelimitedList
    Default: 'subnet-1, subnet-2'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub 'logs-${Env}-${AWS::AccountId}'
      Tags:
        - Key: env
          Value: !Ref Env
        - Key: secret
          Value: !Ref Secret
  Queue:
    Type: AWS::SQS::Queue
    DependsOn: Bucket
    Metadata: {Owner: team}
    Properties:
      QueueName: !GetAtt Bucket.Arn
      Count: 14
      Id: 012345678901
Outputs:
  Arn:
    Value: !GetAtt [Queue, Arn]
";

#[test]
fn yaml_positions_of_keys_scalars_and_items() {
    let f = src("t.yaml", YAML);
    let root = yaml::parse(&f).root.expect("parsed");
    let res = root.entry("Resources").expect("Resources");
    assert_eq!(lc(&f, res.key_span), (13, 1));
    assert_eq!(text(&f, res.key_span), "Resources");
    let bucket = res.value.entry("Bucket").expect("Bucket");
    assert_eq!(lc(&f, bucket.key_span), (14, 3));
    let ty = bucket.value.get("Type").expect("Type");
    assert_eq!(lc(&f, ty.span), (15, 11));
    assert_eq!(text(&f, ty.span), "AWS::S3::Bucket");
    let tags = bucket.value.path(&["Properties", "Tags"]).expect("Tags");
    let second = tags.as_list().and_then(|l| l.get(1)).expect("item");
    assert_eq!(lc(&f, second.span), (21, 11));
    let v = second.get("Value").expect("Value");
    assert_eq!(lc(&f, v.span), (22, 18));
    assert_eq!(text(&f, v.span), "!Ref Secret");
    // Block collections end with their last child, not at the next key.
    assert_eq!(f.line_col(tags.span.end).line, 22);
    // Scalar typing.
    let q = res.value.path(&["Queue", "Properties"]).expect("props");
    assert_eq!(
        q.get("Count").map(|v| v.kind.clone()),
        Some(Kind::Number(14.0))
    );
    assert_eq!(q.get("Id").and_then(Value::as_str), Some("012345678901"));
}

#[test]
fn plain_scalar_typing() {
    let f = src(
        "t.yaml",
        "a: [true, False, TRUE, yes, on, null, ~, 0, -3, 2.5, 1e3, 0777, 012345678901, .inf, 0x1F, '12', \"true\", 1.0.0]\n",
    );
    let root = yaml::parse(&f).root.expect("parsed");
    let items = root.get("a").and_then(Value::as_list).expect("list");
    let kinds: Vec<String> = items
        .iter()
        .map(|v| match &v.kind {
            Kind::Bool(b) => format!("b:{b}"),
            Kind::Null => "null".into(),
            Kind::Number(n) => format!("n:{n}"),
            Kind::String(s) => format!("s:{s}"),
            _ => "?".into(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "b:true",
            "b:false",
            "b:true",
            "s:yes",
            "s:on",
            "null",
            "null",
            "n:0",
            "n:-3",
            "n:2.5",
            "n:1000",
            "s:0777",
            "s:012345678901",
            "s:.inf",
            "s:0x1F",
            "s:12",
            "s:true",
            "s:1.0.0"
        ]
    );
    let block = src("t.yaml", "a: |\n  x\n  y\nb: >\n  p\n  q\nc:\n");
    let root = yaml::parse(&block).root.expect("parsed");
    assert_eq!(root.get("c").map(|v| v.kind.clone()), Some(Kind::Null));
    assert_eq!(root.get("a").and_then(Value::as_str), Some("x\ny\n"));
    assert_eq!(root.get("b").and_then(Value::as_str), Some("p q\n"));
}

#[test]
fn every_short_form_tag_becomes_long_form() {
    let tags = [
        ("Ref", "Ref"),
        ("Condition", "Condition"),
        ("GetAtt", "Fn::GetAtt"),
        ("Sub", "Fn::Sub"),
        ("Join", "Fn::Join"),
        ("If", "Fn::If"),
        ("Select", "Fn::Select"),
        ("Split", "Fn::Split"),
        ("FindInMap", "Fn::FindInMap"),
        ("ImportValue", "Fn::ImportValue"),
        ("Base64", "Fn::Base64"),
        ("Cidr", "Fn::Cidr"),
        ("GetAZs", "Fn::GetAZs"),
        ("Equals", "Fn::Equals"),
        ("And", "Fn::And"),
        ("Or", "Fn::Or"),
        ("Not", "Fn::Not"),
        ("Transform", "Fn::Transform"),
        ("Length", "Fn::Length"),
        ("ToJsonString", "Fn::ToJsonString"),
    ];
    let mut text_in = String::new();
    for (i, (short, _)) in tags.iter().enumerate() {
        // Alternate scalar and flow-sequence arguments.
        if i % 2 == 0 {
            text_in.push_str(&format!("k{i}: !{short} x.y\n"));
        } else {
            text_in.push_str(&format!("k{i}:  !{short} [a, b]\n"));
        }
    }
    let f = src("t.yaml", &text_in);
    let parsed = yaml::parse(&f);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let root = parsed.root.expect("parsed");
    for (i, (short, long)) in tags.iter().enumerate() {
        let v = root.get(&format!("k{i}")).expect("key");
        let [e] = v.as_map().expect("synthetic map") else {
            panic!("one entry");
        };
        assert_eq!(e.key, *long, "!{short}");
        let line = i as u32 + 1;
        let col = f.line_text(line).find('!').expect("tag") as u32 + 1;
        assert_eq!(lc(&f, v.span), (line, col), "!{short}");
        assert_eq!(e.key_span, v.span);
        assert!(text(&f, v.span).starts_with(&format!("!{short}")));
        if *short == "GetAtt" {
            let parts: Vec<_> = e
                .value
                .as_list()
                .expect("split")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert_eq!(parts, ["x", "y"]);
        } else if i % 2 == 0 {
            assert_eq!(e.value.as_str(), Some("x.y"));
        } else {
            assert_eq!(e.value.as_list().map(<[Value]>::len), Some(2));
        }
    }
}

#[test]
fn block_tags_and_unknown_tags() {
    let f = src(
        "t.yaml",
        "a: !Join\n  - ','\n  - [x, y]\nb: !Bogus foo\nc: !!str 12\n",
    );
    let parsed = yaml::parse(&f);
    let root = parsed.root.expect("parsed");
    let a = root.get("a").expect("a");
    assert_eq!(
        a.as_map().and_then(|m| m.first()).map(|e| e.key.as_str()),
        Some("Fn::Join")
    );
    assert_eq!(lc(&f, a.span), (1, 4));
    assert_eq!(f.line_col(a.span.end).line, 3);
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.message, "unknown tag `!Bogus`");
    let span = d.span.expect("span");
    assert_eq!(lc(&f, span), (4, 4));
    assert_eq!(text(&f, span), "!Bogus");
    assert_eq!(root.get("b").and_then(Value::as_str), Some("foo"));
    assert_eq!(root.get("c").and_then(Value::as_str), Some("12"));
}

#[test]
fn template_sections() {
    let out = load_str("t.yaml", YAML).expect("template");
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let f = src("t.yaml", YAML);
    assert_eq!(out.scopes.len(), 1);
    let scope = &out.scopes[0];
    assert_eq!(scope.format, crate::resource::Format::CloudFormation);
    assert_eq!(scope.name, "t.yaml");
    let env = scope.input("Env").expect("Env");
    assert!(env.constrained);
    assert!(!env.sensitive);
    assert_eq!(lc(&f, env.span), (3, 3));
    assert_eq!(
        env.default.as_ref().map(|d| (*d.origin).clone()),
        Some(Origin::Default("Env".into()))
    );
    let secret = scope.input("Secret").expect("Secret");
    assert!(secret.sensitive && !secret.constrained && secret.default.is_none());

    let q = resource(&out, "Queue");
    assert_eq!(q.rtype, "AWS::SQS::Queue");
    assert_eq!(lc(&f, q.span), (23, 3));
    assert_eq!(q.depends_on.len(), 1);
    assert_eq!(q.depends_on[0].target, "Bucket");
    assert_eq!(lc(&f, q.depends_on[0].span), (25, 16));
    assert!(q.metadata.as_ref().and_then(|m| m.get("Owner")).is_some());

    let arn = &scope.outputs[0];
    assert_eq!(arn.name, "Arn");
    let u = arn.value.as_unknown().expect("unknown");
    assert_eq!(u.refs[0].kind, RefKind::Resource);
    assert_eq!(u.refs[0].target, "Queue");
    assert_eq!(u.refs[0].attr.as_deref(), Some("Arn"));
    assert_eq!(out.stats.expressions, 5);
    assert_eq!(out.stats.unknown, 4);
}

#[test]
fn ref_to_parameters() {
    let f = src("t.yaml", YAML);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let tags = resource(&out, "Bucket")
        .body
        .get("Tags")
        .and_then(Value::as_list)
        .expect("tags");
    let env = tags[0].get("Value").expect("env");
    assert_eq!(env.as_str(), Some("dev"));
    assert_eq!(env.origin, Origin::Default("Env".into()));
    assert_eq!(lc(&f, env.span), (20, 18));
    let secret = tags[1]
        .get("Value")
        .expect("secret")
        .as_unknown()
        .expect("unknown");
    assert_eq!(secret.refs.len(), 1);
    assert_eq!(secret.refs[0].kind, RefKind::Input);
    assert_eq!(secret.refs[0].target, "Secret");
    assert_eq!(
        secret.reason.as_deref(),
        Some("parameter `Secret` has no default")
    );

    // --parameter wins.
    let mut opts = CfnOptions::default();
    opts.parameters.insert("Env".into(), "prod".into());
    opts.parameters.insert("Secret".into(), "s3cr3t".into());
    let out = load(&f, &opts).expect("template");
    let tags = resource(&out, "Bucket")
        .body
        .get("Tags")
        .and_then(Value::as_list)
        .expect("tags");
    let env = tags[0].get("Value").expect("env");
    assert_eq!(env.as_str(), Some("prod"));
    assert_eq!(env.origin, Origin::Cli("Env".into()));
    let input = out.scopes[0].input("Secret").expect("input");
    assert_eq!(input.value.as_ref().and_then(Value::as_str), Some("s3cr3t"));
}

#[test]
fn sub_with_partial_and_escapes() {
    let f = src("t.yaml", YAML);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let name = resource(&out, "Bucket")
        .body
        .get("BucketName")
        .expect("name");
    let u = name.as_unknown().expect("unknown");
    assert_eq!(
        u.partial.as_deref(),
        Some(format!("logs-dev-{HOLE}").as_str())
    );
    assert_eq!(u.refs[0].kind, RefKind::Pseudo);
    assert_eq!(u.refs[0].target, "AWS::AccountId");
    assert_eq!(lc(&f, name.span), (17, 19));

    let t = "\
Resources:
  R:
    Type: AWS::X::Y
    Properties:
      A: !Sub 'a-${!Literal}-${AWS::Partition}'
      B: !Sub ['${X}/${R.Arn}', {X: !Ref AWS::URLSuffix}]
      C:
        Fn::Sub: arn:${AWS::Partition}:s3:::b
";
    let mut opts = CfnOptions::default();
    let out = load(&src("t.yaml", t), &opts).expect("template");
    let body = &resource(&out, "R").body;
    assert_eq!(
        body.get("A").and_then(Value::as_str),
        Some("a-${Literal}-aws")
    );
    let b = body
        .get("B")
        .and_then(Value::as_unknown)
        .expect("B unknown");
    assert_eq!(
        b.partial.as_deref(),
        Some(format!("amazonaws.com/{HOLE}").as_str())
    );
    assert_eq!(b.refs[0].attr.as_deref(), Some("Arn"));
    assert_eq!(
        body.get("C").and_then(Value::as_str),
        Some("arn:aws:s3:::b")
    );
    opts.parameters
        .insert("AWS::Partition".into(), "aws-cn".into());
    let out = load(&src("t.yaml", t), &opts).expect("template");
    let c = resource(&out, "R").body.get("C").cloned().expect("C");
    assert_eq!(c.as_str(), Some("arn:aws-cn:s3:::b"));
    assert_eq!(c.origin, Origin::Cli("AWS::Partition".into()));
}

#[test]
fn no_value_removes_property_and_item() {
    let t = "\
AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  Never: !Equals [a, b]
Resources:
  R:
    Type: AWS::X::Y
    Properties:
      Gone: !Ref AWS::NoValue
      Kept: 1
      List: [a, !Ref AWS::NoValue, !If [Never, x, !Ref AWS::NoValue], c]
";
    let out = load_str("t.yaml", t).expect("template");
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let body = &resource(&out, "R").body;
    assert!(body.get("Gone").is_none());
    assert!(body.get("Kept").is_some());
    let list: Vec<_> = body
        .get("List")
        .and_then(Value::as_list)
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(list, ["a", "c"]);
}

#[test]
fn getatt_edges() {
    let t = "\
Resources:
  A:
    Type: AWS::X::Y
  B:
    Type: AWS::X::Y
    Properties:
      Nested: !GetAtt A.Endpoint.Address
      Long: {Fn::GetAtt: [A, Arn]}
      Str: {Fn::GetAtt: A.Arn}
      Missing: !GetAtt Nope.Arn
      NoDot: !GetAtt A
      Dyn: !GetAtt [A, !Ref P]
Parameters:
  P: {Type: String, Default: Arn}
";
    let f = src("t.yaml", t);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let body = &resource(&out, "B").body;
    let r = |k: &str| {
        body.get(k)
            .and_then(Value::as_unknown)
            .expect(k)
            .refs
            .clone()
    };
    assert_eq!(r("Nested")[0].attr.as_deref(), Some("Endpoint.Address"));
    assert_eq!(r("Long")[0].target, "A");
    assert_eq!(r("Str")[0].attr.as_deref(), Some("Arn"));
    assert_eq!(r("Dyn")[0].attr.as_deref(), Some("Arn"));
    assert!(r("Missing").is_empty());
    let errs: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), d.span.map(|s| lc(&f, s))))
        .collect();
    assert_eq!(
        errs,
        [
            (
                "Fn::GetAtt to undefined resource `Nope`".to_string(),
                Some((10, 16))
            ),
            (
                "`Fn::GetAtt` needs `LogicalId.Attribute`".to_string(),
                Some((11, 14))
            ),
        ]
    );
}

#[test]
fn ref_to_resource_undefined_and_pseudo() {
    let t = "\
Resources:
  A:
    Type: AWS::X::Y
    Properties:
      R: !Ref A
      U: !Ref Undefined
      Region: !Ref AWS::Region
      Imp: !ImportValue shared-vpc
      Azs: !Select [0, !GetAZs '']
";
    let f = src("t.yaml", t);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let body = &resource(&out, "A").body;
    let u = |k: &str| body.get(k).and_then(Value::as_unknown).expect(k).clone();
    assert_eq!(u("R").refs[0].kind, RefKind::Resource);
    assert_eq!(u("R").refs[0].attr, None);
    assert_eq!(u("Region").refs[0].kind, RefKind::Pseudo);
    assert_eq!(u("Imp").refs[0].kind, RefKind::External);
    assert_eq!(u("Imp").refs[0].target, "shared-vpc");
    assert!(u("Azs").refs.is_empty());
    let d = &out.diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, "Ref to undefined `Undefined`");
    assert_eq!(d[0].span.map(|s| lc(&f, s)), Some((6, 10)));
    let mut opts = CfnOptions::default();
    opts.parameters
        .insert("AWS::Region".into(), "eu-west-1".into());
    let out = load(&f, &opts).expect("template");
    let region = resource(&out, "A")
        .body
        .get("Region")
        .cloned()
        .expect("region");
    assert_eq!(region.as_str(), Some("eu-west-1"));
}

#[test]
fn functions_on_known_values() {
    let t = r#"
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Nets: {Type: "List<AWS::EC2::Subnet::Id>", Default: "s-1,s-2"}
Mappings:
  Sizes:
    prod: {Instance: m5.large}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref AWS::Region, us-east-1]]
  Either: !Or [!Condition IsProd, !Equals [!Ref AWS::Region, us-east-1]]
  Loop1: !Condition Loop2
  Loop2: !Condition Loop1
Resources:
  R:
    Type: AWS::X::Y
    Properties:
      Join: !Join ['-', [a, !Ref Env, 3]]
      JoinU: !Join [':', [arn, !Ref AWS::Partition, !Ref AWS::AccountId]]
      Select: !Select [1, !Ref Nets]
      Split: !Select [2, !Split [',', 'x,y,z']]
      B64: !Base64 hello
      Map: !FindInMap [Sizes, !Ref Env, Instance]
      If: !If [IsProd, yes-prod, no]
      IfNot: !If [NotProd, a, b]
      IfU: !If [Both, !Ref AWS::AccountId, !GetAtt R.Arn]
      IfOr: !If [Either, o, p]
      Loop: !If [Loop1, a, b]
      Len: !Length [a, b]
      Cidr: !Cidr [10.0.0.0/16, 2, 8]
"#;
    let f = src("t.yaml", t);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let body = &resource(&out, "R").body;
    let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    assert_eq!(s("Join").as_deref(), Some("a-prod-3"));
    assert_eq!(
        body.get("Join").map(|v| (*v.origin).clone()),
        Some(Origin::Default("Env".into()))
    );
    let ju = body
        .get("JoinU")
        .and_then(Value::as_unknown)
        .expect("unknown");
    assert_eq!(
        ju.partial.as_deref(),
        Some(format!("arn:aws:{HOLE}").as_str())
    );
    assert_eq!(s("Select").as_deref(), Some("s-2"));
    assert_eq!(s("Split").as_deref(), Some("z"));
    assert_eq!(s("B64").as_deref(), Some("aGVsbG8="));
    assert_eq!(s("Map").as_deref(), Some("m5.large"));
    assert_eq!(
        body.get("Map").map(|v| (*v.origin).clone()),
        Some(Origin::Mapping)
    );
    assert_eq!(s("If").as_deref(), Some("yes-prod"));
    assert_eq!(s("IfNot").as_deref(), Some("b"));
    let ifu = body
        .get("IfU")
        .and_then(Value::as_unknown)
        .expect("undecided");
    assert_eq!(ifu.refs.len(), 2);
    assert_eq!(s("IfOr").as_deref(), Some("o"));
    assert!(body.get("Loop").is_some_and(Value::is_unknown));
    assert_eq!(
        body.get("Len").map(|v| v.kind.clone()),
        Some(Kind::Number(2.0))
    );
    assert!(body.get("Cidr").is_some_and(Value::is_unknown));
    let errs = errors(&out);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("cycle"), "{errs:?}");
}

const JSON: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
  "Resources": {
    "Bucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": {"Fn::Join": ["-", ["b", {"Ref": "Env"}]]},
        "Size": 10,
        "Arn": {"Fn::GetAtt": ["Bucket", "Arn"]}
      }
    }
  }
}"#;

#[test]
fn json_templates() {
    let f = src("t.json", JSON);
    let out = load(&f, &CfnOptions::default()).expect("template");
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let b = resource(&out, "Bucket");
    assert_eq!(lc(&f, b.span), (5, 5));
    assert_eq!(text(&f, b.span), "\"Bucket\"");
    let name = b.body.get("BucketName").expect("name");
    assert_eq!(name.as_str(), Some("b-dev"));
    assert_eq!(lc(&f, name.span), (8, 23));
    assert_eq!(
        b.body.get("Size").map(|v| v.kind.clone()),
        Some(Kind::Number(10.0))
    );
    let size = b.body.entry("Size").expect("size");
    assert_eq!(lc(&f, size.key_span), (9, 9));
    assert_eq!(lc(&f, size.value.span), (9, 17));
    assert!(b.body.get("Arn").is_some_and(Value::is_unknown));
    // Same file with a .template extension is sniffed as JSON.
    assert!(load_str("x.template", JSON).is_some());
}

#[test]
fn non_templates_are_ignored() {
    assert!(load_str("ci.yml", "jobs:\n  build:\n    runs-on: ubuntu\n").is_none());
    assert!(load_str("package.json", r#"{"name": "x", "version": "1.0.0"}"#).is_none());
    assert!(load_str("k8s.yaml", "apiVersion: v1\nkind: Pod\n").is_none());
    assert!(load_str("empty.yaml", "").is_none());
    assert!(load_str("list.yaml", "- a\n- b\n").is_none());
    assert!(load_str("r.yaml", "Resources:\n  X:\n    Type: Other::Thing\n").is_none());
    assert!(load_str("r.yaml", "Resources:\n  X:\n    Type: Custom::Thing\n").is_some());
    // Broken but clearly not CloudFormation: silent.
    assert!(load_str("broken.yaml", "a: [1, 2\nb: c\n").is_none());
    assert!(load_str("broken.json", "{\"a\": ").is_none());
}

#[test]
fn malformed_templates_report_errors() {
    let y = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::X::Y\n   bad: [\n";
    let f = src("t.yaml", y);
    let out = load(&f, &CfnOptions::default()).expect("template");
    assert!(out.resources.is_empty());
    let d = &out.diagnostics[0];
    assert!(d.message.starts_with("invalid YAML: "), "{}", d.message);
    assert_eq!(d.span.map(|s| f.line_col(s.start).line), Some(5));

    let j = "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::X::Y\"";
    let f = src("t.json", j);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let d = &out.diagnostics[0];
    assert!(d.message.starts_with("invalid JSON: "), "{}", d.message);
    assert_eq!(d.span.map(|s| f.line_col(s.start).line), Some(4));

    // Strict JSON: trailing commas and comments are errors.
    let f = src("t.json", "{\"AWSTemplateFormatVersion\": \"x\",\n}");
    let out = load(&f, &CfnOptions::default()).expect("template");
    assert_eq!(out.diagnostics[0].span.map(|s| lc(&f, s)), Some((1, 33)));

    // A `.template` name is enough.
    assert!(load_str("x.template", "a: [").is_some());
}

#[test]
fn resources_without_type_are_skipped() {
    let t = "AWSTemplateFormatVersion: x\nResources:\n  A: 3\n  B:\n    Properties: {}\n  C:\n    Type: AWS::X::Y\n";
    let f = src("t.yaml", t);
    let out = load(&f, &CfnOptions::default()).expect("template");
    assert_eq!(out.resources.len(), 1);
    let errs: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.message.clone(), d.span.map(|s| lc(&f, s))))
        .collect();
    assert_eq!(
        errs,
        [
            ("resource `A` must be a map".to_string(), Some((3, 6))),
            (
                "resource `B` needs a string `Type`".to_string(),
                Some((4, 3))
            ),
        ]
    );
    let c = resource(&out, "C");
    assert_eq!(c.body.as_map().map(<[_]>::len), Some(0));
    assert_eq!(c.body.span, c.span);
    // Only the version: a template with nothing in it.
    let out = load_str("t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n").expect("template");
    assert!(out.resources.is_empty() && out.diagnostics.is_empty());
}

#[test]
fn duplicate_keys() {
    let y = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::X::Y\n  A:\n    Type: AWS::Z::Z\n";
    let f = src("t.yaml", y);
    let out = load(&f, &CfnOptions::default()).expect("template");
    assert_eq!(out.resources.len(), 1);
    assert_eq!(out.resources[0].rtype, "AWS::X::Y");
    let d = &out.diagnostics[0];
    assert_eq!(d.message, "duplicate key `A` (first at line 3)");
    assert_eq!(d.span.map(|s| lc(&f, s)), Some((5, 3)));

    let j = "{\"AWSTemplateFormatVersion\": \"x\",\n \"AWSTemplateFormatVersion\": \"y\"}";
    let f = src("t.json", j);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let d = &out.diagnostics[0];
    assert_eq!(
        d.message,
        "duplicate key `AWSTemplateFormatVersion` (first at line 1)"
    );
    assert_eq!(d.span.map(|s| lc(&f, s)), Some((2, 2)));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    in_small_stack(|| {
        for name in ["t.yaml", "t.json"] {
            let text = format!(
                "{{\"AWSTemplateFormatVersion\": \"x\", \"a\": {}{}}}",
                "[".repeat(10_000),
                "]".repeat(10_000)
            );
            let out = load_str(name, &text).expect("template");
            assert!(!out.diagnostics.is_empty(), "{name}");
        }
        // Block YAML nested 200 levels: parsed, the part deeper than 128 cut with an error.
        let mut y = String::from(
            "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::X::Y\n    Properties:\n",
        );
        for i in 0..200 {
            y.push_str(&" ".repeat(6 + 2 * i));
            y.push_str(&format!("k{i}:\n"));
        }
        let out = load_str("t.yaml", &y).expect("template");
        assert_eq!(out.resources.len(), 1);
        assert!(errors(&out)
            .iter()
            .any(|e| e.contains("nesting deeper than 128")));
        // JSON at 255 levels (just below the pre-scan cap): same.
        let j = format!(
            "{{\"AWSTemplateFormatVersion\": \"x\", \"a\": {}1{}}}",
            "[".repeat(255),
            "]".repeat(255)
        );
        let out = load_str("t.json", &j).expect("template");
        assert!(errors(&out)
            .iter()
            .any(|e| e.contains("nesting deeper than 128")));
        // Resolution near the depth limit: 24 × 5 nested containers fit a 2 MiB stack.
        let mut expr = String::from("x");
        for _ in 0..24 {
            expr = format!("{{\"Fn::Join\": [\"\", [{{\"Fn::If\": [\"C\", {expr}, \"y\"]}}]]}}");
        }
        let t = format!(
            "{{\"Conditions\": {{\"C\": {{\"Fn::Equals\": [1, 1]}}}}, \"Resources\": {{\"A\": {{\"Type\": \"AWS::X::Y\", \"Properties\": {{\"P\": {}}}}}}}}}",
            expr.replace("x", "\"x\"")
        );
        let out = load_str("t.json", &t).expect("template");
        assert!(errors(&out).is_empty(), "{:?}", errors(&out));
        assert_eq!(
            out.resources[0].body.get("P").and_then(Value::as_str),
            Some("x")
        );
    });
}

#[test]
fn alias_bomb_fails_fast() {
    let bomb = "\
AWSTemplateFormatVersion: x
a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
";
    let start = Instant::now();
    let out = load_str("t.yaml", bomb).expect("template");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(errors(&out)
        .iter()
        .any(|e| e.contains("alias expansion too large")));
    // Ordinary aliases resolve.
    let ok = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::X::Y\n    Properties: &p {K: v}\n  B:\n    Type: AWS::X::Y\n    Properties: *p\n";
    let out = load_str("t.yaml", ok).expect("template");
    assert_eq!(
        resource(&out, "B").body.get("K").and_then(Value::as_str),
        Some("v")
    );
}

#[test]
fn garbage_never_panics() {
    let inputs = [
        "\0\0\0",
        "AWSTemplateFormatVersion: \0",
        "{\"AWSTemplateFormatVersion\": \"\0\"}",
        "AWSTemplateFormatVersion: x\n\t- bad",
        "\u{feff}AWSTemplateFormatVersion: x\nResources: 3\n",
        "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::X::Y\n    Properties: !Ref\n",
        "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::X::Y\n    Properties:\n      P: !Sub [1, 2, 3]\n      Q: !Select [9, [a]]\n      R: !FindInMap [M]\n      S: !If [Nope, a, b]\n      T: !Join [1]\n      U: !Split\n      V: {Ref: [1]}\n",
        "? [a, b]\n: c\nAWSTemplateFormatVersion: x\n",
        "--- !Ref\n...\n",
        "AWSTemplateFormatVersion: x\n---\nb: [\n",
    ];
    for (i, t) in inputs.iter().enumerate() {
        for ext in ["yaml", "json", "template"] {
            let _ = load_str(&format!("g{i}.{ext}"), t);
        }
    }
    let out = load_str("t.yaml", inputs[6]).expect("template");
    assert!(errors(&out).len() >= 6, "{:?}", errors(&out));
}

#[test]
fn non_ascii_positions() {
    let t = "Description: \"é ü 日本\"\nAWSTemplateFormatVersion: x\nResources:\n  Ä:\n    Type: AWS::X::Y # ç\n    Properties: {N: !Sub 'ß-${AWS::Partition}'}\n";
    let f = src("t.yaml", t);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let r = &out.resources[0];
    assert_eq!(text(&f, r.span), "Ä");
    assert_eq!(lc(&f, r.span), (4, 3));
    let n = r.body.get("N").expect("N");
    assert_eq!(n.as_str(), Some("ß-aws"));
    assert_eq!(text(&f, n.span), "!Sub 'ß-${AWS::Partition}'");
}

/// Loads every template-like file of the shared corpus. `cargo test --release corpus -- --ignored --nocapture`
#[test]
#[ignore]
fn corpus() {
    let root = std::path::Path::new("../shared/corpus");
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| matches!(x, "yaml" | "yml" | "json" | "template"))
            {
                files.push(p);
            }
        }
    }
    files.sort();
    let start = Instant::now();
    let (mut templates, mut with_errors, mut resources, mut unreadable) = (0, 0, 0, 0);
    let mut stats = crate::resource::EvalStats::default();
    let mut examples = Vec::new();
    let mut skipped_with_types = Vec::new();
    let mut notes = 0;
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            unreadable += 1;
            continue;
        };
        let display = p.strip_prefix(root).unwrap_or(p).display().to_string();
        let f = SourceFile::new(FileId(0), p.clone(), display.clone(), Arc::from(text));
        let Some(out) = load(&f, &CfnOptions::default()) else {
            if f.text.contains("AWS::")
                && !display.contains("/hooks/")
                && skipped_with_types.len() < 15
            {
                skipped_with_types.push(display);
            }
            continue;
        };
        notes += out
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .count();
        templates += 1;
        resources += out.resources.len();
        stats.add(out.stats);
        let errs: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !errs.is_empty() {
            with_errors += 1;
            for d in errs.iter().take(3) {
                let at = d
                    .span
                    .map(|s| f.line_col(s.start))
                    .map(|p| format!("{}:{}", p.line, p.column))
                    .unwrap_or_default();
                examples.push(format!("{display}:{at}: {}", d.message));
            }
        }
    }
    println!(
        "files {} unreadable {unreadable} templates {templates} with_errors {with_errors} resources {resources} exprs {} unknown {} in {:?}",
        files.len(),
        stats.expressions,
        stats.unknown,
        start.elapsed()
    );
    println!("notes {notes}; skipped files mentioning AWS:: (first 15): {skipped_with_types:#?}");
    for e in &examples {
        println!("  {e}");
    }
}

#[test]
fn deepest_resolution_fits_small_stack() {
    in_small_stack(|| {
        // 63 × (list + list) frames plus a synthetic map per level: the deepest tree the YAML
        // builder accepts, and the resolver walks all of it.
        let mut expr = String::from("x");
        for _ in 0..62 {
            expr = format!("!Join ['', [{expr}]]");
        }
        let t =
            format!("Resources:\n  A:\n    Type: AWS::X::Y\n    Properties:\n      P: {expr}\n");
        let out = load_str("t.yaml", &t).expect("template");
        assert!(errors(&out).is_empty(), "{:?}", errors(&out));
        assert_eq!(
            out.resources[0].body.get("P").and_then(Value::as_str),
            Some("x")
        );
        // Conditions: 120 nested `!Not`, each a synthetic map around a list.
        let mut cond = String::from("!Equals [a, a]");
        for _ in 0..120 {
            cond = format!("!Not [{cond}]");
        }
        let t = format!("Conditions:\n  C: {cond}\nResources:\n  A:\n    Type: AWS::X::Y\n    Properties:\n      P: !If [C, y, n]\n");
        let out = load_str("t.yaml", &t).expect("template");
        assert!(errors(&out).is_empty(), "{:?}", errors(&out));
        assert_eq!(
            out.resources[0].body.get("P").and_then(Value::as_str),
            Some("y")
        );
    });
}

#[test]
fn shallow_continuation_lines_are_read_leniently() {
    let t = "\
AWSTemplateFormatVersion: x
Parameters:
  P:
    Type: String
    Description: \"first line,
    second line\"
    Default: 'a
    b'
Resources:
  K:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {
        \"Statement\": [
          {
            \"Effect\": \"Allow\"
          }
        ]
      }
      After: !Ref P
";
    let f = src("t.yaml", t);
    let out = load(&f, &CfnOptions::default()).expect("template");
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].severity, Severity::Note);
    let p = out.scopes[0].input("P").expect("P");
    assert_eq!(
        p.decl.get("Description").and_then(Value::as_str),
        Some("first line, second line")
    );
    let k = resource(&out, "K");
    let after = k.body.get("After").expect("After");
    assert_eq!(after.as_str(), Some("a b"));
    assert_eq!(lc(&f, after.span), (20, 14));
    assert_eq!(text(&f, after.span), "!Ref P");
    let effect = k
        .body
        .path(&["KeyPolicy", "Statement"])
        .and_then(Value::as_list)
        .and_then(|l| l.first())
        .and_then(|s| s.entry("Effect"))
        .expect("Effect");
    assert_eq!(lc(&f, effect.key_span), (16, 13));
    assert_eq!(text(&f, effect.value.span), "\"Allow\"");
    let kp = k.body.entry("KeyPolicy").expect("kp");
    assert_eq!(text(&f, kp.value.span).chars().last(), Some('}'));
    // Really broken YAML stays an error.
    let bad = "AWSTemplateFormatVersion: x\nResources:\n  A:\n    Type: AWS::X::Y\n   bad: [\n";
    assert!(load_str("t.yaml", bad).is_some_and(|o| !errors(&o).is_empty()));
}

#[test]
fn byte_order_mark_keeps_positions() {
    for name in ["t.yaml", "t.json"] {
        let t = if name.ends_with("json") {
            "\u{feff}{\"AWSTemplateFormatVersion\": \"x\",\n \"Resources\": {\"Ä\": {\"Type\": \"AWS::X::Y\"}}}"
        } else {
            "\u{feff}AWSTemplateFormatVersion: x\nResources:\n  Ä:\n    Type: AWS::X::Y\n"
        };
        let f = src(name, t);
        let out = load(&f, &CfnOptions::default()).expect("template");
        assert!(out.diagnostics.is_empty(), "{name}: {:?}", out.diagnostics);
        let r = &out.resources[0];
        assert!(
            text(&f, r.span).contains('Ä'),
            "{name}: {:?}",
            text(&f, r.span)
        );
    }
}

#[test]
fn crlf_line_endings() {
    let t = "AWSTemplateFormatVersion: x\r\nResources:\r\n  Bé:\r\n    Type: AWS::X::Y\r\n    Properties:\r\n      P: !Sub \"a-${AWS::Partition}\"\r\n";
    let f = src("t.yaml", t);
    let out = load(&f, &CfnOptions::default()).expect("template");
    let r = &out.resources[0];
    assert_eq!(text(&f, r.span), "Bé");
    let p = r.body.get("P").expect("P");
    assert_eq!(lc(&f, p.span), (6, 10));
    assert_eq!(text(&f, p.span), "!Sub \"a-${AWS::Partition}\"");
}

#[test]
fn parameters_files_in_both_formats() {
    let list = parse_parameters(
        r#"[{"ParameterKey": "A", "ParameterValue": "x"}, {"ParameterKey": "N", "ParameterValue": 3},
            {"ParameterKey": "Keep", "UsePreviousValue": true}]"#,
    )
    .expect("list");
    assert_eq!(list.get("A").map(String::as_str), Some("x"));
    assert_eq!(list.get("N").map(String::as_str), Some("3"));
    assert!(!list.contains_key("Keep"));
    let obj = parse_parameters(r#"{"Parameters": {"A": "y", "L": ["a", "b"]}}"#).expect("object");
    assert_eq!(obj.get("L").map(String::as_str), Some("a,b"));
    assert!(parse_parameters("[{\"ParameterValue\": \"x\"}]").is_err());
    assert!(parse_parameters("{\"Tags\": {}}").is_err());
    assert!(parse_parameters("not json").is_err());
}

#[test]
fn undecided_if_keeps_alternatives_merged_and_pruned() {
    let f = src(
        "t.yaml",
        "Parameters:\n  P:\n    Type: String\n  Q:\n    Type: String\nConditions:\n  A: !Equals [!Ref P, x]\n  B: !Equals [!Ref Q, x]\nResources:\n  F:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: !If [A, !If [A, true, false], !If [B, false, !Ref AWS::NoValue]]\n",
    );
    let out = load(&f, &CfnOptions::default()).expect("template");
    let v = resource(&out, "F")
        .body
        .get("Encrypted")
        .expect("Encrypted");
    let alts = v.alternatives().expect("alternatives");
    // `If A` inside `If A` true: only `true`; the else side: `false` and NoValue.
    assert_eq!(alts.len(), 3, "{alts:#?}");
    assert_eq!(alts[0].value.as_ref().and_then(Value::as_bool), Some(true));
    assert_eq!(alts[0].describe(), "when `A` is true");
    assert_eq!(alts[1].describe(), "when `A` is false and `B` is true");
    assert!(alts[2].value.is_none());
}

#[test]
fn resource_condition_known_false_removes_the_resource() {
    let out = load_str(
        "t.yaml",
        "Parameters:\n  Env:\n    Type: String\n    Default: dev\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n    Properties:\n      BucketName: !Ref Nope\n  B:\n    Type: AWS::S3::Bucket\n",
    )
    .expect("template");
    assert_eq!(out.resources.len(), 1);
    assert_eq!(errors(&out), vec!["Ref to undefined `Nope`".to_string()]);
}

#[test]
fn sam_function_becomes_function_and_role() {
    let out = load_str(
        "t.yaml",
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.12\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      InlineCode: x\n      Policies:\n        - S3ReadPolicy:\n            BucketName: b\n",
    )
    .expect("template");
    let f = resource(&out, "Fn");
    assert_eq!(f.rtype, "AWS::Lambda::Function");
    assert_eq!(
        f.body.get("Runtime").and_then(Value::as_str),
        Some("python3.12")
    );
    let role = resource(&out, "FnRole");
    assert_eq!(role.rtype, "AWS::IAM::Role");
    let doc = role
        .body
        .path(&["Policies"])
        .and_then(Value::as_list)
        .and_then(|l| l.first())
        .expect("inline policy");
    assert_eq!(
        doc.get("PolicyName").and_then(Value::as_str),
        Some("FnRolePolicy0")
    );
    let resource0 = doc
        .path(&["PolicyDocument", "Statement"])
        .and_then(Value::as_list)
        .and_then(|s| s.first())
        .and_then(|s| s.get("Resource"))
        .and_then(Value::as_list)
        .and_then(|r| r.first())
        .and_then(Value::as_str);
    assert_eq!(resource0, Some("arn:aws:s3:::b"));
}
