//! Signed role grants: who may hold which role, decided by inspectors' signatures rather than by
//! a row anyone with the master key could edit.
//!
//! Every change to an account's standing (added, given a new password, adopted when signing was
//! switched on for an older workbench, removed) is a [`RoleGrant`] signed by an inspector whose own
//! grant is valid at that point, back to the first inspector, whose key is bound into the
//! workbench's genesis. [`check_grants`] replays them in order and says, for each user, which grant
//! stands, and names every grant that does not verify. The `users` table's role and removal columns
//! are then only a cache: a session's role, and whether the user may unlock at all, come from here.
//!
//! Four eyes: adding an inspector or giving one a new password needs a second inspector's
//! signature (except that a workbench's only inspector may add the second), and the grant
//! records who set an account's credentials, so an inspector is never the authoriser of a
//! proposal by the person who set their password ([`GrantCheck::credentials_set_by`]).

use super::{Role, UserId};
use crate::crypto::{SigningKey, SigningPublicKey};
use std::collections::HashMap;

/// What a grant records about an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrantKind {
    /// The account was added (the first inspector's own grant is one too).
    Created,
    /// The account was given a new password, and with it a new identity.
    Reset,
    /// The account existed before signing was switched on and was adopted by the first
    /// inspector to unlock after the upgrade.
    Adopted,
    /// The account was removed; it may no longer unlock.
    Removed,
}

impl GrantKind {
    /// The stable text stored and signed.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            GrantKind::Created => "created",
            GrantKind::Reset => "reset",
            GrantKind::Adopted => "adopted",
            GrantKind::Removed => "removed",
        }
    }

    /// Reads the stored text.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        [
            GrantKind::Created,
            GrantKind::Reset,
            GrantKind::Adopted,
            GrantKind::Removed,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// One change to an account's standing, as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    /// The grant's number (its place in the order grants are replayed).
    pub id: i64,
    pub user_id: UserId,
    pub kind: GrantKind,
    pub role: Role,
    /// The user's name key ([`super::user_name_key`]) when the grant was made.
    pub name_key: String,
    /// The user's X25519 identity public key: what the master key is sealed to, and what fixes
    /// their signing key.
    pub identity_key: [u8; 32],
    pub granted_at_utc: String,
    /// The inspector who signed (the first inspector's own grant names themself).
    pub granted_by: UserId,
    /// The second inspector, where four eyes are needed.
    pub cosigned_by: Option<UserId>,
}

impl RoleGrant {
    /// The bytes signed: a domain tag, the workbench's id and every field, length-prefixed.
    #[must_use]
    pub fn statement(&self, workbench_id: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(b"CCU-ROLE-GRANT-1\0");
        let mut field = |bytes: &[u8]| {
            out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
            out.extend_from_slice(bytes);
        };
        field(workbench_id.as_bytes());
        field(&self.id.to_be_bytes());
        field(&self.user_id.0.to_be_bytes());
        field(self.kind.as_str().as_bytes());
        field(self.role.as_str().as_bytes());
        field(self.name_key.as_bytes());
        field(&self.identity_key);
        field(self.granted_at_utc.as_bytes());
        field(&self.granted_by.0.to_be_bytes());
        match self.cosigned_by {
            Some(id) => field(&id.0.to_be_bytes()),
            None => field(&[]),
        }
        out
    }
}

impl RoleGrant {
    /// Signs the grant as `signer`, and as `second` where four eyes are needed.
    #[must_use]
    pub fn sign(
        self,
        workbench_id: &str,
        signer: &SigningKey,
        second: Option<&SigningKey>,
    ) -> SignedGrant {
        let statement = self.statement(workbench_id);
        SignedGrant {
            signer_key: signer.public_key(),
            signature: signer.sign(&statement).to_vec(),
            cosigner_key: second.map(SigningKey::public_key),
            cosignature: second.map(|key| key.sign(&statement).to_vec()),
            grant: self,
        }
    }
}

/// A grant with its signatures, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedGrant {
    pub grant: RoleGrant,
    pub signer_key: SigningPublicKey,
    pub signature: Vec<u8>,
    pub cosigner_key: Option<SigningPublicKey>,
    pub cosignature: Option<Vec<u8>>,
}

