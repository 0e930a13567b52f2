//! The shape of the storage crate: its import graph, read from its own sources, has the
//! engine below every store and no circle among its areas.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every source file under `dir`, with its path relative to `root`.
fn sources(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((relative, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// The identifiers at the start of each path in a `use crate::{…}` group.
fn group_heads(group: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => {
                depth += 1;
                start = depth == 1;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && (c.is_alphanumeric() || c == '_') => {
                let word: String = group[i..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                heads.push(&group[i..i + word.len()]);
                start = false;
            }
            _ => {}
        }
    }
    heads
}

/// Each area (top-level module) and the areas its code (tests aside) uses: through a
/// `crate::` path, a name the crate root re-exports, or a store reached as `db.area()`.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let area = |path: &str| {
        let first = path.split('/').next().unwrap_or(path);
        first.trim_end_matches(".rs").to_string()
    };
    let areas: BTreeSet<String> = files
        .iter()
        .map(|(p, _)| area(p))
        .filter(|a| a != "lib")
        .collect();
    // Names the root re-exports, by the area they come from.
    let lib = &files.iter().find(|(p, _)| p == "lib.rs").unwrap().1;
    let mut exported = BTreeMap::new();
    for item in lib.split("pub use ").skip(1) {
        let item = &item[..item.find(';').unwrap()];
        let from = item.split("::").next().unwrap().trim().to_string();
        for name in item
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()) || w.contains('_'))
        {
            exported
                .entry(name.to_string())
                .or_insert_with(|| from.clone());
        }
    }
    let resolve = |head: &str| {
        exported
            .get(head)
            .cloned()
            .unwrap_or_else(|| head.to_string())
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in &files {
        let from = area(path);
        if from == "lib" {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or(text);
        let mut uses = BTreeSet::new();
        for part in code.split("crate::").skip(1) {
            if let Some(group) = part.strip_prefix('{') {
                let group = &group[..group.find(';').unwrap_or(group.len())];
                uses.extend(group_heads(group).into_iter().map(resolve));
            } else {
                let head: String = part
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                uses.insert(resolve(&head));
            }
        }
        for part in code.split('.').skip(1) {
            let part = part.trim_start();
            let name: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if part[name.len()..].starts_with("()") && areas.contains(&name) {
                uses.insert(name);
            }
        }
        let entry = graph.entry(from.clone()).or_default();
        entry.extend(uses.into_iter().filter(|u| areas.contains(u) && *u != from));
    }
    graph
}

/// A circle of areas, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            return Some(path[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|k| visit(k, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_engine_is_below_every_store_and_no_area_imports_in_a_circle() {
    let graph = import_graph();
    // The reading itself works: the dossier store is seen using the engine and the counters.
    assert!(graph["dossiers"].contains("engine"), "{graph:?}");
    assert!(graph["dossiers"].contains("counters"), "{graph:?}");
    assert!(graph["statistics"].contains("dossiers"), "{graph:?}");
    let engine: Vec<&String> = graph["engine"].iter().filter(|a| *a != "error").collect();
    assert!(engine.is_empty(), "the engine uses {engine:?}");
    assert_eq!(circle(&graph), None, "{graph:?}");
    // And the circle finder finds one when there is one.
    let mut looped = graph.clone();
    looped
        .get_mut("engine")
        .unwrap()
        .insert("statistics".to_string());
    let found = circle(&looped).unwrap();
    assert!(found.contains(&"engine".to_string()), "{found:?}");
}
