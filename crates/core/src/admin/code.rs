//! Roles as code: a role (or a group's policy) written as a CloudFormation template (YAML) or
//! as Terraform (HCL for the `aws` provider), so that what an administrator designs here can
//! go where real accounts are managed. Pure text from the role's own documents; the tests read
//! the output back with cfn-lint and python-hcl2 and compare the documents.

use super::*;
use crate::wire::iam::CodeFormat;

/// What both exports read of a role: its name and path, its documents, its limits.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleAsCode {
    /// The role name.
    pub name: String,
    /// Its path (`/` when none).
    pub path: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// The trust policy.
    pub trust_policy: Value,
    /// MaxSessionDuration, in seconds.
    pub max_session_duration: u32,
    /// Its inline policies, by name.
    pub inline_policies: Vec<(String, Value)>,
    /// The managed policies attached to it.
    pub managed_policy_arns: Vec<String>,
    /// Its permissions boundary's ARN, if any.
    pub permissions_boundary: Option<String>,
}

impl RoleAsCode {
    /// The role a reviewed plan will create (its one inline policy; no boundary or managed
    /// policy, as the wizard makes none).
    pub fn from_plan(plan: &RolePlan) -> Self {
        let document = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
        Self {
            name: plan.name.to_string(),
            path: plan.path.to_string(),
            description: None,
            trust_policy: document(&plan.trust_policy),
            max_session_duration: plan.max_session_duration,
            inline_policies: vec![(
                plan.permission_policy_name.clone(),
                document(&plan.permission_policy),
            )],
            managed_policy_arns: Vec::new(),
            permissions_boundary: None,
        }
    }

    /// A role as IAM describes it (GetRole), with its inline policies (GetRolePolicy, by
    /// name) and the ARNs of its attached managed policies (ListAttachedRolePolicies).
    pub fn from_role(
        role: &crate::ops::iam::RoleInfo,
        inline_policies: Vec<(String, Value)>,
        managed_policy_arns: Vec<String>,
    ) -> Self {
        Self {
            name: role.name.clone(),
            path: role.path.clone(),
            description: role.description.clone(),
            trust_policy: role.trust_policy.clone(),
            max_session_duration: role.max_session_duration,
            inline_policies,
            managed_policy_arns,
            permissions_boundary: role.permissions_boundary.clone(),
        }
    }

    /// The role written in `format`.
    pub fn text(&self, format: CodeFormat) -> String {
        match format {
            CodeFormat::CloudFormation => self.cloudformation(),
            CodeFormat::Terraform => self.terraform(),
        }
    }

    /// The role as a CloudFormation template (YAML; the policy documents in JSON's flow
    /// style, which YAML reads as they are): one `AWS::IAM::Role` with `Policies`,
    /// `ManagedPolicyArns` and `PermissionsBoundary` (CloudFormation User Guide,
    /// "AWS::IAM::Role").
    pub fn cloudformation(&self) -> String {
        let q = |s: &str| yaml_json(&Value::from(s));
        let mut out = format!(
            "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: {}\nResources:\n  {}:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: {}\n      Path: {}\n      MaxSessionDuration: {}\n      AssumeRolePolicyDocument: {}\n",
            q(&format!("The IAM role {}, exported from crossrole", self.name)),
            logical_id(&self.name, "Role"),
            q(&self.name),
            q(&self.path),
            self.max_session_duration,
            yaml_json(&self.trust_policy),
        );
        if let Some(d) = &self.description {
            out.push_str(&format!("      Description: {}\n", q(d)));
        }
        if !self.inline_policies.is_empty() {
            out.push_str("      Policies:\n");
            for (name, document) in &self.inline_policies {
                out.push_str(&format!(
                    "        - PolicyName: {}\n          PolicyDocument: {}\n",
                    q(name),
                    yaml_json(document)
                ));
            }
        }
        if !self.managed_policy_arns.is_empty() {
            out.push_str("      ManagedPolicyArns:\n");
            for arn in &self.managed_policy_arns {
                out.push_str(&format!("        - {}\n", q(arn)));
            }
        }
        if let Some(b) = &self.permissions_boundary {
            out.push_str(&format!("      PermissionsBoundary: {}\n", q(b)));
        }
        out
    }

