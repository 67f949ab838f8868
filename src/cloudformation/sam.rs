//! The SAM transform (`Transform: AWS::Serverless-2016-10-31`), as far as checks need it.
//!
//! `AWS::Serverless::*` resources are rewritten into the resources SAM creates, before
//! intrinsics are resolved, so the rules see ordinary `AWS::IAM::Role`, `AWS::Lambda::Function`,
//! `AWS::DynamoDB::Table`, ... Logical IDs follow SAM (`MyFunctionRole`,
//! `MyFunctionRolePolicy0`, `ServerlessRestApi`). Every generated value keeps the span of the
//! SAM property it comes from (synthesised parts take the SAM resource's logical ID), so
//! findings point into the SAM template. `Globals` are merged first (maps merged, lists
//! appended, scalars overridden by the resource).

use crate::resource::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::value::{Entry, Kind, Value};
use std::collections::HashSet;

pub(crate) const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// Whether the template declares the SAM transform.
pub(crate) fn is_sam(root: &Value) -> bool {
    root.get("Transform").is_some_and(|t| {
        t.one_or_many()
            .iter()
            .any(|v| v.as_str() == Some(SAM_TRANSFORM))
    })
}

/// The `Resources` entries after the transform.
pub(crate) fn expand(
    file: &SourceFile,
    root: &Value,
    resources: &[Entry],
    notes: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let globals = root.get("Globals");
    let mut x = Expander {
        file,
        out: Vec::new(),
        notes,
        taken: resources.iter().map(|e| e.key.to_string()).collect(),
        implicit_rest: None,
        implicit_http: None,
    };
    for e in resources {
        let ty = e.value.get("Type").and_then(Value::as_str).unwrap_or("");
        let Some(kind) = ty.strip_prefix("AWS::Serverless::") else {
            x.out.push(e.clone());
            continue;
        };
        let local = e
            .value
            .get("Properties")
            .filter(|p| p.as_map().is_some())
            .cloned()
            .unwrap_or_else(|| Value::map(Vec::new(), e.key_span));
        let global_key = match kind {
            "Function" | "Api" | "HttpApi" | "SimpleTable" | "LayerVersion" | "StateMachine" => {
                Some(kind)
            }
            _ => None,
        };
        let props = match global_key.and_then(|k| globals.and_then(|g| g.get(k))) {
            Some(g) if g.as_map().is_some() => merge(g, &local),
            _ => local,
        };
        match kind {
            "Function" => x.function(e, &props),
            "StateMachine" => x.state_machine(e, &props),
            "SimpleTable" => x.simple_table(e, &props),
            "Api" => x.api(e, &props),
            "HttpApi" => x.http_api(e, &props),
            "LayerVersion" => {
                let p = copy(
                    &props,
                    &["LayerName", "Description", "LicenseInfo"],
                    e.key_span,
                );
                x.push(e, &e.key, "AWS::Lambda::LayerVersion", p);
            }
            "Application" => x.application(e, &props),
            _ => {
                x.notes.push(Diagnostic::note(
                    file.id,
                    Some(e.key_span),
                    format!(
                        "SAM resource type `{ty}` is not expanded; what it creates is not checked"
                    ),
                ));
                x.out.push(e.clone());
            }
        }
    }
    if let Some(span) = x.implicit_rest {
        x.generated("ServerlessRestApi", "AWS::ApiGateway::RestApi", span);
    }
    if let Some(span) = x.implicit_http {
        x.generated("ServerlessHttpApi", "AWS::ApiGatewayV2::Api", span);
    }
    x.out
}

struct Expander<'a> {
    file: &'a SourceFile,
    out: Vec<Entry>,
    notes: &'a mut Vec<Diagnostic>,
    taken: HashSet<String>,
    implicit_rest: Option<Span>,
    implicit_http: Option<Span>,
}

