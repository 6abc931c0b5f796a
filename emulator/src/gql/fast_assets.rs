//! Fast path for `assets` pages: answers the listing query straight from the store's rows,
//! without async-graphql's resolution, for the documents clients send page after page.
//!
//! Only a narrow, fully checked shape is served here: one query operation whose only root
//! field is `assets` (any alias), with `where`/`skip`/`first` given as literals or as
//! variables declared exactly `AssetWhere!`/`Int!`/`PageSize!`, and a selection set made of
//! known fields without arguments, directives, fragments or repeated response keys. Anything
//! else, and any failure (no viewer, invalid argument, store error), returns `None` and the
//! caller runs async-graphql unchanged, so errors and validation messages stay those of the
//! schema. The answer is the same JSON the schema produces (same keys, same order, same
//! values); `emulator/tests/it/fast_assets.rs` checks it against the schema.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationType, Selection, SelectionSet,
};
use async_graphql::{InputType, Name, Value as ConstValue};

use super::enums::{LabelType, Status, StatusInStep};
use super::inputs::AssetWhere;
use super::objects::PageResolution;
use super::scalars::PageSize;
use crate::doc_memo::DocMemo;
use crate::store::rows::{AssetRow, LabelRow, UserRow};
use crate::store::{asset_filter, asset_query, Store};

/// Per-server switch of the fast paths, carried as a request extension (set by
/// `Emulator::start` from `EmulatorConfig::fast_paths`; absent = off), with the number of
/// answers they gave (so tests can tell which path answered). Cheap to clone, thread-safe.
#[derive(Clone, Debug, Default)]
pub struct FastPaths {
    /// Whether the fast paths may answer.
    pub enabled: bool,
    /// Requests answered by a fast path so far.
    pub answered: Arc<AtomicU64>,
}

/// Where an argument's value comes from.
enum Arg {
    Var(Name),
    Lit(ConstValue),
}

#[derive(Clone, Copy)]
enum UserF {
    Id,
    Email,
    Firstname,
    Lastname,
}

#[derive(Clone, Copy)]
enum ResF {
    Width,
    Height,
}

#[derive(Clone, Copy)]
enum PageResF {
    PageNumber,
    Width,
    Height,
    Rotation,
}

#[derive(Clone, Copy)]
enum StepF {
    Id,
    Name,
    Status,
    StepGroupName,
}

enum LabelF {
    Id,
    Author(Vec<(String, UserF)>),
    CreatedAt,
    UpdatedAt,
    JsonResponse,
    JsonResponseUrl,
    LabelType,
    IsLatestLabelForUser,
    IsLastForStep,
    IsSentBackToQueue,
    ModelName,
    SecondsToLabel,
    HoneypotMark,
    ConsensusMark,
    InferenceMark,
}

enum AssetF {
    Id,
    ExternalId,
    Content,
    JsonContent,
    JsonMetadata,
    CreatedAt,
    UpdatedAt,
    IsHoneypot,
    Skipped,
    Status,
    Priority,
    ConsensusMark,
    HoneypotMark,
    InferenceMark,
    IsUsedForConsensus,
    OcrMetadata,
    GeospatialExportMetadata,
    Resolution(Vec<(String, ResF)>),
    PageResolutions(Vec<(String, PageResF)>),
    CurrentStep(Vec<(String, StepF)>),
    Labels(Vec<(String, LabelF)>),
    LatestLabel(Vec<(String, LabelF)>),
    LatestLabels(Vec<(String, LabelF)>),
}

/// A document the fast path can answer, compiled once per query text.
struct Plan {
    /// Response key of the root field (`data` in `data: assets(...)`).
    key: String,
    where_: Arg,
    skip: Arg,
    first: Arg,
    fields: Vec<(String, AssetF)>,
    with_labels: bool,
}

