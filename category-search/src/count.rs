//! The counting rule of `label.search` (kili-label-format.md §3.4, inferred).

use serde_json::{Map, Value};
use std::collections::HashSet;

/// Keys of a jsonResponse that are not jobs.
const IGNORED: [&str; 3] = [
    "ROTATION_JOB",
    "ANNOTATION_JOB_COUNTER",
    "ANNOTATION_NAMES_JOB",
];

/// Number of distinct objects of category `category` answered for job `job` in a label's
/// `jsonResponse`: classification selections count once per parent object (video frames
/// merged), annotations once per distinct `mid` (annotations without `mid` each count).
pub fn count(json_response: &Value, job: &str, category: &str) -> u64 {
    let mut acc = Acc {
        job,
        category,
        class_paths: HashSet::new(),
        mids: HashSet::new(),
        anonymous: 0,
    };
    if let Value::Object(map) = json_response {
        acc.walk(map, "", true);
    }
    (acc.class_paths.len() + acc.mids.len()) as u64 + acc.anonymous
}

struct Acc<'a> {
    job: &'a str,
    category: &'a str,
    class_paths: HashSet<String>,
    mids: HashSet<String>,
    anonymous: u64,
}

fn has_category(payload: &Value, category: &str) -> bool {
    payload
        .get("categories")
        .and_then(Value::as_array)
        .is_some_and(|cats| {
            cats.iter()
                .any(|c| c.get("name").and_then(Value::as_str) == Some(category))
        })
}