impl Expander<'_> {
    /// Adds a generated resource; `origin` is the SAM resource (its `Condition`, `DependsOn` and
    /// `Metadata` carry over).
    fn push(&mut self, origin: &Entry, id: &str, ty: &str, props: Value) {
        let span = origin.key_span;
        let mut entries = vec![
            ("Type".to_string(), s(ty, span)),
            ("Properties".to_string(), props),
        ];
        for k in ["Condition", "DependsOn", "Metadata"] {
            if let Some(v) = origin.value.get(k) {
                entries.push((k.to_string(), v.clone()));
            }
        }
        self.taken.insert(id.to_string());
        self.out.push(Entry {
            key: id.into(),
            key_span: span,
            value: map_owned(entries, span),
        });
    }

    fn generated(&mut self, id: &str, ty: &str, span: Span) {
        if self.taken.contains(id) {
            return;
        }
        let e = Entry {
            key: id.into(),
            key_span: span,
            value: Value::map(Vec::new(), span),
        };
        self.push(&e, id, ty, Value::map(Vec::new(), span));
    }

    fn function(&mut self, e: &Entry, p: &Value) {
        let span = e.key_span;
        let id = &e.key;
        let mut props = copy(
            p,
            &[
                "Handler",
                "Runtime",
                "MemorySize",
                "Timeout",
                "Environment",
                "VpcConfig",
                "KmsKeyArn",
                "Layers",
                "Description",
                "FunctionName",
                "ReservedConcurrentExecutions",
                "Architectures",
                "EphemeralStorage",
                "ImageConfig",
                "PackageType",
                "FileSystemConfigs",
                "CodeSigningConfigArn",
                "LoggingConfig",
                "SnapStart",
                "RuntimeManagementConfig",
            ],
            span,
        );
        let code = if let Some(c) = p.entry("InlineCode") {
            Some(map(vec![("ZipFile", c.value.clone())], c.key_span))
        } else if let Some(c) = p.entry("ImageUri") {
            Some(map(vec![("ImageUri", c.value.clone())], c.key_span))
        } else {
            p.entry("CodeUri").map(|c| match c.value.as_map() {
                Some(_) => c.value.clone(),
                None => map(vec![("S3Key", c.value.clone())], c.key_span),
            })
        };
        if let Some(code) = code {
            add(&mut props, "Code", code, span);
        }
        if let Some(t) = p.entry("Tracing") {
            add(
                &mut props,
                "TracingConfig",
                map(vec![("Mode", t.value.clone())], t.key_span),
                t.key_span,
            );
        }
        if let Some(d) = p.get("DeadLetterQueue").and_then(|d| d.entry("TargetArn")) {
            add(
                &mut props,
                "DeadLetterConfig",
                map(vec![("TargetArn", d.value.clone())], d.key_span),
                d.key_span,
            );
        }
        match p.entry("Role") {
            Some(r) => add(&mut props, "Role", r.value.clone(), r.key_span),
            None => {
                let role = format!("{id}Role");
                add(&mut props, "Role", get_att(&role, "Arn", span), span);
                let mut managed = vec![sub(
                    "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    span,
                )];
                if let Some(v) = p.entry("VpcConfig") {
                    managed.push(sub(
                        "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                        v.key_span,
                    ));
                }
                if let Some(t) = p.entry("Tracing") {
                    if t.value.as_str() == Some("Active") {
                        managed.push(sub(
                            "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess",
                            t.key_span,
                        ));
                    }
                }
                self.role(e, p, &role, "lambda.amazonaws.com", managed);
            }
        }
        self.push(e, id, "AWS::Lambda::Function", props);
        // Api / HttpApi events without an API of their own use the implicit one.
        if let Some(events) = p.get("Events").and_then(Value::as_map) {
            for ev in events {
                let ty = ev.value.get("Type").and_then(Value::as_str);
                let own = |k: &str| ev.value.get("Properties").and_then(|p| p.get(k)).is_some();
                match ty {
                    Some("Api") if !own("RestApiId") => {
                        self.implicit_rest.get_or_insert(ev.key_span);
                    }
                    Some("HttpApi") if !own("ApiId") => {
                        self.implicit_http.get_or_insert(ev.key_span);
                    }
                    _ => {}
                }
            }
        }
    }

    fn state_machine(&mut self, e: &Entry, p: &Value) {
        let span = e.key_span;
        let id = &e.key;
        let mut props = copy(p, &["Definition", "DefinitionSubstitutions"], span);
        for (from, to) in [
            ("Name", "StateMachineName"),
            ("Type", "StateMachineType"),
            ("Logging", "LoggingConfiguration"),
            ("Tracing", "TracingConfiguration"),
            ("DefinitionUri", "DefinitionS3Location"),
        ] {
            if let Some(v) = p.entry(from) {
                add(&mut props, to, v.value.clone(), v.key_span);
            }
        }
        match p.entry("Role") {
            Some(r) => add(&mut props, "RoleArn", r.value.clone(), r.key_span),
            None => {
                let role = format!("{id}Role");
                add(&mut props, "RoleArn", get_att(&role, "Arn", span), span);
                self.role(e, p, &role, "states.amazonaws.com", Vec::new());
            }
        }
        self.push(e, id, "AWS::StepFunctions::StateMachine", props);
    }

    /// The implicit execution role with the resource's `Policies`.
    fn role(&mut self, e: &Entry, p: &Value, role: &str, service: &str, mut managed: Vec<Value>) {
        let span = e.key_span;
        let trust = match p.get("AssumeRolePolicyDocument") {
            Some(d) => d.clone(),
            None => map(
                vec![
                    ("Version", s("2012-10-17", span)),
                    (
                        "Statement",
                        list(
                            vec![map(
                                vec![
                                    ("Effect", s("Allow", span)),
                                    ("Action", list(vec![s("sts:AssumeRole", span)], span)),
                                    (
                                        "Principal",
                                        map(
                                            vec![("Service", list(vec![s(service, span)], span))],
                                            span,
                                        ),
                                    ),
                                ],
                                span,
                            )],
                            span,
                        ),
                    ),
                ],
                span,
            ),
        };
        let mut inline = Vec::new();
        if let Some(policies) = p.entry("Policies") {
            for (i, item) in policies.value.one_or_many().into_iter().enumerate() {
                let name = s(&format!("{role}Policy{i}"), item.span);
                match self.policy_item(item) {
                    PolicyItem::Managed(v) => managed.push(v),
                    PolicyItem::Document(doc) => inline.push(map(
                        vec![("PolicyName", name), ("PolicyDocument", doc)],
                        item.span,
                    )),
                    PolicyItem::Skip => {}
                }
            }
        }
        let mut props = map(vec![("AssumeRolePolicyDocument", trust)], span);
        add(&mut props, "ManagedPolicyArns", list(managed, span), span);
        if !inline.is_empty() {
            let at = p.entry("Policies").map_or(span, |e| e.key_span);
            add(&mut props, "Policies", list(inline, at), at);
        }
        if let Some(b) = p.entry("PermissionsBoundary") {
            add(
                &mut props,
                "PermissionsBoundary",
                b.value.clone(),
                b.key_span,
            );
        }
        if let Some(r) = p.entry("RolePath") {
            add(&mut props, "Path", r.value.clone(), r.key_span);
        }
        self.push(e, role, "AWS::IAM::Role", props);
    }

    fn policy_item(&mut self, item: &Value) -> PolicyItem {
        match &item.kind {
            Kind::String(name) => PolicyItem::Managed(if name.starts_with("arn:") {
                item.clone()
            } else {
                sub(
                    &format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}"),
                    item.span,
                )
            }),
            Kind::Map(entries) => {
                if item.get("Statement").is_some() {
                    return PolicyItem::Document(item.clone());
                }
                match &entries[..] {
                    [only] if only.key == "Ref" || only.key.starts_with("Fn::") => {
                        PolicyItem::Managed(item.clone())
                    }
                    [only] => match policy_template(&only.key, &only.value, only.key_span) {
                        Some(doc) => PolicyItem::Document(doc),
                        None => {
                            self.notes.push(Diagnostic::note(
                                self.file.id,
                                Some(only.key_span),
                                format!(
                                    "SAM policy template `{}` is not known to ftrlint; its statements are not checked",
                                    only.key
                                ),
                            ));
                            PolicyItem::Skip
                        }
                    },
                    _ => PolicyItem::Skip,
                }
            }
            _ => PolicyItem::Skip,
        }
    }

    fn simple_table(&mut self, e: &Entry, p: &Value) {
        let span = e.key_span;
        let mut props = copy(p, &["TableName", "SSESpecification", "Tags"], span);
        let (name, ty) = match p.get("PrimaryKey") {
            Some(k) => (
                k.get("Name").cloned().unwrap_or_else(|| s("id", span)),
                k.get("Type").cloned().unwrap_or_else(|| s("String", span)),
            ),
            None => (s("id", span), s("String", span)),
        };
        let short = match ty.as_str() {
            Some("Number") => s("N", ty.span),
            Some("Binary") => s("B", ty.span),
            _ => s("S", ty.span),
        };
        add(
            &mut props,
            "KeySchema",
            list(
                vec![map(
                    vec![
                        ("AttributeName", name.clone()),
                        ("KeyType", s("HASH", span)),
                    ],
                    span,
                )],
                span,
            ),
            span,
        );
        add(
            &mut props,
            "AttributeDefinitions",
            list(
                vec![map(
                    vec![("AttributeName", name), ("AttributeType", short)],
                    span,
                )],
                span,
            ),
            span,
        );
        match p.entry("ProvisionedThroughput") {
            Some(t) => add(
                &mut props,
                "ProvisionedThroughput",
                t.value.clone(),
                t.key_span,
            ),
            None => add(&mut props, "BillingMode", s("PAY_PER_REQUEST", span), span),
        }
        self.push(e, &e.key, "AWS::DynamoDB::Table", props);
    }

    fn api(&mut self, e: &Entry, p: &Value) {
        let span = e.key_span;
        let mut props = copy(
            p,
            &[
                "Name",
                "Description",
                "EndpointConfiguration",
                "BinaryMediaTypes",
                "MinimumCompressionSize",
                "ApiKeySourceType",
                "DisableExecuteApiEndpoint",
                "Mode",
            ],
            span,
        );
        if let Some(b) = p.entry("DefinitionBody") {
            add(&mut props, "Body", b.value.clone(), b.key_span);
        }
        if let Some(b) = p.entry("DefinitionUri") {
            add(&mut props, "BodyS3Location", b.value.clone(), b.key_span);
        }
        self.push(e, &e.key, "AWS::ApiGateway::RestApi", props);
        let stage_name = p.get("StageName");
        let mut stage = copy(
            p,
            &[
                "StageName",
                "MethodSettings",
                "AccessLogSetting",
                "CacheClusterEnabled",
                "CacheClusterSize",
                "TracingEnabled",
                "Variables",
                "CanarySetting",
            ],
            span,
        );
        add(&mut stage, "RestApiId", reference(&e.key, span), span);
        let suffix = stage_name.and_then(Value::as_str).unwrap_or("Stage");
        let id = format!("{}{}Stage", e.key, alnum(suffix));
        self.push(e, &id, "AWS::ApiGateway::Stage", stage);
    }

    fn http_api(&mut self, e: &Entry, p: &Value) {
        let span = e.key_span;
        let mut props = copy(
            p,
            &[
                "Name",
                "Description",
                "CorsConfiguration",
                "DisableExecuteApiEndpoint",
            ],
            span,
        );
        if let Some(b) = p.entry("DefinitionBody") {
            add(&mut props, "Body", b.value.clone(), b.key_span);
        }
        if let Some(b) = p.entry("DefinitionUri") {
            add(&mut props, "BodyS3Location", b.value.clone(), b.key_span);
        }
        if props.get("Body").is_none() && props.get("BodyS3Location").is_none() {
            add(&mut props, "ProtocolType", s("HTTP", span), span);
        }
        self.push(e, &e.key, "AWS::ApiGatewayV2::Api", props);
        let mut stage = copy(
            p,
            &[
                "StageName",
                "AccessLogSettings",
                "DefaultRouteSettings",
                "RouteSettings",
                "StageVariables",
            ],
            span,
        );
        if stage.get("StageName").is_none() {
            add(&mut stage, "StageName", s("$default", span), span);
        }
        add(&mut stage, "ApiId", reference(&e.key, span), span);
        add(
            &mut stage,
            "AutoDeploy",
            Value::new(Kind::Bool(true), span),
            span,
        );
        let id = format!("{}ApiGatewayDefaultStage", e.key);
        self.push(e, &id, "AWS::ApiGatewayV2::Stage", stage);
    }

    /// `AWS::Serverless::Application` is a nested stack (a local `Location` is scanned).
    fn application(&mut self, e: &Entry, p: &Value) {
        let span = e.key_span;
        let mut props = copy(
            p,
            &["Parameters", "NotificationARNs", "TimeoutInMinutes"],
            span,
        );
        if let Some(l) = p.entry("Location") {
            if l.value.as_map().is_none() {
                add(&mut props, "TemplateURL", l.value.clone(), l.key_span);
            }
        }
        self.push(e, &e.key, "AWS::CloudFormation::Stack", props);
    }
}

