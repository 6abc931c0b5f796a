//! Dotted `fields` (`labels.author.email`) -> a GraphQL selection set, and the default fields
//! per workflow version (kili-wire-query.md §4.3).
//!
//! Order is deterministic (first appearance), duplicates are merged, and a head requested both
//! as a leaf and with sub-fields (`labels` + `labels.id`) is refused.

use crate::error::{Error, Result};

/// Default fields of a legacy (V1) project.
pub const DEFAULT_FIELDS_V1: &[&str] = &[
    "content",
    "createdAt",
    "externalId",
    "id",
    "isHoneypot",
    "jsonMetadata",
    "labels.author.id",
    "labels.author.email",
    "labels.createdAt",
    "labels.id",
    "labels.jsonResponse",
    "skipped",
    "status",
];
/// Default fields of a V2 project (and of any unrecognised version).
pub const DEFAULT_FIELDS_V2: &[&str] = &[
    "content",
    "createdAt",
    "externalId",
    "id",
    "isHoneypot",
    "jsonMetadata",
    "labels.author.id",
    "labels.author.email",
    "labels.createdAt",
    "labels.id",
    "labels.jsonResponse",
    "skipped",
    "currentStep.name",
    "currentStep.status",
];
/// Default fields of a V3 project, in the Python SDK's order (`stepGroupName` first inside
/// `currentStep`, so the returned object has its keys in the same order).
pub const DEFAULT_FIELDS_V3: &[&str] = &[
    "content",
    "createdAt",
    "externalId",
    "id",
    "isHoneypot",
    "jsonMetadata",
    "labels.author.id",
    "labels.author.email",
    "labels.createdAt",
    "labels.id",
    "labels.jsonResponse",
    "skipped",
    "currentStep.stepGroupName",
    "currentStep.name",
    "currentStep.status",
];

/// The default fields for a `workflowVersion` value.
pub fn default_fields(workflow_version: &str) -> Vec<String> {
    let f = match workflow_version {
        "V1" => DEFAULT_FIELDS_V1,
        "V3" => DEFAULT_FIELDS_V3,
        _ => DEFAULT_FIELDS_V2,
    };
    f.iter().map(|s| s.to_string()).collect()
}

/// Heads whose `jsonResponse` selection switches to the label path (smaller pages, extra
/// fields).
pub const LABEL_HEADS: &[&str] = &["labels", "latestLabel", "latestLabels"];

/// A node of the selection tree: a field name and its sub-selection (empty for a leaf).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub children: Vec<Node>,
}

/// A parsed selection set. Immutable after parsing except through [`Selection::add`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    pub roots: Vec<Node>,
}

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch == '_' || ch.is_ascii_alphabetic())
        && c.all(|ch| ch == '_' || ch.is_ascii_alphanumeric())
}

impl Selection {
    /// Parses dotted fields.
    ///
    /// Errors: [`Error::InvalidArgument`] (`fields[i]`) for an empty list, a segment that is
    /// not a GraphQL name, or a leaf/sub-field conflict (`labels` with `labels.id`).
    pub fn parse(fields: &[String]) -> Result<Self> {
        if fields.is_empty() {
            return Err(Error::invalid_arg("fields", "expected at least one field"));
        }
        let mut sel = Selection::default();
        for (i, f) in fields.iter().enumerate() {
            sel.add_at(f, &format!("fields[{i}]"))?;
        }
        Ok(sel)
    }

    /// Adds one dotted field (merging with what is there).
    pub fn add(&mut self, field: &str) -> Result<()> {
        self.add_at(field, "fields")
    }

    fn add_at(&mut self, field: &str, path: &str) -> Result<()> {
        let parts: Vec<&str> = field.split('.').collect();
        if let Some(bad) = parts.iter().find(|p| !is_name(p)) {
            return Err(Error::invalid_arg(
                path,
                format!("\"{field}\" is not a dotted field name (segment \"{bad}\" is not a GraphQL name)"),
            ));
        }
        let mut level = &mut self.roots;
        for (depth, part) in parts.iter().enumerate() {
            let leaf = depth == parts.len() - 1;
            let idx = match level.iter().position(|n| n.name == *part) {
                Some(i) => {
                    let existing_leaf = level[i].children.is_empty();
                    if existing_leaf != leaf {
                        let head = parts[..=depth].join(".");
                        return Err(Error::invalid_arg(
                            path,
                            format!("\"{head}\" is requested both as a field and with sub-fields (\"{field}\"); keep only the sub-fields"),
                        ));
                    }
                    i
                }
                None => {
                    level.push(Node {
                        name: part.to_string(),
                        children: vec![],
                    });
                    level.len() - 1
                }
            };
            if leaf {
                return Ok(());
            }
            // A fresh intermediate node gets children now, so it is never a leaf.
            level = &mut level[idx].children;
        }
        Ok(())
    }

