//! Benchmarks of each pipeline stage on generated inputs (`cargo bench`): parsers (HCL,
//! CloudFormation YAML and JSON), Terraform evaluation, CloudFormation resolution, the model
//! with its resource graph, and every rule. Inputs are generated here, at two sizes, so that
//! growth is visible: `n` groups of a bucket with its policy and encryption, a role with an
//! inline policy, a security group and a KMS key.
//! Whole-scan and peer comparisons are in `bench/compare.sh` and `BENCHMARKS.md`.

use ftrlint::benchmarking as b;

fn main() {
    divan::main();
}

const SIZES: [usize; 2] = [20, 200];

/// A Terraform configuration: variables, locals, `for_each`, references, `jsonencode`.
fn terraform(n: usize) -> String {
    let mut s = String::from(
        r#"variable "env" {
  type    = string
  default = "prod"
}

locals {
  tags = { env = var.env, team = "platform" }
  ports = [443, 8443]
}
"#,
    );
    for i in 0..n {
        s.push_str(&format!(
            r#"
resource "aws_kms_key" "k{i}" {{
  description         = "key {i}"
  enable_key_rotation = {rotate}
  tags                = local.tags
}}

resource "aws_s3_bucket" "b{i}" {{
  bucket = "${{var.env}}-bucket-{i}"
  tags   = merge(local.tags, {{ name = "b{i}" }})
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k{i}.arn
    }}
  }}
}}

resource "aws_s3_bucket_policy" "b{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.b{i}.arn, "${{aws_s3_bucket.b{i}.arn}}/*"]
      Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }}
    }}]
  }})
}}

resource "aws_iam_role" "r{i}" {{
  name = "role-{i}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "lambda.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
  inline_policy {{
    name = "p"
    policy = jsonencode({{
      Version   = "2012-10-17"
      Statement = [{{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "${{aws_s3_bucket.b{i}.arn}}/*" }}]
    }})
  }}
}}

resource "aws_security_group" "g{i}" {{
  name = "sg-{i}"
  dynamic "ingress" {{
    for_each = local.ports
    content {{
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["{cidr}"]
    }}
  }}
}}
"#,
            rotate = i % 2 == 0,
            cidr = if i % 3 == 0 { "0.0.0.0/0" } else { "10.0.0.0/8" },
        ));
    }
    s
}

/// A CloudFormation template in YAML: parameters, conditions, short-form intrinsics.
fn cfn_yaml(n: usize) -> String {
    let mut s = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env:\n    Type: String\n    Default: prod\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            r#"  Key{i}:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: {rotate}
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {{ AWS: !Sub 'arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:root' }}
            Action: 'kms:*'
            Resource: '*'
  Bucket{i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${{Env}}-bucket-{i}'
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key{i}.Arn
      VersioningConfiguration:
        Status: !If [IsProd, Enabled, Suspended]
  Policy{i}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket{i}
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: [!GetAtt Bucket{i}.Arn, !Sub '${{Bucket{i}.Arn}}/*']
            Condition: {{ Bool: {{ 'aws:SecureTransport': 'false' }} }}
  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{ Service: lambda.amazonaws.com }}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource: !Sub '${{Bucket{i}.Arn}}/*'
  Group{i}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: group {i}
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: {cidr}
"#,
            rotate = i % 2 == 0,
            cidr = if i % 3 == 0 {
                "0.0.0.0/0"
            } else {
                "10.0.0.0/8"
            },
        ));
    }
    s
}

/// The same kind of template in JSON (long-form intrinsics), pretty-printed.
fn cfn_json(n: usize) -> String {
    let mut resources = serde_json::Map::new();
    for i in 0..n {
        let arn = serde_json::json!({ "Fn::GetAtt": [format!("Bucket{i}"), "Arn"] });
        resources.insert(
            format!("Bucket{i}"),
            serde_json::json!({
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": { "Fn::Sub": format!("${{Env}}-bucket-{i}") },
                    "BucketEncryption": { "ServerSideEncryptionConfiguration": [
                        { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } } ] }
                }
            }),
        );
        resources.insert(
            format!("Policy{i}"),
            serde_json::json!({
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": { "Ref": format!("Bucket{i}") },
                    "PolicyDocument": { "Statement": [ {
                        "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                        "Resource": [arn, { "Fn::Sub": format!("${{Bucket{i}.Arn}}/*") }],
                        "Condition": { "Bool": { "aws:SecureTransport": "false" } } } ] }
                }
            }),
        );
        resources.insert(
            format!("Group{i}"),
            serde_json::json!({
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "GroupDescription": format!("group {i}"),
                    "SecurityGroupIngress": [ { "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                        "CidrIp": if i % 3 == 0 { "0.0.0.0/0" } else { "10.0.0.0/8" } } ]
                }
            }),
        );
    }
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": { "Env": { "Type": "String", "Default": "prod" } },
        "Resources": resources,
    });
    serde_json::to_string_pretty(&template).unwrap_or_default()
}

#[divan::bench(args = SIZES)]
fn parse_hcl(bencher: divan::Bencher, n: usize) {
    let text = terraform(n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| b::terraform_parse(divan::black_box(&text)));
}

#[divan::bench(args = SIZES)]
fn parse_cfn_yaml(bencher: divan::Bencher, n: usize) {
    let text = cfn_yaml(n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| b::cloudformation_parse(divan::black_box(&text), false));
}

#[divan::bench(args = SIZES)]
fn parse_cfn_json(bencher: divan::Bencher, n: usize) {
    let text = cfn_json(n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| b::cloudformation_parse(divan::black_box(&text), true));
}

/// Line index of a file (every read file pays it).
#[divan::bench(args = SIZES)]
fn line_index(bencher: divan::Bencher, n: usize) {
    let text = cfn_yaml(n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| b::index_lines(divan::black_box(&text)));
}

/// Parse and evaluate a Terraform root module (variables, locals, functions, `dynamic`).
#[divan::bench(args = SIZES)]
fn evaluate_terraform(bencher: divan::Bencher, n: usize) {
    let text = terraform(n);
    bencher.bench(|| b::terraform_load(divan::black_box(&text)).resources());
}

/// Parse and resolve a CloudFormation template (parameters, conditions, intrinsics).
#[divan::bench(args = SIZES)]
fn evaluate_cfn_yaml(bencher: divan::Bencher, n: usize) {
    let text = cfn_yaml(n);
    bencher.bench(|| b::cloudformation_load(divan::black_box(&text), false).resources());
}

/// Service models and the resource graph of a loaded configuration.
#[divan::bench(args = SIZES)]
fn model_and_graph(bencher: divan::Bencher, n: usize) {
    let loaded = b::terraform_load(&terraform(n));
    bencher.bench(|| loaded.model());
}

/// Every rule on the model of a loaded configuration (model included).
#[divan::bench(args = SIZES)]
fn rules_terraform(bencher: divan::Bencher, n: usize) {
    let loaded = b::terraform_load(&terraform(n));
    bencher.bench(|| loaded.rules());
}

#[divan::bench(args = SIZES)]
fn rules_cloudformation(bencher: divan::Bencher, n: usize) {
    let loaded = b::cloudformation_load(&cfn_yaml(n), false);
    bencher.bench(|| loaded.rules());
}