enum PolicyItem {
    Managed(Value),
    Document(Value),
    Skip,
}

/// `Globals` merged with a resource's properties: maps merged (recursively), lists appended
/// (globals first), anything else taken from the resource.
fn merge(global: &Value, local: &Value) -> Value {
    match (&global.kind, &local.kind) {
        (Kind::Map(g), Kind::Map(l)) if !is_intrinsic(global) && !is_intrinsic(local) => {
            let mut out: Vec<Entry> = Vec::with_capacity(g.len() + l.len());
            for ge in g {
                match l.iter().find(|le| le.key == ge.key) {
                    Some(le) => out.push(Entry {
                        key: le.key.clone(),
                        key_span: le.key_span,
                        value: merge(&ge.value, &le.value),
                    }),
                    None => out.push(ge.clone()),
                }
            }
            for le in l {
                if !g.iter().any(|ge| ge.key == le.key) {
                    out.push(le.clone());
                }
            }
            Value {
                kind: Kind::Map(out.into()),
                span: local.span,
                origin: local.origin.clone(),
            }
        }
        (Kind::List(g), Kind::List(l)) => Value {
            kind: Kind::List(g.iter().chain(l.iter()).cloned().collect()),
            span: local.span,
            origin: local.origin.clone(),
        },
        _ => local.clone(),
    }
}

