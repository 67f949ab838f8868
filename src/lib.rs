//! ftrlint: checks Terraform and CloudFormation against the AWS Foundational Technical Review.
//!
//! Pipeline: discover → load (per format) → evaluate → adapt (per service) → graph → rules →
//! report. Data flows one way: parsers never import rules, rules never import parsers, report
//! formats never know a rule.

pub mod cloudformation;
pub mod resource;
pub mod source;
pub mod terraform;
pub mod value;