    /// The role as Terraform for the `aws` provider: `aws_iam_role`, an `aws_iam_role_policy`
    /// per inline policy, an `aws_iam_role_policy_attachment` per managed policy, the boundary
    /// as `permissions_boundary`; documents as heredocs of JSON.
    pub fn terraform(&self) -> String {
        let id = terraform_id(&self.name);
        let mut out = format!(
            "resource \"aws_iam_role\" \"{id}\" {{\n  name                 = {}\n  path                 = {}\n  max_session_duration = {}\n",
            hcl_string(&self.name),
            hcl_string(&self.path),
            self.max_session_duration
        );
        if let Some(d) = &self.description {
            out.push_str(&format!("  description          = {}\n", hcl_string(d)));
        }
        if let Some(b) = &self.permissions_boundary {
            out.push_str(&format!("  permissions_boundary = {}\n", hcl_string(b)));
        }
        out.push_str(&format!(
            "  assume_role_policy   = {}\n}}\n",
            heredoc(&self.trust_policy)
        ));
        // Numbered: two policy names may make the same identifier ("a-b", "a_b").
        for (i, (name, document)) in self.inline_policies.iter().enumerate() {
            out.push_str(&format!(
                "\nresource \"aws_iam_role_policy\" \"{id}_inline_{}\" {{\n  name   = {}\n  role   = aws_iam_role.{id}.id\n  policy = {}\n}}\n",
                i + 1,
                hcl_string(name),
                heredoc(document),
            ));
        }
        for (i, arn) in self.managed_policy_arns.iter().enumerate() {
            out.push_str(&format!(
                "\nresource \"aws_iam_role_policy_attachment\" \"{id}_managed_{}\" {{\n  role       = aws_iam_role.{id}.name\n  policy_arn = {}\n}}\n",
                i + 1,
                hcl_string(arn),
            ));
        }
        out
    }
}

/// What Grant switch access attaches for `group` and `role_arn` (the policy of
/// [`grant_policy`]), written in `format`.
pub fn grant_as_code(
    group: &str,
    role_arn: &str,
    format: CodeFormat,
) -> Result<String, NotARoleArn> {
    let (name, document) = grant_policy(role_arn)?;
    let document: Value = serde_json::from_str(&document).unwrap_or(Value::Null);
    Ok(match format {
        CodeFormat::CloudFormation => group_policy_cloudformation(group, &name, &document),
        CodeFormat::Terraform => group_policy_terraform(group, &name, &document),
    })
}

/// A group's inline policy (what Grant switch access attaches) as a CloudFormation template:
/// one `AWS::IAM::GroupPolicy` for the existing group.
pub fn group_policy_cloudformation(group: &str, name: &str, document: &Value) -> String {
    let q = |s: &str| yaml_json(&Value::from(s));
    format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: {}\nResources:\n  {}:\n    Type: AWS::IAM::GroupPolicy\n    Properties:\n      GroupName: {}\n      PolicyName: {}\n      PolicyDocument: {}\n",
        q(&format!("The policy {name} of the IAM group {group}, exported from crossrole")),
        logical_id(name, "Policy"),
        q(group),
        q(name),
        yaml_json(document),
    )
}

