//! `cong` builds the portal network of Tiền Giang province — a main e-portal and 33 component
//! portals, with news, pages, documents and a catalogue of administrative procedures — as a
//! static site.
//!
//! Data flows one way: [`content`] reads the content folder into a [`model::Network`],
//! [`render`] turns it into pages, and [`output`] publishes them atomically; [`build`] runs
//! that pipeline. [`diagnostics`] words the problems found on the way, [`vietnamese`] holds the
//! language's rules, [`cli`] is the command line, and [`synth`] writes synthetic networks for
//! benchmarks. The editor's tools: [`lint`] (`cong check`), [`scaffold`] (`cong new`) and
//! [`owners`] (`cong owners`, `cong check --as`).
#![warn(missing_docs)]

pub mod build;
pub mod cli;
pub mod content;
pub mod diagnostics;
pub mod lint;
pub mod live;
pub mod model;
pub mod output;
pub mod owners;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod synth;
pub mod vietnamese;
mod yaml;
