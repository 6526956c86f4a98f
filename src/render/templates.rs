//! The Tera engines: one per theme, plus one per portal that overrides templates, all built
//! once per build from the templates `content::themes` read. Also the URL of every static file
//! a portal sees (its own override, else the theme's).

use std::collections::{BTreeMap, HashMap};

use tera::Tera;

use super::RenderError;
use crate::model::Themes;
use crate::model::{routes::STATIC, Network};

/// Escapes text for HTML and XML: `& < > " '`. Tera's default also escapes `/`, which bloats
/// every URL and buys nothing inside quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_html_into(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub fn escape_html_into(out: &mut String, text: &str) {
    let mut start = 0;
    // The five characters are ASCII, so byte positions are char boundaries.
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// The template engines of a build.
pub(crate) struct Engines {
    by_theme: HashMap<String, Tera>,
    by_portal: Vec<Option<Tera>>,
    /// Per portal: static file name → URL.
    pub statics: Vec<BTreeMap<String, String>>,
}

/// A Tera engine over `templates`, escaping with [`escape_html`].
pub fn engine(templates: &BTreeMap<String, String>, label: &str) -> Result<Tera, RenderError> {
    let mut tera = Tera::default();
    // Tera registers `get_env` in every engine and has no way to remove it: put one in its place
    // that reads nothing. `content::themes` already refuses a template that calls it, with its
    // location; this makes sure no call that slipped past reads the machine.
    tera.register_function("get_env", |_: &HashMap<String, tera::Value>| {
        Err(tera::Error::msg(
            "`get_env` is not available: templates cannot read the machine",
        ))
    });
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|source| RenderError::Template {
            what: label.to_owned(),
            source,
        })?;
    Ok(tera)
}

impl Engines {
    /// Compiles every theme and every portal's overrides.
    pub fn build(themes: &Themes, network: &Network) -> Result<Self, RenderError> {
        let by_theme = themes
            .themes
            .iter()
            .map(|(name, theme)| {
                Ok((
                    name.clone(),
                    engine(&theme.templates, &format!("theme `{name}`"))?,
                ))
            })
            .collect::<Result<HashMap<_, _>, RenderError>>()?;
        let mut by_portal = Vec::new();
        let mut statics = Vec::new();
        for (i, portal) in network.portals.iter().enumerate() {
            let theme = &themes.themes[portal.theme()];
            let mut urls: BTreeMap<String, String> = theme
                .statics
                .keys()
                .map(|name| (name.clone(), format!("/{STATIC}/{}/{name}", portal.theme())))
                .collect();
            let overrides = themes.overrides.get(i).and_then(Option::as_ref);
            by_portal.push(match overrides {
                Some(own) if !own.templates.is_empty() => {
                    let mut merged = theme.templates.clone();
                    merged.extend(own.templates.iter().map(|(k, v)| (k.clone(), v.clone())));
                    Some(engine(
                        &merged,
                        &format!("theme overrides of portal `{}`", portal.slug),
                    )?)
                }
                _ => None,
            });
            if let Some(own) = overrides {
                for name in own.statics.keys() {
                    urls.insert(name.clone(), format!("{}/{STATIC}/{name}", portal.prefix));
                }
            }
            statics.push(urls);
        }
        Ok(Engines {
            by_theme,
            by_portal,
            statics,
        })
    }

    /// The engine that renders a portal's pages.
    pub fn for_portal(&self, portal: usize, network: &Network) -> &Tera {
        self.by_portal[portal]
            .as_ref()
            .unwrap_or_else(|| &self.by_theme[network.portals[portal].theme()])
    }
}

#[cfg(test)]
mod tests {
    use super::escape_html as escape;

    #[test]
    fn no_engine_reads_the_environment() {
        let path = std::env::var("PATH").expect("tests run with a PATH");
        let templates = [(
            "a.html".to_owned(),
            "{{ get_env(name=\"PATH\", default=\"\") }}".to_owned(),
        )]
        .into();
        let tera = super::engine(&templates, "test").unwrap();
        let rendered = tera.render("a.html", &tera::Context::new());
        assert!(rendered.is_err(), "{rendered:?}");
        assert!(!format!("{rendered:?}").contains(&path));
    }

    #[test]
    fn escape_covers_markup_and_quotes_but_not_slashes() {
        assert_eq!(
            escape("<a href=\"/x\">'&'</a>"),
            "&lt;a href=&quot;/x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
