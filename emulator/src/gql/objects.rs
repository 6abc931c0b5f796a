//! GraphQL output types with Kili's names. Objects wrap database rows; nested objects are
//! loaded on demand (labels are preloaded per page by the `assets` resolver).

use async_graphql::{Context, Interface, Object, Result, SimpleObject, ID};

use super::enums::*;
use super::{app, Gql};
use crate::store::rows::{self, AssetRow, IssueRow, LabelRow, ProjectRow, StepRow, UserRow};

/// A Kili user.
#[derive(SimpleObject, Clone)]
pub struct User {
    pub id: ID,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
}

impl From<&UserRow> for User {
    fn from(u: &UserRow) -> Self {
        User {
            id: ID(u.id.clone()),
            email: u.email.clone(),
            firstname: u.firstname.clone(),
            lastname: u.lastname.clone(),
        }
    }
}

/// An API key of the viewer.
#[derive(SimpleObject, Clone)]
pub struct ApiKey {
    pub id: ID,
    pub key: Option<String>,
    pub name: Option<String>,
    pub created_at: Option<String>,
    pub expiry_date: String,
    pub revoked: Option<bool>,
}

/// Licence of an organization.
#[derive(SimpleObject, Clone)]
pub struct License {
    pub upload_local_data: bool,
}

/// An organization.
#[derive(SimpleObject, Clone)]
pub struct Organization {
    pub id: ID,
    pub name: Option<String>,
    pub license: License,
}

/// A notification (asynchronous imports).
#[derive(SimpleObject, Clone)]
pub struct Notification {
    pub id: ID,
    pub status: String,
    pub created_at: Option<String>,
}

/// An organization tag.
#[derive(SimpleObject, Clone)]
pub struct Tag {
    pub id: ID,
    pub label: String,
    pub color: Option<String>,
}

/// A member of a project with its role.
#[derive(SimpleObject, Clone)]
pub struct ProjectUser {
    pub id: ID,
    pub role: Option<ProjectRole>,
    pub user: User,
    pub activated: Option<bool>,
}

/// A workflow step.
#[derive(SimpleObject, Clone)]
pub struct ProjectStep {
    pub id: ID,
    pub name: String,
    #[graphql(name = "type")]
    pub kind: Option<String>,
    pub step_group_name: Option<String>,
}

impl From<&StepRow> for ProjectStep {
    fn from(s: &StepRow) -> Self {
        ProjectStep {
            id: ID(s.id.clone()),
            name: s.name.clone(),
            kind: s.kind.clone(),
            step_group_name: s.step_group_name.clone(),
        }
    }
}

/// A cloud-storage connection of a project.
#[derive(SimpleObject, Clone)]
pub struct DataConnection {
    pub id: ID,
}

/// A labeling project.
pub struct Project(pub ProjectRow);

