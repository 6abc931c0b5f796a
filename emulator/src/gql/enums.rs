//! GraphQL enums with Kili's names and values. Each maps to the text stored in SQLite.

use async_graphql::Enum;

macro_rules! stored_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
        pub enum $name { $(#[graphql(name = $s)] $v),* }
        impl $name {
            /// The stored (and wire) spelling.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),* } }
            /// Parses the stored spelling.
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some($name::$v),)* _ => None } }
        }
    };
}

stored_enum!(
    /// Asset status of the legacy (V1) workflow.
    Status { Todo = "TODO", Ongoing = "ONGOING", Labeled = "LABELED", Reviewed = "REVIEWED", ToReview = "TO_REVIEW" }
);
stored_enum!(
    /// Status of an asset inside its current workflow step (V2/V3).
    StatusInStep {
        ToDo = "TO_DO", Doing = "DOING", InProgress = "IN_PROGRESS", PartiallyDone = "PARTIALLY_DONE",
        Rework = "REWORK", Redo = "REDO", Done = "DONE", Skipped = "SKIPPED"
    }
);
impl StatusInStep {
    /// Stored form: the deprecated aliases `DOING`/`REDO` are stored as `IN_PROGRESS`/`REWORK`.
    pub fn canonical(self) -> &'static str {
        match self {
            StatusInStep::Doing => "IN_PROGRESS",
            StatusInStep::Redo => "REWORK",
            other => other.as_str(),
        }
    }
}
stored_enum!(
    /// Kind of a label.
    LabelType { Autosave = "AUTOSAVE", Default = "DEFAULT", Inference = "INFERENCE", Prediction = "PREDICTION", Review = "REVIEW" }
);
stored_enum!(
    /// Kind of an issue.
    IssueType { Issue = "ISSUE", Question = "QUESTION" }
);
stored_enum!(
    /// Lifecycle of an issue.
    IssueStatus { Cancelled = "CANCELLED", Open = "OPEN", Solved = "SOLVED" }
);
stored_enum!(
    /// Kind of data a project labels.
    InputType {
        Audio = "AUDIO", Geospatial = "GEOSPATIAL", Image = "IMAGE", LlmInstrFollowing = "LLM_INSTR_FOLLOWING",
        LlmRlhf = "LLM_RLHF", LlmStatic = "LLM_STATIC", Pdf = "PDF", Text = "TEXT", Video = "VIDEO",
        VideoLegacy = "VIDEO_LEGACY", Na = "NA", TimeSeries = "TIME_SERIES", Url = "URL"
    }
);
stored_enum!(
    /// Workflow generation of a project.
    WorkflowVersion { V1 = "V1", V2 = "V2", V3 = "V3" }
);
stored_enum!(
    /// Role of a project member.
    ProjectRole { Admin = "ADMIN", TeamManager = "TEAM_MANAGER", Reviewer = "REVIEWER", Labeler = "LABELER" }
);
stored_enum!(
    /// Post-processing of an asynchronous import.
    UploadType { FrameVideo = "FRAME_VIDEO", GeoSatellite = "GEO_SATELLITE", NativeVideo = "NATIVE_VIDEO", TiledImage = "TILED_IMAGE", Video = "VIDEO" }
);