impl Acc<'_> {
    /// Walks a job map. `path` identifies the parent object, so that a classification repeated
    /// in several video frames under the same parent counts once.
    fn walk(&mut self, jobs: &Map<String, Value>, path: &str, top: bool) {
        for (key, payload) in jobs {
            if IGNORED.contains(&key.as_str()) {
                continue;
            }
            if top && !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) {
                // A video frame: a job map of its own, same parent path.
                if let Value::Object(frame) = payload {
                    self.walk(frame, path, false);
                }
                continue;
            }
            if key == self.job {
                self.count_payload(payload, path);
            }
            self.descend(key, payload, path);
        }
    }

    fn count_payload(&mut self, payload: &Value, path: &str) {
        if has_category(payload, self.category) {
            self.class_paths.insert(path.to_string());
        }
        if let Some(anns) = payload.get("annotations").and_then(Value::as_array) {
            for ann in anns {
                if has_category(ann, self.category) {
                    match ann.get("mid").and_then(Value::as_str) {
                        Some(mid) => {
                            self.mids.insert(mid.to_string());
                        }
                        None => self.anonymous += 1,
                    }
                }
            }
        }
    }

    fn descend(&mut self, key: &str, payload: &Value, path: &str) {
        if let Some(Value::Object(children)) = payload.get("children") {
            self.walk(children, &format!("{path}/{key}"), false);
        }
        if let Some(cats) = payload.get("categories").and_then(Value::as_array) {
            for c in cats {
                if let Some(Value::Object(children)) = c.get("children") {
                    let name = c.get("name").and_then(Value::as_str).unwrap_or("");
                    self.walk(children, &format!("{path}/{key}:{name}"), false);
                }
            }
        }
        if let Some(anns) = payload.get("annotations").and_then(Value::as_array) {
            for (i, ann) in anns.iter().enumerate() {
                let id = ann
                    .get("mid")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("#{i}"));
                if let Some(Value::Object(children)) = ann.get("children") {
                    self.walk(children, &format!("{path}/{key}@{id}"), false);
                }
                if let Some(points) = ann.get("points").and_then(Value::as_array) {
                    for (j, p) in points.iter().enumerate() {
                        if let Some(Value::Object(children)) = p.get("children") {
                            let pid = p
                                .get("mid")
                                .and_then(Value::as_str)
                                .map(str::to_string)
                                .unwrap_or_else(|| format!("#{j}"));
                            self.walk(children, &format!("{path}/{key}@{id}.{pid}"), false);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use serde_json::json;

    fn worked_example() -> Value {
        json!({
          "JOB_CLASSIF": {"categories": [{"name": "CATEGORY_A", "confidence": 100}]},
          "JOB_BBOX": {"annotations": [
            {"mid": "m1", "type": "rectangle", "categories": [{"name": "CATEGORY_C"}]},
            {"mid": "m2", "type": "rectangle", "categories": [{"name": "CATEGORY_C"}],
             "children": {"COLOR": {"categories": [{"name": "RED"}]}}},
            {"mid": "m3", "type": "rectangle", "categories": [{"name": "CATEGORY_D"}]}]},
          "JOB_NER": {"annotations": []},
          "ROTATION_JOB": {"rotation": 0}
        })
    }

    #[test]
    fn worked_example_counts() {
        let l = worked_example();
        assert_eq!(count(&l, "JOB_CLASSIF", "CATEGORY_A"), 1);
        assert_eq!(count(&l, "JOB_CLASSIF", "CATEGORY_B"), 0);
        assert_eq!(count(&l, "JOB_BBOX", "CATEGORY_C"), 2);
        assert_eq!(count(&l, "JOB_BBOX", "CATEGORY_D"), 1);
        assert_eq!(count(&l, "COLOR", "RED"), 1);
        assert_eq!(count(&l, "JOB_NER", "CATEGORY_B"), 0);
    }

    #[test]
    fn worked_example_queries() {
        let l = worked_example();
        let t = |q: &str| parse(q).unwrap().evaluate(&l);
        assert!(t(
            "JOB_CLASSIF.CATEGORY_A.count > 0 OR JOB_NER.CATEGORY_B.count > 0"
        ));
        assert!(!t("(JOB_CLASSIF.CATEGORY_A.count == 1 OR JOB_NER.CATEGORY_B.count > 0) AND JOB_BBOX.CATEGORY_C.count > 10"));
        assert!(t("JOB_BBOX.CATEGORY_C.count >= 2 AND COLOR.RED.count == 1"));
        assert!(t("JOB_BBOX.CATEGORY_C.count > 1.5"));
        assert!(!t("JOB_BBOX.CATEGORY_C.count > 2"));
    }

    #[test]
    fn child_classification_counts_once_per_parent_object() {
        let l = json!({"JOB_BBOX": {"annotations": [
            {"mid": "a", "categories": [{"name": "CAR"}], "children": {"COLOR": {"categories": [{"name": "RED"}]}}},
            {"mid": "b", "categories": [{"name": "CAR"}], "children": {"COLOR": {"categories": [{"name": "RED"}]}}},
            {"mid": "c", "categories": [{"name": "CAR"}], "children": {"COLOR": {"categories": [{"name": "RED"}]}}}]}});
        assert_eq!(count(&l, "COLOR", "RED"), 3);
    }

    #[test]
    fn video_tracks_count_once_across_frames() {
        let l = json!({
          "0": {"ANNOTATION_JOB_COUNTER": {"TRACK": {"CAR": 1}}},
          "1": {"TRACK": {"annotations": [{"mid": "t1", "categories": [{"name": "CAR"}]}]},
                "FRAME_CLASSIF": {"categories": [{"name": "DAY"}]}},
          "2": {"TRACK": {"annotations": [{"mid": "t1", "categories": [{"name": "CAR"}]}]},
                "FRAME_CLASSIF": {"categories": [{"name": "DAY"}]}}
        });
        assert_eq!(count(&l, "TRACK", "CAR"), 1);
        assert_eq!(count(&l, "FRAME_CLASSIF", "DAY"), 1);
    }

    #[test]
    fn non_objects_count_zero() {
        assert_eq!(count(&json!(null), "A", "B"), 0);
        assert_eq!(count(&json!({"T": {"text": "B"}}), "T", "B"), 0);
    }
}
