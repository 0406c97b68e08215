//! A simulation's parameters (SimulatePrincipalPolicy, SimulateCustomPolicy), read and
//! written.

use super::*;

/// A simulation's lists: `ActionNames`, `ResourceArns`, `ContextEntries`, `PolicyInputList`,
/// `PermissionsBoundaryPolicyInputList` (each `….member.N`), and `ResourcePolicy`,
/// `ResourceOwner`, `CallerArn`, `ResourceHandlingOption`.
pub(super) fn simulation(p: &BTreeMap<String, String>) -> Simulation {
    let context = (1..)
        .map_while(|i| {
            let at = format!("ContextEntries.member.{i}");
            let key = p.get(&format!("{at}.ContextKeyName"))?.clone();
            Some((key, members(p, &format!("{at}.ContextKeyValues.member"))))
        })
        .collect();
    Simulation {
        actions: members(p, "ActionNames.member"),
        resources: members(p, "ResourceArns.member"),
        context,
        policies: members(p, "PolicyInputList.member"),
        boundaries: members(p, "PermissionsBoundaryPolicyInputList.member"),
        resource_policy: p.get("ResourcePolicy").cloned(),
        resource_owner: p.get("ResourceOwner").cloned(),
        caller_arn: p.get("CallerArn").cloned(),
        resource_handling_option: p.get("ResourceHandlingOption").cloned(),
    }
}

pub(super) fn simulation_params(s: &Simulation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let list = |out: &mut Vec<(String, String)>, name: &str, items: &[String]| {
        for (i, v) in items.iter().enumerate() {
            out.push((format!("{name}.member.{}", i + 1), v.clone()));
        }
    };
    list(&mut out, "ActionNames", &s.actions);
    list(&mut out, "ResourceArns", &s.resources);
    list(&mut out, "PolicyInputList", &s.policies);
    list(
        &mut out,
        "PermissionsBoundaryPolicyInputList",
        &s.boundaries,
    );
    for (name, value) in [
        ("ResourcePolicy", &s.resource_policy),
        ("ResourceOwner", &s.resource_owner),
        ("CallerArn", &s.caller_arn),
        ("ResourceHandlingOption", &s.resource_handling_option),
    ] {
        if let Some(v) = value {
            out.push((name.to_owned(), v.clone()));
        }
    }
    for (i, (key, values)) in s.context.iter().enumerate() {
        let at = format!("ContextEntries.member.{}", i + 1);
        out.push((format!("{at}.ContextKeyName"), key.clone()));
        out.push((format!("{at}.ContextKeyType"), "string".to_owned()));
        list(&mut out, &format!("{at}.ContextKeyValues"), values);
    }
    out
}
