//! The rules over a crate's references: layers, loops and siblings.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::{Crate, ModulePath, Problem, Spec};

/// Edges of a graph, each with one example of the reference that makes it.
type Edges<N> = BTreeMap<(N, N), String>;

pub(crate) fn problems(krate: &Crate, spec: &Spec) -> Vec<Problem> {
    let mut out = Vec::new();
    let live = |i: usize| !krate.files[i].test_only;
    let tops: BTreeSet<&str> = krate
        .modules
        .iter()
        .filter(|(m, i)| m.len() == 1 && live(**i))
        .map(|(m, _)| m[0].as_str())
        .collect();
    for top in &tops {
        if spec.layer_of(top).is_none() {
            out.push(Problem(format!(
                "module `{top}` is in no layer: name it in the crate root's `# Layers` list"
            )));
        }
    }
    let mut listed = BTreeSet::new();
    for (_, modules) in &spec.layers {
        for m in modules {
            if !tops.contains(m.as_str()) {
                out.push(Problem(format!(
                    "the `# Layers` list names `{m}`, which is not a module of the crate"
                )));
            }
            if !listed.insert(m) {
                out.push(Problem(format!("the `# Layers` list names `{m}` twice")));
            }
        }
    }

    let mut files: Edges<usize> = BTreeMap::new();
    for (i, file) in krate.files.iter().enumerate().filter(|(i, _)| live(*i)) {
        for r in &file.references {
            let Some(&j) = krate.modules.get(&r.target) else {
                continue;
            };
            if i == j || !live(j) {
                continue;
            }
            files
                .entry((i, j))
                .or_insert_with(|| format!("{}:{} `{}`", file.path.display(), r.line, r.written));
        }
    }

    let module = |i: usize| &krate.files[i].module;
    let mut tops_graph: Edges<String> = BTreeMap::new();
    for (&(i, j), example) in &files {
        let (Some(a), Some(b)) = (module(i).first(), module(j).first()) else {
            continue;
        };
        if a == b {
            continue;
        }
        if let (Some(la), Some(lb)) = (spec.layer_of(a), spec.layer_of(b)) {
            if lb > la {
                out.push(Problem(format!(
                    "upward import: `{a}` ({}) uses `{}` ({}), a layer above its own: {example}",
                    spec.layers[la].0,
                    module(j).join("::"),
                    spec.layers[lb].0,
                )));
            }
        }
        tops_graph
            .entry((a.clone(), b.clone()))
            .or_insert_with(|| example.clone());
    }
    for (cycle, component) in cycles(&tops_graph) {
        let names: Vec<String> = component.iter().map(|m| format!("`{m}`")).collect();
        out.push(Problem(format!(
            "modules import each other in a loop: {} ({} modules reach one another: {})",
            describe(&cycle, &tops_graph, |m| format!("`{m}`")),
            names.len(),
            names.join(", ")
        )));
    }

    let related = |a: &ModulePath, b: &ModulePath| a.starts_with(b) || b.starts_with(a);
    let loose: Edges<usize> = files
        .iter()
        .filter(|((i, j), _)| !related(module(*i), module(*j)))
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    for (cycle, component) in cycles(&loose) {
        let name = |i: &usize| krate.files[*i].path.display().to_string();
        let names: Vec<String> = component.iter().map(name).collect();
        out.push(Problem(format!(
            "files import each other in a loop: {} ({} files reach one another: {})",
            describe(&cycle, &loose, name),
            names.len(),
            names.join(", ")
        )));
    }

    for (&(i, j), example) in &files {
        let (a, b) = (module(i), module(j));
        let siblings = a.len() >= 2 && b.len() >= 2 && a[0] == b[0] && a[1] != b[1];
        if siblings && spec.no_siblings.contains(&a[0]) {
            out.push(Problem(format!(
                "files of `{}` never import one another, but `{}` uses `{}`: {example}",
                a[0],
                a.join("::"),
                b.join("::")
            )));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `a → b → … → a`, with the reference behind each step.
fn describe<N: Ord + Clone>(cycle: &[N], edges: &Edges<N>, name: impl Fn(&N) -> String) -> String {
    let mut text = name(&cycle[0]);
    for (k, from) in cycle.iter().enumerate() {
        let to = &cycle[(k + 1) % cycle.len()];
        let example = edges
            .get(&(from.clone(), to.clone()))
            .map_or("", String::as_str);
        text.push_str(&format!(" → {} ({example})", name(to)));
    }
    text
}

/// One loop through each group of nodes that reach one another (each strongly connected
/// component of more than one node), shortest from its least node.
/// Each comes with the whole component.
fn cycles<N: Ord + Clone>(edges: &Edges<N>) -> Vec<(Vec<N>, BTreeSet<N>)> {
    let mut next: BTreeMap<&N, Vec<&N>> = BTreeMap::new();
    for (a, b) in edges.keys() {
        next.entry(a).or_default().push(b);
    }
    let reach = |from: &N| -> BTreeSet<N> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for m in next.get(&n).into_iter().flatten() {
                if seen.insert((*m).clone()) {
                    stack.push((*m).clone());
                }
            }
        }
        seen
    };
    let nodes: BTreeSet<&N> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    let reaches: BTreeMap<&N, BTreeSet<N>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for n in &nodes {
        if done.contains(*n) || !reaches[n].contains(*n) {
            continue;
        }
        let component: BTreeSet<N> = reaches[n]
            .iter()
            .filter(|m| reaches.get(m).is_some_and(|r| r.contains(*n)))
            .cloned()
            .collect();
        done.extend(component.iter().cloned());
        if component.len() < 2 {
            continue;
        }
        // Shortest way from n back to n inside the component.
        let mut previous: BTreeMap<N, N> = BTreeMap::new();
        let mut queue = VecDeque::from([(*n).clone()]);
        'search: while let Some(at) = queue.pop_front() {
            for m in next.get(&at).into_iter().flatten() {
                if !component.contains(*m) || previous.contains_key(*m) {
                    continue;
                }
                previous.insert((*m).clone(), at.clone());
                if *m == *n {
                    break 'search;
                }
                queue.push_back((*m).clone());
            }
        }
        let mut cycle = Vec::new();
        let mut at = (*n).clone();
        while let Some(p) = previous.get(&at) {
            cycle.push(p.clone());
            at = p.clone();
            if at == **n {
                break;
            }
        }
        cycle.reverse();
        out.push((cycle, component));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(pairs: &[(u8, u8)]) -> Edges<u8> {
        pairs
            .iter()
            .map(|&(a, b)| ((a, b), String::new()))
            .collect()
    }

    #[test]
    fn finds_one_loop_per_component_and_none_in_a_tree() {
        let loops = |pairs: &[(u8, u8)]| -> Vec<Vec<u8>> {
            cycles(&edges(pairs)).into_iter().map(|(c, _)| c).collect()
        };
        assert!(loops(&[(1, 2), (2, 3), (1, 3)]).is_empty());
        assert_eq!(loops(&[(1, 2), (2, 1)]), vec![vec![1, 2]]);
        assert_eq!(
            loops(&[(1, 2), (2, 3), (3, 1), (3, 4), (5, 6), (6, 5)]),
            vec![vec![1, 2, 3], vec![5, 6]]
        );
        let (_, component) = &cycles(&edges(&[(1, 2), (2, 1), (2, 3), (3, 2), (3, 4)]))[0];
        assert_eq!(component, &BTreeSet::from([1, 2, 3]));
    }
}
