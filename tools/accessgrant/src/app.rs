//! What every accessgrant command stands on: the settings, the clock, who is calling (STS, never a
//! flag), the ledger, the backend a grant takes effect in, and the one way a grant changes.
//!
//! A change is read → decide → write-if-unchanged, again from a fresh read when someone else
//! wrote first (two approvers racing each get their approval counted, once, and only one of them
//! activates the grant). Access follows the ledger: a policy is attached *before* the grant is
//! written active (so a missing permission fails cleanly with nothing recorded), removed *after*
//! it is written ended, and a command that attached checks once more that the grant is still
//! what it wrote, so IAM never keeps access the ledger has taken away. A crash in between
//! leaves at worst a policy with no active grant — which ends by its own condition, and which
//! `sweep` removes.

use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use opskit::s3::Written;
use opskit::{Context, Environment, Error, Result};
use tokio::sync::OnceCell;

use crate::grant::GrantDoc;
use crate::iam::Iam as IamClient;
use crate::identity_center::{IdentityCenter, PermissionSet};
use crate::ledger::Ledger;
use crate::policy;
use crate::principal::{GranteeType, Principal};
use crate::settings::{Backend, Settings};
use crate::transition::{Actor, Iam, Outcome};

/// Tries at a change before giving up (each after someone else's write came first).
const ATTEMPTS: usize = 8;

pub struct AccessGrant<'a> {
    pub ctx: &'a Context,
    pub settings: Settings,
    pub app: String,
    /// This run's "now" (see `clock`).
    pub now: SystemTime,
    ledger: OnceCell<Ledger>,
    caller: OnceCell<Principal>,
    approver: OnceCell<bool>,
    identity_center: OnceCell<IdentityCenter>,
}

/// A change as it ended.
pub struct Applied {
    /// The grant after the change (with `--dry-run`, as it would be).
    pub doc: GrantDoc,
    pub note: String,
    /// The events the change wrote (with `--dry-run`, would write).
    pub events: Vec<crate::grant::Event>,
}

impl<'a> AccessGrant<'a> {
    pub fn new(ctx: &'a Context) -> Result<AccessGrant<'a>> {
        let settings = Settings::load(ctx)?;
        let app = ctx.app()?.to_owned();
        Ok(AccessGrant {
            ctx,
            settings,
            app,
            now: crate::clock::now()?,
            ledger: OnceCell::new(),
            caller: OnceCell::new(),
            approver: OnceCell::new(),
            identity_center: OnceCell::new(),
        })
    }

    pub async fn ledger(&self) -> Result<&Ledger> {
        self.ledger
            .get_or_try_init(|| async {
                let sdk = self.ctx.sdk().await?;
                Ok(Ledger::new(opskit::s3::client(&sdk), &self.settings.bucket))
            })
            .await
    }

    /// Who is calling, as STS says: the requester, the approver, the revoker. Never a flag.
    pub async fn caller(&self) -> Result<&Principal> {
        self.caller
            .get_or_try_init(|| async {
                let sdk = self.ctx.sdk().await?;
                identify(&sdk, "asking STS who you are (GetCallerIdentity)").await
            })
            .await
    }

    /// Whether the caller may approve: named in `approvers`, or a member of an `approver_groups` group.
    pub async fn caller_is_approver(&self) -> Result<bool> {
        let caller = self.caller().await?;
        self.approver
            .get_or_try_init(|| async {
                if self.settings.approvers.iter().any(|a| caller.is(a)) {
                    return Ok(true);
                }
                let Principal::User { name, .. } = caller else { return Ok(false) };
                if self.settings.approver_groups.is_empty() {
                    return Ok(false);
                }
                let groups = IamClient::new(&self.ctx.sdk().await?).groups_of(name).await?;
                Ok(groups.iter().any(|g| self.settings.approver_groups.contains(g)))
            })
            .await
            .copied()
    }

    pub async fn actor(&self) -> Result<Actor<'_>> {
        let approver = self.caller_is_approver().await?;
        Ok(Actor { who: self.caller().await?, approver })
    }

    /// An environment grants can be for: declared in opskit.toml, so its tier is the project's.
    pub fn environment(&self, name: &str) -> Result<Environment> {
        self.ctx.declared_environment(name)
    }

    /// The AWS account of `env`: `[accessgrant.identity_center.accounts]`, else the account its
    /// credentials are in.
    pub async fn account_of(&self, env: &str) -> Result<String> {
        if let Some(account) = self.settings.identity_center.accounts.get(env) {
            return Ok(account.clone());
        }
        let sdk = self.ctx.sdk_for(env).await?;
        let who = identify(&sdk, &format!("asking STS which account {env} is in")).await?;
        who.account().map(str::to_owned).ok_or_else(|| Error::no_perm(format!("STS names no account for {who}")))
    }