/// Why a grant does not stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantProblemReason {
    /// The signature does not verify: the grant was changed after it was signed, or forged.
    BadSignature,
    /// The signing key is not the signer's (not the key their identity fixes).
    KeyNotTheSigners,
    /// The signer held no valid inspector grant at that point.
    SignerNotInspector,
    /// An inspector was added or given a new password by one inspector alone.
    SecondInspectorMissing,
    /// The second signature is missing, does not verify, or is not a second inspector's.
    BadCosignature,
    /// The first grant is not the first inspector's own, under the key the genesis binds.
    NotTheRoot,
    /// A grant for an account that has no standing grant (removed, or never granted).
    NoSuchAccount,
    /// The users table gives the account another role or standing than its signed grant: the
    /// table was edited outside the workbench (the grant is what counts).
    TableDisagrees,
}

impl std::fmt::Display for GrantProblemReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            GrantProblemReason::BadSignature => {
                "its signature does not verify: it was changed after it was signed"
            }
            GrantProblemReason::KeyNotTheSigners => "it is signed with a key that is not the signer's",
            GrantProblemReason::SignerNotInspector => {
                "its signer was not an inspector with a valid grant"
            }
            GrantProblemReason::SecondInspectorMissing => {
                "it gives inspector standing on one inspector's signature alone"
            }
            GrantProblemReason::BadCosignature => {
                "its second inspector's signature is missing or does not verify"
            }
            GrantProblemReason::NotTheRoot => {
                "it is not the first inspector's grant under the key bound into the workbench's genesis"
            }
            GrantProblemReason::NoSuchAccount => "it changes an account that has no valid grant",
            GrantProblemReason::TableDisagrees => {
                "the users table gives another role or standing than the signed grant (edited outside the workbench)"
            }
        })
    }
}

/// A grant that does not stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantProblem {
    pub grant_id: i64,
    pub user_id: UserId,
    pub reason: GrantProblemReason,
}

/// The outcome of replaying every grant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantCheck {
    /// Each user's standing grant (the newest that verified).
    pub current: HashMap<UserId, RoleGrant>,
    /// Every identity key a user has held under a valid grant, with the grant id from which it
    /// held (audit signatures made under an earlier identity still verify).
    pub identities: HashMap<UserId, Vec<[u8; 32]>>,
    pub problems: Vec<GrantProblem>,
}

impl GrantCheck {
    /// The user's role, if their standing grant lets them unlock.
    #[must_use]
    pub fn active_role(&self, user: UserId) -> Option<Role> {
        self.current
            .get(&user)
            .filter(|grant| grant.kind != GrantKind::Removed)
            .map(|grant| grant.role)
    }

    /// Whether the user's standing grant removes them.
    #[must_use]
    pub fn is_removed(&self, user: UserId) -> bool {
        self.current
            .get(&user)
            .is_some_and(|grant| grant.kind == GrantKind::Removed)
    }

    /// Who set the user's current credentials: the signer and second signer of the grant that
    /// created the account or last gave it a new password. Empty for an adopted account.
    #[must_use]
    pub fn credentials_set_by(&self, user: UserId) -> Vec<UserId> {
        self.current.get(&user).map_or_else(Vec::new, |grant| {
            if matches!(grant.kind, GrantKind::Created | GrantKind::Reset)
                && grant.granted_by != user
            {
                std::iter::once(grant.granted_by)
                    .chain(grant.cosigned_by)
                    .collect()
            } else {
                Vec::new()
            }
        })
    }

    /// Whether `signer_key` is the key of one of the identities `user` has held.
    #[must_use]
    pub fn key_is_users(&self, user: UserId, signer_key: &SigningPublicKey) -> bool {
        self.identities
            .get(&user)
            .is_some_and(|keys| keys.iter().any(|k| signer_key.belongs_to_identity(k)))
    }

    fn active_inspectors(&self) -> usize {
        self.current
            .values()
            .filter(|g| g.kind != GrantKind::Removed && g.role == Role::Inspector)
            .count()
    }

    fn is_active_inspector(&self, user: UserId) -> bool {
        self.active_role(user) == Some(Role::Inspector)
    }

    fn signed_by(
        &self,
        signer: UserId,
        key: &SigningPublicKey,
        statement: &[u8],
        signature: &[u8],
    ) -> Result<(), GrantProblemReason> {
        if !self.is_active_inspector(signer) {
            return Err(GrantProblemReason::SignerNotInspector);
        }
        let Some(signer_grant) = self.current.get(&signer) else {
            return Err(GrantProblemReason::SignerNotInspector);
        };
        if !key.belongs_to_identity(&signer_grant.identity_key) {
            return Err(GrantProblemReason::KeyNotTheSigners);
        }
        if !key.verifies(statement, signature) {
            return Err(GrantProblemReason::BadSignature);
        }
        Ok(())
    }

