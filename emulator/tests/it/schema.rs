//! The emulator's schema contains every type, field, argument, input field and enum value of
//! the reference SDL (`/work/shared/reference/kili-schema.graphql`, copied into
//! `tests/data/`), with the same types (nullability and lists included).

use std::collections::HashMap;

use async_graphql_parser::types::{ServiceDocument, TypeKind, TypeSystemDefinition};

const REFERENCE: &str = include_str!("../data/kili-schema.graphql");

fn types(doc: &ServiceDocument) -> HashMap<String, TypeKind> {
    doc.definitions
        .iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) => {
                Some((t.node.name.node.to_string(), t.node.kind.clone()))
            }
            _ => None,
        })
        .collect()
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Scalar => "scalar",
        TypeKind::Object(_) => "type",
        TypeKind::Interface(_) => "interface",
        TypeKind::Union(_) => "union",
        TypeKind::Enum(_) => "enum",
        TypeKind::InputObject(_) => "input",
    }
}

#[test]
fn schema_matches_reference_sdl() {
    let emu = super::common::start();
    let ours = async_graphql_parser::parse_schema(emu.sdl()).expect("our SDL parses");
    let reference = async_graphql_parser::parse_schema(REFERENCE).expect("reference SDL parses");
    let ours = types(&ours);
    let mut problems = Vec::new();
    for (name, rk) in types(&reference) {
        let Some(ok) = ours.get(&name) else {
            problems.push(format!("missing {} {name}", kind_name(&rk)));
            continue;
        };
        if kind_name(ok) != kind_name(&rk) {
            problems.push(format!(
                "{name}: kind {} instead of {}",
                kind_name(ok),
                kind_name(&rk)
            ));
            continue;
        }
        let fields = |k: &TypeKind| match k {
            TypeKind::Object(o) => Some((
                o.fields.clone(),
                o.implements
                    .iter()
                    .map(|i| i.node.to_string())
                    .collect::<Vec<_>>(),
            )),
            TypeKind::Interface(i) => Some((
                i.fields.clone(),
                i.implements.iter().map(|i| i.node.to_string()).collect(),
            )),
            _ => None,
        };
        if let (Some((rf, rimpl)), Some((of, oimpl))) = (fields(&rk), fields(ok)) {
            for i in rimpl {
                if !oimpl.contains(&i) {
                    problems.push(format!("{name} does not implement {i}"));
                }
            }
            for f in rf {
                let fname = f.node.name.node.to_string();
                let Some(o) = of.iter().find(|x| x.node.name.node == f.node.name.node) else {
                    problems.push(format!("missing field {name}.{fname}"));
                    continue;
                };
                if o.node.ty.node.to_string() != f.node.ty.node.to_string() {
                    problems.push(format!(
                        "{name}.{fname}: {} instead of {}",
                        o.node.ty.node, f.node.ty.node
                    ));
                }
                for a in &f.node.arguments {
                    match o
                        .node
                        .arguments
                        .iter()
                        .find(|x| x.node.name.node == a.node.name.node)
                    {
                        None => problems.push(format!(
                            "missing argument {name}.{fname}({})",
                            a.node.name.node
                        )),
                        Some(oa) if oa.node.ty.node.to_string() != a.node.ty.node.to_string() => {
                            problems.push(format!(
                                "{name}.{fname}({}): {} instead of {}",
                                a.node.name.node, oa.node.ty.node, a.node.ty.node
                            ))
                        }
                        _ => {}
                    }
                }
            }
        }
        if let (TypeKind::InputObject(r), TypeKind::InputObject(o)) = (&rk, ok) {
            for f in &r.fields {
                match o
                    .fields
                    .iter()
                    .find(|x| x.node.name.node == f.node.name.node)
                {
                    None => {
                        problems.push(format!("missing input field {name}.{}", f.node.name.node))
                    }
                    Some(of) if of.node.ty.node.to_string() != f.node.ty.node.to_string() => {
                        problems.push(format!(
                            "{name}.{}: {} instead of {}",
                            f.node.name.node, of.node.ty.node, f.node.ty.node
                        ))
                    }
                    _ => {}
                }
            }
        }
        if let (TypeKind::Enum(r), TypeKind::Enum(o)) = (&rk, ok) {
            for v in &r.values {
                if !o
                    .values
                    .iter()
                    .any(|x| x.node.value.node == v.node.value.node)
                {
                    problems.push(format!("missing enum value {name}.{}", v.node.value.node));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "schema differs from the reference:\n{}",
        problems.join("\n")
    );
}

#[test]
fn version_endpoint_names_the_schema() {
    let emu = super::common::start();
    let v: serde_json::Value =
        reqwest::blocking::get(format!("{}/api/label/v2/version", emu.base_url()))
            .unwrap()
            .json()
            .unwrap();
    assert_eq!(v["version"].as_str().unwrap(), emu.version());
    assert!(emu.version().contains("emulator"));
}