/// A value as JSON that YAML reads back as the same value: JSON is YAML's flow style, except
/// that YAML refuses DEL and the C1 controls in a document and reads U+0085, U+2028 and U+2029
/// as line breaks (YAML 1.1, "Characters"), so everything beyond ASCII is written as a `\u`
/// escape, which both languages share (pairs beyond the first plane, as JSON writes them).
fn yaml_json(value: &Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        if c.is_ascii() && c != '\x7f' {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A group's inline policy as Terraform: one `aws_iam_group_policy`.
pub fn group_policy_terraform(group: &str, name: &str, document: &Value) -> String {
    format!(
        "resource \"aws_iam_group_policy\" \"{}\" {{\n  name   = {}\n  group  = {}\n  policy = {}\n}}\n",
        terraform_id(name),
        hcl_string(name),
        hcl_string(group),
        heredoc(document),
    )
}

/// A CloudFormation logical id: the name's letters and digits, then `suffix` (logical ids
/// are alphanumeric).
fn logical_id(name: &str, suffix: &str) -> String {
    let alnum: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{alnum}{suffix}")
}

/// A Terraform resource name: lowercase letters, digits and `_`, starting with a letter or
/// `_`; `AccessToProdBilling` becomes `access_to_prod_billing`.
fn terraform_id(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        });
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// Text that Terraform reads literally: `${` and `%{` start templates in HCL strings and
/// heredocs, so they are doubled (`$${aws:username}` is the policy variable `${aws:username}`).
fn hcl_literal(text: &str) -> String {
    text.replace("${", "$${").replace("%{", "%%{")
}

/// `text` as an HCL quoted string (JSON's escapes are HCL's, templates kept literal).
fn hcl_string(text: &str) -> String {
    hcl_literal(&Value::from(text).to_string())
}

/// A JSON document as an HCL heredoc (`<<-EOT` … `EOT`), its text kept literal.
fn heredoc(document: &Value) -> String {
    let json = serde_json::to_string_pretty(document).unwrap_or_else(|_| document.to_string());
    let body: String = hcl_literal(&json)
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect();
    format!("<<-EOT\n{body}  EOT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_ids_each_tool_takes() {
        assert_eq!(
            terraform_id("AccessToProdBilling"),
            "access_to_prod_billing"
        );
        assert_eq!(terraform_id("ops-Role.2"), "ops_role_2");
        assert_eq!(terraform_id("9lives"), "_9lives");
        assert_eq!(logical_id("ops-Role.2", "Role"), "opsRole2Role");
    }

    #[test]
    fn a_planned_role_carries_its_documents_into_both_exports() {
        let plan = crate::admin::tests::billing_draft()
            .check("222222222222", "us-west-2")
            .unwrap();
        let code = RoleAsCode::from_plan(&plan);
        let trust: Value = serde_json::from_str(&plan.trust_policy).unwrap();
        assert_eq!(code.trust_policy, trust);
        let cfn = code.cloudformation();
        assert!(
            cfn.contains("  AccessToProdBillingRole:\n    Type: AWS::IAM::Role\n"),
            "{cfn}"
        );
        assert!(
            cfn.contains(&format!("      AssumeRolePolicyDocument: {trust}\n")),
            "{cfn}"
        );
        assert!(
            cfn.contains("        - PolicyName: \"AccessToProdBillingPermissions\"\n"),
            "{cfn}"
        );
        let tf = code.terraform();
        assert!(tf.starts_with("resource \"aws_iam_role\" \"access_to_prod_billing\" {\n  name                 = \"AccessToProdBilling\"\n"), "{tf}");
        assert!(
            tf.contains("resource \"aws_iam_role_policy\" \"access_to_prod_billing_inline_1\""),
            "{tf}"
        );
        assert!(tf.contains("aws:MultiFactorAuthPresent"), "{tf}");
    }

    #[test]
    fn a_grant_exports_the_policy_grant_switch_access_attaches() {
        let arn = "arn:aws:iam::222222222222:role/AccessToProdBilling";
        let (name, document) = grant_policy(arn).unwrap();
        let document: Value = serde_json::from_str(&document).unwrap();
        let cfn = grant_as_code("Developers", arn, CodeFormat::CloudFormation).unwrap();
        assert!(
            cfn.contains(&format!(
                "    Type: AWS::IAM::GroupPolicy\n    Properties:\n      GroupName: \"Developers\"\n      PolicyName: \"{name}\"\n      PolicyDocument: {document}\n"
            )),
            "{cfn}"
        );
        let tf = grant_as_code("Developers", arn, CodeFormat::Terraform).unwrap();
        assert!(
            tf.starts_with(&format!(
                "resource \"aws_iam_group_policy\" \"switch_to_access_to_prod_billing_in222222222222\" {{\n  name   = \"{name}\"\n  group  = \"Developers\"\n"
            )),
            "{tf}"
        );
        assert!(tf.contains(&format!("\"Resource\": \"{arn}\"")), "{tf}");
        assert_eq!(
            grant_as_code(
                "Developers",
                "arn:aws:iam::222222222222:user/x",
                CodeFormat::Terraform
            ),
            Err(NotARoleArn("arn:aws:iam::222222222222:user/x".into()))
        );
    }

    #[test]
    fn cloudformation_writes_json_that_yaml_reads_unchanged() {
        let doc = json!({"Resource": "a\u{7f}\u{85}\u{e9}\u{1f600}\"\\"});
        let text = yaml_json(&doc);
        assert_eq!(
            text,
            r#"{"Resource":"a\u007f\u0085\u00e9\ud83d\ude00\"\\"}"#
        );
        assert!(text.is_ascii());
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), doc);
    }

    #[test]
    fn policy_variables_stay_literal_in_terraform() {
        let doc = json!({"Resource": "arn:aws:s3:::b/${aws:username}/*"});
        let text = heredoc(&doc);
        assert!(text.contains("$${aws:username}"), "{text}");
        assert_eq!(hcl_string("a\"b${x}"), "\"a\\\"b$${x}\"");
    }
}
