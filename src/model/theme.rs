//! A theme held in memory: its Tera templates and static files, and each portal's overrides.
//! `content::themes` reads them from disk; `render` compiles and uses them.

use std::collections::BTreeMap;

/// A theme's files, or one portal's overrides of them.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, String>,
    /// File name (path under `static/`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Every theme the network uses, and every portal's overrides.
#[derive(Debug, Clone, Default)]
pub struct Themes {
    /// Theme name → theme.
    pub themes: BTreeMap<String, Theme>,
    /// Overrides by portal index; `None` for a portal without a `theme/` folder.
    pub overrides: Vec<Option<Theme>>,
}
