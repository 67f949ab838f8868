//! ftrlint: checks Terraform and CloudFormation against the AWS Foundational Technical Review.
//!
//! Pipeline: discover → load (per format) → evaluate → adapt (per service) → graph → rules →
//! report. Data flows one way: parsers never import rules, rules never import parsers, report
//! formats never know a rule.

// Public: what the command line (`main.rs`) and the integration tests use.
pub mod baseline;
pub mod config_file;
pub mod diagram;
pub mod docs;
pub mod guard;
pub mod readiness;
pub mod report;
pub mod resource;
pub mod rules;
pub mod scan;
pub mod severity;

// Internal stages of the pipeline.
mod adapt;
mod cloudformation;
mod discover;
mod graph;
mod iam;
mod input;
mod json_value;
mod mask;
mod model;
mod paths;
mod secrets;
mod source;
mod terraform;
mod value;

#[doc(hidden)]
pub mod benchmarking;
#[doc(hidden)]
pub mod fuzzing;

pub use cloudformation::read_parameters_file;
pub use input::check_input_file;
pub use scan::{scan, Config, Report};
pub use terraform::{CliSource, VarFile};
