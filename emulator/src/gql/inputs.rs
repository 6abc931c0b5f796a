//! GraphQL input objects (filters and mutation data), with Kili's names. Every field is
//! nullable, as in the reference schema.

use async_graphql::{InputObject, ID};

use super::enums::*;

/// Filter on organizations.
#[derive(InputObject, Debug, Clone, Default)]
pub struct OrganizationWhere {
    pub id: Option<ID>,
    pub user: Option<Box<UserWhere>>,
}

/// Filter on users.
#[derive(InputObject, Debug, Clone, Default)]
pub struct UserWhere {
    pub id: Option<ID>,
    pub id_in: Option<Vec<ID>>,
    pub email: Option<String>,
    pub activated: Option<bool>,
    pub organization: Option<Box<OrganizationWhere>>,
}

/// Filter on API keys.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ApiKeyWhere {
    pub id: Option<ID>,
    pub key: Option<String>,
    pub user: Option<UserWhere>,
}

/// Filter on notifications.
#[derive(InputObject, Debug, Clone, Default)]
pub struct NotificationWhere {
    pub id: Option<ID>,
}

/// Filter on projects.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ProjectWhere {
    pub id: Option<ID>,
    pub archived: Option<bool>,
    pub search_query: Option<String>,
    pub should_relaunch_kpi_computation: Option<bool>,
    pub starred: Option<bool>,
    pub updated_at_gte: Option<String>,
    pub updated_at_lte: Option<String>,
    pub created_at_gte: Option<String>,
    pub created_at_lte: Option<String>,
    pub organization_id: Option<ID>,
    pub tag_ids: Option<Vec<ID>>,
    pub deleted: Option<bool>,
}

/// Filter on labels; inside AssetWhere all criteria bind to one same label.
#[derive(InputObject, Debug, Clone, Default)]
pub struct LabelWhere {
    pub id: Option<ID>,
    pub id_in: Option<Vec<ID>>,
    pub asset: Option<Box<AssetWhere>>,
    pub project: Option<ProjectWhere>,
    pub user: Option<UserWhere>,
    pub type_in: Option<Vec<LabelType>>,
    pub author_in: Option<Vec<String>>,
    pub consensus_mark_gte: Option<f64>,
    pub consensus_mark_lte: Option<f64>,
    pub created_at: Option<String>,
    pub created_at_gte: Option<String>,
    pub created_at_lte: Option<String>,
    pub honeypot_mark_gte: Option<f64>,
    pub honeypot_mark_lte: Option<f64>,
    pub search: Option<String>,
    pub labeler_in: Option<Vec<String>>,
    pub labeler_not_in: Option<Vec<String>>,
    pub reviewer_in: Option<Vec<String>>,
    pub reviewer_not_in: Option<Vec<String>>,
}

/// Filter on issues; inside AssetWhere: "has an issue with this type and status".
#[derive(InputObject, Debug, Clone, Default)]
pub struct IssueWhere {
    pub id: Option<ID>,
    pub project: Option<ProjectWhere>,
    pub asset: Option<Box<AssetWhere>>,
    pub asset_in: Option<Vec<ID>>,
    #[graphql(name = "type")]
    pub kind: Option<IssueType>,
    pub status: Option<IssueStatus>,
}

/// A (step, status in step) couple.
#[derive(InputObject, Debug, Clone)]
pub struct AssetStepIdAndStatusWhere {
    pub step_id: ID,
    pub status: StatusInStep,
}

