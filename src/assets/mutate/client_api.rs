//! The mutation methods of [`AsyncClient`] and [`Client`]: one typed method per action plus
//! `mutate_json(action, args_json)` (the C ABI's entry point). Each returns
//! `{"result": ..., "outcomes": ...}` as documented in [`super::outcomes`]. Both clients are
//! `Send + Sync`; calls may run concurrently.

use super::actions::{self, Action};
use super::args::{
    ActionArgs, AssignArgs, ChangeExternalIdsArgs, ConsensusArgs, MetadataArgs, PriorityArgs,
    SkipArgs, UpdateArgs,
};
use super::exec::Exec;
use super::update;
use crate::assets::import::{self, args::AppendArgs};
use crate::call::CallOptions;
use crate::client::{AsyncClient, Client};
use crate::error::Result;
use serde_json::Value;
use std::future::Future;

impl AsyncClient {
    async fn run_mutation<'a, F, Fut>(
        &'a self,
        method: &'static str,
        opts: CallOptions,
        f: F,
    ) -> Result<Value>
    where
        F: FnOnce(Exec<'a>) -> Fut,
        Fut: Future<Output = Result<Value>> + 'a,
    {
        let exec = Exec::of(self, method, &opts);
        let deadline = exec.ctx.deadline;
        CallOptions::guard(opts.cancel.as_ref(), deadline, f(exec)).await
    }

    /// Imports assets (see [`crate::assets::import`]).
    pub async fn append_many_to_dataset(
        &self,
        args: AppendArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        self.run_mutation("append_many_to_dataset", opts, |e| async move {
            import::append_many_to_dataset(&e, args).await
        })
        .await
    }

    /// Updates properties of assets (see [`super::update`]).
    pub async fn update_properties_in_assets(
        &self,
        args: UpdateArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        self.run_mutation("update_properties_in_assets", opts, |e| async move {
            update::update_properties(&e, args).await
        })
        .await
    }

    /// Changes the external ids of assets (see [`super::update`]).
    pub async fn change_asset_external_ids(
        &self,
        args: ChangeExternalIdsArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        self.run_mutation("change_asset_external_ids", opts, |e| async move {
            update::change_external_ids(&e, args).await
        })
        .await
    }

    /// Deletes assets (see [`super::actions`]).
    pub async fn delete_many_from_dataset(
        &self,
        args: ActionArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        self.run_mutation("delete_many_from_dataset", opts, |e| async move {
            actions::run(&e, Action::Delete, args).await
        })
        .await
    }

    /// Sends assets to review (see [`super::actions`]).
    pub async fn add_to_review(&self, args: ActionArgs, opts: CallOptions) -> Result<Value> {
        self.run_mutation("add_to_review", opts, |e| async move {
            actions::run(&e, Action::AddToReview, args).await
        })
        .await
    }

    /// Sends assets back to the labeling queue (see [`super::actions`]).
    pub async fn send_back_to_queue(&self, args: ActionArgs, opts: CallOptions) -> Result<Value> {
        self.run_mutation("send_back_to_queue", opts, |e| async move {
            actions::run(&e, Action::SendBackToQueue, args).await
        })
        .await
    }

    /// Sets the priority of assets (see [`super::actions`]).
    pub async fn set_assets_priority(
        &self,
        args: PriorityArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        self.run_mutation("set_assets_priority", opts, |e| async move {
            let selector = args.selector;
            actions::run(
                &e,
                Action::SetPriority(args.priority),
                ActionArgs { selector },
            )
            .await
        })
        .await
    }

    /// Assigns assets to labelers (see [`super::actions`]).
    pub async fn assign_assets_to_labelers(
        &self,
        args: AssignArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        self.run_mutation("assign_assets_to_labelers", opts, |e| async move {
            actions::assign(&e, args).await
        })
        .await
    }

    /// Turns consensus on or off for one asset (see `assets::mutate::single`).
    pub async fn update_asset_consensus(
        &self,
        args: ConsensusArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        self.run_mutation("update_asset_consensus", opts, |e| async move {
            super::single::update_asset_consensus(&e, args).await
        })
        .await
    }

    /// Adds keys to the metadata of assets (see `assets::mutate::metadata`).
    pub async fn add_metadata(&self, args: MetadataArgs, opts: CallOptions) -> Result<Value> {
        self.run_mutation("add_metadata", opts, |e| async move {
            super::metadata::run(&e, args, false).await
        })
        .await
    }

    /// Replaces the metadata of assets (see `assets::mutate::metadata`).
    pub async fn set_metadata(&self, args: MetadataArgs, opts: CallOptions) -> Result<Value> {
        self.run_mutation("set_metadata", opts, |e| async move {
            super::metadata::run(&e, args, true).await
        })
        .await
    }

    /// Skips or unskips one asset (see `assets::mutate::single`).
    pub async fn skip_or_unskip(&self, args: SkipArgs, opts: CallOptions) -> Result<Value> {
        self.run_mutation("skip_or_unskip", opts, |e| async move {
            super::single::skip_or_unskip(&e, args).await
        })
        .await
    }

    /// Runs `action` (one of [`super::ACTIONS`]) with its JSON argument object.
    ///
    /// Errors: see [`super::mutate`].
    pub async fn mutate_json(
        &self,
        action: &str,
        args_json: &str,
        opts: CallOptions,
    ) -> Result<Value> {
        super::mutate_json(self, action, args_json, &opts).await
    }
}

