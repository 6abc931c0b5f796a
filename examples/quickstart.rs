//! kili-native quickstart: list and count the assets of a project with a few filters.
//!
//! Endpoint and key come from `KILI_API_ENDPOINT` / `KILI_API_KEY` (the emulator's demo key is
//! `demo-api-key`); the project from `KILI_PROJECT_ID`, else the first project the key sees.
//!
//! Run against a local emulator: `bash scripts/run-quickstart.sh`.

use kili::transport::{OpKind, Operation};
use kili::{AssetQuery, CallOptions, Client, ClientOptions, Event, EventSink};
use serde_json::{json, Value};
use std::time::Duration;

fn main() {
    if let Err(e) = run() {
        eprintln!("error [{}]: {e}", e.status().name());
        std::process::exit(1);
    }
}

fn run() -> kili::Result<()> {
    let opts = ClientOptions {
        api_key: Some(std::env::var("KILI_API_KEY").unwrap_or_else(|_| "demo-api-key".into())),
        ..Default::default()
    };
    // Warnings (deprecations, ...) are events; print them.
    let client = Client::new(opts)?.with_events(EventSink::new(|e| {
        if let Event::Warning { message, .. } = e {
            eprintln!("  warning: {message}");
        }
    }));
    let call = || CallOptions::with_timeout(Duration::from_secs(60));
    println!(
        "kili-native {} -> {}",
        kili::config::CLIENT_VERSION,
        client.asyncc().transport().endpoint()
    );

    let project_id = match std::env::var("KILI_PROJECT_ID") {
        Ok(p) if !p.is_empty() => p,
        _ => first_project(&client)?,
    };
    let project = {
        let c = client.asyncc().clone();
        let pid = project_id.clone();
        kili::runtime::block_on(async move {
            let ctx = c.ctx("quickstart", &CallOptions::default());
            c.project_info(&pid, "id title inputType workflowVersion", &ctx)
                .await
        })?
    };
    println!(
        "project {} \"{}\" ({}, workflow {})\n",
        project_id,
        project["title"].as_str().unwrap_or(""),
        project["inputType"].as_str().unwrap_or("?"),
        project["workflowVersion"].as_str().unwrap_or("?")
    );

    // Counts with a few filters.
    let total = client.count_assets(AssetQuery::new(&project_id), call())?;
    println!("assets in the project: {total}");
    let counts = [
        ("status TODO", json!({"status_in": ["TODO"]})),
        (
            "labeled or reviewed",
            json!({"status_in": ["LABELED", "REVIEWED"]}),
        ),
        (
            "metadata split=train",
            json!({"metadata_where": {"split": "train"}}),
        ),
        (
            "a label with a CAT",
            json!({"label_category_search": "CLASSIFICATION_JOB.CAT.count > 0"}),
        ),
        (
            "created in Jan 1-10 2024",
            json!({"created_at_gte": "2024-01-01", "created_at_lte": "2024-01-10"}),
        ),
    ];
    for (what, filters) in counts {
        let mut args = filters.clone();
        args["project_id"] = json!(project_id);
        // Filters that do not apply to this project (e.g. status on a V2 workflow) are reported.
        match client.count_assets_json(&args.to_string(), call()) {
            Ok(n) => println!("  {what:<28} {n:>6}"),
            Err(e) => println!("  {what:<28} skipped: {e}"),
        }
    }

    // The first assets, default fields.
    println!("\nfirst 5 assets (default fields):");
    let mut q = AssetQuery::new(&project_id);
    q.first = Some(5);
    for asset in client.assets(q, call())? {
        print_asset(&asset?);
    }

    // A filtered listing with chosen fields, page by page.
    println!("\nassets with a label containing CAT (fields id, externalId, jsonMetadata, labels.author.email):");
    let mut cursor = client.assets_json(
        &json!({"project_id": project_id, "label_category_search": "CLASSIFICATION_JOB.CAT.count > 0",
                "fields": ["id", "externalId", "jsonMetadata", "labels.author.email"]})
        .to_string(),
        call(),
    )?;
    println!(
        "  (the count announces {})",
        cursor.expected_total().unwrap_or(0)
    );
    loop {
        let page = cursor.next_page(100)?;
        if page.is_empty() {
            break;
        }
        for a in page {
            let authors: Vec<&str> = a["labels"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|x| x["author"]["email"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            println!(
                "  {:<14} {:<10} metadata={} label authors={:?}",
                a["id"].as_str().unwrap_or(""),
                a["externalId"].as_str().unwrap_or(""),
                a["jsonMetadata"],
                authors
            );
        }
    }
    Ok(())
}

fn first_project(client: &Client) -> kili::Result<String> {
    let c = client.asyncc().clone();
    kili::runtime::block_on(async move {
        let ctx = c.ctx("projects", &CallOptions::default());
        let doc = "query projects($where: ProjectWhere!, $first: PageSize!, $skip: Int!) {\n  data: projects(where: $where, first: $first, skip: $skip) { id }\n}";
        let data = c
            .transport()
            .graphql(
                Operation {
                    document: doc,
                    variables: json!({"where": {}, "first": 1, "skip": 0}),
                    kind: OpKind::Query,
                    root_field: "projects",
                },
                &ctx,
            )
            .await?;
        data["data"][0]["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| kili::Error::not_found("no project is visible with this API key"))
    })
}

fn print_asset(a: &Value) {
    let labels = a["labels"].as_array().map(|l| l.len()).unwrap_or(0);
    let categories: Vec<String> = a["labels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["jsonResponse"].as_object())
        .flat_map(|jobs| {
            jobs.iter().flat_map(|(job, r)| {
                r["categories"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(move |c| format!("{job}:{}", c["name"].as_str().unwrap_or("?")))
            })
        })
        .collect();
    let state = a["status"].as_str().map(str::to_string).unwrap_or_else(|| {
        format!(
            "{}/{}",
            a["currentStep"]["name"].as_str().unwrap_or("-"),
            a["currentStep"]["status"].as_str().unwrap_or("-")
        )
    });
    println!(
        "  {:<14} {:<10} {:<10} labels={} categories={:?} metadata={}",
        a["id"].as_str().unwrap_or(""),
        a["externalId"].as_str().unwrap_or(""),
        state,
        labels,
        categories,
        a["jsonMetadata"]
    );
}