/// Filter on assets.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AssetWhere {
    pub id: Option<ID>,
    pub project: Option<ProjectWhere>,
    pub external_id_strictly_in: Option<Vec<String>>,
    pub external_id_in: Option<Vec<String>>,
    pub status_in: Option<Vec<Status>>,
    pub consensus_mark_gte: Option<f64>,
    pub consensus_mark_lte: Option<f64>,
    pub honeypot_mark_gte: Option<f64>,
    pub honeypot_mark_lte: Option<f64>,
    pub id_in: Option<Vec<ID>>,
    pub id_not_in: Option<Vec<ID>>,
    pub metadata: Option<serde_json::Value>,
    pub assignee_in: Option<Vec<String>>,
    pub assignee_not_in: Option<Vec<String>>,
    pub label: Option<LabelWhere>,
    pub skipped: Option<bool>,
    pub updated_at_gte: Option<String>,
    pub updated_at_lte: Option<String>,
    pub created_at_gte: Option<String>,
    pub created_at_lte: Option<String>,
    pub inference_mark_gte: Option<f64>,
    pub inference_mark_lte: Option<f64>,
    pub issue: Option<IssueWhere>,
    pub step_id_in: Option<Vec<ID>>,
    pub step_id_not_in: Option<Vec<ID>>,
    pub step_status_in: Option<Vec<StatusInStep>>,
    pub step_status_not_in: Option<Vec<StatusInStep>>,
    pub step_id_and_status_in: Option<Vec<AssetStepIdAndStatusWhere>>,
    pub step_id_and_status_not_in: Option<Vec<AssetStepIdAndStatusWhere>>,
    pub group_name_in: Option<Vec<String>>,
    pub group_name_not_in: Option<Vec<String>>,
}

/// Width and height given to updatePropertiesInAssets.
#[derive(InputObject, Debug, Clone, serde::Serialize)]
pub struct ResolutionInput {
    pub width: i32,
    pub height: i32,
}

/// One page's size given to updatePropertiesInAssets.
#[derive(InputObject, Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageResolutionInput {
    pub page_number: i32,
    pub width: i32,
    pub height: i32,
    pub rotation: Option<i32>,
}

/// New properties of one asset; a null means "leave unchanged".
#[derive(InputObject, Debug, Clone, Default)]
pub struct AssetData {
    pub external_id: Option<String>,
    pub priority: Option<i32>,
    pub json_metadata: Option<String>,
    pub consensus_mark: Option<f64>,
    pub honeypot_mark: Option<f64>,
    pub to_be_labeled_by: Option<Vec<String>>,
    pub should_reset_to_be_labeled_by: Option<bool>,
    pub content: Option<String>,
    pub json_content: Option<String>,
    pub is_used_for_consensus: Option<bool>,
    pub is_honeypot: Option<bool>,
    pub page_resolutions: Option<Vec<PageResolutionInput>>,
    pub resolution: Option<ResolutionInput>,
}

/// Parallel per-asset arrays of appendManyAssets.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AppendManyAssetsData {
    pub content_array: Option<Vec<String>>,
    #[graphql(name = "externalIDArray")]
    pub external_id_array: Option<Vec<String>>,
    pub id_array: Option<Vec<ID>>,
    pub is_honeypot_array: Option<Vec<bool>>,
    pub json_content_array: Option<Vec<String>>,
    pub json_metadata_array: Option<Vec<String>>,
}

/// Parallel per-asset arrays of appendManyAssetsAsynchronously.
#[derive(InputObject, Debug, Clone)]
pub struct AppendManyAssetsAsynchronouslyData {
    pub content_array: Option<Vec<String>>,
    pub multi_layer_content_array: Option<Vec<Vec<serde_json::Value>>>,
    pub json_content_array: Option<Vec<String>>,
    #[graphql(name = "externalIDArray")]
    pub external_id_array: Option<Vec<String>>,
    pub id_array: Option<Vec<ID>>,
    pub json_metadata_array: Option<Vec<String>>,
    pub upload_type: UploadType,
}

/// Legacy: parallel per-asset arrays of appendManyToDataset.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AppendManyToDatasetData {
    pub content_array: Option<Vec<String>>,
    #[graphql(name = "externalIDArray")]
    pub external_id_array: Option<Vec<String>>,
    pub id_array: Option<Vec<ID>>,
    pub is_honeypot_array: Option<Vec<bool>>,
    pub status_array: Option<Vec<Status>>,
    pub json_content_array: Option<Vec<String>>,
    pub json_metadata_array: Option<Vec<String>>,
}

