//! ftrlint: checks Terraform and CloudFormation against the AWS Foundational Technical Review.
//!
//! Pipeline: discover → load (per format) → evaluate → adapt (per service) → graph → rules →
//! report. Data flows one way: parsers never import rules, rules never import parsers, report
//! formats never know a rule.

pub mod adapt;
pub mod cloudformation;
pub mod discover;
pub mod docs;
pub mod graph;
pub mod iam;
pub mod json_value;
pub mod model;
pub mod paths;
pub mod report;
pub mod resource;
pub mod rules;
pub mod scan;
pub mod severity;
pub mod source;
pub mod terraform;
pub mod value;

pub use scan::{scan, Config, Report};