/// The compiled plan for (query, operation name), memoised: listings send the same document
/// for every page. `None` = not a fast-path document. Bounded; cleared when full.
fn plan_for(query: &str, operation_name: Option<&str>) -> Option<Arc<Plan>> {
    static MEMO: DocMemo<Option<Arc<Plan>>> = DocMemo::new();
    memo_plan(&MEMO, query, operation_name, compile)
}

/// A fast path's plan for (query, operation name) from `memo`, parsed and compiled on a miss;
/// `None` (also memoised) = a document the fast path leaves to async-graphql. Shared by the
/// fast paths.
pub(super) fn memo_plan<P>(
    memo: &DocMemo<Option<Arc<P>>>,
    query: &str,
    operation_name: Option<&str>,
    compile: fn(&ExecutableDocument, Option<&str>) -> Option<P>,
) -> Option<Arc<P>> {
    memo.get(query, operation_name, || {
        async_graphql::parser::parse_query(query)
            .ok()
            .and_then(|doc| compile(&doc, operation_name))
            .map(Arc::new)
    })
}

/// The one root field named `field` of the operation async-graphql would run, when that
/// operation is of type `ty` and has no fragment, directive or variable default; with its
/// declared variables (name -> type text). `None` for anything else, which the fast paths
/// leave to async-graphql (its answers and errors). Shared by the fast paths.
pub(super) fn single_root_field<'a>(
    doc: &'a ExecutableDocument,
    operation_name: Option<&str>,
    ty: OperationType,
    field: &str,
) -> Option<(HashMap<&'a str, String>, &'a Field)> {
    if !doc.fragments.is_empty() {
        return None;
    }
    // The operation async-graphql would run; other cases are its errors.
    let op = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), None) => &op.node,
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => &ops.values().next()?.node,
        (DocumentOperations::Multiple(ops), Some(n)) if ops.len() == 1 => &ops.get(n)?.node,
        _ => return None,
    };
    if op.ty != ty || !op.directives.is_empty() {
        return None;
    }
    let mut declared: HashMap<&str, String> = HashMap::new();
    for v in &op.variable_definitions {
        let v = &v.node;
        if v.default_value.is_some() || !v.directives.is_empty() {
            return None;
        }
        if declared
            .insert(v.name.node.as_str(), v.var_type.node.to_string())
            .is_some()
        {
            return None;
        }
    }
    let [root] = op.selection_set.node.items.as_slice() else {
        return None;
    };
    let Selection::Field(f) = &root.node else {
        return None;
    };
    let f = &f.node;
    if f.name.node != field || !f.directives.is_empty() {
        return None;
    }
    Some((declared, f))
}

