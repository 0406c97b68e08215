//! The demo world's public, made-up credentials (`docs/demo-world.md`), named once for the
//! tests, the load client, the fuzz targets and the examples that sign as its users.

use crate::sigv4::SigningCredentials;

/// David's long-term access key (account 111111111111, group Developers).
pub const DAVID: SigningCredentials<'static> = SigningCredentials {
    access_key_id: "AKIAIOSFODNN7EXAMPLE",
    secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    session_token: None,
};

/// David's virtual MFA device.
pub const DAVID_MFA_SERIAL: &str = "arn:aws:iam::111111111111:mfa/David";

/// The seed of David's virtual MFA device (base32).
pub const DAVID_MFA_SEED: &str = "X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW";

/// ProdAdmin's long-term access key (account 222222222222, allowed everything).
pub const PROD_ADMIN: SigningCredentials<'static> = SigningCredentials {
    access_key_id: "AKIAEXAMPLEPRODADMIN",
    secret_access_key: "Pr0dAdm1nSecretKeyExample/ForDemoOnly000",
    session_token: None,
};

/// CorpAdmin's long-term access key (account 111111111111, allowed everything).
pub const CORP_ADMIN: SigningCredentials<'static> = SigningCredentials {
    access_key_id: "AKIAEXAMPLECORPADMIN",
    secret_access_key: "C0rpAdm1nSecretKeyExample/ForDemoOnly000",
    session_token: None,
};

/// The production role David switches to in the walk-through.
pub const PROD_ROLE: &str = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::demo_world;

    #[test]
    fn the_constants_are_the_demo_world_s() {
        let world = demo_world();
        for key in [DAVID, PROD_ADMIN, CORP_ADMIN] {
            let (_, _, stored) = world.access_key(key.access_key_id).unwrap();
            assert!(stored.secret.matches(key.secret_access_key));
        }
        let david = world.accounts.iter().find_map(|a| a.user("David")).unwrap();
        let device = david.mfa.as_ref().unwrap();
        assert_eq!(device.serial.to_string(), DAVID_MFA_SERIAL);
        assert!(PROD_ROLE.parse::<crate::arn::Arn>().is_ok());
    }

    /// Signing credentials printed with `{:?}` (a log, a panic) show no secret or token.
    #[test]
    fn signing_credentials_hide_their_secret() {
        let session = crate::sigv4::SigningCredentials {
            session_token: Some("FwoGZXIvYXdzEXAMPLETOKEN"),
            ..DAVID
        };
        let shown = format!("{session:?}");
        assert!(shown.contains(DAVID.access_key_id), "{shown}");
        assert!(!shown.contains(DAVID.secret_access_key), "{shown}");
        assert!(!shown.contains("FwoGZXIvYXdzEXAMPLETOKEN"), "{shown}");
    }
}