#[Object]
impl Project {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn input_type(&self) -> InputType {
        InputType::parse(&self.0.input_type).unwrap_or(InputType::Image)
    }
    async fn json_interface(&self) -> Option<&str> {
        self.0.json_interface.as_deref()
    }
    async fn workflow_version(&self) -> WorkflowVersion {
        WorkflowVersion::parse(&self.0.workflow_version).unwrap_or(WorkflowVersion::V1)
    }
    async fn created_at(&self) -> Option<&str> {
        Some(&self.0.created_at)
    }
    async fn updated_at(&self) -> Option<&str> {
        self.0.updated_at.as_deref().or(Some(&self.0.created_at))
    }
    async fn archived(&self) -> Option<bool> {
        Some(self.0.archived)
    }
    async fn starred(&self) -> Option<bool> {
        Some(self.0.starred)
    }
    async fn consensus_tot_coverage(&self) -> Option<i32> {
        self.0.consensus_tot_coverage.map(|v| v as i32)
    }
    async fn min_consensus_size(&self) -> Option<i32> {
        self.0.min_consensus_size.map(|v| v as i32)
    }
    async fn review_coverage(&self) -> Option<i32> {
        self.0.review_coverage.map(|v| v as i32)
    }
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<ProjectUser>> {
        let members = app(ctx)
            .store
            .read(|c| rows::members_of(c, &self.0.id))
            .gql()?;
        Ok(members
            .into_iter()
            .map(|(id, role, activated, u)| ProjectUser {
                id: ID(id),
                role: role.as_deref().and_then(ProjectRole::parse),
                user: User::from(&u),
                activated: Some(activated),
            })
            .collect())
    }
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<ProjectStep>> {
        let steps = app(ctx)
            .store
            .read(|c| rows::steps_of(c, &self.0.id))
            .gql()?;
        Ok(steps.iter().map(ProjectStep::from).collect())
    }
    async fn data_connections(&self, ctx: &Context<'_>) -> Result<Vec<DataConnection>> {
        let ids: Vec<String> = app(ctx)
            .store
            .read(|c| {
                let mut st = c.prepare_cached(
                    "SELECT id FROM data_connections WHERE project_id = ?1 ORDER BY id",
                )?;
                let r = st
                    .query_map([&self.0.id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                Ok(r)
            })
            .gql()?;
        Ok(ids
            .into_iter()
            .map(|id| DataConnection { id: ID(id) })
            .collect())
    }
}

/// Width and height of an image or video asset.
#[derive(SimpleObject, Clone)]
pub struct Resolution {
    pub width: Option<i32>,
    pub height: Option<i32>,
}

/// Size and rotation of one page of a PDF asset.
#[derive(SimpleObject, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageResolution {
    pub page_number: Option<i32>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub rotation: Option<i32>,
}

/// The workflow step an asset is in (V2/V3).
#[derive(SimpleObject, Clone)]
pub struct AssetStep {
    pub id: Option<ID>,
    pub name: Option<String>,
    pub status: Option<StatusInStep>,
    pub step_group_name: Option<String>,
}

/// An issue or question raised on an asset.
pub struct Issue(pub IssueRow);

#[Object]
impl Issue {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn created_at(&self) -> Option<&str> {
        self.0.created_at.as_deref()
    }
    #[graphql(name = "type")]
    async fn kind(&self) -> Option<IssueType> {
        self.0.kind.as_deref().and_then(IssueType::parse)
    }
    async fn status(&self) -> Option<IssueStatus> {
        self.0.status.as_deref().and_then(IssueStatus::parse)
    }
    async fn asset_id(&self) -> Option<ID> {
        Some(ID(self.0.asset_id.clone()))
    }
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(a) = &self.0.author_id else {
            return Ok(None);
        };
        Ok(app(ctx)
            .store
            .read(|c| rows::user_by_id(c, a))
            .gql()?
            .as_ref()
            .map(User::from))
    }
}

/// An asset of a project.
pub struct Asset(pub AssetRow);

impl Asset {
    fn labels_loaded(&self, ctx: &Context<'_>) -> Result<Vec<LabelRow>> {
        if let Some(l) = &self.0.labels {
            return Ok(l.clone());
        }
        let mut m = app(ctx)
            .store
            .read(|c| rows::labels_of_assets(c, &[self.0.id.as_str()]))
            .gql()?;
        Ok(m.remove(&self.0.id).unwrap_or_default())
    }
}