fn compile(doc: &ExecutableDocument, operation_name: Option<&str>) -> Option<Plan> {
    let (declared, f) = single_root_field(doc, operation_name, OperationType::Query, "assets")?;
    let mut used: HashSet<&str> = HashSet::new();
    let (mut where_, mut skip, mut first) = (None, None, None);
    for (name, value) in &f.arguments {
        let (slot, ty) = match name.node.as_str() {
            "where" => (&mut where_, "AssetWhere!"),
            "skip" => (&mut skip, "Int!"),
            "first" => (&mut first, "PageSize!"),
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        // A literal is constant; a variable must be the whole value (`where: $w`), declared
        // with the argument's exact type (variables nested in a literal: not handled here).
        *slot = Some(
            match value.node.clone().into_const_with(Err::<ConstValue, Name>) {
                Ok(c) => Arg::Lit(c),
                Err(v) if value.node.to_string() == format!("${v}") => {
                    let (decl, _) = declared.get_key_value(v.as_str())?;
                    if declared[decl] != ty {
                        return None;
                    }
                    used.insert(*decl);
                    Arg::Var(v)
                }
                Err(_) => return None,
            },
        );
    }
    // Unused declared variables are a validation error: leave them to async-graphql.
    if used.len() != declared.len() {
        return None;
    }
    let fields = selection(&f.selection_set.node, asset_field)?;
    let with_labels = fields.iter().any(|(_, a)| {
        matches!(
            a,
            AssetF::Labels(_) | AssetF::LatestLabel(_) | AssetF::LatestLabels(_)
        )
    });
    Some(Plan {
        key: f.response_key().node.to_string(),
        where_: where_?,
        skip: skip?,
        first: first?,
        fields,
        with_labels,
    })
}

/// The fields of a selection set, in order, through `known(name, sub-selection)`; `None` when
/// anything is outside the plain shape (fragment, directive, argument, repeated key).
fn selection<T>(
    set: &SelectionSet,
    known: impl Fn(&str, &SelectionSet) -> Option<T>,
) -> Option<Vec<(String, T)>> {
    if set.items.is_empty() {
        return None;
    }
    let mut out: Vec<(String, T)> = Vec::with_capacity(set.items.len());
    for item in &set.items {
        let Selection::Field(f) = &item.node else {
            return None;
        };
        let f = &f.node;
        if !f.arguments.is_empty() || !f.directives.is_empty() {
            return None;
        }
        let key = f.response_key().node.to_string();
        if out.iter().any(|(k, _)| *k == key) {
            return None;
        }
        out.push((key, known(f.name.node.as_str(), &f.selection_set.node)?));
    }
    Some(out)
}

/// `v` if the field is a leaf (no sub-selection).
fn leaf<T>(set: &SelectionSet, v: T) -> Option<T> {
    set.items.is_empty().then_some(v)
}

fn user_field(name: &str, set: &SelectionSet) -> Option<UserF> {
    leaf(
        set,
        match name {
            "id" => UserF::Id,
            "email" => UserF::Email,
            "firstname" => UserF::Firstname,
            "lastname" => UserF::Lastname,
            _ => return None,
        },
    )
}

fn label_field(name: &str, set: &SelectionSet) -> Option<LabelF> {
    if name == "author" {
        return Some(LabelF::Author(selection(set, user_field)?));
    }
    leaf(
        set,
        match name {
            "id" => LabelF::Id,
            "createdAt" => LabelF::CreatedAt,
            "updatedAt" => LabelF::UpdatedAt,
            "jsonResponse" => LabelF::JsonResponse,
            "jsonResponseUrl" => LabelF::JsonResponseUrl,
            "labelType" => LabelF::LabelType,
            "isLatestLabelForUser" => LabelF::IsLatestLabelForUser,
            "isLastForStep" => LabelF::IsLastForStep,
            "isSentBackToQueue" => LabelF::IsSentBackToQueue,
            "modelName" => LabelF::ModelName,
            "secondsToLabel" => LabelF::SecondsToLabel,
            "honeypotMark" => LabelF::HoneypotMark,
            "consensusMark" => LabelF::ConsensusMark,
            "inferenceMark" => LabelF::InferenceMark,
            _ => return None,
        },
    )
}

fn asset_field(name: &str, set: &SelectionSet) -> Option<AssetF> {
    match name {
        "resolution" => {
            return Some(AssetF::Resolution(selection(set, |n, s| {
                leaf(
                    s,
                    match n {
                        "width" => ResF::Width,
                        "height" => ResF::Height,
                        _ => return None,
                    },
                )
            })?))
        }
        "pageResolutions" => {
            return Some(AssetF::PageResolutions(selection(set, |n, s| {
                leaf(
                    s,
                    match n {
                        "pageNumber" => PageResF::PageNumber,
                        "width" => PageResF::Width,
                        "height" => PageResF::Height,
                        "rotation" => PageResF::Rotation,
                        _ => return None,
                    },
                )
            })?))
        }
        "currentStep" => {
            return Some(AssetF::CurrentStep(selection(set, |n, s| {
                leaf(
                    s,
                    match n {
                        "id" => StepF::Id,
                        "name" => StepF::Name,
                        "status" => StepF::Status,
                        "stepGroupName" => StepF::StepGroupName,
                        _ => return None,
                    },
                )
            })?))
        }
        "labels" => return Some(AssetF::Labels(selection(set, label_field)?)),
        "latestLabel" => return Some(AssetF::LatestLabel(selection(set, label_field)?)),
        "latestLabels" => return Some(AssetF::LatestLabels(selection(set, label_field)?)),
        _ => {}
    }
    leaf(
        set,
        match name {
            "id" => AssetF::Id,
            "externalId" => AssetF::ExternalId,
            "content" => AssetF::Content,
            "jsonContent" => AssetF::JsonContent,
            "jsonMetadata" => AssetF::JsonMetadata,
            "createdAt" => AssetF::CreatedAt,
            "updatedAt" => AssetF::UpdatedAt,
            "isHoneypot" => AssetF::IsHoneypot,
            "skipped" => AssetF::Skipped,
            "status" => AssetF::Status,
            "priority" => AssetF::Priority,
            "consensusMark" => AssetF::ConsensusMark,
            "honeypotMark" => AssetF::HoneypotMark,
            "inferenceMark" => AssetF::InferenceMark,
            "isUsedForConsensus" => AssetF::IsUsedForConsensus,
            "ocrMetadata" => AssetF::OcrMetadata,
            "geospatialExportMetadata" => AssetF::GeospatialExportMetadata,
            _ => return None,
        },
    )
}

/// True when every entry the client gave in `input` survives parsing unchanged in `canon`
/// (the parsed value written back). Parsing ignores unknown input fields and coerces a few
/// shapes that async-graphql's validation treats differently; such inputs are left to it.
fn covers(input: &ConstValue, canon: &ConstValue) -> bool {
    match (input, canon) {
        (ConstValue::Null, ConstValue::Null) => true,
        (ConstValue::Number(a), ConstValue::Number(b)) => {
            a == b || (a.as_f64().is_some() && a.as_f64() == b.as_f64())
        }
        (ConstValue::String(a), ConstValue::String(b)) => a == b,
        // A `JSON` scalar (`metadata`) writes itself back as its JSON text; an ID given as a
        // number comes back as its digits.
        (other, ConstValue::String(text)) => {
            serde_json::from_str::<serde_json::Value>(text).ok() == other.clone().into_json().ok()
        }
        (ConstValue::String(a), ConstValue::Enum(b)) => a == b.as_str(),
        (ConstValue::Enum(a), ConstValue::Enum(b)) => a == b,
        (ConstValue::Boolean(a), ConstValue::Boolean(b)) => a == b,
        (ConstValue::List(a), ConstValue::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| covers(x, y))
        }
        (ConstValue::Object(a), ConstValue::Object(b)) => a
            .iter()
            .all(|(k, v)| b.get(k).is_some_and(|w| covers(v, w))),
        _ => false,
    }
}