    /// Puts the top-level leaf `name` first in the selection (the Python SDK's
    /// `fields = ("jsonContent", *fields)` for `download_media`), so that it is also the first
    /// key of every returned asset. Nothing when `name` is already selected.
    pub fn prepend_leaf(&mut self, name: &str) {
        if !self.roots.iter().any(|n| n.name == name) {
            self.roots.insert(
                0,
                Node {
                    name: name.to_string(),
                    children: vec![],
                },
            );
        }
    }

    /// Whether the dotted field is selected.
    pub fn contains(&self, field: &str) -> bool {
        let mut level = &self.roots;
        let parts: Vec<&str> = field.split('.').collect();
        for (depth, part) in parts.iter().enumerate() {
            match level.iter().find(|n| n.name == *part) {
                Some(n) if depth == parts.len() - 1 => return n.children.is_empty(),
                Some(n) => level = &n.children,
                None => return false,
            }
        }
        false
    }

    /// The label heads (`labels`, `latestLabel`, `latestLabels`) whose `jsonResponse` is
    /// selected.
    pub fn json_response_heads(&self) -> Vec<&'static str> {
        LABEL_HEADS
            .iter()
            .copied()
            .filter(|h| self.contains(&format!("{h}.jsonResponse")))
            .collect()
    }

    /// The selection set text (`{ a b { c } }` without the outer braces), one line.
    pub fn render(&self) -> String {
        fn walk(nodes: &[Node], out: &mut String) {
            for n in nodes {
                out.push(' ');
                out.push_str(&n.name);
                if !n.children.is_empty() {
                    out.push_str(" {");
                    walk(&n.children, out);
                    out.push_str(" }");
                }
            }
        }
        let mut s = String::new();
        walk(&self.roots, &mut s);
        s.trim_start().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(f: &[&str]) -> Result<Selection> {
        Selection::parse(&f.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn prepend_leaf_goes_first_once() {
        let mut s = sel(&["id", "labels.id"]).unwrap();
        s.prepend_leaf("jsonContent");
        assert_eq!(s.render(), "jsonContent id labels { id }");
        s.prepend_leaf("jsonContent");
        s.prepend_leaf("id");
        assert_eq!(s.render(), "jsonContent id labels { id }");
    }

    #[test]
    fn renders_nested_merged_and_ordered() {
        let s = sel(&[
            "id",
            "labels.author.email",
            "externalId",
            "labels.id",
            "labels.author.id",
            "id",
        ])
        .unwrap();
        assert_eq!(
            s.render(),
            "id labels { author { email id } id } externalId"
        );
        assert!(s.contains("labels.author.email"));
        assert!(!s.contains("labels.author"));
        assert!(!s.contains("jsonMetadata"));
    }

    #[test]
    fn conflicts_and_bad_names_are_refused() {
        let e = sel(&["labels", "labels.id"]).unwrap_err().to_string();
        assert!(e.contains("fields[1]") && e.contains("\"labels\""), "{e}");
        let e = sel(&["labels.id", "labels"]).unwrap_err().to_string();
        assert!(e.contains("fields[1]"), "{e}");
        assert!(sel(&["a..b"]).is_err());
        assert!(sel(&["a b"]).is_err());
        assert!(sel(&[]).is_err());
    }

    #[test]
    fn defaults_per_workflow() {
        assert!(default_fields("V1").contains(&"status".to_string()));
        assert!(!default_fields("V2").contains(&"status".to_string()));
        assert!(default_fields("V2").contains(&"currentStep.status".to_string()));
        assert!(default_fields("V3").contains(&"currentStep.stepGroupName".to_string()));
        assert_eq!(default_fields("weird"), default_fields("V2"));
        let s = Selection::parse(&default_fields("V2")).unwrap();
        assert_eq!(s.json_response_heads(), vec!["labels"]);
    }
}