impl Client {
    /// Blocking [`AsyncClient::mutate_json`].
    pub fn mutate_json(&self, action: &str, args_json: &str, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        let (action, args) = (action.to_string(), args_json.to_string());
        crate::runtime::block_on(async move { c.mutate_json(&action, &args, opts).await })
    }

    /// Blocking [`AsyncClient::append_many_to_dataset`].
    pub fn append_many_to_dataset(&self, args: AppendArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.append_many_to_dataset(args, opts).await })
    }

    /// Blocking [`AsyncClient::update_properties_in_assets`].
    pub fn update_properties_in_assets(
        &self,
        args: UpdateArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.update_properties_in_assets(args, opts).await })
    }

    /// Blocking [`AsyncClient::change_asset_external_ids`].
    pub fn change_asset_external_ids(
        &self,
        args: ChangeExternalIdsArgs,
        opts: CallOptions,
    ) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.change_asset_external_ids(args, opts).await })
    }

    /// Blocking [`AsyncClient::delete_many_from_dataset`].
    pub fn delete_many_from_dataset(&self, args: ActionArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.delete_many_from_dataset(args, opts).await })
    }

    /// Blocking [`AsyncClient::add_to_review`].
    pub fn add_to_review(&self, args: ActionArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.add_to_review(args, opts).await })
    }

    /// Blocking [`AsyncClient::send_back_to_queue`].
    pub fn send_back_to_queue(&self, args: ActionArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.send_back_to_queue(args, opts).await })
    }

    /// Blocking [`AsyncClient::set_assets_priority`].
    pub fn set_assets_priority(&self, args: PriorityArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.set_assets_priority(args, opts).await })
    }

    /// Blocking [`AsyncClient::assign_assets_to_labelers`].
    pub fn assign_assets_to_labelers(&self, args: AssignArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.assign_assets_to_labelers(args, opts).await })
    }

    /// Blocking [`AsyncClient::update_asset_consensus`].
    pub fn update_asset_consensus(&self, args: ConsensusArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.update_asset_consensus(args, opts).await })
    }

    /// Blocking [`AsyncClient::add_metadata`].
    pub fn add_metadata(&self, args: MetadataArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.add_metadata(args, opts).await })
    }

    /// Blocking [`AsyncClient::set_metadata`].
    pub fn set_metadata(&self, args: MetadataArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.set_metadata(args, opts).await })
    }

    /// Blocking [`AsyncClient::skip_or_unskip`].
    pub fn skip_or_unskip(&self, args: SkipArgs, opts: CallOptions) -> Result<Value> {
        let c = self.asyncc().clone();
        crate::runtime::block_on(async move { c.skip_or_unskip(args, opts).await })
    }
}