fn is_intrinsic(v: &Value) -> bool {
    matches!(v.as_map(), Some([e]) if e.key == "Ref" || e.key.starts_with("Fn::"))
}

/// SAM policy templates: name → parameters and statements (`actions`, resource patterns in
/// `Fn::Sub` syntax over the parameters). The common ones of SAM's `policy_templates.json`.
type Statement = (&'static [&'static str], &'static [&'static str]);

const S3_BUCKET: &[&str] = &[
    "arn:${AWS::Partition}:s3:::${BucketName}",
    "arn:${AWS::Partition}:s3:::${BucketName}/*",
];
const DDB_TABLE: &[&str] = &[
    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}",
    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*",
];
const ANY: &[&str] = &["*"];

fn template_statements(name: &str) -> Option<&'static [Statement]> {
    Some(match name {
        "S3ReadPolicy" => &[(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ],
            S3_BUCKET,
        )],
        "S3WritePolicy" => &[(
            &[
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:PutLifecycleConfiguration",
            ],
            S3_BUCKET,
        )],
        "S3CrudPolicy" => &[(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ],
            S3_BUCKET,
        )],
        "S3FullAccessPolicy" => &[
            (
                &[
                    "s3:GetObject",
                    "s3:GetObjectAcl",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:DeleteObject",
                    "s3:DeleteObjectTagging",
                    "s3:DeleteObjectVersionTagging",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                &["arn:${AWS::Partition}:s3:::${BucketName}/*"],
            ),
            (
                &[
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetLifecycleConfiguration",
                    "s3:PutLifecycleConfiguration",
                ],
                &["arn:${AWS::Partition}:s3:::${BucketName}"],
            ),
        ],
        "DynamoDBCrudPolicy" => &[(
            &[
                "dynamodb:GetItem",
                "dynamodb:DeleteItem",
                "dynamodb:PutItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
                "dynamodb:ConditionCheckItem",
            ],
            DDB_TABLE,
        )],
        "DynamoDBReadPolicy" => &[(
            &[
                "dynamodb:GetItem",
                "dynamodb:Scan",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
            ],
            DDB_TABLE,
        )],
        "DynamoDBWritePolicy" => &[(
            &[
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:BatchWriteItem",
            ],
            DDB_TABLE,
        )],
        "SQSPollerPolicy" => &[(
            &[
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            &["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"],
        )],
        "SQSSendMessagePolicy" => &[(
            &["sqs:SendMessage*"],
            &["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}"],
        )],
        "SNSPublishMessagePolicy" => &[(
            &["sns:Publish"],
            &["arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}"],
        )],
        "LambdaInvokePolicy" => &[(
            &["lambda:InvokeFunction"],
            &["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*"],
        )],
        "KMSDecryptPolicy" => &[(
            &["kms:Decrypt"],
            &["arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}"],
        )],
        "SSMParameterReadPolicy" => &[
            (&["ssm:DescribeParameters"], ANY),
            (
                &[
                    "ssm:GetParameters",
                    "ssm:GetParameter",
                    "ssm:GetParametersByPath",
                ],
                &["arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}"],
            ),
        ],
        "AWSSecretsManagerGetSecretValuePolicy" => {
            &[(&["secretsmanager:GetSecretValue"], &["${SecretArn}"])]
        }
        "StepFunctionsExecutionPolicy" => &[(
            &["states:StartExecution"],
            &["arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}"],
        )],
        "EventBridgePutEventsPolicy" => &[(
            &["events:PutEvents"],
            &["arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}"],
        )],
        "CloudWatchPutMetricPolicy" => &[(&["cloudwatch:PutMetricData"], ANY)],
        "VPCAccessPolicy" => &[(
            &[
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DetachNetworkInterface",
            ],
            ANY,
        )],
        _ => return None,
    })
}

