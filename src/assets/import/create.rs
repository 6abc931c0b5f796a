//! Creation of planned assets: one `appendManyAssets` (sync) or
//! `appendManyAssetsAsynchronously` (async) per batch, with client-chosen ids in `idArray`.
//!
//! Retry safety: the transport never resends a mutation that may have been processed. When a
//! batch's outcome is unknown, the batch's ids are looked up (`assets(where: {project, idIn})`)
//! and only the missing assets are sent again (within the client's `max_attempts_uncertain` and `retry_deadline_ms`, with backoff), so a retried
//! import neither duplicates nor loses assets. Asynchronous batches are polled through their
//! notification (`countNotifications`/`notifications`) with bounded backoff until `SUCCESS` or
//! `FAILURE` or [`ASYNC_TIMEOUT`], then their ids are checked.

use super::plan::{Mode, Planned};
use crate::assets::mutate::documents as docs;
use crate::assets::mutate::exec::{outcome_unknown, reason, Exec, Recovery};
use crate::assets::mutate::outcomes::{ItemOutcome, Outcomes};
use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Longest wait for one asynchronous import (unless the call's own deadline is sooner).
pub const ASYNC_TIMEOUT: Duration = Duration::from_secs(30 * 60);

fn item(a: &Planned) -> ItemOutcome {
    ItemOutcome::new(Some(a.id.clone()), Some(a.external_id.clone()))
}

/// The mutation variables of a batch.
pub(crate) fn variables(project_id: &str, batch: &[&Planned], mode: Mode) -> Value {
    let col = |f: &dyn Fn(&Planned) -> Value| Value::Array(batch.iter().map(|a| f(a)).collect());
    let mut data = json!({
        "externalIDArray": col(&|a| json!(a.external_id)),
        "idArray": col(&|a| json!(a.id)),
        "jsonMetadataArray": col(&|a| json!(a.json_metadata)),
    });
    let d = data.as_object_mut().expect("object");
    match mode {
        Mode::Sync => {
            d.insert("contentArray".into(), col(&|a| json!(a.content)));
            d.insert("isHoneypotArray".into(), col(&|a| json!(a.is_honeypot)));
            d.insert("jsonContentArray".into(), col(&|a| json!(a.json_content)));
        }
        Mode::Async {
            upload_type,
            multi_layer,
        } => {
            if multi_layer {
                d.insert(
                    "multiLayerContentArray".into(),
                    col(&|a| json!(a.multi_layer.clone().unwrap_or_default())),
                );
                d.insert("jsonContentArray".into(), col(&|a| json!(a.json_content)));
            } else {
                d.insert("contentArray".into(), col(&|a| json!(a.content)));
            }
            d.insert("uploadType".into(), json!(upload_type));
        }
    }
    json!({"data": data, "where": {"id": project_id}})
}

/// Creates one batch (all of one mode). Returns per-item outcomes covering the batch, or an
/// error that is not per-item (auth, rate limit, unreachable server, cancel).
pub(crate) async fn create_batch(
    exec: &Exec<'_>,
    project_id: &str,
    batch: &[Planned],
    mode: Mode,
    wait: bool,
) -> Result<Outcomes> {
    let mut out = Outcomes::default();
    let mut pending: Vec<&Planned> = batch.iter().collect();
    let mut budget = Recovery::new(exec);
    let mut last_unknown = String::new();
    loop {
        if budget.sends() > 0 {
            budget.pause(exec).await?;
            let existing = existing_ids(exec, project_id, &pending).await?;
            let (done, rest): (Vec<&Planned>, Vec<&Planned>) =
                pending.into_iter().partition(|a| existing.contains(&a.id));
            out.succeeded.extend(done.into_iter().map(item));
            pending = rest;
            if pending.is_empty() {
                return Ok(out);
            }
            if !budget.may_resend() {
                out.failed.extend(pending.iter().map(|a| {
                    item(a).because(format!(
                        "outcome unknown after {} attempts: {last_unknown}",
                        budget.sends()
                    ))
                }));
                return Ok(out);
            }
        }
        budget.sent();
        let vars = variables(project_id, &pending, mode);
        let sent = match mode {
            Mode::Sync => {
                exec.mutation(docs::APPEND_MANY_ASSETS, vars, "appendManyAssets")
                    .await
            }
            Mode::Async { .. } => {
                exec.mutation(
                    docs::APPEND_MANY_ASSETS_ASYNC,
                    vars,
                    "appendManyAssetsAsynchronously",
                )
                .await
            }
        };
        match sent {
            Ok(answer) => {
                match mode {
                    Mode::Sync => {
                        let returned: HashSet<&str> = answer
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|v| v.get("id").and_then(Value::as_str))
                                    .collect()
                            })
                            .unwrap_or_default();
                        for a in pending {
                            if returned.contains(a.id.as_str()) {
                                out.succeeded.push(item(a));
                            } else {
                                out.failed
                                    .push(item(a).because(
                                        "the server did not return this asset as created",
                                    ));
                            }
                        }
                    }
                    Mode::Async { .. } => {
                        let notification =
                            answer.get("id").and_then(Value::as_str).map(str::to_owned);
                        if !wait {
                            out.pending.extend(pending.iter().map(|a| {
                                item(a).because("asynchronous import accepted; not waited for")
                            }));
                        } else {
                            let status = match notification {
                                Some(n) => wait_notification(exec, &n).await,
                                None => Err(Error::Server {
                                    message:
                                        "appendManyAssetsAsynchronously returned no notification id"
                                            .into(),
                                    details: json!({"answer": answer}),
                                }),
                            };
                            match status {
                                Ok(()) => {
                                    let existing = existing_ids(exec, project_id, &pending).await?;
                                    for a in pending {
                                        if existing.contains(&a.id) {
                                            out.succeeded.push(item(a));
                                        } else {
                                            out.failed.push(item(a).because("the asynchronous import finished but this asset does not exist"));
                                        }
                                    }
                                }
                                Err(e) if matches!(e, Error::Cancelled) => return Err(e),
                                Err(e) => {
                                    let why = reason(&e);
                                    out.failed.extend(
                                        pending.iter().map(|a| item(a).because(why.clone())),
                                    );
                                }
                            }
                        }
                    }
                }
                return Ok(out);
            }
            Err(e) if outcome_unknown(&e) => {
                last_unknown = reason(&e);
                exec.ctx.events.log(
                    crate::events::LogLevel::Warn,
                    format!("asset creation: outcome unknown ({last_unknown}); checking which assets exist before resending the missing ones"),
                );
            }
            Err(e @ Error::Graphql { .. }) => {
                let why = reason(&e);
                out.failed
                    .extend(pending.iter().map(|a| item(a).because(why.clone())));
                return Ok(out);
            }
            Err(e) => return Err(e),
        }
    }
}