#[Object]
impl Asset {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn content(&self) -> &str {
        &self.0.content
    }
    async fn json_content(&self) -> Option<&str> {
        self.0.json_content.as_deref()
    }
    async fn json_metadata(&self) -> &str {
        &self.0.json_metadata
    }
    async fn created_at(&self) -> Option<&str> {
        Some(&self.0.created_at)
    }
    async fn updated_at(&self) -> Option<&str> {
        self.0.updated_at.as_deref().or(Some(&self.0.created_at))
    }
    async fn is_honeypot(&self) -> Option<bool> {
        Some(self.0.is_honeypot)
    }
    async fn skipped(&self) -> Option<bool> {
        Some(self.0.skipped)
    }
    async fn status(&self) -> Option<Status> {
        Status::parse(&self.0.status)
    }
    async fn priority(&self) -> Option<i32> {
        Some(self.0.priority as i32)
    }
    async fn consensus_mark(&self) -> Option<f64> {
        self.0.consensus_mark
    }
    async fn honeypot_mark(&self) -> Option<f64> {
        self.0.honeypot_mark
    }
    async fn inference_mark(&self) -> Option<f64> {
        self.0.inference_mark
    }
    async fn is_used_for_consensus(&self) -> Option<bool> {
        Some(self.0.is_used_for_consensus)
    }
    async fn ocr_metadata(&self) -> Option<&str> {
        self.0.ocr_metadata.as_deref()
    }
    async fn resolution(&self) -> Option<Resolution> {
        if self.0.resolution_width.is_none() && self.0.resolution_height.is_none() {
            return None;
        }
        Some(Resolution {
            width: self.0.resolution_width.map(|v| v as i32),
            height: self.0.resolution_height.map(|v| v as i32),
        })
    }
    async fn page_resolutions(&self) -> Option<Vec<PageResolution>> {
        self.0
            .page_resolutions
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
    }
    async fn geospatial_export_metadata(&self) -> Option<serde_json::Value> {
        self.0
            .geospatial_export_metadata
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
    }
    async fn labels(&self, ctx: &Context<'_>) -> Result<Vec<Label>> {
        Ok(self.labels_loaded(ctx)?.into_iter().map(Label).collect())
    }
    /// The most recent label of the asset.
    async fn latest_label(&self, ctx: &Context<'_>) -> Result<Option<Label>> {
        Ok(self
            .labels_loaded(ctx)?
            .into_iter()
            .rev()
            .find(|l| l.is_latest)
            .map(Label))
    }
    /// The latest label of each author.
    async fn latest_labels(&self, ctx: &Context<'_>) -> Result<Vec<Label>> {
        Ok(self
            .labels_loaded(ctx)?
            .into_iter()
            .filter(|l| l.is_latest)
            .map(Label)
            .collect())
    }
    async fn current_step(&self) -> Option<AssetStep> {
        let id = self.0.step_id.as_ref()?;
        Some(AssetStep {
            id: Some(ID(id.clone())),
            name: self.0.step_name.clone(),
            status: self.0.step_status.as_deref().and_then(StatusInStep::parse),
            step_group_name: self.0.step_group_name.clone(),
        })
    }
    async fn project(&self, ctx: &Context<'_>) -> Result<Option<Project>> {
        Ok(app(ctx)
            .store
            .read(|c| rows::project_by_id(c, &self.0.project_id))
            .gql()?
            .map(Project))
    }
    async fn assigned_to(&self, ctx: &Context<'_>) -> Result<Option<Vec<User>>> {
        let users = app(ctx)
            .store
            .read(|c| rows::assignees_of(c, &self.0.id))
            .gql()?;
        Ok(Some(users.iter().map(User::from).collect()))
    }
    async fn issues(&self, ctx: &Context<'_>) -> Result<Option<Vec<Issue>>> {
        let issues = app(ctx)
            .store
            .read(|c| rows::issues_of_asset(c, &self.0.id))
            .gql()?;
        Ok(Some(issues.into_iter().map(Issue).collect()))
    }
}

/// A label of an asset.
pub struct Label(pub LabelRow);

#[Object]
impl Label {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn author(&self) -> Option<User> {
        self.0.author.as_ref().map(User::from)
    }
    async fn created_at(&self) -> Option<&str> {
        Some(&self.0.created_at)
    }
    async fn updated_at(&self) -> Option<&str> {
        self.0.updated_at.as_deref().or(Some(&self.0.created_at))
    }
    async fn json_response(&self) -> &str {
        &self.0.json_response
    }
    async fn json_response_url(&self) -> Option<&str> {
        self.0.json_response_url.as_deref()
    }
    async fn label_type(&self) -> Option<LabelType> {
        self.0.label_type.as_deref().and_then(LabelType::parse)
    }
    async fn is_latest_label_for_user(&self) -> Option<bool> {
        Some(self.0.is_latest)
    }
    async fn is_last_for_step(&self) -> Option<bool> {
        Some(self.0.is_latest)
    }
    async fn is_sent_back_to_queue(&self) -> Option<bool> {
        Some(self.0.is_sent_back_to_queue)
    }
    async fn model_name(&self) -> Option<&str> {
        self.0.model_name.as_deref()
    }
    async fn seconds_to_label(&self) -> Option<f64> {
        self.0.seconds_to_label
    }
    async fn honeypot_mark(&self) -> Option<f64> {
        self.0.honeypot_mark
    }
    async fn consensus_mark(&self) -> Option<f64> {
        self.0.consensus_mark
    }
    async fn inference_mark(&self) -> Option<f64> {
        self.0.inference_mark
    }
    async fn label_of(&self, ctx: &Context<'_>) -> Result<Option<Asset>> {
        Ok(app(ctx)
            .store
            .read(|c| rows::asset_by_id(c, &self.0.asset_id))
            .gql()?
            .map(Asset))
    }
    /// Annotations (LLM projects). The emulator stores labels as jsonResponse only, so this
    /// list is always empty.
    async fn annotations(&self) -> Vec<Annotation> {
        Vec::new()
    }
}

