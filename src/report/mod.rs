//! Report formats. A format reads a [`crate::scan::Report`]; it never knows a rule.
pub mod human;
pub mod json;