    pub async fn iam(&self, env: &str) -> Result<IamClient> {
        Ok(IamClient::new(&self.ctx.sdk_for(env).await?))
    }

    pub async fn identity_center(&self) -> Result<&IdentityCenter> {
        self.identity_center
            .get_or_try_init(|| async {
                let sdk = self.ctx.sdk().await?;
                IdentityCenter::open(&sdk, &self.settings.identity_center, self.ctx.timeout()).await
            })
            .await
    }

    /// Give the grantee the grant's access, ending at its current expiry.
    pub async fn attach(&self, doc: &mut GrantDoc) -> Result<()> {
        let g = &doc.grant;
        let expires =
            g.expires().ok_or_else(|| Error::internal(format!("grant {} is active without an expiry", g.id)))?;
        let document = policy::allow(&g.access, expires);
        let name = g.policy_name();
        match g.backend {
            Backend::Iam => {
                let (kind, holder) = holder(g)?;
                self.iam(&g.env).await?.put(kind, &holder, &name, &document).await
            }
            Backend::IdentityCenter => {
                let description = format!("accessgrant {}: {} in {} for {}", g.id, g.role, g.env, g.grantee);
                let set = PermissionSet {
                    name: &name,
                    description: &description,
                    session: expires.duration_since(self.now).unwrap_or_default(),
                    arn: g.permission_set_arn.as_deref(),
                };
                let user = g
                    .grantee_id
                    .as_deref()
                    .ok_or_else(|| Error::internal("an Identity Center grant without a user id"))?;
                let arn = self.identity_center().await?.attach(&set, &document, &g.account, user).await?;
                doc.grant.permission_set_arn = Some(arn);
                Ok(())
            }
        }
    }

    /// Take the grant's access away; `revoke`: for a role, also deny the access to its sessions
    /// issued before now. Returns whether anything was there to remove.
    pub async fn detach(&self, doc: &GrantDoc, revoke: bool) -> Result<bool> {
        let g = &doc.grant;
        match g.backend {
            Backend::Iam => {
                let (kind, holder) = holder(g)?;
                let iam = self.iam(&g.env).await?;
                let removed = iam.delete(kind, &holder, &g.policy_name()).await?;
                if revoke && kind == GranteeType::Role {
                    let deny = policy::deny_older_sessions(&g.access, self.now);
                    iam.put(kind, &holder, &policy::revoke_name(&g.id), &deny).await?;
                }
                Ok(removed)
            }
            Backend::IdentityCenter => {
                self.identity_center().await?.remove(&g.policy_name(), g.permission_set_arn.as_deref()).await
            }
        }
    }

    /// Make access match the grant as it stands.
    async fn converge(&self, doc: &GrantDoc) -> Result<()> {
        if doc.grant.state_at(self.now) == crate::grant::State::Active {
            let mut doc = doc.clone();
            self.attach(&mut doc).await
        } else {
            self.detach(doc, false).await.map(|_| ())
        }
    }

    /// Change grant `id` as `transition` decides, against the latest version in the ledger.
    pub async fn apply<F>(&self, id: &str, transition: F) -> Result<Applied>
    where
        F: Fn(&GrantDoc) -> Result<Outcome>,
    {
        // The SDK calls' futures are large: keep them off the callers' stacks.
        Box::pin(self.change(id, transition)).await
    }