/// One annotation of a label (LLM projects).
#[derive(Interface)]
#[graphql(
    field(name = "id", ty = "ID"),
    field(name = "job", ty = "String"),
    field(name = "path", ty = "Vec<Vec<String>>"),
    field(name = "label_id", ty = "ID")
)]
pub enum Annotation {
    Classification(ClassificationAnnotation),
    Comparison(ComparisonAnnotation),
    Transcription(TranscriptionAnnotation),
}

/// Value of a classification annotation.
#[derive(SimpleObject, Clone)]
pub struct ClassificationAnnotationValue {
    pub categories: Vec<String>,
}

/// The choice of a comparison annotation.
#[derive(SimpleObject, Clone)]
pub struct ComparisonChoice {
    pub code: Option<String>,
    pub first_id: Option<ID>,
    pub second_id: Option<ID>,
}

/// Value of a comparison annotation.
#[derive(SimpleObject, Clone)]
pub struct ComparisonAnnotationValue {
    pub choice: ComparisonChoice,
}

/// Value of a transcription annotation.
#[derive(SimpleObject, Clone)]
pub struct TranscriptionAnnotationValue {
    pub text: String,
}

/// Fields shared by the three annotation kinds.
#[derive(Clone)]
pub struct AnnotationBase {
    pub id: String,
    pub job: String,
    pub path: Vec<Vec<String>>,
    pub label_id: String,
    pub chat_item_id: Option<String>,
}

macro_rules! annotation_type {
    ($(#[$m:meta])* $name:ident, $value:ty) => {
        $(#[$m])*
        #[derive(Clone)]
        pub struct $name {
            pub base: AnnotationBase,
            pub value: $value,
        }
        #[Object]
        impl $name {
            async fn id(&self) -> ID { ID(self.base.id.clone()) }
            async fn job(&self) -> String { self.base.job.clone() }
            async fn path(&self) -> Vec<Vec<String>> { self.base.path.clone() }
            async fn label_id(&self) -> ID { ID(self.base.label_id.clone()) }
            async fn annotation_value(&self) -> $value { self.value.clone() }
            async fn chat_item_id(&self) -> Option<ID> { self.base.chat_item_id.clone().map(ID) }
        }
    };
}

annotation_type!(
    /// A classification annotation.
    ClassificationAnnotation, ClassificationAnnotationValue
);
annotation_type!(
    /// A comparison annotation.
    ComparisonAnnotation, ComparisonAnnotationValue
);
annotation_type!(
    /// A transcription annotation.
    TranscriptionAnnotation, TranscriptionAnnotationValue
);

/// An asset named by its ids.
#[derive(SimpleObject, Clone)]
pub struct AssetRef {
    pub asset_id: ID,
    pub external_id: Option<String>,
}

/// An asset whose write threw.
#[derive(SimpleObject, Clone)]
pub struct AssetFailure {
    pub asset_id: ID,
    pub external_id: Option<String>,
    pub details: Option<String>,
}

/// Per-item outcome of an asset action.
#[derive(SimpleObject, Clone)]
pub struct AssetActionOutcome {
    pub succeeded: Vec<AssetRef>,
    pub declined: Vec<AssetRef>,
    pub failed: Vec<AssetFailure>,
}
