//! The command line (clap derive): global connection options, `assets` subcommands, the
//! filter flags shared by `list` and `count`, and the id flags of the mutations (inline lists
//! or files of ids, `-` for the standard input).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The exit codes, shown after `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0    success (also when the reader of stdout goes away, e.g. `| head -1`)
  2    bad command line (unknown command or flag, missing flag, conflicting flags)
  12   invalid argument, named in the message (also an unreadable ids file)
  13   invalid state          14   authentication        15   not found
  16   rate limited           17   network               18   timeout
  19   cancelled              20   GraphQL error         21   server error
  22   partial failure (per-item outcomes in the details)
  23   internal error
  130  interrupted by SIGINT (Ctrl-C)                    143  terminated by SIGTERM";

/// kili-native: list, count, import, update, delete, review and re-queue the assets of a Kili
/// project.
///
/// Exit codes: 0 success (also when the reader of stdout went away, e.g. `| head`); 2 bad
/// command line; 130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM; otherwise 10 + the kili
/// status of the failure: 12 invalid argument (also an unreadable ids file), 13 invalid state,
/// 14 authentication, 15 not found, 16 rate limited, 17 network, 18 timeout, 19 cancelled,
/// 20 GraphQL error, 21 server error, 22 partial failure (some items failed; the per-item
/// outcomes are printed), 23 internal error.
// Named `kili-native`, not `kili`: the official Python SDK installs a `kili` command too, and
// both may sit on one PATH.
#[derive(Debug, Parser)]
#[command(name = "kili-native", version, about, long_about = None, after_help = EXIT_CODES)]
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

/// The command groups.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Commands on assets.
    #[command(subcommand)]
    Assets(AssetsCommand),
}

/// The `assets` commands.
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
    /// Sets the priority of assets (set_assets_priority).
    Priority(PriorityArgs),
    /// Makes the given users the assignees of assets (assign_assets_to_labelers).
    Assign(AssignArgs),
    /// Turns consensus on or off for one asset (update_asset_consensus).
    Consensus(ConsensusArgs),
    /// Adds keys to the metadata of assets, keeping the others (add_metadata).
    AddMetadata(MetadataArgs),
    /// Replaces the metadata of assets (set_metadata).
    SetMetadata(MetadataArgs),
    /// Skips one asset (skip_or_unskip with action skip).
    Skip(SkipArgs),
    /// Unskips one asset (skip_or_unskip with action unskip).
    Unskip(OneAssetArgs),
}

/// Output format of `assets list`.
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
/// Inline lists are comma-separated; the `--*-ids-file` flags read one id per line instead.
#[derive(Debug, Clone, Args, Default)]
pub struct FilterArgs {
    /// The project.
    #[arg(long)]
    pub project_id: String,
    /// Assets with these ids (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub asset_id_in: Vec<String>,
    /// Assets with the ids listed in this file, one per line (`-` = standard input); instead
    /// of --asset-id-in.
    #[arg(long, value_name = "PATH", conflicts_with = "asset_id_in")]
    pub asset_ids_file: Option<PathBuf>,
    /// Assets without these ids.
    #[arg(long, value_delimiter = ',')]
    pub asset_id_not_in: Vec<String>,
    /// Assets with these external ids.
    #[arg(long, value_delimiter = ',')]
    pub external_id_in: Vec<String>,
    /// Assets with exactly these external ids.
    #[arg(long, value_delimiter = ',')]
    pub external_id_strictly_in: Vec<String>,
    /// Assets with exactly the external ids listed in this file, one per line (`-` = standard
    /// input); instead of --external-id-strictly-in.
    #[arg(long, value_name = "PATH", conflicts_with = "external_id_strictly_in")]
    pub external_ids_file: Option<PathBuf>,
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

/// Arguments of `assets list`.
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

/// Arguments of `assets count`.
#[derive(Debug, Args)]
pub struct CountArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
}

/// Arguments of `assets import`.
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

/// The assets a mutation acts on: exactly one of the four id flags.
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
    /// Asset ids read from this file, one per line (blank lines and surrounding spaces
    /// ignored; `-` = standard input), instead of --asset-ids.
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with_all = ["asset_ids", "external_ids", "external_ids_file"]
    )]
    pub asset_ids_file: Option<PathBuf>,
    /// External ids read from this file, one per line (`-` = standard input), instead of
    /// --external-ids.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["asset_ids", "external_ids"])]
    pub external_ids_file: Option<PathBuf>,
}

/// Arguments of `assets update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub ids: IdArgs,
    /// Priorities, one per asset in the order of the ids (comma-separated).
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

/// Arguments of `assets priority`.
#[derive(Debug, Args)]
pub struct PriorityArgs {
    #[command(flatten)]
    pub ids: IdArgs,
    /// The priority given to every asset (an integer >= 0; higher is served first).
    #[arg(long)]
    pub priority: i64,
}

/// Arguments of `assets assign`.
#[derive(Debug, Args)]
pub struct AssignArgs {
    #[command(flatten)]
    pub ids: IdArgs,
    /// User ids (comma-separated) that become the assignees of every asset.
    #[arg(long, value_delimiter = ',', required_unless_present = "unassign")]
    pub to: Vec<String>,
    /// Leaves the assets assigned to nobody, instead of --to.
    #[arg(long, conflicts_with = "to")]
    pub unassign: bool,
}

/// Arguments of `assets consensus`.
#[derive(Debug, Args)]
pub struct ConsensusArgs {
    /// The project.
    #[arg(long)]
    pub project_id: String,
    /// The asset's id.
    #[arg(long, required_unless_present = "external_id")]
    pub asset_id: Option<String>,
    /// The asset's external id, instead of --asset-id.
    #[arg(long, conflicts_with = "asset_id")]
    pub external_id: Option<String>,
    /// `true` to use the asset for consensus, `false` to stop.
    #[arg(long, action = clap::ArgAction::Set)]
    pub is_consensus: bool,
}

/// Arguments of `assets add-metadata` and `assets set-metadata`.
#[derive(Debug, Args)]
pub struct MetadataArgs {
    #[command(flatten)]
    pub ids: IdArgs,
    /// The metadata (a JSON object of strings and numbers) given to every asset.
    #[arg(long)]
    pub json_metadata: String,
}

/// One asset of one project (`assets unskip`).
#[derive(Debug, Args)]
pub struct OneAssetArgs {
    /// The project.
    #[arg(long)]
    pub project_id: String,
    /// The asset's id.
    #[arg(long)]
    pub asset_id: String,
}

/// Arguments of `assets skip`.
#[derive(Debug, Args)]
pub struct SkipArgs {
    #[command(flatten)]
    pub asset: OneAssetArgs,
    /// Why the asset is skipped.
    #[arg(long)]
    pub reason: String,
}
