//! The filters of `assets()` / `count_assets()`: [`AssetQuery`] (every argument of the seed
//! reference, its deprecated aliases and the 26.2.4 step/group filters), its JSON form, the
//! client-side validation done before any network call, and the mapping to Kili's
//! `AssetWhere` exactly as kili-wire-query.md §4.4 lays it out (key order included; nulls are
//! stripped by the transport).
//!
//! Plain data: `Clone + Send + Sync`.

use crate::args::{check_enum, Args};
use crate::error::{Error, Result};
use crate::events::{EventSink, WarningKind};
use serde_json::{json, Map, Value};

/// Asset statuses (`status_in`).
pub const ASSET_STATUSES: &[&str] = &["TODO", "ONGOING", "LABELED", "REVIEWED", "TO_REVIEW"];
/// Label types (`label_type_in`).
pub const LABEL_TYPES: &[&str] = &["AUTOSAVE", "DEFAULT", "INFERENCE", "PREDICTION", "REVIEW"];
/// Issue types (`issue_type`).
pub const ISSUE_TYPES: &[&str] = &["ISSUE", "QUESTION"];
/// Issue statuses (`issue_status`).
pub const ISSUE_STATUSES: &[&str] = &["CANCELLED", "OPEN", "SOLVED"];
/// Statuses of an asset in a workflow step (`step_status_in`...).
pub const STEP_STATUSES: &[&str] = &[
    "TO_DO",
    "DOING",
    "IN_PROGRESS",
    "PARTIALLY_DONE",
    "REWORK",
    "REDO",
    "DONE",
    "SKIPPED",
];
/// Step statuses that are deprecated (still sent).
pub const DEPRECATED_STEP_STATUSES: &[&str] = &["DOING", "REDO"];

/// A step (by id or by name, depending on the argument) and a status in it.
///
/// In JSON, either the Python SDK's tuple form, a two-item array `[step, status]` (the SDK's
/// type is `list[tuple[str, StatusInStep]]`), or an object `{"stepId"|"step_id": …,
/// "status": …}` (`stepName`/`step_name` for the name-based arguments). Both are sent as
/// `{"stepId", "status"}` objects.
#[derive(Debug, Clone, PartialEq)]
pub struct StepAndStatus {
    /// Step id (`step_id_and_status_*`) or step name (`step_name_and_status_*`).
    pub step: String,
    /// One of [`STEP_STATUSES`].
    pub status: String,
}

/// Every filter of `assets()` and `count_assets()`, with the Python SDK's names. `None` /
/// empty = not given. Enum-like values are strings checked by [`AssetQuery::validate`].
///
/// Deprecated aliases map as the reference SDK's `new = alias or new`: a truthy alias wins
/// even over the new name, a falsy one (`0`, `0.0`, `""`) counts as not given (the new name's
/// value is used); `external_id_contains` is the other way round (`external_id_strictly_in or
/// external_id_contains`, empty lists counting as not given). Every given alias raises a
/// deprecation event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssetFilters {
    pub project_id: String,
    pub asset_id: Option<String>,
    pub asset_id_in: Option<Vec<String>>,
    pub asset_id_not_in: Option<Vec<String>>,
    pub external_id_strictly_in: Option<Vec<String>>,
    pub external_id_in: Option<Vec<String>>,
    /// Deprecated alias of `external_id_strictly_in`.
    pub external_id_contains: Option<Vec<String>>,
    pub status_in: Option<Vec<String>>,
    pub skipped: Option<bool>,
    pub consensus_mark_gte: Option<f64>,
    pub consensus_mark_lte: Option<f64>,
    /// Deprecated alias of `consensus_mark_gte`.
    pub consensus_mark_gt: Option<f64>,
    /// Deprecated alias of `consensus_mark_lte`.
    pub consensus_mark_lt: Option<f64>,
    pub honeypot_mark_gte: Option<f64>,
    pub honeypot_mark_lte: Option<f64>,
    /// Deprecated alias of `honeypot_mark_gte`.
    pub honeypot_mark_gt: Option<f64>,
    /// Deprecated alias of `honeypot_mark_lte`.
    pub honeypot_mark_lt: Option<f64>,
    pub inference_mark_gte: Option<f64>,
    pub inference_mark_lte: Option<f64>,
    pub created_at_gte: Option<String>,
    pub created_at_lte: Option<String>,
    pub updated_at_gte: Option<String>,
    pub updated_at_lte: Option<String>,
    /// Sent verbatim as `metadata` (nulls kept).
    pub metadata_where: Option<Map<String, Value>>,
    pub assignee_in: Option<Vec<String>>,
    pub assignee_not_in: Option<Vec<String>>,
    pub label_type_in: Option<Vec<String>>,
    pub label_author_in: Option<Vec<String>>,
    pub label_created_at: Option<String>,
    pub label_created_at_gte: Option<String>,
    pub label_created_at_lte: Option<String>,
    /// Deprecated alias of `label_created_at_gte`.
    pub label_created_at_gt: Option<String>,
    /// Deprecated alias of `label_created_at_lte`.
    pub label_created_at_lt: Option<String>,
    pub label_consensus_mark_gte: Option<f64>,
    pub label_consensus_mark_lte: Option<f64>,
    /// Deprecated alias of `label_consensus_mark_gte`.
    pub label_consensus_mark_gt: Option<f64>,
    /// Deprecated alias of `label_consensus_mark_lte`.
    pub label_consensus_mark_lt: Option<f64>,
    pub label_honeypot_mark_gte: Option<f64>,
    pub label_honeypot_mark_lte: Option<f64>,
    /// Deprecated alias of `label_honeypot_mark_gte`.
    pub label_honeypot_mark_gt: Option<f64>,
    /// Deprecated alias of `label_honeypot_mark_lte`.
    pub label_honeypot_mark_lt: Option<f64>,
    /// Category search (kili-label-format.md §3.2), validated locally, sent unchanged.
    pub label_category_search: Option<String>,
    pub label_labeler_in: Option<Vec<String>>,
    pub label_labeler_not_in: Option<Vec<String>>,
    pub label_reviewer_in: Option<Vec<String>>,
    pub label_reviewer_not_in: Option<Vec<String>>,
    pub issue_type: Option<String>,
    pub issue_status: Option<String>,
    pub step_id_in: Option<Vec<String>>,
    pub step_id_not_in: Option<Vec<String>>,
    pub step_name_in: Option<Vec<String>>,
    pub step_name_not_in: Option<Vec<String>>,
    pub step_status_in: Option<Vec<String>>,
    pub step_status_not_in: Option<Vec<String>>,
    pub step_id_and_status_in: Option<Vec<StepAndStatus>>,
    pub step_id_and_status_not_in: Option<Vec<StepAndStatus>>,
    pub step_name_and_status_in: Option<Vec<StepAndStatus>>,
    pub step_name_and_status_not_in: Option<Vec<StepAndStatus>>,
    pub group_name_in: Option<Vec<String>>,
    pub group_name_not_in: Option<Vec<String>>,
}