    async fn change<F>(&self, id: &str, transition: F) -> Result<Applied>
    where
        F: Fn(&GrantDoc) -> Result<Outcome>,
    {
        let ledger = self.ledger().await?;
        let mut attached = false;
        for attempt in 1..=ATTEMPTS {
            let stored = ledger.read(id).await?.ok_or_else(|| not_found(id))?;
            let outcome = match transition(&stored.doc) {
                Ok(outcome) => outcome,
                Err(e) => {
                    if attached {
                        self.converge(&stored.doc).await?;
                    }
                    return Err(e);
                }
            };
            let (mut doc, iam, note) = match outcome {
                Outcome::Unchanged { note, iam } => {
                    if attached {
                        self.converge(&stored.doc).await?;
                    } else if !self.ctx.dry_run && matches!(iam, Iam::Detach | Iam::Revoke) {
                        // Idempotent: an ended grant's policy is made sure to be gone.
                        self.detach(&stored.doc, false).await?;
                    }
                    return Ok(Applied { doc: stored.doc, note, events: Vec::new() });
                }
                Outcome::Changed { doc, iam, note } => (*doc, iam, note),
            };
            let events = doc.events[stored.doc.events.len().min(doc.events.len())..].to_vec();
            if self.ctx.dry_run {
                return Ok(Applied { doc, note: format!("{note} (dry run: nothing changed)"), events });
            }
            if iam == Iam::Attach {
                attached = true;
                self.attach(&mut doc).await?;
            }
            let etag = match ledger.write(&doc, Some(&stored.etag)).await? {
                Written::Done { etag } => etag,
                Written::Lost => {
                    tracing::debug!(id, attempt, "someone else changed the grant first; trying again");
                    continue;
                }
            };
            if matches!(iam, Iam::Detach | Iam::Revoke) {
                self.detach(&doc, iam == Iam::Revoke).await.map_err(|e| {
                    let until = doc
                        .grant
                        .expires_at
                        .as_deref()
                        .map_or_else(String::new, |t| format!("; it ends by itself at {t}"));
                    let hint =
                        format!("run `accessgrant revoke {id}` again (or `accessgrant sweep`) to remove it{until}");
                    Error::new(
                        e.exit(),
                        format!(
                            "grant {id} is {} in the ledger, but its access is not removed: {e}",
                            doc.grant.state.as_str()
                        ),
                    )
                    .with_hint(hint)
                })?;
            }
            ledger.append(&events).await.map_err(|e| {
                Error::new(e.exit(), format!("grant {id} changed, but writing its audit events failed: {e}"))
                    .with_hint("`accessgrant sweep` writes missing audit events from the grants' own history")
            })?;
            if attached {
                Box::pin(self.verify(id, &etag)).await?;
            }
            return Ok(Applied { doc, note, events });
        }
        if attached && let Some(latest) = ledger.read(id).await? {
            self.converge(&latest.doc).await?;
        }
        Err(Error::temp_fail(format!(
            "grant {id} kept changing while this command tried to change it ({ATTEMPTS} tries)"
        ))
        .with_hint("run it again"))
    }

    /// After attaching: if the grant moved on meanwhile (revoked by someone else), follow it.
    async fn verify(&self, id: &str, etag: &str) -> Result<()> {
        let ledger = self.ledger().await?;
        for _ in 0..ATTEMPTS {
            let Some(latest) = ledger.read(id).await? else { return Ok(()) };
            if latest.etag == etag {
                return Ok(());
            }
            self.converge(&latest.doc).await?;
            let Some(again) = ledger.read(id).await? else { return Ok(()) };
            if again.etag == latest.etag {
                return Ok(());
            }
        }
        Ok(())
    }

    /// A grant that must exist.
    pub async fn read(&self, id: &str) -> Result<GrantDoc> {
        check_id(id)?;
        Ok(self.ledger().await?.read(id).await?.ok_or_else(|| not_found(id))?.doc)
    }

    /// A grant's policy name and the remaining time, for notes.
    pub fn until(&self, doc: &GrantDoc) -> String {
        let g = &doc.grant;
        match g.expires().and_then(|t| t.duration_since(self.now).ok()) {
            Some(left) => {
                format!("{} ({} from now)", g.expires_at.as_deref().unwrap_or("?"), crate::grant::human(round(left)))
            }
            None => g.expires_at.clone().unwrap_or_default(),
        }
    }
}

/// To the nearest minute: "1h 59m 58s from now" is "2h from now" to a person.
fn round(d: Duration) -> Duration {
    Duration::from_secs((d.as_secs() + 30) / 60 * 60)
}

/// The caller of `sdk`'s credentials, as STS names them.
pub async fn identify(sdk: &SdkConfig, what: &str) -> Result<Principal> {
    let sts = opskit::aws_client!(aws_sdk_sts, sdk);
    let out = opskit::aws::AwsResultExt::aws_context(sts.get_caller_identity().send().await, what)?;
    let arn = out.arn.ok_or_else(|| Error::unavailable(format!("{what}: STS returned no ARN")))?;
    Principal::parse(&arn)
}

/// The IAM user or role a grant's policy goes on.
pub fn holder(g: &crate::grant::Grant) -> Result<(GranteeType, String)> {
    let principal = Principal::parse(&g.grantee)?;
    principal
        .policy_holder()
        .map(|(kind, name)| (kind, name.to_owned()))
        .ok_or_else(|| Error::data(format!("grant {}: `{}` cannot hold a policy", g.id, g.grantee)))
}

pub fn check_id(id: &str) -> Result<()> {
    if crate::grant::is_id(id) {
        Ok(())
    } else {
        Err(Error::usage(format!("`{id}` is not a grant id (ten letters and digits, as `accessgrant ls` shows them)")))
    }
}

fn not_found(id: &str) -> Error {
    Error::not_found(format!("no grant {id} in the ledger")).with_hint("`accessgrant ls` lists the grants")
}
