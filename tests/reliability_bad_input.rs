//! Reliability, bad input (issue 10 §3): a table of malformed arguments for every JSON entry
//! point of the C ABI (`kili_client_new` options, `kili_assets_query`, `kili_assets_count`,
//! `kili_assets_mutate` for each action) — wrong types, out-of-range values, oversized and
//! mismatched arrays, invalid UTF-8, invalid and deeply nested JSON — each asserting the
//! status, words of the message, the failing path in the details, and that nothing was sent.
//! Also the regression inputs found by the fuzz targets (`fuzz/`), replayed on every entry
//! point.

mod reliability_support;

use reliability_support::cabi::{client_new, CClient, CErr};
use reliability_support::*;

const INVALID_ARGUMENT: i32 = 2;

/// (case, input bytes, words the message must hold, expected `details.path`).
type Case = (
    &'static str,
    Vec<u8>,
    Vec<&'static str>,
    Option<&'static str>,
);
/// (case, action bytes, argument bytes, words, path).
type MutateCase = (
    &'static str,
    Vec<u8>,
    Vec<u8>,
    Vec<&'static str>,
    Option<&'static str>,
);

fn deep(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

/// Asserts `r` failed with `KILI_INVALID_ARGUMENT`, a message holding every word of `words`
/// (case-insensitive) and, when `path` is given, that path in the details.
fn check<T: std::fmt::Debug>(case: &str, r: Result<T, CErr>, words: &[&str], path: Option<&str>) {
    let e = r.expect_err(case);
    assert_eq!(e.status, INVALID_ARGUMENT, "{case}: {e:?}");
    let m = e.message.to_lowercase();
    for w in words {
        assert!(
            m.contains(&w.to_lowercase()),
            "{case}: message {:?} lacks {w:?}",
            e.message
        );
    }
    let d: serde_json::Value = serde_json::from_str(&e.details)
        .unwrap_or_else(|_| panic!("{case}: details are JSON: {}", e.details));
    assert_eq!(d["status"], "INVALID_ARGUMENT", "{case}: {d}");
    if let Some(p) = path {
        assert_eq!(d["path"].as_str(), Some(p), "{case}: details {d}");
    }
    assert!(
        !e.message.contains(KEY) && !e.details.contains(KEY),
        "{case}: key leaked"
    );
}

#[test]
fn client_options_table() {
    let emu = emulator();
    let ep = emu.endpoint();
    let with = |extra: &str| {
        format!(r#"{{"api_key": "{KEY}", "api_endpoint": "{ep}", {extra}}}"#).into_bytes()
    };
    let mut invalid_utf8 = br#"{"api_key": "abc"#.to_vec();
    invalid_utf8.extend_from_slice(&[0xff, 0xfe]);
    invalid_utf8.extend_from_slice(br#""}"#);
    let cases: Vec<Case> = vec![
        (
            "invalid UTF-8",
            invalid_utf8,
            vec!["UTF-8", "offset 16"],
            None,
        ),
        (
            "truncated JSON",
            br#"{"api_key": "#.to_vec(),
            vec!["column"],
            None,
        ),
        ("not an object", b"[1, 2]".to_vec(), vec!["object"], None),
        (
            "a bare string",
            br#""hello""#.to_vec(),
            vec!["object"],
            None,
        ),
        (
            "deeply nested JSON",
            format!(r#"{{"api_key": {}}}"#, deep(100_000)).into_bytes(),
            vec![],
            None,
        ),
        (
            "wrong type: page_size",
            with(r#""page_size": "ten""#),
            vec!["page_size"],
            Some("page_size"),
        ),
        (
            "wrong type: verify_tls",
            with(r#""verify_tls": "yes""#),
            vec!["verify_tls"],
            Some("verify_tls"),
        ),
        (
            "wrong type: api_key",
            with(r#""client_name": 12"#),
            vec!["client_name"],
            Some("client_name"),
        ),
        (
            "out of range: page_size 0",
            with(r#""page_size": 0"#),
            vec!["page_size", "1..=100"],
            Some("page_size"),
        ),
        (
            "out of range: page_size 101",
            with(r#""page_size": 101"#),
            vec!["page_size", "1..=100"],
            Some("page_size"),
        ),
        (
            "negative timeout",
            with(r#""request_timeout_ms": -5"#),
            vec!["request_timeout_ms"],
            Some("request_timeout_ms"),
        ),
        (
            "zero timeout",
            with(r#""connect_timeout_ms": 0"#),
            vec!["connect_timeout_ms"],
            Some("connect_timeout_ms"),
        ),
        (
            "u32 overflow",
            with(r#""max_attempts_uncertain": 4294967296"#),
            vec!["max_attempts_uncertain"],
            Some("max_attempts_uncertain"),
        ),
        (
            "huge float",
            with(r#""page_size": 1e300"#),
            vec!["page_size"],
            Some("page_size"),
        ),
        (
            "zero attempts",
            with(r#""max_attempts_uncertain": 0"#),
            vec!["max_attempts_uncertain"],
            Some("max_attempts_uncertain"),
        ),
        (
            "control characters",
            with(r#""client_name": "a\nb""#),
            vec!["client_name"],
            Some("client_name"),
        ),
        (
            "unknown key",
            with(r#""page_sise": 10"#),
            vec!["page_sise", "page_size"],
            None,
        ),
        (
            "oversized array as a value",
            with(&format!(
                r#""api_endpoint": [{}]"#,
                vec!["1"; 100_000].join(",")
            )),
            vec!["api_endpoint"],
            None,
        ),
        (
            "endpoint not a URL",
            format!(r#"{{"api_key": "{KEY}", "api_endpoint": "not a url"}}"#).into_bytes(),
            vec!["api_endpoint"],
            None,
        ),
    ];
    let n = cases.len();
    for (case, input, words, path) in cases {
        check(case, client_new(&input).map(|_| ()), &words, path);
    }
    // NULL out-param: an error, not a crash.
    unsafe {
        let opts = with(r#""page_size": 10"#);
        let mut err = std::ptr::null_mut();
        let st = kili::ffi::client::kili_client_new(
            opts.as_ptr().cast(),
            opts.len(),
            std::ptr::null_mut(),
            &mut err,
        );
        assert_eq!(st, INVALID_ARGUMENT);
        kili::ffi::error::kili_error_free(err);
    }
    assert_eq!(
        graphql_requests(&emu),
        0,
        "bad options are refused before any request"
    );
    println!(
        "FIGURES bad-input[client options]: cases={} all INVALID_ARGUMENT, requests=0",
        n + 1
    );
}

fn client(emu: &kili_emulator::EmulatorHandle) -> CClient {
    let c = client_new(fast_options_json(&emu.endpoint()).as_bytes()).unwrap();
    emu.clear_request_log();
    c
}

/// Cases shared by `kili_assets_query` and `kili_assets_count` (same filters).
fn query_cases() -> Vec<Case> {
    let mut invalid_utf8 = br#"{"project_id": "rel_list", "external_id_in": [""#.to_vec();
    invalid_utf8.extend_from_slice(&[0xc3, 0x28]);
    invalid_utf8.extend_from_slice(br#""]}"#);
    vec![
        ("invalid UTF-8", invalid_utf8, vec!["UTF-8", "offset"], None),
        (
            "not JSON",
            b"{project_id: 1}".to_vec(),
            vec!["column"],
            None,
        ),
        ("not an object", b"42".to_vec(), vec!["object"], None),
        ("empty input", b"".to_vec(), vec!["JSON"], None),
        (
            "deeply nested JSON",
            format!(
                r#"{{"project_id": "rel_list", "metadata_where": {}}}"#,
                deep(50_000)
            )
            .into_bytes(),
            vec![],
            None,
        ),
        (
            "missing project_id",
            br#"{"status_in": ["TODO"]}"#.to_vec(),
            vec!["project_id"],
            Some("project_id"),
        ),
        (
            "project_id not a string",
            br#"{"project_id": 5}"#.to_vec(),
            vec!["project_id"],
            Some("project_id"),
        ),
        (
            "status_in item type",
            br#"{"project_id": "rel_list", "status_in": ["TODO", 3]}"#.to_vec(),
            vec!["status_in[1]"],
            Some("status_in[1]"),
        ),
        (
            "status_in value",
            br#"{"project_id": "rel_list", "status_in": ["DONE?"]}"#.to_vec(),
            vec!["status_in[0]", "TODO"],
            Some("status_in[0]"),
        ),
        (
            "status_in not a list",
            br#"{"project_id": "rel_list", "status_in": "TODO"}"#.to_vec(),
            vec!["status_in"],
            Some("status_in"),
        ),
        (
            "unknown key",
            br#"{"project_id": "rel_list", "status_inn": ["TODO"]}"#.to_vec(),
            vec!["status_inn", "status_in"],
            None,
        ),
        (
            "category search grammar",
            br#"{"project_id": "rel_list", "label_category_search": "JOB.A.count > "}"#.to_vec(),
            vec!["label_category_search"],
            Some("label_category_search"),
        ),
        (
            "date not a date",
            br#"{"project_id": "rel_list", "created_at_gte": "yesterday"}"#.to_vec(),
            vec!["created_at_gte"],
            Some("created_at_gte"),
        ),
        (
            "honeypot mark type",
            br#"{"project_id": "rel_list", "honeypot_mark_gte": "high"}"#.to_vec(),
            vec!["honeypot_mark_gte"],
            Some("honeypot_mark_gte"),
        ),
        (
            "oversized item",
            format!(
                r#"{{"project_id": "rel_list", "status_in": ["{}"]}}"#,
                "X".repeat(1 << 20)
            )
            .into_bytes(),
            vec!["status_in[0]"],
            Some("status_in[0]"),
        ),
        (
            "oversized array, one bad item",
            format!(
                r#"{{"project_id": "rel_list", "asset_id_in": [{}, 7]}}"#,
                vec![r#""a""#; 200_000].join(",")
            )
            .into_bytes(),
            vec!["asset_id_in[200000]"],
            Some("asset_id_in[200000]"),
        ),
    ]
}

#[test]
fn query_and_count_table() {
    let emu = emulator();
    let c = client(&emu);
    let mut n = 0;
    for (case, input, words, path) in query_cases() {
        check(
            &format!("query: {case}"),
            c.query(&input).map(|_| ()),
            &words,
            path,
        );
        check(&format!("count: {case}"), c.count(&input), &words, path);
        n += 2;
    }
    // Query-only arguments.
    let only_query: Vec<Case> = vec![
        (
            "first negative",
            br#"{"project_id": "rel_list", "first": -1}"#.to_vec(),
            vec!["first"],
            Some("first"),
        ),
        (
            "first not a number",
            br#"{"project_id": "rel_list", "first": "ten"}"#.to_vec(),
            vec!["first"],
            Some("first"),
        ),
        (
            "skip float",
            br#"{"project_id": "rel_list", "skip": 1.5}"#.to_vec(),
            vec!["skip"],
            Some("skip"),
        ),
        (
            "fields not a list",
            br#"{"project_id": "rel_list", "fields": "id"}"#.to_vec(),
            vec!["fields"],
            Some("fields"),
        ),
        (
            "fields item type",
            br#"{"project_id": "rel_list", "fields": ["id", null]}"#.to_vec(),
            vec!["fields[1]"],
            Some("fields[1]"),
        ),
    ];
    for (case, input, words, path) in only_query {
        check(
            &format!("query: {case}"),
            c.query(&input).map(|_| ()),
            &words,
            path,
        );
        n += 1;
    }
    assert_eq!(
        graphql_requests(&emu),
        0,
        "bad query arguments are refused before any request"
    );
    emu.generate_assets("rel_list", 5).unwrap();
    // An unknown field is not checked locally (as in the official SDK, the server's schema
    // decides): the listing fails cleanly with the server's validation error naming it.
    let mut cur = c
        .query(br#"{"project_id": "rel_list", "fields": ["id", "nope"]}"#)
        .unwrap();
    let e = cur.next_page(10).unwrap_err();
    assert_eq!(e.status, 10, "KILI_GRAPHQL: {e:?}");
    assert!(e.message.contains("nope"), "{e:?}");
    assert_eq!(
        cur.next_page(10).unwrap_err().status,
        10,
        "the same final answer on every later call"
    );
    drop(cur);
    // A cursor asked for 0 items.
    let mut cur = c
        .query(br#"{"project_id": "rel_list", "fields": ["id"]}"#)
        .unwrap();
    check("next_page(0)", cur.next_page(0), &["max_items"], None);
    n += 1;
    drop(cur);
    println!("FIGURES bad-input[query/count]: cases={n} all INVALID_ARGUMENT");
}

#[test]
fn mutate_table() {
    let emu = emulator();
    let c = client(&emu);
    let p = r#""project_id": "rel_import""#;
    let bad_utf8: Vec<u8> = [b"add_to_r".as_slice(), &[0xe2, 0x82], b"view"].concat();
    let cases: Vec<MutateCase> = vec![
        ("unknown action", b"add_to_reviews".to_vec(), b"{}".to_vec(), vec!["add_to_reviews", "add_to_review"], None),
        ("action invalid UTF-8", bad_utf8, b"{}".to_vec(), vec!["UTF-8"], None),
        ("empty action", b"".to_vec(), b"{}".to_vec(), vec!["action"], None),
        ("args not JSON", b"append_many_to_dataset".to_vec(), b"{,}".to_vec(), vec!["column"], None),
        ("args deeply nested", b"append_many_to_dataset".to_vec(), format!(r#"{{{p}, "content_array": {}}}"#, deep(100_000)).into_bytes(), vec![], None),
        ("append: missing project_id", b"append_many_to_dataset".to_vec(), br#"{"content_array": ["https://x/1.png"]}"#.to_vec(), vec!["project_id"], Some("project_id")),
        ("append: content_array type", b"append_many_to_dataset".to_vec(), format!(r#"{{{p}, "content_array": "https://x"}}"#).into_bytes(), vec!["content_array"], Some("content_array")),
        (
            "append: mismatched arrays",
            b"append_many_to_dataset".to_vec(),
            format!(r#"{{{p}, "content_array": ["https://x/1.png", "https://x/2.png"], "external_id_array": ["a"]}}"#).into_bytes(),
            vec!["external_id_array"],
            None,
        ),
        (
            "append: oversized mismatched arrays",
            b"append_many_to_dataset".to_vec(),
            format!(r#"{{{p}, "content_array": [{}], "external_id_array": ["a"]}}"#, vec![r#""https://x/1.png""#; 100_000].join(",")).into_bytes(),
            vec!["external_id_array"],
            None,
        ),
        (
            "append: honeypot flag type",
            b"append_many_to_dataset".to_vec(),
            format!(r#"{{{p}, "content_array": ["https://x/1.png"], "is_honeypot_array": ["yes"]}}"#).into_bytes(),
            vec!["is_honeypot_array[0]"],
            Some("is_honeypot_array[0]"),
        ),
        (
            "update: priorities item type",
            b"update_properties_in_assets".to_vec(),
            br#"{"asset_ids": ["a1"], "priorities": ["high"]}"#.to_vec(),
            vec!["priorities[0]"],
            Some("priorities[0]"),
        ),
        (
            "update: mismatched arrays",
            b"update_properties_in_assets".to_vec(),
            br#"{"asset_ids": ["a1", "a2"], "priorities": [1]}"#.to_vec(),
            vec!["priorities"],
            None,
        ),
        ("rename: missing new ids", b"change_asset_external_ids".to_vec(), br#"{"asset_ids": ["a1"]}"#.to_vec(), vec!["new_external_ids"], None),
        ("delete: id type", b"delete_many_from_dataset".to_vec(), br#"{"asset_ids": [1]}"#.to_vec(), vec!["asset_ids[0]"], Some("asset_ids[0]")),
        ("delete: unknown key", b"delete_many_from_dataset".to_vec(), br#"{"asset_idz": ["a"]}"#.to_vec(), vec!["asset_idz", "asset_ids"], None),
        ("review: external ids without project", b"add_to_review".to_vec(), br#"{"external_ids": ["e1"]}"#.to_vec(), vec!["project_id"], None),
        ("queue: ids not a list", b"send_back_to_queue".to_vec(), br#"{"asset_ids": "a1"}"#.to_vec(), vec!["asset_ids"], Some("asset_ids")),
    ];
    let n = cases.len();
    for (case, action, args, words, path) in cases {
        check(case, c.mutate(&action, &args), &words, path);
    }
    assert_eq!(
        graphql_requests(&emu),
        0,
        "bad mutation arguments are refused before any request"
    );
    assert_eq!(kili_emulator_count(&emu), 0, "nothing was imported");
    println!("FIGURES bad-input[mutate]: cases={n} all INVALID_ARGUMENT, requests=0");
}

fn kili_emulator_count(emu: &kili_emulator::EmulatorHandle) -> u64 {
    let (c, _) = reliability_support::client(&emu.endpoint());
    c.count_assets_json(
        r#"{"project_id": "rel_import"}"#,
        kili::CallOptions::default(),
    )
    .unwrap()
}

/// Inputs the fuzz targets (`fuzz/`, `scripts/fuzz.sh`) found or that once misbehaved: each
/// must give a clean status on every entry point, never a crash or `KILI_INTERNAL`.
#[test]
fn fuzz_regressions_never_crash() {
    let emu = emulator();
    let c = client(&emu);
    let inputs: Vec<Vec<u8>> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/regressions"))
            .map(|d| {
                d.flatten()
                    .map(|e| std::fs::read(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
    let mut n = 0;
    for input in &inputs {
        for r in [
            client_new(input).map(|_| ()),
            c.query(input).map(|_| ()),
            c.count(input).map(|_| ()),
            c.mutate(b"update_properties_in_assets", input).map(|_| ()),
        ] {
            if let Err(e) = r {
                assert_ne!(
                    e.status,
                    13,
                    "KILI_INTERNAL on {:?}: {e:?}",
                    String::from_utf8_lossy(input)
                );
            }
            n += 1;
        }
        let _ = kili_category_search::parse(&String::from_utf8_lossy(input));
    }
    println!(
        "FIGURES bad-input[fuzz regressions]: inputs={} calls={n}",
        inputs.len()
    );
}

/// NULL pointers in every position of the JSON entry points: `KILI_INVALID_ARGUMENT` naming
/// the argument, never a crash.
#[test]
fn null_pointers_are_errors() {
    use kili::ffi::assets::{kili_assets_count, kili_assets_mutate, kili_assets_query};
    use kili::ffi::error::{kili_error_free, kili_error_message};
    use kili::ffi::{kili_bytes_t, kili_cursor_t, kili_error_t};
    use std::ptr::{null, null_mut};
    let emu = emulator();
    let c = client(&emu);
    let args = br#"{"project_id": "rel_list"}"#;
    unsafe fn take(st: i32, err: *mut kili_error_t) -> (i32, String) {
        let m = std::ffi::CStr::from_ptr(kili_error_message(err))
            .to_string_lossy()
            .into_owned();
        kili_error_free(err);
        (st, m)
    }
    unsafe {
        let mut cur: *mut kili_cursor_t = null_mut();
        let mut n = 0u64;
        let mut out = kili_bytes_t {
            data: null(),
            len: 0,
        };
        let act = b"add_to_review";
        let (cur_p, n_p, out_p): (*mut *mut kili_cursor_t, *mut u64, *mut kili_bytes_t) =
            (&mut cur, &mut n, &mut out);
        let cp = c.0;
        type Call = Box<dyn Fn(*mut *mut kili_error_t) -> i32>;
        let cases: Vec<(&str, Call, &str)> = vec![
            (
                "query: NULL client",
                Box::new(move |e| {
                    kili_assets_query(null(), args.as_ptr().cast(), args.len(), null(), cur_p, e)
                }),
                "client",
            ),
            (
                "query: NULL args, len > 0",
                Box::new(move |e| kili_assets_query(cp, null(), 5, null(), cur_p, e)),
                "args",
            ),
            (
                "query: NULL out_cursor",
                Box::new(move |e| {
                    kili_assets_query(cp, args.as_ptr().cast(), args.len(), null(), null_mut(), e)
                }),
                "cursor",
            ),
            (
                "count: NULL client",
                Box::new(move |e| {
                    kili_assets_count(null(), args.as_ptr().cast(), args.len(), null(), n_p, e)
                }),
                "client",
            ),
            (
                "count: NULL out_count",
                Box::new(move |e| {
                    kili_assets_count(cp, args.as_ptr().cast(), args.len(), null(), null_mut(), e)
                }),
                "count",
            ),
            (
                "mutate: NULL action",
                Box::new(move |e| {
                    kili_assets_mutate(
                        cp,
                        null(),
                        3,
                        args.as_ptr().cast(),
                        args.len(),
                        null(),
                        out_p,
                        e,
                    )
                }),
                "action",
            ),
            (
                "mutate: NULL out_result",
                Box::new(move |e| {
                    kili_assets_mutate(
                        cp,
                        act.as_ptr().cast(),
                        act.len(),
                        args.as_ptr().cast(),
                        args.len(),
                        null(),
                        null_mut(),
                        e,
                    )
                }),
                "result",
            ),
        ];
        for (case, call, word) in &cases {
            let mut err: *mut kili_error_t = null_mut();
            let (st, m) = take(call(&mut err), err);
            assert_eq!(st, INVALID_ARGUMENT, "{case}: {m}");
            assert!(m.contains(word), "{case}: message {m:?} names {word:?}");
            // Also with a NULL `err`: same status, nothing written.
            assert_eq!(call(null_mut()), INVALID_ARGUMENT, "{case} (err = NULL)");
        }
        println!(
            "FIGURES bad-input[NULL pointers]: cases={} all INVALID_ARGUMENT",
            cases.len() * 2
        );
    }
    assert_eq!(graphql_requests(&emu), 0);
}