fn arg_value<'a>(arg: &'a Arg, req: &'a async_graphql::Request) -> Option<&'a ConstValue> {
    match arg {
        Arg::Var(n) => req.variables.get(n),
        Arg::Lit(v) => Some(v),
    }
}

/// The `assets` answer (`{"data":{"<key>":[...]}}` bytes) when `req` is a fast-path document
/// and every step succeeds; `None` otherwise (the caller then runs the schema).
///
/// Errors: none surfaced; any failure is `None`. Thread-safe (the plan cache is locked).
pub fn answer(
    store: &Store,
    req: &async_graphql::Request,
    user: Option<&UserRow>,
) -> Option<Vec<u8>> {
    let user = user?;
    let plan = plan_for(&req.query, req.operation_name.as_deref())?;
    let where_in = arg_value(&plan.where_, req)?;
    let filter = AssetWhere::parse(Some(where_in.clone())).ok()?;
    if !covers(where_in, &filter.to_value()) {
        return None;
    }
    let skip = <i32 as InputType>::parse(Some(arg_value(&plan.skip, req)?.clone())).ok()?;
    let first = PageSize::parse(Some(arg_value(&plan.first, req)?.clone())).ok()?;
    if skip < 0 {
        return None;
    }
    let rows = store
        .read(|c| {
            let f = asset_filter::build(c, &filter, &user.id)?;
            asset_query::page(store, c, &f, skip as u64, first.0 as u64, plan.with_labels)
        })
        .ok()?;
    let mut out = Vec::with_capacity(256 + rows.len() * 512);
    out.extend_from_slice(b"{\"data\":{");
    key(&mut out, &plan.key);
    out.push(b'[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_asset(&mut out, row, &plan.fields);
    }
    out.extend_from_slice(b"]}}");
    Some(out)
}

