//! A credentials provider backed by shared state, so a refresh takes effect on the very next S3
//! request (the SDK's own cache would keep using the old set until it nears expiry).

use crate::credentials::SecretCredentials;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{self, ProvideCredentials, future};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// Holds the current temporary credentials and the generation they belong to.
#[derive(Clone, Debug, Default)]
pub struct CredentialSlot {
    inner: Arc<RwLock<Option<(u64, Credentials)>>>,
}

impl CredentialSlot {
    /// Installs a new set; requests signed from now on use it.
    pub fn install(&self, generation: u64, creds: &SecretCredentials) {
        let expiry = Some(SystemTime::from(creds.expires_at));
        let sdk = Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose().to_string(),
            Some(creds.session_token.expose().to_string()),
            expiry,
            "sts3",
        );
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some((generation, sdk));
        }
    }

    /// The generation of the installed set, if any.
    #[cfg(any(test, feature = "testing"))]
    pub fn generation(&self) -> Option<u64> {
        self.inner
            .read()
            .ok()
            .and_then(|g| g.as_ref().map(|(gen_, _)| *gen_))
    }

    fn current(&self) -> Option<Credentials> {
        self.inner
            .read()
            .ok()
            .and_then(|g| g.as_ref().map(|(_, c)| c.clone()))
    }
}

impl ProvideCredentials for CredentialSlot {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(self.current().ok_or_else(|| {
            provider::error::CredentialsError::not_loaded("no temporary credentials issued yet")
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;

    #[test]
    fn debug_of_the_slot_redacts_secrets() {
        let slot = CredentialSlot::default();
        slot.install(
            3,
            &SecretCredentials {
                access_key_id: "ASIAABCDEFGHIJKLWXYZ".into(),
                secret_access_key: Secret::new("very-secret-access-key"),
                session_token: Secret::new("very-secret-session-token"),
                expires_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
            },
        );
        let shown = format!("{slot:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert_eq!(slot.generation(), Some(3));
    }
}