/// Legacy: parallel per-asset arrays of appendManyFramesToDatasetAsynchronously.
#[derive(InputObject, Debug, Clone)]
pub struct AppendManyFramesToDatasetAsynchronouslyData {
    pub content_array: Option<Vec<String>>,
    pub multi_layer_content_array: Option<Vec<Vec<serde_json::Value>>>,
    pub json_content_array: Option<Vec<String>>,
    #[graphql(name = "externalIDArray")]
    pub external_id_array: Option<Vec<String>>,
    pub id_array: Option<Vec<ID>>,
    pub json_metadata_array: Option<Vec<String>>,
    pub upload_type: UploadType,
}

/// One asset to create, gathered from the parallel arrays of any import mutation.
#[derive(Debug, Clone, Default)]
pub struct NewAsset {
    pub id: Option<String>,
    pub external_id: Option<String>,
    pub content: String,
    pub json_content: Option<String>,
    pub json_metadata: Option<String>,
    pub is_honeypot: bool,
    pub status: Option<String>,
}

/// Gathers the parallel arrays into one record per asset. The count is the length of the
/// content array, else the multi-layer array, else the json-content array; a shorter array is
/// an error naming it.
#[allow(clippy::too_many_arguments)]
pub fn zip_new_assets(
    content: &Option<Vec<String>>,
    multi_layer: &Option<Vec<Vec<serde_json::Value>>>,
    json_content: &Option<Vec<String>>,
    external_ids: &Option<Vec<String>>,
    ids: &Option<Vec<ID>>,
    metadata: &Option<Vec<String>>,
    honeypot: &Option<Vec<bool>>,
    status: &Option<Vec<Status>>,
) -> Result<Vec<NewAsset>, String> {
    let n = content
        .as_ref()
        .map(|v| v.len())
        .or(multi_layer.as_ref().map(|v| v.len()))
        .or(json_content.as_ref().map(|v| v.len()))
        .unwrap_or(0);
    fn check<T>(name: &str, v: &Option<Vec<T>>, n: usize) -> Result<(), String> {
        match v {
            Some(v) if v.len() != n => Err(format!(
                "data.{name} has {} items, expected {n} (one per asset)",
                v.len()
            )),
            _ => Ok(()),
        }
    }
    check("contentArray", content, n)?;
    check("multiLayerContentArray", multi_layer, n)?;
    check("jsonContentArray", json_content, n)?;
    check("externalIDArray", external_ids, n)?;
    check("idArray", ids, n)?;
    check("jsonMetadataArray", metadata, n)?;
    check("isHoneypotArray", honeypot, n)?;
    check("statusArray", status, n)?;
    Ok((0..n)
        .map(|i| {
            let mut content_i = content.as_ref().map(|v| v[i].clone()).unwrap_or_default();
            let mut json_content_i = json_content.as_ref().map(|v| v[i].clone());
            if let Some(layers) = multi_layer.as_ref().map(|v| &v[i]) {
                // Multi-layer assets: the layers are kept as the json content when none is given,
                // and the base layer's URL (or the first one) becomes the content.
                let base = layers
                    .iter()
                    .find(|l| l.get("isBaseLayer").and_then(|b| b.as_bool()) == Some(true))
                    .or(layers.first());
                if content_i.is_empty() {
                    content_i = base
                        .and_then(|l| l.get("url"))
                        .and_then(|u| u.as_str())
                        .unwrap_or("")
                        .to_string();
                }
                if json_content_i.as_deref().map_or(true, str::is_empty) {
                    json_content_i = Some(serde_json::Value::Array(layers.clone()).to_string());
                }
            }
            NewAsset {
                id: ids.as_ref().map(|v| v[i].to_string()),
                external_id: external_ids.as_ref().map(|v| v[i].clone()),
                content: content_i,
                json_content: json_content_i,
                json_metadata: metadata.as_ref().map(|v| v[i].clone()),
                is_honeypot: honeypot.as_ref().map(|v| v[i]).unwrap_or(false),
                status: status.as_ref().map(|v| v[i].as_str().to_string()),
            }
        })
        .collect())
}