/// `s` as a JSON string, byte for byte as serde_json writes it. Most strings (ids, dates,
/// names) need no escape: they are copied in one go, which costs a third of going through
/// serde_json's writer (a listing page writes a few thousand strings).
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes exactly the control characters, `"` and `\\`.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn key(out: &mut Vec<u8>, k: &str) {
    string(out, k);
    out.push(b':');
}

fn opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn opt_int(out: &mut Vec<u8>, v: Option<i32>) {
    match v {
        Some(v) => out.extend_from_slice(v.to_string().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
}

/// A Float as async-graphql writes it (non-finite values have no JSON number: null).
fn opt_float(out: &mut Vec<u8>, v: Option<f64>) {
    match v.and_then(serde_json::Number::from_f64) {
        Some(n) => {
            let _ = serde_json::to_writer(&mut *out, &n);
        }
        None => out.extend_from_slice(b"null"),
    }
}

fn object<T>(out: &mut Vec<u8>, fields: &[(String, T)], mut each: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'{');
    for (i, (k, f)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        key(out, k);
        each(out, f);
    }
    out.push(b'}');
}

fn write_user(out: &mut Vec<u8>, u: &UserRow, fields: &[(String, UserF)]) {
    object(out, fields, |out, f| match f {
        UserF::Id => string(out, &u.id),
        UserF::Email => string(out, &u.email),
        UserF::Firstname => opt_str(out, u.firstname.as_deref()),
        UserF::Lastname => opt_str(out, u.lastname.as_deref()),
    });
}

fn write_label(out: &mut Vec<u8>, l: &LabelRow, fields: &[(String, LabelF)]) {
    object(out, fields, |out, f| match f {
        LabelF::Id => string(out, &l.id),
        LabelF::Author(sel) => match &l.author {
            Some(u) => write_user(out, u, sel),
            None => out.extend_from_slice(b"null"),
        },
        LabelF::CreatedAt => string(out, &l.created_at),
        LabelF::UpdatedAt => string(out, l.updated_at.as_deref().unwrap_or(&l.created_at)),
        LabelF::JsonResponse => string(out, &l.json_response),
        LabelF::JsonResponseUrl => opt_str(out, l.json_response_url.as_deref()),
        LabelF::LabelType => opt_str(
            out,
            l.label_type
                .as_deref()
                .and_then(LabelType::parse)
                .map(LabelType::as_str),
        ),
        LabelF::IsLatestLabelForUser | LabelF::IsLastForStep => boolean(out, l.is_latest),
        LabelF::IsSentBackToQueue => boolean(out, l.is_sent_back_to_queue),
        LabelF::ModelName => opt_str(out, l.model_name.as_deref()),
        LabelF::SecondsToLabel => opt_float(out, l.seconds_to_label),
        LabelF::HoneypotMark => opt_float(out, l.honeypot_mark),
        LabelF::ConsensusMark => opt_float(out, l.consensus_mark),
        LabelF::InferenceMark => opt_float(out, l.inference_mark),
    });
}

fn write_labels<'a>(
    out: &mut Vec<u8>,
    labels: impl Iterator<Item = &'a LabelRow>,
    fields: &[(String, LabelF)],
) {
    out.push(b'[');
    for (i, l) in labels.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_label(out, l, fields);
    }
    out.push(b']');
}

