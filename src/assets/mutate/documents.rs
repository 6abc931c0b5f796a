//! The GraphQL documents of the mutation side, as the official SDK 26.2.4 sends them
//! (`sdk-documents.json`), each with its root field name (for logs and errors).

/// `updatePropertiesInAssets` (also used by `change_asset_external_ids`).
pub const UPDATE_PROPERTIES_IN_ASSETS: &str = "mutation ($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) {\n  data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) {\n    id\n  }\n}";

const OUTCOME_SELECTION: &str = " {\n    succeeded {\n      assetId\n      externalId\n    }\n    declined {\n      assetId\n      externalId\n    }\n    failed {\n      assetId\n      externalId\n      details\n    }\n  }\n}";

/// The document of an asset action (`deleteAssets`, `addAssetsToReview`,
/// `sendAssetsBackToQueue`).
pub fn asset_action(root_field: &str) -> String {
    format!(
        "mutation ($where: AssetWhere!) {{\n  data: {root_field}(where: $where){OUTCOME_SELECTION}"
    )
}

/// `setAssetsPriority` (`set_assets_priority`), one batch of ids and one priority.
pub const SET_ASSETS_PRIORITY: &str = "mutation ($where: AssetWhere!, $priority: Int!) {\n  data: setAssetsPriority(where: $where, priority: $priority) {\n    succeeded {\n      assetId\n      externalId\n    }\n    declined {\n      assetId\n      externalId\n    }\n    failed {\n      assetId\n      externalId\n      details\n    }\n  }\n}";

/// `assignAssets` (`assign_assets_to_labelers`), one batch of ids and one list of user ids.
pub const ASSIGN_ASSETS: &str = "mutation assignAssets($where: AssetWhere!, $userIds: [String!]!) {\n  data: assignAssets(where: $where, userIds: $userIds) {\n    succeeded {\n      assetId\n      externalId\n    }\n    declined {\n      assetId\n      externalId\n    }\n    failed {\n      assetId\n      externalId\n      details\n    }\n  }\n}";

/// `setAssetConsensus` (`update_asset_consensus`): one asset; answers the value set.
pub const SET_ASSET_CONSENSUS: &str = "mutation setAssetConsensus($assetId: ID, $externalId: String, $projectId: ID!, $isConsensus: Boolean!) {\n  data: setAssetConsensus(\n    assetId: $assetId\n    externalId: $externalId\n    projectId: $projectId\n    isConsensus: $isConsensus\n  )\n}";

/// `skipAsset` (`skip_or_unskip` with `skip`); the answer is under `skipAsset` (no alias).
pub const SKIP_ASSET: &str = "mutation SkipAsset($reason: String!, $where: AssetWhere!) {\n  skipAsset(reason: $reason, where: $where) {\n    id\n  }\n}";

/// `unskipAsset` (`skip_or_unskip` with `unskip`); the answer is under `unskipAsset`.
pub const UNSKIP_ASSET: &str = "mutation UnskipAsset($projectId: ID!, $assetId: ID!) {\n  unskipAsset(projectId: $projectId, assetId: $assetId)\n}";

/// The state the newer actions change, read back after an unknown outcome.
pub const ASSETS_STATE: &str = "query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n  data: assets(where: $where, skip: $skip, first: $first) {\n    id\n    externalId\n    priority\n    skipped\n    isUsedForConsensus\n    assignedTo {\n      id\n    }\n  }\n}";

/// Assets with their metadata (`add_metadata` / `set_metadata` merge into it).
pub const ASSETS_METADATA: &str = "query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n  data: assets(where: $where, skip: $skip, first: $first) {\n    id\n    externalId\n    jsonMetadata\n  }\n}";

/// Assets of a project by id or external id, for resolution and verification.
pub const ASSETS_IDS: &str = "query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n  data: assets(where: $where, skip: $skip, first: $first) {\n    id\n    externalId\n    status\n  }\n}";

/// The state `add_to_review` / `send_back_to_queue` change, read back after an unknown
/// outcome: the legacy `status` (V1) and the current step with the project's steps (V2/V3).
pub const ASSETS_STEP_STATE: &str = "query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n  data: assets(where: $where, skip: $skip, first: $first) {\n    id\n    externalId\n    status\n    currentStep {\n      id\n      status\n    }\n    project {\n      workflowVersion\n      steps {\n        id\n        type\n      }\n    }\n  }\n}";

/// Assets with their project id (to report the project of an action given asset ids only).
pub const ASSETS_PROJECT: &str = "query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {\n  data: assets(where: $where, skip: $skip, first: $first) {\n    id\n    project {\n      id\n    }\n  }\n}";

/// The input type of a project.
pub const PROJECT_INPUT_TYPE: &str = "query projects($where: ProjectWhere!, $first: PageSize!, $skip: Int!) {\n  data: projects(where: $where, first: $first, skip: $skip) {\n    inputType\n  }\n}";

/// Synchronous creation.
pub const APPEND_MANY_ASSETS: &str = "mutation appendManyAssets($data: AppendManyAssetsData!, $where: ProjectWhere!) {\n  data: appendManyAssets(data: $data, where: $where) {\n    id\n  }\n}";

/// Asynchronous creation (returns a notification).
pub const APPEND_MANY_ASSETS_ASYNC: &str = "mutation appendManyAssetsAsynchronously($data: AppendManyAssetsAsynchronouslyData!, $where: ProjectWhere!) {\n  data: appendManyAssetsAsynchronously(data: $data, where: $where) {\n    id\n  }\n}";

/// External ids already used in a project.
pub const FILTER_EXISTING_ASSETS: &str = "query FilterExistingAssets($projectID: ID!, $externalIDs: [String!]!) {\n  external_ids: filterExistingAssets(\n    projectID: $projectID\n    externalIDs: $externalIDs\n  )\n}";

/// Signed upload URLs, one per bucket path.
pub const CREATE_UPLOAD_BUCKET_SIGNED_URLS: &str = "query ($filePaths: [String!]) {\n  urls: createUploadBucketSignedUrls(filePaths: $filePaths)\n}";

/// The viewer's e-mail (for the licence check).
pub const VIEWER_EMAIL: &str = "query me {\n  data: viewer {\n    email\n  }\n}";

/// Count of the viewer's organizations.
pub const COUNT_ORGANIZATIONS: &str = "query countOrganizations($where: OrganizationWhere!) {\n  data: countOrganizations(where: $where)\n}";

/// The licence of the viewer's organization.
pub const ORGANIZATION_LICENSE: &str = "query organizations($where: OrganizationWhere!, $first: PageSize!, $skip: Int!) {\n  data: organizations(where: $where, first: $first, skip: $skip) {\n    license {\n      uploadLocalData\n    }\n  }\n}";

/// Count of a notification (1 once it exists).
pub const COUNT_NOTIFICATIONS: &str = "query countNotifications($where: NotificationWhere!) {\n  data: countNotifications(where: $where)\n}";

/// The status of a notification.
pub const NOTIFICATION_STATUS: &str = "query notifications($where: NotificationWhere!, $first: PageSize!, $skip: Int!) {\n  data: notifications(where: $where, first: $first, skip: $skip) {\n    status\n  }\n}";

#[cfg(test)]
mod tests {
    #[test]
    fn action_document_matches_the_sdk() {
        let d = super::asset_action("deleteAssets");
        assert!(d.starts_with("mutation ($where: AssetWhere!) {\n  data: deleteAssets(where: $where) {\n    succeeded {"));
        assert!(d.ends_with("details\n    }\n  }\n}"));
    }
}