/// A policy template invocation (`S3CrudPolicy: {BucketName: !Ref B}`) as a policy document.
fn policy_template(name: &str, args: &Value, span: Span) -> Option<Value> {
    let statements = template_statements(name)?;
    let vars = match args.as_map() {
        Some(_) => args.clone(),
        None => Value::map(Vec::new(), span),
    };
    let stmts = statements
        .iter()
        .map(|(actions, resources)| {
            let resources = resources
                .iter()
                .map(|r| {
                    if r.contains("${") {
                        map(
                            vec![("Fn::Sub", list(vec![s(r, span), vars.clone()], span))],
                            span,
                        )
                    } else {
                        s(r, span)
                    }
                })
                .collect();
            map(
                vec![
                    ("Effect", s("Allow", span)),
                    (
                        "Action",
                        list(actions.iter().map(|a| s(a, span)).collect(), span),
                    ),
                    ("Resource", list(resources, span)),
                ],
                span,
            )
        })
        .collect();
    Some(map(
        vec![
            ("Version", s("2012-10-17", span)),
            ("Statement", list(stmts, span)),
        ],
        span,
    ))
}

fn s(text: &str, span: Span) -> Value {
    Value::string(text, span)
}

fn list(items: Vec<Value>, span: Span) -> Value {
    Value::list(items, span)
}

