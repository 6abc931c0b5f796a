//! Generator of large synthetic projects (e.g. 1,000,000 assets with labels in well under a
//! minute): one transaction, prepared statements, no per-row allocation beyond the values.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Store, StoreError, StoreResult};
use crate::time;

/// Adds `n` assets to the existing project `project_id`: external ids `gen-<i>`, metadata
/// `{"i": i, "parity": "even"|"odd"}`, creation times 1 ms apart after the project's latest
/// asset; every other asset gets a DEFAULT label (author: the project's first member, a
/// classification answer `CLASSIFICATION_JOB: A` or `B`) and status LABELED. Returns the number
/// of assets created.
pub fn generate(store: &Store, project_id: &str, n: u64) -> StoreResult<u64> {
    store.write(|tx| {
        let exists: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM projects WHERE id = ?1)", [project_id], |r| r.get(0))?;
        if !exists {
            return Err(StoreError::NotFound(format!("generate: project {project_id} does not exist (load it with a fixture first)")));
        }
        let author: Option<String> = tx
            .query_row("SELECT user_id FROM project_members WHERE project_id = ?1 ORDER BY id LIMIT 1", [project_id], |r| r.get(0))
            .ok();
        let wf: String = tx.query_row("SELECT workflow_version FROM projects WHERE id = ?1", [project_id], |r| r.get(0))?;
        let first_step: Option<String> = if wf == "V1" {
            None
        } else {
            tx.query_row("SELECT id FROM steps WHERE project_id = ?1 ORDER BY position, id LIMIT 1", [project_id], |r| r.get(0)).ok()
        };
        let floor: Option<String> = tx.query_row("SELECT MAX(created_at) FROM assets WHERE project_id = ?1", [project_id], |r| r.get(0))?;
        let start = store.clock.next(floor.as_deref());
        let base = time::parse(&start).unwrap_or_else(Utc::now).timestamp_micros();
        let mut ins_a = tx.prepare(
            "INSERT INTO assets(id, project_id, external_id, content, json_content, json_metadata, created_at, status, step_id, step_status) \
             VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut ins_l = tx.prepare(
            "INSERT INTO labels(id, asset_id, author_id, label_type, created_at, json_response, is_latest) VALUES (?1, ?2, ?3, 'DEFAULT', ?4, ?5, 1)",
        )?;
        let run = uuid::Uuid::new_v4().simple().to_string();
        let run = &run[..8];
        let mut last = String::new();
        for i in 0..n {
            let created = time::format(DateTime::from_timestamp_micros(base + (i as i64) * 1000).unwrap());
            let id = format!("gen{run}{i:012}");
            let labeled = i % 2 == 1;
            let status = if labeled { "LABELED" } else { "TODO" };
            let step_status = first_step.as_ref().map(|_| if labeled { "DONE" } else { "TO_DO" });
            let meta = format!("{{\"i\": {i}, \"parity\": \"{}\"}}", if i % 2 == 0 { "even" } else { "odd" });
            ins_a.execute(params![
                id,
                project_id,
                format!("gen-{i}"),
                format!("https://storage.example.com/gen/{i}.png"),
                meta,
                created,
                status,
                first_step,
                step_status
            ])?;
            if labeled {
                let cat = if i % 4 == 1 { "A" } else { "B" };
                let resp = format!("{{\"CLASSIFICATION_JOB\": {{\"categories\": [{{\"name\": \"{cat}\"}}]}}}}");
                ins_l.execute(params![format!("{id}-l"), id, author, created, resp])?;
            }
            last = created;
        }
        let _ = last;
        Ok(n)
    })
}