/// Arguments of `assets()`: the filters plus the listing options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssetQuery {
    pub filters: AssetFilters,
    /// Dotted fields; `None` = the default fields of the project's workflow version.
    pub fields: Option<Vec<String>>,
    /// Maximum number of assets (>= 0).
    pub first: Option<i64>,
    /// Assets to skip, in creation order (>= 0).
    pub skip: i64,
    /// Download the media to `local_media_dir` (see `assets::media`).
    pub download_media: bool,
    /// Only meaningful with `download_media`.
    pub local_media_dir: Option<String>,
    /// `"raise"` (default) or `"report"` (see `assets::media::MediaErrors`); validated even
    /// without `download_media`, then ignored.
    pub download_media_errors: Option<String>,
    /// `"raise"` (default) or `"empty"` (the Python SDK's `{}`): what a failed download of a
    /// label's `jsonResponseUrl` does (see `assets::json_response_url::UrlErrors`).
    pub json_response_url_errors: Option<String>,
    /// `"dict"` (default) or `"parsed_label"` (see `assets::parsed_label`).
    pub label_output_format: Option<String>,
    /// Python-only: `"pandas"` is refused (use the export), anything else but `"list"`/`"dict"` too.
    pub format: Option<String>,
    /// Python-only, accepted and ignored (a cursor is always lazy).
    pub as_generator: Option<bool>,
    /// Python-only, accepted and ignored (progress is reported through events).
    pub disable_tqdm: Option<bool>,
}

