//! The command line (clap derive): global connection options, `assets` subcommands, and the
//! filter flags shared by `list` and `count`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// kili: list, count, import, update, delete, review and re-queue the assets of a Kili project.
///
/// Exit codes: 0 success; 2 bad command line; otherwise 10 + the kili status of the failure:
/// 12 invalid argument, 13 invalid state, 14 authentication, 15 not found, 16 rate limited,
/// 17 network, 18 timeout, 19 cancelled, 20 GraphQL error, 21 server error, 22 partial failure
/// (some items failed; the per-item outcomes are printed), 23 internal error.
#[derive(Debug, Parser)]
#[command(name = "kili", version, about, long_about = None)]
pub struct Cli {
    /// GraphQL endpoint of the Kili API.
    #[arg(long, global = true, env = "KILI_API_ENDPOINT")]
    pub endpoint: Option<String>,
    /// API key (prefer the environment variable: command lines are visible to other users).
    #[arg(long, global = true, env = "KILI_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Time limit of the whole command, in seconds (0 = none).
    #[arg(long, global = true, default_value_t = 0)]
    pub timeout: u64,
    /// No progress bars and no warnings on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Commands on assets.
    #[command(subcommand)]
    Assets(AssetsCommand),
}

#[derive(Debug, Subcommand)]
pub enum AssetsCommand {
    /// Lists the assets of a project (streamed; bounded memory).
    List(ListArgs),
    /// Counts the assets matching the filters.
    Count(CountArgs),
    /// Imports files, directories (recursively) or a CSV of `content,externalId` rows.
    Import(ImportArgs),
    /// Updates properties of assets.
    Update(UpdateArgs),
    /// Deletes assets.
    Delete(IdArgs),
    /// Sends assets to review.
    Review(IdArgs),
    /// Sends assets back to the labeling queue.
    Queue(IdArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values: one column per field.
    Csv,
    /// One JSON array.
    Json,
}

/// Filters shared by `list` and `count` (names of the Python SDK's parameters, dashed).
#[derive(Debug, Clone, Args, Default)]
pub struct FilterArgs {
    /// The project.
    #[arg(long)]
    pub project_id: String,
    /// Assets with these ids (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub asset_id_in: Vec<String>,
    /// Assets without these ids.
    #[arg(long, value_delimiter = ',')]
    pub asset_id_not_in: Vec<String>,
    /// Assets with these external ids.
    #[arg(long, value_delimiter = ',')]
    pub external_id_in: Vec<String>,
    /// Assets with exactly these external ids.
    #[arg(long, value_delimiter = ',')]
    pub external_id_strictly_in: Vec<String>,
    /// Statuses (TODO, ONGOING, LABELED, TO_REVIEW, REVIEWED).
    #[arg(long, value_delimiter = ',')]
    pub status_in: Vec<String>,
    /// Current step names.
    #[arg(long, value_delimiter = ',')]
    pub step_name_in: Vec<String>,
    /// Current step statuses.
    #[arg(long, value_delimiter = ',')]
    pub step_status_in: Vec<String>,
    /// Assigned to these users (emails or ids).
    #[arg(long, value_delimiter = ',')]
    pub assignee_in: Vec<String>,
    /// Skipped (true) or not (false).
    #[arg(long)]
    pub skipped: Option<bool>,
    /// Created at or after (YYYY-MM-DD or ISO-8601).
    #[arg(long)]
    pub created_at_gte: Option<String>,
    /// Created at or before.
    #[arg(long)]
    pub created_at_lte: Option<String>,
    /// Updated at or after.
    #[arg(long)]
    pub updated_at_gte: Option<String>,
    /// Updated at or before.
    #[arg(long)]
    pub updated_at_lte: Option<String>,
    /// Category search on labels, e.g. "JOB.CAT.count > 0".
    #[arg(long)]
    pub label_category_search: Option<String>,
    /// Metadata filter, a JSON object.
    #[arg(long)]
    pub metadata_where: Option<String>,
    /// Any other filter of the Python SDK as NAME=JSON (repeatable), e.g. honeypot_mark_gte=0.5.
    #[arg(long = "filter", value_name = "NAME=JSON")]
    pub extra: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Fields to return (comma-separated, dotted), e.g. id,externalId,labels.author.email.
    #[arg(long, value_delimiter = ',')]
    pub fields: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Ndjson)]
    pub format: ListFormat,
    /// At most this many assets.
    #[arg(long)]
    pub first: Option<u64>,
    /// Skip this many assets first.
    #[arg(long, default_value_t = 0)]
    pub skip: u64,
    /// Write to this file instead of stdout (written to a hidden temporary file beside it,
    /// renamed to FILE when complete).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Download the media to --local-media-dir and print local paths as `content`.
    #[arg(long)]
    pub download_media: bool,
    /// Where media are downloaded (default ~/.cache/kili/projects/<project>/assets).
    #[arg(long)]
    pub local_media_dir: Option<PathBuf>,
    /// With --download-media: `raise` (default) stops at the first failed download; `report`
    /// keeps the asset, its URL and a `downloadErrors` list. Ignored without --download-media.
    #[arg(long, value_parser = ["raise", "report"])]
    pub download_media_errors: Option<String>,
    /// Parse labels against the project's interface.
    #[arg(long)]
    pub parsed_labels: bool,
}

#[derive(Debug, Args)]
pub struct CountArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The project.
    #[arg(long)]
    pub project_id: String,
    /// Files or directories (read recursively); external ids are the paths relative to the
    /// given directory, or the file names.
    pub paths: Vec<PathBuf>,
    /// A CSV file with `content` and `externalId` columns (TEXT projects).
    #[arg(long, conflicts_with = "paths")]
    pub csv: Option<PathBuf>,
    /// Separator of the CSV file.
    #[arg(long, default_value_t = ',')]
    pub csv_separator: char,
    /// Wait until the assets are available before returning.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The project.
    #[arg(long)]
    pub project_id: String,
    /// Asset ids (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub asset_ids: Vec<String>,
    /// External ids (comma-separated), instead of asset ids.
    #[arg(long, value_delimiter = ',', conflicts_with = "asset_ids")]
    pub external_ids: Vec<String>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub ids: IdArgs,
    /// Priorities, one per asset (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub priorities: Vec<i64>,
    /// JSON metadata (an object) given to every asset.
    #[arg(long)]
    pub json_metadata: Option<String>,
    /// Any other parameter of update_properties_in_assets as NAME=JSON (repeatable), e.g.
    /// is_honeypot_array=[true,false].
    #[arg(long = "set", value_name = "NAME=JSON")]
    pub set: Vec<String>,
}