/// The ids of `assets` that exist in the project.
async fn existing_ids(
    exec: &Exec<'_>,
    project_id: &str,
    assets: &[&Planned],
) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in assets.chunks(100) {
        let ids: Vec<&str> = chunk.iter().map(|a| a.id.as_str()).collect();
        let n = ids.len();
        let rows = exec
            .assets_where_max(json!({"project": {"id": project_id}, "idIn": ids}), n)
            .await?;
        found.extend(
            rows.iter()
                .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_owned)),
        );
    }
    Ok(found)
}

/// Polls notification `id` until `SUCCESS` (Ok), `FAILURE` (error), or the timeout; waits
/// 0.5, 1, 2, 4, 8, 16, 16, ... s between polls.
async fn wait_notification(exec: &Exec<'_>, id: &str) -> Result<()> {
    let started = Instant::now();
    let mut wait = Duration::from_millis(500);
    exec.ctx.events.log(
        crate::events::LogLevel::Info,
        "Waiting for the import to complete.",
    );
    loop {
        let count = exec
            .query(
                docs::COUNT_NOTIFICATIONS,
                json!({"where": {"id": id}}),
                "countNotifications",
                "data",
            )
            .await?;
        if count.as_u64().unwrap_or(0) > 0 {
            let rows = exec
                .query(
                    docs::NOTIFICATION_STATUS,
                    json!({"where": {"id": id}, "first": 1, "skip": 0}),
                    "notifications",
                    "data",
                )
                .await?;
            match rows.get(0).and_then(|r| r.get("status")).and_then(Value::as_str) {
                Some("SUCCESS") => return Ok(()),
                Some("FAILURE") => {
                    return Err(Error::Server {
                        message: format!("the asynchronous import (notification {id}) failed: Some assets were not imported. Please check the notification report in the application for more information."),
                        details: json!({"notification_id": id}),
                    })
                }
                _ => {}
            }
        }
        if started.elapsed() + wait > ASYNC_TIMEOUT {
            return Err(Error::Timeout {
                message: format!(
                    "the asynchronous import (notification {id}) did not finish within {} s",
                    ASYNC_TIMEOUT.as_secs()
                ),
                details: json!({"notification_id": id}),
            });
        }
        crate::call::CallOptions::guard(exec.ctx.cancel.as_ref(), exec.ctx.deadline, async {
            tokio::time::sleep(wait).await;
            Ok(())
        })
        .await?;
        wait = (wait * 2).min(Duration::from_secs(16));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(id: &str) -> Planned {
        Planned {
            index: 0,
            id: id.into(),
            external_id: format!("e-{id}"),
            content: "https://x/a.png".into(),
            json_content: String::new(),
            multi_layer: None,
            json_metadata: "{}".into(),
            is_honeypot: true,
            uploads: vec![],
            mode: Mode::Sync,
            local: false,
        }
    }

    #[test]
    fn variables_per_mode() {
        let (a, b) = (planned("c1"), planned("c2"));
        let v = variables("P", &[&a, &b], Mode::Sync);
        assert_eq!(v["where"], json!({"id": "P"}));
        assert_eq!(v["data"]["idArray"], json!(["c1", "c2"]));
        assert_eq!(v["data"]["isHoneypotArray"], json!([true, true]));
        assert_eq!(v["data"]["jsonContentArray"], json!(["", ""]));
        let v = variables(
            "P",
            &[&a],
            Mode::Async {
                upload_type: "TILED_IMAGE",
                multi_layer: false,
            },
        );
        assert_eq!(v["data"]["uploadType"], "TILED_IMAGE");
        assert!(
            v["data"].get("isHoneypotArray").is_none()
                && v["data"].get("multiLayerContentArray").is_none()
        );
        let v = variables(
            "P",
            &[&a],
            Mode::Async {
                upload_type: "GEO_SATELLITE",
                multi_layer: true,
            },
        );
        assert!(v["data"].get("contentArray").is_none());
        assert_eq!(v["data"]["multiLayerContentArray"], json!([[]]));
    }
}