    fn accept(&mut self, grant: &RoleGrant) {
        if grant.kind != GrantKind::Removed {
            let keys = self.identities.entry(grant.user_id).or_default();
            if !keys.contains(&grant.identity_key) {
                keys.push(grant.identity_key);
            }
        }
        self.current.insert(grant.user_id, grant.clone());
    }
}

/// Replays `grants` (in id order) from the first inspector's, whose signing key is `root_key`.
#[must_use]
pub fn check_grants(
    workbench_id: &str,
    root_key: &SigningPublicKey,
    grants: &[SignedGrant],
) -> GrantCheck {
    let mut check = GrantCheck::default();
    for signed in grants {
        let grant = &signed.grant;
        let statement = grant.statement(workbench_id);
        match judge(&check, workbench_id, root_key, signed, &statement) {
            Ok(()) => check.accept(grant),
            Err(reason) => check.problems.push(GrantProblem {
                grant_id: grant.id,
                user_id: grant.user_id,
                reason,
            }),
        }
    }
    check
}

fn judge(
    check: &GrantCheck,
    _workbench_id: &str,
    root_key: &SigningPublicKey,
    signed: &SignedGrant,
    statement: &[u8],
) -> Result<(), GrantProblemReason> {
    let grant = &signed.grant;
    if check.current.is_empty() {
        // The first grant must be the first inspector's own, under the genesis key.
        let is_root = grant.granted_by == grant.user_id
            && grant.role == Role::Inspector
            && matches!(grant.kind, GrantKind::Created | GrantKind::Adopted)
            && signed.signer_key == *root_key
            && root_key.belongs_to_identity(&grant.identity_key)
            && root_key.verifies(statement, &signed.signature);
        return if is_root {
            Ok(())
        } else {
            Err(GrantProblemReason::NotTheRoot)
        };
    }
    check.signed_by(
        grant.granted_by,
        &signed.signer_key,
        statement,
        &signed.signature,
    )?;
    match grant.kind {
        GrantKind::Created | GrantKind::Adopted => {
            if check.current.contains_key(&grant.user_id) {
                return Err(GrantProblemReason::NoSuchAccount);
            }
        }
        GrantKind::Reset | GrantKind::Removed => {
            if check.active_role(grant.user_id).is_none() {
                return Err(GrantProblemReason::NoSuchAccount);
            }
        }
    }
    let needs_second = grant.role == Role::Inspector
        && match grant.kind {
            GrantKind::Created => check.active_inspectors() > 1,
            GrantKind::Reset => true,
            GrantKind::Adopted | GrantKind::Removed => false,
        };
    match (grant.cosigned_by, &signed.cosigner_key, &signed.cosignature) {
        (Some(second), Some(key), Some(signature)) => {
            if second == grant.granted_by || second == grant.user_id {
                return Err(GrantProblemReason::BadCosignature);
            }
            check
                .signed_by(second, key, statement, signature)
                .map_err(|_| GrantProblemReason::BadCosignature)?;
        }
        (None, None, None) => {
            if needs_second {
                return Err(GrantProblemReason::SecondInspectorMissing);
            }
        }
        _ => return Err(GrantProblemReason::BadCosignature),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{Identity, SigningKey};

    struct Person {
        id: UserId,
        identity: Identity,
    }

    impl Person {
        fn new(id: i64) -> Self {
            Self {
                id: UserId(id),
                identity: Identity::generate().unwrap(),
            }
        }
        fn key(&self) -> SigningKey {
            SigningKey::of_identity(&self.identity)
        }
    }

    fn grant(
        id: i64,
        who: &Person,
        kind: GrantKind,
        role: Role,
        by: &Person,
        second: Option<&Person>,
    ) -> SignedGrant {
        let grant = RoleGrant {
            id,
            user_id: who.id,
            kind,
            role,
            name_key: format!("user {}", who.id.0),
            identity_key: who.identity.public_key(),
            granted_at_utc: "2026-12-03T10:00:00.000Z".into(),
            granted_by: by.id,
            cosigned_by: second.map(|p| p.id),
        };
        let statement = grant.statement("wb");
        SignedGrant {
            signer_key: by.key().public_key(),
            signature: by.key().sign(&statement).to_vec(),
            cosigner_key: second.map(|p| p.key().public_key()),
            cosignature: second.map(|p| p.key().sign(&statement).to_vec()),
            grant,
        }
    }

    #[test]
    fn a_chain_from_the_root_stands_and_a_changed_role_is_named() {
        let (a, b, c, d) = (
            Person::new(1),
            Person::new(2),
            Person::new(3),
            Person::new(4),
        );
        let root = a.key().public_key();
        let mut grants = vec![
            grant(1, &a, GrantKind::Created, Role::Inspector, &a, None),
            // The only inspector may add the second alone.
            grant(2, &b, GrantKind::Created, Role::Inspector, &a, None),
            grant(3, &d, GrantKind::Created, Role::Detective, &a, None),
            grant(4, &c, GrantKind::Created, Role::Inspector, &a, Some(&b)),
        ];
        let check = check_grants("wb", &root, &grants);
        assert!(check.problems.is_empty(), "{:?}", check.problems);
        assert_eq!(check.active_role(d.id), Some(Role::Detective));
        assert_eq!(check.credentials_set_by(c.id), vec![a.id, b.id]);

        // Someone with the master key makes the detective an inspector.
        grants[2].grant.role = Role::Inspector;
        let check = check_grants("wb", &root, &grants);
        assert_eq!(
            check.problems,
            vec![GrantProblem {
                grant_id: 3,
                user_id: d.id,
                reason: GrantProblemReason::BadSignature
            }]
        );
        assert_eq!(check.active_role(d.id), None);
    }

    #[test]
    fn four_eyes_cannot_be_met_by_one_inspector() {
        let (a, b, c) = (Person::new(1), Person::new(2), Person::new(3));
        let root = a.key().public_key();
        let base = vec![
            grant(1, &a, GrantKind::Created, Role::Inspector, &a, None),
            grant(2, &b, GrantKind::Created, Role::Inspector, &a, None),
        ];
        // A third inspector on one signature, once there are two.
        let mut alone = base.clone();
        alone.push(grant(3, &c, GrantKind::Created, Role::Inspector, &a, None));
        let check = check_grants("wb", &root, &alone);
        assert_eq!(
            check.problems[0].reason,
            GrantProblemReason::SecondInspectorMissing
        );
        // Co-signed by oneself.
        let mut self_cosigned = base.clone();
        self_cosigned.push(grant(
            3,
            &c,
            GrantKind::Created,
            Role::Inspector,
            &a,
            Some(&a),
        ));
        assert_eq!(
            check_grants("wb", &root, &self_cosigned).problems[0].reason,
            GrantProblemReason::BadCosignature
        );
        // An inspector's password reset by another alone.
        let mut reset = base.clone();
        reset.push(grant(3, &b, GrantKind::Reset, Role::Inspector, &a, None));
        assert_eq!(
            check_grants("wb", &root, &reset).problems[0].reason,
            GrantProblemReason::SecondInspectorMissing
        );
    }

    #[test]
    fn a_removed_account_stays_removed_and_signs_nothing() {
        let (a, b, d) = (Person::new(1), Person::new(2), Person::new(4));
        let root = a.key().public_key();
        let grants = vec![
            grant(1, &a, GrantKind::Created, Role::Inspector, &a, None),
            grant(2, &b, GrantKind::Created, Role::Inspector, &a, None),
            grant(3, &b, GrantKind::Removed, Role::Inspector, &a, None),
            grant(4, &d, GrantKind::Created, Role::Detective, &b, None),
        ];
        let check = check_grants("wb", &root, &grants);
        assert!(check.is_removed(b.id));
        assert_eq!(check.active_role(b.id), None);
        assert_eq!(
            check.problems[0].reason,
            GrantProblemReason::SignerNotInspector
        );
    }

    #[test]
    fn a_root_other_than_the_genesis_key_is_refused() {
        let (a, m) = (Person::new(1), Person::new(9));
        let grants = vec![grant(1, &m, GrantKind::Created, Role::Inspector, &m, None)];
        let check = check_grants("wb", &a.key().public_key(), &grants);
        assert_eq!(check.problems[0].reason, GrantProblemReason::NotTheRoot);
        assert!(check.current.is_empty());
    }
}