fn write_asset(out: &mut Vec<u8>, a: &AssetRow, fields: &[(String, AssetF)]) {
    // The page loader preloads labels whenever the plan selects any (`with_labels`).
    let labels: &[LabelRow] = a.labels.as_deref().unwrap_or(&[]);
    object(out, fields, |out, f| match f {
        AssetF::Id => string(out, &a.id),
        AssetF::ExternalId => string(out, &a.external_id),
        AssetF::Content => string(out, &a.content),
        AssetF::JsonContent => opt_str(out, a.json_content.as_deref()),
        AssetF::JsonMetadata => string(out, &a.json_metadata),
        AssetF::CreatedAt => string(out, &a.created_at),
        AssetF::UpdatedAt => string(out, a.updated_at.as_deref().unwrap_or(&a.created_at)),
        AssetF::IsHoneypot => boolean(out, a.is_honeypot),
        AssetF::Skipped => boolean(out, a.skipped),
        AssetF::Status => opt_str(out, Status::parse(&a.status).map(Status::as_str)),
        AssetF::Priority => opt_int(out, Some(a.priority as i32)),
        AssetF::ConsensusMark => opt_float(out, a.consensus_mark),
        AssetF::HoneypotMark => opt_float(out, a.honeypot_mark),
        AssetF::InferenceMark => opt_float(out, a.inference_mark),
        AssetF::IsUsedForConsensus => boolean(out, a.is_used_for_consensus),
        AssetF::OcrMetadata => opt_str(out, a.ocr_metadata.as_deref()),
        AssetF::GeospatialExportMetadata => {
            match a
                .geospatial_export_metadata
                .as_deref()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            {
                Some(v) => {
                    let _ = serde_json::to_writer(&mut *out, &v);
                }
                None => out.extend_from_slice(b"null"),
            }
        }
        AssetF::Resolution(sel) => {
            if a.resolution_width.is_none() && a.resolution_height.is_none() {
                out.extend_from_slice(b"null");
            } else {
                object(out, sel, |out, f| match f {
                    ResF::Width => opt_int(out, a.resolution_width.map(|v| v as i32)),
                    ResF::Height => opt_int(out, a.resolution_height.map(|v| v as i32)),
                });
            }
        }
        AssetF::PageResolutions(sel) => {
            match a
                .page_resolutions
                .as_deref()
                .and_then(|t| serde_json::from_str::<Vec<PageResolution>>(t).ok())
            {
                Some(pages) => {
                    out.push(b'[');
                    for (i, p) in pages.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        object(out, sel, |out, f| match f {
                            PageResF::PageNumber => opt_int(out, p.page_number),
                            PageResF::Width => opt_int(out, p.width),
                            PageResF::Height => opt_int(out, p.height),
                            PageResF::Rotation => opt_int(out, p.rotation),
                        });
                    }
                    out.push(b']');
                }
                None => out.extend_from_slice(b"null"),
            }
        }
        AssetF::CurrentStep(sel) => match &a.step_id {
            Some(id) => object(out, sel, |out, f| match f {
                StepF::Id => string(out, id),
                StepF::Name => opt_str(out, a.step_name.as_deref()),
                StepF::Status => opt_str(
                    out,
                    a.step_status
                        .as_deref()
                        .and_then(StatusInStep::parse)
                        .map(StatusInStep::as_str),
                ),
                StepF::StepGroupName => opt_str(out, a.step_group_name.as_deref()),
            }),
            None => out.extend_from_slice(b"null"),
        },
        AssetF::Labels(sel) => write_labels(out, labels.iter(), sel),
        AssetF::LatestLabel(sel) => match labels.iter().rev().find(|l| l.is_latest) {
            Some(l) => write_label(out, l, sel),
            None => out.extend_from_slice(b"null"),
        },
        AssetF::LatestLabels(sel) => write_labels(out, labels.iter().filter(|l| l.is_latest), sel),
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        for s in [
            "",
            "a1",
            "2024-05-01T00:00:00.000Z",
            "é ü 日本 🎉",
            "q\"uote",
            "back\\slash",
            "line\nbreak",
            "tab\t",
            "\u{1}\u{1f}\u{7f}",
            "/slash",
            "{\"k\": [1, \"v\"]}",
        ] {
            let mut out = Vec::new();
            super::string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }
}