fn map(entries: Vec<(&str, Value)>, span: Span) -> Value {
    map_owned(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        span,
    )
}

fn map_owned(entries: Vec<(String, Value)>, span: Span) -> Value {
    Value::new(
        Kind::Map(
            entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key: key.into(),
                    key_span: span,
                    value,
                })
                .collect(),
        ),
        span,
    )
}

fn sub(text: &str, span: Span) -> Value {
    map(vec![("Fn::Sub", s(text, span))], span)
}

fn get_att(res: &str, attr: &str, span: Span) -> Value {
    map(
        vec![("Fn::GetAtt", list(vec![s(res, span), s(attr, span)], span))],
        span,
    )
}

fn reference(res: &str, span: Span) -> Value {
    map(vec![("Ref", s(res, span))], span)
}

/// Adds an entry to a map value (key span as given).
fn add(m: &mut Value, key: &str, value: Value, key_span: Span) {
    if let Kind::Map(entries) = &mut m.kind {
        let mut list = std::mem::take(entries).into_vec();
        list.retain(|e| e.key != key);
        list.push(Entry {
            key: key.into(),
            key_span,
            value,
        });
        *entries = list.into_boxed_slice();
    }
}

/// The listed properties of `p`, with their own spans.
fn copy(p: &Value, keys: &[&str], span: Span) -> Value {
    let entries = p
        .as_map()
        .unwrap_or(&[])
        .iter()
        .filter(|e| keys.contains(&e.key.as_str()))
        .cloned()
        .collect();
    Value::new(Kind::Map(entries), p.as_map().map_or(span, |_| p.span))
}

fn alnum(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}
