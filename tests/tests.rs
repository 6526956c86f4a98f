//! Integration tests: whole builds of small fixture networks into temporary folders, one
//! binary for all of them.

mod util;

mod atomic;
mod boundary;
mod default_content;
mod editor;
mod errors;
mod fuzz_regressions;
mod live;
mod pages;
mod relevance;
mod search;
mod security;
mod servers;
