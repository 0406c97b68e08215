//! The AWS services crossrole speaks, by the names requests are signed for.

/// The services crossrole speaks, each with its protocol: STS and IAM the Query protocol,
/// DynamoDB and CloudTrail JSON protocols. The endpoint routes by it and the client signs for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// STS (Query protocol, regional).
    Sts,
    /// IAM (Query protocol, global: signed for `us-east-1`).
    Iam,
    /// DynamoDB (JSON protocol, regional).
    DynamoDb,
    /// CloudTrail (JSON 1.1 protocol, regional): LookupEvents over the audit trail.
    CloudTrail,
}

/// The region IAM's global endpoint signs with.
pub const IAM_REGION: &str = "us-east-1";

impl Service {
    /// Every service, in the order the endpoint lists them.
    pub const ALL: [Service; 4] = [
        Service::Sts,
        Service::Iam,
        Service::DynamoDb,
        Service::CloudTrail,
    ];

    /// The name requests are signed for (`sts`, `iam`, `dynamodb`).
    pub fn name(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Iam => "iam",
            Service::DynamoDb => "dynamodb",
            Service::CloudTrail => "cloudtrail",
        }
    }

    /// The service a signing name stands for.
    pub fn from_name(name: &str) -> Option<Service> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The region a client signs for when its endpoint is in `region`: IAM is global and
    /// always `us-east-1`; the others are regional.
    pub fn signing_region(self, region: &str) -> &str {
        match self {
            Service::Iam => IAM_REGION,
            _ => region,
        }
    }
}