impl AssetQuery {
    /// A query on every asset of `project_id` with default fields.
    pub fn new(project_id: impl Into<String>) -> Self {
        AssetQuery {
            filters: AssetFilters {
                project_id: project_id.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// Filter argument names shared by `assets()` and `count_assets()`.
pub const FILTER_NAMES: &[&str] = &[
    "project_id",
    "asset_id",
    "asset_id_in",
    "asset_id_not_in",
    "external_id_strictly_in",
    "external_id_in",
    "external_id_contains",
    "status_in",
    "skipped",
    "consensus_mark_gte",
    "consensus_mark_lte",
    "consensus_mark_gt",
    "consensus_mark_lt",
    "honeypot_mark_gte",
    "honeypot_mark_lte",
    "honeypot_mark_gt",
    "honeypot_mark_lt",
    "inference_mark_gte",
    "inference_mark_lte",
    "created_at_gte",
    "created_at_lte",
    "updated_at_gte",
    "updated_at_lte",
    "metadata_where",
    "assignee_in",
    "assignee_not_in",
    "label_type_in",
    "label_author_in",
    "label_created_at",
    "label_created_at_gte",
    "label_created_at_lte",
    "label_created_at_gt",
    "label_created_at_lt",
    "label_consensus_mark_gte",
    "label_consensus_mark_lte",
    "label_consensus_mark_gt",
    "label_consensus_mark_lt",
    "label_honeypot_mark_gte",
    "label_honeypot_mark_lte",
    "label_honeypot_mark_gt",
    "label_honeypot_mark_lt",
    "label_category_search",
    "label_labeler_in",
    "label_labeler_not_in",
    "label_reviewer_in",
    "label_reviewer_not_in",
    "issue_type",
    "issue_status",
    "step_id_in",
    "step_id_not_in",
    "step_name_in",
    "step_name_not_in",
    "step_status_in",
    "step_status_not_in",
    "step_id_and_status_in",
    "step_id_and_status_not_in",
    "step_name_and_status_in",
    "step_name_and_status_not_in",
    "group_name_in",
    "group_name_not_in",
];

/// Listing-only argument names of `assets()`.
pub const LISTING_NAMES: &[&str] = &[
    "fields",
    "first",
    "skip",
    "download_media",
    "local_media_dir",
    "download_media_errors",
    "json_response_url_errors",
    "label_output_format",
    "format",
    "as_generator",
    "disable_tqdm",
];

fn assets_names() -> Vec<&'static str> {
    FILTER_NAMES
        .iter()
        .chain(LISTING_NAMES.iter())
        .copied()
        .collect()
}

impl AssetFilters {
    /// Reads the filters from an [`Args`] object (types and enum values checked).
    pub fn from_args(a: &Args<'_>) -> Result<Self> {
        let project_id = a.string("project_id")?.ok_or_else(|| {
            Error::invalid_arg("project_id", "missing: the id of the project is required")
        })?;
        Ok(AssetFilters {
            project_id,
            asset_id: a.string("asset_id")?,
            asset_id_in: a.string_list("asset_id_in")?,
            asset_id_not_in: a.string_list("asset_id_not_in")?,
            external_id_strictly_in: a.string_list("external_id_strictly_in")?,
            external_id_in: a.string_list("external_id_in")?,
            external_id_contains: a.string_list("external_id_contains")?,
            status_in: a.enum_list("status_in", ASSET_STATUSES)?,
            skipped: a.bool("skipped")?,
            consensus_mark_gte: a.f64("consensus_mark_gte")?,
            consensus_mark_lte: a.f64("consensus_mark_lte")?,
            consensus_mark_gt: a.f64("consensus_mark_gt")?,
            consensus_mark_lt: a.f64("consensus_mark_lt")?,
            honeypot_mark_gte: a.f64("honeypot_mark_gte")?,
            honeypot_mark_lte: a.f64("honeypot_mark_lte")?,
            honeypot_mark_gt: a.f64("honeypot_mark_gt")?,
            honeypot_mark_lt: a.f64("honeypot_mark_lt")?,
            inference_mark_gte: a.f64("inference_mark_gte")?,
            inference_mark_lte: a.f64("inference_mark_lte")?,
            created_at_gte: a.string("created_at_gte")?,
            created_at_lte: a.string("created_at_lte")?,
            updated_at_gte: a.string("updated_at_gte")?,
            updated_at_lte: a.string("updated_at_lte")?,
            metadata_where: a.object("metadata_where")?.cloned(),
            assignee_in: a.string_list("assignee_in")?,
            assignee_not_in: a.string_list("assignee_not_in")?,
            label_type_in: a.enum_list("label_type_in", LABEL_TYPES)?,
            label_author_in: a.string_list("label_author_in")?,
            label_created_at: a.string("label_created_at")?,
            label_created_at_gte: a.string("label_created_at_gte")?,
            label_created_at_lte: a.string("label_created_at_lte")?,
            label_created_at_gt: a.string("label_created_at_gt")?,
            label_created_at_lt: a.string("label_created_at_lt")?,
            label_consensus_mark_gte: a.f64("label_consensus_mark_gte")?,
            label_consensus_mark_lte: a.f64("label_consensus_mark_lte")?,
            label_consensus_mark_gt: a.f64("label_consensus_mark_gt")?,
            label_consensus_mark_lt: a.f64("label_consensus_mark_lt")?,
            label_honeypot_mark_gte: a.f64("label_honeypot_mark_gte")?,
            label_honeypot_mark_lte: a.f64("label_honeypot_mark_lte")?,
            label_honeypot_mark_gt: a.f64("label_honeypot_mark_gt")?,
            label_honeypot_mark_lt: a.f64("label_honeypot_mark_lt")?,
            label_category_search: a.string("label_category_search")?,
            label_labeler_in: a.string_list("label_labeler_in")?,
            label_labeler_not_in: a.string_list("label_labeler_not_in")?,
            label_reviewer_in: a.string_list("label_reviewer_in")?,
            label_reviewer_not_in: a.string_list("label_reviewer_not_in")?,
            issue_type: a.enum_value("issue_type", ISSUE_TYPES)?,
            issue_status: a.enum_value("issue_status", ISSUE_STATUSES)?,
            step_id_in: a.string_list("step_id_in")?,
            step_id_not_in: a.string_list("step_id_not_in")?,
            step_name_in: a.string_list("step_name_in")?,
            step_name_not_in: a.string_list("step_name_not_in")?,
            step_status_in: a.enum_list("step_status_in", STEP_STATUSES)?,
            step_status_not_in: a.enum_list("step_status_not_in", STEP_STATUSES)?,
            step_id_and_status_in: step_pairs(a, "step_id_and_status_in", true)?,
            step_id_and_status_not_in: step_pairs(a, "step_id_and_status_not_in", true)?,
            step_name_and_status_in: step_pairs(a, "step_name_and_status_in", false)?,
            step_name_and_status_not_in: step_pairs(a, "step_name_and_status_not_in", false)?,
            group_name_in: a.string_list("group_name_in")?,
            group_name_not_in: a.string_list("group_name_not_in")?,
        })
    }

    /// Reads `count_assets()` arguments from JSON (only filter names are accepted).
    ///
    /// Errors: [`Error::InvalidArgument`] naming the key, the path or the position.
    pub fn from_json(text: &str) -> Result<Self> {
        let obj = crate::args::parse_object(text, "args")?;
        let a = Args::new(&obj, FILTER_NAMES, "")?;
        Self::from_args(&a)
    }

    /// Whether a step-related filter (ids, names, statuses, pairs) is given.
    pub fn has_step_filter(&self) -> bool {
        self.step_id_in.is_some()
            || self.step_id_not_in.is_some()
            || self.step_name_in.is_some()
            || self.step_name_not_in.is_some()
            || self.step_status_in.is_some()
            || self.step_status_not_in.is_some()
            || self.step_id_and_status_in.is_some()
            || self.step_id_and_status_not_in.is_some()
            || self.step_name_and_status_in.is_some()
            || self.step_name_and_status_not_in.is_some()
    }

    /// Whether a group filter is given (even an empty list).
    pub fn has_group_filter(&self) -> bool {
        self.group_name_in.is_some() || self.group_name_not_in.is_some()
    }

    /// Whether `count_assets` looks the project up (steps / workflow version) before counting:
    /// exactly when the official SDK does, i.e. with a step, group or `status_in` filter.
    /// `skipped` alone does not (the SDK leaves it out of that test): it is then sent as is,
    /// with no workflow check and no warning, and an unknown or invisible project is not a
    /// [`crate::Error::NotFound`] but whatever the server counts (0 for the emulator).
    pub fn needs_project(&self) -> bool {
        self.has_step_filter() || self.has_group_filter() || self.status_in.is_some()
    }

    /// Checks everything that needs no project data: the project id, enum values (for values
    /// set in Rust), dates, the category-search grammar, ranges of marks. Reports the
    /// deprecated aliases and values to `events` as [`WarningKind::Deprecation`] warnings.
    ///
    /// Errors: [`Error::InvalidArgument`] naming the argument.
    pub fn validate(&self, events: &EventSink, method: &str) -> Result<()> {
        if self.project_id.trim().is_empty() {
            return Err(Error::invalid_arg(
                "project_id",
                "expected a non-empty project id",
            ));
        }
        let enum_list = |name: &str, v: &Option<Vec<String>>, allowed: &[&str]| -> Result<()> {
            if let Some(items) = v {
                for (i, s) in items.iter().enumerate() {
                    check_enum(&format!("{name}[{i}]"), s, allowed)?;
                }
            }
            Ok(())
        };
        enum_list("status_in", &self.status_in, ASSET_STATUSES)?;
        enum_list("label_type_in", &self.label_type_in, LABEL_TYPES)?;
        enum_list("step_status_in", &self.step_status_in, STEP_STATUSES)?;
        enum_list(
            "step_status_not_in",
            &self.step_status_not_in,
            STEP_STATUSES,
        )?;
        for (name, v) in [
            ("step_id_and_status_in", &self.step_id_and_status_in),
            ("step_id_and_status_not_in", &self.step_id_and_status_not_in),
            ("step_name_and_status_in", &self.step_name_and_status_in),
            (
                "step_name_and_status_not_in",
                &self.step_name_and_status_not_in,
            ),
        ] {
            for (i, p) in v.iter().flatten().enumerate() {
                check_enum(&format!("{name}[{i}].status"), &p.status, STEP_STATUSES)?;
                if p.step.is_empty() {
                    return Err(Error::invalid_arg(
                        format!("{name}[{i}]"),
                        "expected a non-empty step",
                    ));
                }
            }
        }
        if let Some(t) = &self.issue_type {
            check_enum("issue_type", t, ISSUE_TYPES)?;
        }
        if let Some(s) = &self.issue_status {
            check_enum("issue_status", s, ISSUE_STATUSES)?;
        }
        for (name, v) in [
            ("created_at_gte", &self.created_at_gte),
            ("created_at_lte", &self.created_at_lte),
            ("updated_at_gte", &self.updated_at_gte),
            ("updated_at_lte", &self.updated_at_lte),
            ("label_created_at", &self.label_created_at),
            ("label_created_at_gte", &self.label_created_at_gte),
            ("label_created_at_lte", &self.label_created_at_lte),
            // A falsy ("") deprecated alias is ignored (see `seed_or_s`): nothing to check.
            (
                "label_created_at_gt",
                &seed_or_s(&self.label_created_at_gt, &None),
            ),
            (
                "label_created_at_lt",
                &seed_or_s(&self.label_created_at_lt, &None),
            ),
        ] {
            if let Some(d) = v {
                check_date(name, d)?;
            }
        }
        for (name, v) in [
            ("consensus_mark_gte", self.consensus_mark_gte),
            ("consensus_mark_lte", self.consensus_mark_lte),
            ("consensus_mark_gt", self.consensus_mark_gt),
            ("consensus_mark_lt", self.consensus_mark_lt),
            ("honeypot_mark_gte", self.honeypot_mark_gte),
            ("honeypot_mark_lte", self.honeypot_mark_lte),
            ("honeypot_mark_gt", self.honeypot_mark_gt),
            ("honeypot_mark_lt", self.honeypot_mark_lt),
            ("inference_mark_gte", self.inference_mark_gte),
            ("inference_mark_lte", self.inference_mark_lte),
            ("label_consensus_mark_gte", self.label_consensus_mark_gte),
            ("label_consensus_mark_lte", self.label_consensus_mark_lte),
            ("label_consensus_mark_gt", self.label_consensus_mark_gt),
            ("label_consensus_mark_lt", self.label_consensus_mark_lt),
            ("label_honeypot_mark_gte", self.label_honeypot_mark_gte),
            ("label_honeypot_mark_lte", self.label_honeypot_mark_lte),
            ("label_honeypot_mark_gt", self.label_honeypot_mark_gt),
            ("label_honeypot_mark_lt", self.label_honeypot_mark_lt),
        ] {
            if let Some(f) = v {
                if !f.is_finite() {
                    return Err(Error::invalid_arg(
                        name,
                        format!("expected a finite number, got {f}"),
                    ));
                }
            }
        }
        if let Some(q) = &self.label_category_search {
            // Like the SDK: an empty search is not validated (and sent as is).
            if !q.is_empty() {
                crate::assets::search::validate(q)?;
            }
        }
        if self.step_id_in.is_some() && self.step_name_in.is_some() {
            return Err(both_given("step_id_in", "step_name_in"));
        }
        if self.step_id_not_in.is_some() && self.step_name_not_in.is_some() {
            return Err(both_given("step_id_not_in", "step_name_not_in"));
        }
        if self.step_id_and_status_in.is_some() && self.step_name_and_status_in.is_some() {
            return Err(both_given(
                "step_id_and_status_in",
                "step_name_and_status_in",
            ));
        }
        if self.step_id_and_status_not_in.is_some() && self.step_name_and_status_not_in.is_some() {
            return Err(both_given(
                "step_id_and_status_not_in",
                "step_name_and_status_not_in",
            ));
        }
        // Deprecations (reported, the call goes on).
        if self.external_id_contains.is_some() {
            events.warn(
                WarningKind::Deprecation,
                method,
                "external_id_contains is deprecated, use external_id_strictly_in instead",
            );
        }
        // (name, given, truthy): the seed warns only for a truthy value; a falsy one is
        // ignored by the mapping, and we say so rather than stay silent (docs/FIDELITY.md).
        let num = |v: Option<f64>| (v.is_some(), seed_or(v, None).is_some());
        let text = |v: &Option<String>| (v.is_some(), seed_or_s(v, &None).is_some());
        let aliases: [(&str, (bool, bool)); 10] = [
            ("consensus_mark_gt", num(self.consensus_mark_gt)),
            ("consensus_mark_lt", num(self.consensus_mark_lt)),
            ("honeypot_mark_gt", num(self.honeypot_mark_gt)),
            ("honeypot_mark_lt", num(self.honeypot_mark_lt)),
            ("label_consensus_mark_gt", num(self.label_consensus_mark_gt)),
            ("label_consensus_mark_lt", num(self.label_consensus_mark_lt)),
            ("label_created_at_gt", text(&self.label_created_at_gt)),
            ("label_created_at_lt", text(&self.label_created_at_lt)),
            ("label_honeypot_mark_gt", num(self.label_honeypot_mark_gt)),
            ("label_honeypot_mark_lt", num(self.label_honeypot_mark_lt)),
        ];
        for (name, (given, truthy)) in aliases {
            if given {
                let new = name.replace("_gt", "_gte").replace("_lt", "_lte");
                let ignored = if truthy {
                    ""
                } else {
                    " Its value (0 or \"\") is ignored, as the Python SDK ignores falsy values of deprecated aliases."
                };
                events.warn(
                    WarningKind::Deprecation,
                    method,
                    format!("'{name}' is deprecated, please use '{new}' instead.{ignored}"),
                );
            }
        }
        if self.external_id_in.as_ref().is_some_and(|v| v.len() > 10) {
            events.warn(
                WarningKind::Deprecation,
                method,
                "external_id_in with more than 10 values is deprecated (a limit will be enforced); use external_id_strictly_in for exact matches",
            );
        }
        for s in self
            .step_status_in
            .iter()
            .chain(self.step_status_not_in.iter())
            .flatten()
        {
            if DEPRECATED_STEP_STATUSES.contains(&s.as_str()) {
                events.warn(
                    WarningKind::Deprecation,
                    method,
                    format!("step status {s} is deprecated"),
                );
            }
        }
        Ok(())
    }

    /// The Python SDK's (26.2.4) rules between the step/status/group filters and the project's
    /// workflow version, checked in its order once the project is known:
    ///
    /// * group filters (`group_name_in`/`_not_in`, even an empty list) only on V3;
    /// * on V2/V3, `status_in` is refused together with `step_status_in`, any step-id filter
    ///   (`step_id_in`, `step_id_not_in`, `step_id_and_status_in`, `step_id_and_status_not_in`)
    ///   or `step_name_in`; with anything else (`step_status_not_in`, `step_name_not_in`, the
    ///   `step_name_and_status_*` pairs, groups) it is sent alongside, with a warning, as is
    ///   `skipped`. Step names are then converted to ids (see `to_where`);
    /// * on any other version (V1, the legacy workflow) every step filter is refused: the SDK
    ///   refuses all of them but `step_name_not_in` (which it then drops) and
    ///   `step_status_not_in` (which it sends); we refuse those two as well (docs/FIDELITY.md).
    ///
    /// Errors: [`Error::InvalidArgument`] naming the refused argument.
    fn check_workflow_rules(&self, workflow: &str, events: &EventSink, method: &str) -> Result<()> {
        if workflow != "V3" && self.has_group_filter() {
            let arg = if self.group_name_in.is_some() {
                "group_name_in"
            } else {
                "group_name_not_in"
            };
            return Err(Error::invalid_arg(
                arg,
                format!("group filters (group_name_in, group_name_not_in) are only available on multi-group (V3) projects; this project is {workflow}"),
            ));
        }
        if matches!(workflow, "V2" | "V3") {
            if self.status_in.is_some() {
                let clash = [
                    ("step_status_in", self.step_status_in.is_some()),
                    ("step_id_in", self.step_id_in.is_some()),
                    ("step_id_not_in", self.step_id_not_in.is_some()),
                    (
                        "step_id_and_status_in",
                        self.step_id_and_status_in.is_some(),
                    ),
                    (
                        "step_id_and_status_not_in",
                        self.step_id_and_status_not_in.is_some(),
                    ),
                    ("step_name_in", self.step_name_in.is_some()),
                ]
                .into_iter()
                .find(|(_, given)| *given);
                if let Some((other, _)) = clash {
                    return Err(Error::invalid_arg(
                        "status_in",
                        format!("`status_in` and `{other}` are both given: on this {workflow} project filter on step_status_in (and the step filters) instead of status_in"),
                    ));
                }
                events.warn(
                    WarningKind::Deprecation,
                    method,
                    "status_in is deprecated on V2/V3 projects: filter on step_status_in instead",
                );
            }
            if self.skipped.is_some() {
                events.warn(WarningKind::Deprecation, method, "skipped is deprecated on V2/V3 projects: filter on step_status_in with SKIPPED instead");
            }
            return Ok(());
        }
        if self.has_step_filter() {
            return Err(Error::invalid_arg(
                first_step_arg(self),
                format!("step filters are only available on projects with a workflow (V2/V3); this project uses the legacy {workflow} workflow: use status_in"),
            ));
        }
        Ok(())
    }

    /// Builds the `AssetWhere` (kili-wire-query.md §4.4, same key order). `project` is the
    /// `projects` lookup result (`workflowVersion`, `steps { id name }`) when the filters need
    /// it ([`AssetFilters::needs_project`]); step names are resolved to ids there.
    ///
    /// Errors: [`Error::InvalidArgument`] for step/group filters on the wrong workflow version,
    /// `status_in` combined with step filters, or unknown step names.
    pub fn to_where(
        &self,
        project: Option<&Value>,
        events: &EventSink,
        method: &str,
    ) -> Result<Value> {
        let workflow = project
            .and_then(|p| p.get("workflowVersion"))
            .and_then(Value::as_str)
            .unwrap_or("V2");
        let steps: Vec<(String, String)> = project
            .and_then(|p| p.get("steps"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| {
                        Some((
                            s.get("id")?.as_str()?.to_string(),
                            s.get("name")?.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if project.is_some() {
            self.check_workflow_rules(workflow, events, method)?;
        }
        let resolve = |arg: &str, names: &[String]| -> Result<Vec<String>> {
            let unknown: Vec<&String> = names
                .iter()
                .filter(|n| !steps.iter().any(|(_, sn)| sn == *n))
                .collect();
            if !unknown.is_empty() {
                return Err(Error::invalid_arg(
                    arg,
                    format!("the following step names do not match any steps: {unknown:?}"),
                ));
            }
            Ok(steps
                .iter()
                .filter(|(_, sn)| names.contains(sn))
                .map(|(id, _)| id.clone())
                .collect())
        };
        let resolve_pairs = |arg: &str, pairs: &[StepAndStatus]| -> Result<Vec<Value>> {
            let mut out = Vec::new();
            for p in pairs {
                let ids = resolve(arg, std::slice::from_ref(&p.step))?;
                out.extend(
                    ids.into_iter()
                        .map(|id| json!({"stepId": id, "status": p.status})),
                );
            }
            Ok(out)
        };
        let id_pairs = |pairs: &[StepAndStatus]| -> Vec<Value> {
            pairs
                .iter()
                .map(|p| json!({"stepId": p.step, "status": p.status}))
                .collect()
        };
        let non_empty = |v: &Option<Vec<String>>| v.clone().filter(|l| !l.is_empty());
        let step_id_in = match (&self.step_id_in, &self.step_name_in) {
            (Some(ids), _) => Some(ids.clone()),
            (None, Some(names)) => Some(resolve("step_name_in", names)?),
            _ => None,
        };
        let step_id_not_in = match (&self.step_id_not_in, &self.step_name_not_in) {
            (Some(ids), _) => Some(ids.clone()),
            (None, Some(names)) => Some(resolve("step_name_not_in", names)?),
            _ => None,
        };
        let pair_in = match (&self.step_id_and_status_in, &self.step_name_and_status_in) {
            (Some(p), _) => Some(id_pairs(p)),
            (None, Some(p)) => Some(resolve_pairs("step_name_and_status_in", p)?),
            _ => None,
        };
        let pair_not_in = match (
            &self.step_id_and_status_not_in,
            &self.step_name_and_status_not_in,
        ) {
            (Some(p), _) => Some(id_pairs(p)),
            (None, Some(p)) => Some(resolve_pairs("step_name_and_status_not_in", p)?),
            _ => None,
        };
        let external_strict = self
            .external_id_strictly_in
            .clone()
            .filter(|v| !v.is_empty())
            .or_else(|| self.external_id_contains.clone().filter(|v| !v.is_empty()));
        let or = |new: Option<f64>, old: Option<f64>| seed_or(old, new);
        let or_s = |new: &Option<String>, old: &Option<String>| seed_or_s(old, new);
        let w = json!({
            "id": self.asset_id.clone().filter(|s| !s.is_empty()),
            "project": { "id": self.project_id },
            "externalIdStrictlyIn": external_strict,
            "externalIdIn": non_empty(&self.external_id_in),
            "statusIn": self.status_in,
            "consensusMarkGte": or(self.consensus_mark_gte, self.consensus_mark_gt),
            "consensusMarkLte": or(self.consensus_mark_lte, self.consensus_mark_lt),
            "honeypotMarkGte": or(self.honeypot_mark_gte, self.honeypot_mark_gt),
            "honeypotMarkLte": or(self.honeypot_mark_lte, self.honeypot_mark_lt),
            "idIn": non_empty(&self.asset_id_in),
            "idNotIn": non_empty(&self.asset_id_not_in),
            "metadata": self.metadata_where,
            "assigneeIn": self.assignee_in,
            "assigneeNotIn": self.assignee_not_in,
            "label": {
                "typeIn": self.label_type_in,
                "authorIn": self.label_author_in,
                "consensusMarkGte": or(self.label_consensus_mark_gte, self.label_consensus_mark_gt),
                "consensusMarkLte": or(self.label_consensus_mark_lte, self.label_consensus_mark_lt),
                "createdAt": self.label_created_at,
                "createdAtGte": or_s(&self.label_created_at_gte, &self.label_created_at_gt),
                "createdAtLte": or_s(&self.label_created_at_lte, &self.label_created_at_lt),
                "honeypotMarkGte": or(self.label_honeypot_mark_gte, self.label_honeypot_mark_gt),
                "honeypotMarkLte": or(self.label_honeypot_mark_lte, self.label_honeypot_mark_lt),
                "search": self.label_category_search,
                "labelerIn": self.label_labeler_in,
                "labelerNotIn": self.label_labeler_not_in,
                "reviewerIn": self.label_reviewer_in,
                "reviewerNotIn": self.label_reviewer_not_in,
            },
            "skipped": self.skipped,
            "updatedAtGte": self.updated_at_gte,
            "updatedAtLte": self.updated_at_lte,
            "createdAtGte": self.created_at_gte,
            "createdAtLte": self.created_at_lte,
            "inferenceMarkGte": self.inference_mark_gte,
            "inferenceMarkLte": self.inference_mark_lte,
            "issue": { "type": self.issue_type, "status": self.issue_status },
            "stepIdIn": step_id_in,
            "stepIdNotIn": step_id_not_in,
            "stepStatusIn": self.step_status_in,
            "stepStatusNotIn": self.step_status_not_in,
            "stepIdAndStatusIn": pair_in,
            "stepIdAndStatusNotIn": pair_not_in,
            "groupNameIn": non_empty(&self.group_name_in),
            "groupNameNotIn": non_empty(&self.group_name_not_in),
        });
        Ok(crate::transport::http::strip_nulls(json!({ "where": w }))["where"].take())
    }
}

/// Reads a `step_*_and_status_*` argument: a list whose items are `[step, status]` pairs (the
/// Python SDK's tuples) or objects (see [`StepAndStatus`]). `by_id` selects the object keys
/// (`stepId`/`step_id`, else `stepName`/`step_name`). Errors name the item (`key[i]`,
/// `key[i][1]`, `key[i].status`).
fn step_pairs(a: &Args<'_>, key: &str, by_id: bool) -> Result<Option<Vec<StepAndStatus>>> {
    let (camel, snake, what) = if by_id {
        ("stepId", "step_id", "step id")
    } else {
        ("stepName", "step_name", "step name")
    };
    let Some(v) = a.value(key) else {
        return Ok(None);
    };
    let expected = format!(
        "expected a list of [{what}, status] pairs (or of {{\"{camel}\": …, \"status\": …}} objects)"
    );
    let Value::Array(items) = v else {
        return Err(Error::invalid_arg(
            a.path(key),
            format!("{expected}, got {}", crate::args::type_name(v)),
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("{}[{i}]", a.path(key));
        let pair = match item {
            Value::Array(t) => {
                if t.len() != 2 {
                    return Err(Error::invalid_arg(
                        path,
                        format!(
                            "expected a [{what}, status] pair, got an array of {} items",
                            t.len()
                        ),
                    ));
                }
                let step = t[0].as_str().ok_or_else(|| {
                    Error::invalid_arg(
                        format!("{path}[0]"),
                        format!(
                            "expected a {what} (a string), got {}",
                            crate::args::type_name(&t[0])
                        ),
                    )
                })?;
                let status = t[1].as_str().ok_or_else(|| {
                    Error::invalid_arg(
                        format!("{path}[1]"),
                        format!(
                            "expected a step status (a string), got {}",
                            crate::args::type_name(&t[1])
                        ),
                    )
                })?;
                check_enum(&format!("{path}[1]"), status, STEP_STATUSES)?;
                StepAndStatus {
                    step: step.to_string(),
                    status: status.to_string(),
                }
            }
            Value::Object(m) => {
                let prefix = format!("{path}.");
                let o = Args::new(m, &[camel, snake, "status"], &prefix)?;
                let step = o.string(camel)?.or(o.string(snake)?).ok_or_else(|| {
                    Error::invalid_arg(o.path(camel), format!("missing `{camel}`"))
                })?;
                let status = o
                    .enum_value("status", STEP_STATUSES)?
                    .ok_or_else(|| Error::invalid_arg(o.path("status"), "missing `status`"))?;
                StepAndStatus { step, status }
            }
            other => {
                return Err(Error::invalid_arg(
                    path,
                    format!(
                        "expected a [{what}, status] pair (or an object), got {}",
                        crate::args::type_name(other)
                    ),
                ))
            }
        };
        out.push(pair);
    }
    Ok(Some(out))
}

fn first_step_arg(f: &AssetFilters) -> &'static str {
    [
        ("step_id_in", f.step_id_in.is_some()),
        ("step_id_not_in", f.step_id_not_in.is_some()),
        ("step_name_in", f.step_name_in.is_some()),
        ("step_name_not_in", f.step_name_not_in.is_some()),
        ("step_status_in", f.step_status_in.is_some()),
        ("step_status_not_in", f.step_status_not_in.is_some()),
        ("step_id_and_status_in", f.step_id_and_status_in.is_some()),
        (
            "step_id_and_status_not_in",
            f.step_id_and_status_not_in.is_some(),
        ),
        (
            "step_name_and_status_in",
            f.step_name_and_status_in.is_some(),
        ),
    ]
    .iter()
    .find(|(_, b)| *b)
    .map(|(n, _)| *n)
    .unwrap_or("step_name_and_status_not_in")
}

/// The seed's `alias or new` for a deprecated numeric alias (`honeypot_mark_gte =
/// honeypot_mark_gt or honeypot_mark_gte`): a truthy alias wins, even over the new name; a
/// falsy one (`0`, `0.0`, `-0.0`) counts as not given, so the new name's value (possibly
/// `None`, possibly itself `0`) is used as is.
fn seed_or(alias: Option<f64>, new: Option<f64>) -> Option<f64> {
    alias.filter(|v| *v != 0.0).or(new)
}

/// [`seed_or`] for the date aliases: `""` is the falsy string.
fn seed_or_s(alias: &Option<String>, new: &Option<String>) -> Option<String> {
    alias
        .clone()
        .filter(|v| !v.is_empty())
        .or_else(|| new.clone())
}

fn both_given(a: &str, b: &str) -> Error {
    Error::invalid_arg(
        a,
        format!("`{a}` and `{b}` are both given: use only one of them"),
    )
}

/// Accepts `YYYY-MM-DD` and ISO-8601 date-times (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`).
fn check_date(name: &str, d: &str) -> Result<()> {
    let ok = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(d).is_ok()
        || chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S%.fZ").is_ok();
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_arg(
            name,
            format!("expected a date \"YYYY-MM-DD\" (or an ISO-8601 date-time), got \"{d}\""),
        ))
    }
}

impl AssetQuery {
    /// Reads `assets()` arguments from JSON (filters plus listing options).
    ///
    /// Errors: [`Error::InvalidArgument`] naming the key, the path or the position.
    pub fn from_json(text: &str) -> Result<Self> {
        let obj = crate::args::parse_object(text, "args")?;
        let names = assets_names();
        let a = Args::new(&obj, &names, "")?;
        let filters = AssetFilters::from_args(&a)?;
        Ok(AssetQuery {
            filters,
            fields: a.string_list("fields")?,
            first: a.i64("first")?,
            skip: a.i64("skip")?.unwrap_or(0),
            download_media: a.bool("download_media")?.unwrap_or(false),
            local_media_dir: a.string("local_media_dir")?,
            download_media_errors: a.string("download_media_errors")?,
            json_response_url_errors: a.string("json_response_url_errors")?,
            label_output_format: a.string("label_output_format")?,
            format: a.string("format")?,
            as_generator: a.bool("as_generator")?,
            disable_tqdm: a.bool("disable_tqdm")?,
        })
    }

    /// Validates the filters ([`AssetFilters::validate`]) and the listing options: `first` and
    /// `skip` >= 0, `fields` syntax, and the extra options (`assets::extras::validate_options`).
    ///
    /// Errors: [`Error::InvalidArgument`] naming the argument.
    pub fn validate(&self, events: &EventSink, method: &str) -> Result<()> {
        if let Some(f) = self.first {
            if f < 0 {
                return Err(Error::invalid_arg(
                    "first",
                    format!("expected an integer >= 0, got {f}"),
                ));
            }
        }
        if self.skip < 0 {
            return Err(Error::invalid_arg(
                "skip",
                format!("expected an integer >= 0, got {}", self.skip),
            ));
        }
        match self.format.as_deref() {
            None | Some("list") | Some("dict") => {}
            Some("pandas") => {
                return Err(Error::invalid_arg(
                    "format",
                    "format=\"pandas\" is Python-only: iterate the cursor, or use the export, to build a table",
                ))
            }
            Some(other) => return Err(Error::invalid_arg("format", format!("expected \"list\" (or null), got \"{other}\""))),
        }
        crate::assets::extras::validate_options(self)?;
        if let Some(fields) = &self.fields {
            crate::assets::fields::Selection::parse(fields)?;
        }
        self.filters.validate(events, method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink() -> (EventSink, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let s2 = seen.clone();
        (
            EventSink::new(move |e| s2.lock().unwrap().push(e.to_json())),
            seen,
        )
    }

    #[test]
    fn no_filter_where_is_exact() {
        let f = AssetFilters {
            project_id: "p".into(),
            ..Default::default()
        };
        let w = f.to_where(None, &EventSink::none(), "assets").unwrap();
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"project":{"id":"p"},"label":{},"issue":{}}"#
        );
    }

    #[test]
    fn every_filter_maps_in_order() {
        let q = AssetFilters::from_json(
            r#"{"project_id":"p","asset_id":"a","external_id_strictly_in":["e1"],"external_id_in":["e"],
            "status_in":["TODO"],"consensus_mark_gte":0.1,"consensus_mark_lte":0.9,"honeypot_mark_gte":0.2,"honeypot_mark_lte":0.8,
            "asset_id_in":["a1"],"asset_id_not_in":["a3"],"metadata_where":{"k":"v","n":null},"assignee_in":["u"],"assignee_not_in":["v"],
            "label_type_in":["DEFAULT"],"label_author_in":["Jo"],"label_consensus_mark_gte":0.3,"label_consensus_mark_lte":0.7,
            "label_created_at":"2024-01-01","label_created_at_gte":"2024-01-01","label_created_at_lte":"2024-12-31",
            "label_honeypot_mark_gte":0.4,"label_honeypot_mark_lte":0.6,"label_category_search":"J.C.count > 0",
            "label_labeler_in":["l"],"label_labeler_not_in":["m"],"label_reviewer_in":["r"],"label_reviewer_not_in":["s"],
            "skipped":false,"updated_at_gte":"2024-01-01","updated_at_lte":"2024-02-01","created_at_gte":"2023-01-01","created_at_lte":"2025-01-01",
            "inference_mark_gte":0.5,"inference_mark_lte":0.55,"issue_type":"QUESTION","issue_status":"OPEN"}"#,
        )
        .unwrap();
        let w = q.to_where(None, &EventSink::none(), "assets").unwrap();
        let keys: Vec<&String> = w.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            vec![
                "id",
                "project",
                "externalIdStrictlyIn",
                "externalIdIn",
                "statusIn",
                "consensusMarkGte",
                "consensusMarkLte",
                "honeypotMarkGte",
                "honeypotMarkLte",
                "idIn",
                "idNotIn",
                "metadata",
                "assigneeIn",
                "assigneeNotIn",
                "label",
                "skipped",
                "updatedAtGte",
                "updatedAtLte",
                "createdAtGte",
                "createdAtLte",
                "inferenceMarkGte",
                "inferenceMarkLte",
                "issue"
            ]
        );
        assert_eq!(w["metadata"], json!({"k":"v","n":null}));
        assert_eq!(w["label"]["search"], "J.C.count > 0");
        assert_eq!(w["label"].as_object().unwrap().len(), 14);
        assert_eq!(w["issue"], json!({"type":"QUESTION","status":"OPEN"}));
    }

    #[test]
    fn deprecated_aliases_map_and_warn() {
        let (s, seen) = sink();
        let q = AssetFilters {
            project_id: "p".into(),
            consensus_mark_gt: Some(0.5),
            label_created_at_lt: Some("2024-01-01".into()),
            external_id_contains: Some(vec!["x".into()]),
            ..Default::default()
        };
        q.validate(&s, "assets").unwrap();
        let w = q.to_where(None, &s, "assets").unwrap();
        assert_eq!(w["consensusMarkGte"], json!(0.5));
        assert_eq!(w["label"]["createdAtLte"], "2024-01-01");
        assert_eq!(w["externalIdStrictlyIn"], json!(["x"]));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(seen.iter().all(|e| e.contains("deprecation")));
        assert!(seen.iter().any(|e| e.contains("consensus_mark_gte")));
    }

    #[test]
    fn empty_lists_dropped_but_label_type_in_sent() {
        let q = AssetFilters {
            project_id: "p".into(),
            asset_id_in: Some(vec![]),
            label_type_in: Some(vec![]),
            group_name_in: Some(vec![]),
            ..Default::default()
        };
        let w = q.to_where(None, &EventSink::none(), "assets").unwrap();
        assert_eq!(
            w,
            json!({"project":{"id":"p"},"label":{"typeIn":[]},"issue":{}})
        );
    }

    #[test]
    fn step_names_resolve_to_ids() {
        let project = json!({"workflowVersion":"V3","steps":[{"id":"s1","name":"Label"},{"id":"s2","name":"Review"},{"id":"s3","name":"Review"}]});
        let q = AssetFilters {
            project_id: "p".into(),
            step_name_in: Some(vec!["Review".into()]),
            step_name_and_status_not_in: Some(vec![StepAndStatus {
                step: "Label".into(),
                status: "TO_DO".into(),
            }]),
            step_status_in: Some(vec!["DONE".into()]),
            group_name_in: Some(vec!["G".into()]),
            ..Default::default()
        };
        let w = q
            .to_where(Some(&project), &EventSink::none(), "assets")
            .unwrap();
        assert_eq!(w["stepIdIn"], json!(["s2", "s3"]));
        assert_eq!(
            w["stepIdAndStatusNotIn"],
            json!([{"stepId":"s1","status":"TO_DO"}])
        );
        assert_eq!(w["stepStatusIn"], json!(["DONE"]));
        assert_eq!(w["groupNameIn"], json!(["G"]));
        let bad = AssetFilters {
            project_id: "p".into(),
            step_name_in: Some(vec!["Nope".into()]),
            ..Default::default()
        };
        let e = bad
            .to_where(Some(&project), &EventSink::none(), "assets")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Nope") && e.contains("step_name_in"), "{e}");
    }

    #[test]
    fn workflow_rules() {
        let v1 = json!({"workflowVersion":"V1","steps":[]});
        let v2 = json!({"workflowVersion":"V2","steps":[{"id":"s1","name":"Label"}]});
        let step = AssetFilters {
            project_id: "p".into(),
            step_status_in: Some(vec!["DONE".into()]),
            ..Default::default()
        };
        assert!(step
            .to_where(Some(&v1), &EventSink::none(), "assets")
            .unwrap_err()
            .to_string()
            .contains("V1"));
        let group = AssetFilters {
            project_id: "p".into(),
            group_name_in: Some(vec![]),
            ..Default::default()
        };
        assert!(group
            .to_where(Some(&v2), &EventSink::none(), "assets")
            .unwrap_err()
            .to_string()
            .contains("group_name_in"));
        let mix = AssetFilters {
            status_in: Some(vec!["TODO".into()]),
            ..step.clone()
        };
        assert!(mix
            .to_where(Some(&v2), &EventSink::none(), "assets")
            .unwrap_err()
            .to_string()
            .contains("status_in"));
        let both = AssetFilters {
            step_name_in: Some(vec!["Label".into()]),
            step_id_in: Some(vec!["s1".into()]),
            ..step
        };
        assert!(both
            .validate(&EventSink::none(), "assets")
            .unwrap_err()
            .to_string()
            .contains("both given"));
    }

    #[test]
    fn validation_errors_name_the_argument() {
        let cases = [
            (
                r#"{"project_id":"p","status_in":["TODO","DONE"]}"#,
                "status_in[1]",
            ),
            (
                r#"{"project_id":"p","label_type_in":"DEFAULT"}"#,
                "label_type_in",
            ),
            (r#"{"project_id":"p","issue_type":"BUG"}"#, "issue_type"),
            (
                r#"{"project_id":"p","step_id_and_status_in":[{"stepId":"s","status":"NOPE"}]}"#,
                "step_id_and_status_in[0].status",
            ),
            (
                r#"{"project_id":"p","step_id_and_status_in":[{"stepid":"s","status":"DONE"}]}"#,
                "step_id_and_status_in[0].stepid",
            ),
            (r#"{"project_id":"p","skiped":true}"#, "skipped"),
            (r#"{"project_id":1}"#, "project_id"),
            (r#"{}"#, "project_id"),
        ];
        for (json, needle) in cases {
            let e = AssetFilters::from_json(json).unwrap_err().to_string();
            assert!(e.contains(needle), "{json}: {e}");
        }
        for (q, needle) in [
            (
                AssetFilters {
                    project_id: "p".into(),
                    created_at_gte: Some("01/02/2024".into()),
                    ..Default::default()
                },
                "created_at_gte",
            ),
            (
                AssetFilters {
                    project_id: "".into(),
                    ..Default::default()
                },
                "project_id",
            ),
            (
                AssetFilters {
                    project_id: "p".into(),
                    label_category_search: Some("JOB.count > 0".into()),
                    ..Default::default()
                },
                "label_category_search",
            ),
        ] {
            let e = q
                .validate(&EventSink::none(), "assets")
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn listing_options() {
        for (json, needle) in [
            (r#"{"project_id":"p","first":-1}"#, "first"),
            (r#"{"project_id":"p","skip":-2}"#, "skip"),
            (r#"{"project_id":"p","format":"pandas"}"#, "export"),
            (
                r#"{"project_id":"p","download_media":true,"fields":["id"]}"#,
                "content",
            ),
            (
                r#"{"project_id":"p","label_output_format":"parsed"}"#,
                "parsed_label",
            ),
            (
                r#"{"project_id":"p","fields":["labels","labels.id"]}"#,
                "labels",
            ),
        ] {
            let q = AssetQuery::from_json(json).unwrap();
            let e = q
                .validate(&EventSink::none(), "assets")
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{json}: {e}");
        }
        let q = AssetQuery::from_json(
            r#"{"project_id":"p","as_generator":true,"disable_tqdm":true,"first":0}"#,
        )
        .unwrap();
        q.validate(&EventSink::none(), "assets").unwrap();
        // count_assets does not accept listing options
        let e = AssetFilters::from_json(r#"{"project_id":"p","first":1}"#).unwrap_err();
        assert!(e.to_string().contains("first"));
    }
}
