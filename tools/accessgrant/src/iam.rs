//! The one file that talks to IAM: grantees that must exist, inline policies put and removed,
//! approvers' groups, and every `accessgrant-*` policy on any user or role (for sweep).
//! IAM returns policy documents URL-encoded; they are decoded here.

use aws_config::SdkConfig;
use aws_sdk_iam::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures_util::{StreamExt, TryStreamExt};
use opskit::aws::AwsResultExt;
use opskit::{Error, Result};
use serde_json::Value;

use crate::principal::GranteeType;

/// IAM's "there is no such user, role or policy".
fn no_such_entity<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    err.code() == Some("NoSuchEntity")
}

/// Principals whose policies are listed at once during a sweep.
const LISTS_IN_FLIGHT: usize = 8;

/// An inline policy whose name starts with `accessgrant-`, and what holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attached {
    pub holder_type: GranteeType,
    pub holder: String,
    pub policy: String,
}

impl Attached {
    /// `user/alice`, `role/Debug`: how reports name the holder.
    pub fn holder_path(&self) -> String {
        format!("{}/{}", self.holder_type.as_str(), self.holder)
    }
}

#[derive(Clone)]
pub struct Iam {
    client: Client,
}

fn inline_only(kind: GranteeType) -> Result<GranteeType> {
    match kind {
        GranteeType::User | GranteeType::Role => Ok(kind),
        GranteeType::IdentityCenterUser => {
            Err(Error::internal("an Identity Center user has no IAM inline policies (a permission set instead)"))
        }
    }
}

impl Iam {
    pub fn new(sdk: &SdkConfig) -> Iam {
        Iam { client: opskit::aws_client!(aws_sdk_iam, sdk) }
    }

    /// The ARN of an IAM user or role that must exist.
    pub async fn arn_of(&self, kind: GranteeType, name: &str) -> Result<String> {
        let what = format!("looking up the IAM {} {name}", kind.as_str());
        let missing = || {
            Error::not_found(format!("there is no IAM {} `{name}` in the environment's account", kind.as_str()))
                .with_hint("check --to (user/NAME or role/NAME), and the environment's account with `accessgrant doctor -e ENV`")
        };
        match inline_only(kind)? {
            GranteeType::User => match self.client.get_user().user_name(name).send().await {
                Ok(out) => Ok(out.user.map(|u| u.arn).unwrap_or_default()),
                Err(e) if no_such_entity(&e) => Err(missing()),
                Err(e) => Err(opskit::aws::from_sdk(&e, &what)),
            },
            _ => match self.client.get_role().role_name(name).send().await {
                Ok(out) => Ok(out.role.map(|r| r.arn).unwrap_or_default()),
                Err(e) if no_such_entity(&e) => Err(missing()),
                Err(e) => Err(opskit::aws::from_sdk(&e, &what)),
            },
        }
    }

    /// Put (or replace) an inline policy.
    pub async fn put(&self, kind: GranteeType, holder: &str, name: &str, policy: &Value) -> Result<()> {
        let document = policy.to_string();
        let what = format!("attaching the policy {name} to {} {holder}", kind.as_str());
        // IAM says 409 LimitExceeded when the holder's inline policies together would be too
        // large: not a conflict that goes away by itself.
        let failed = |code: Option<&str>, message: Option<&str>, sdk: Error| {
            if code != Some("LimitExceeded") {
                return sdk;
            }
            Error::cant_create(format!("{what}: {}", message.unwrap_or("LimitExceeded"))).with_hint(format!(
                "the {} {holder} has other inline policies: together they may not exceed {} characters",
                kind.as_str(),
                crate::policy::limit(kind)
            ))
        };
        if inline_only(kind)? == GranteeType::User {
            let put = self.client.put_user_policy().user_name(holder).policy_name(name).policy_document(document);
            put.send().await.map(drop).map_err(|e| failed(e.code(), e.message(), opskit::aws::from_sdk(&e, &what)))
        } else {
            let put = self.client.put_role_policy().role_name(holder).policy_name(name).policy_document(document);
            put.send().await.map(drop).map_err(|e| failed(e.code(), e.message(), opskit::aws::from_sdk(&e, &what)))
        }
    }

    /// An inline policy's document, decoded; `None` when there is no such policy.
    pub async fn get(&self, kind: GranteeType, holder: &str, name: &str) -> Result<Option<Value>> {
        let what = format!("reading the policy {name} of {} {holder}", kind.as_str());
        let document = match inline_only(kind)? {
            GranteeType::User => match self.client.get_user_policy().user_name(holder).policy_name(name).send().await {
                Ok(out) => out.policy_document,
                Err(e) if no_such_entity(&e) => return Ok(None),
                Err(e) => return Err(opskit::aws::from_sdk(&e, &what)),
            },
            _ => match self.client.get_role_policy().role_name(holder).policy_name(name).send().await {
                Ok(out) => out.policy_document,
                Err(e) if no_such_entity(&e) => return Ok(None),
                Err(e) => return Err(opskit::aws::from_sdk(&e, &what)),
            },
        };
        crate::policy::decode(&document).map(Some).map_err(|e| Error::data(format!("{what}: {e}")))
    }

    /// Remove an inline policy; `false` when it was not there (already removed, or the holder is gone).
    pub async fn delete(&self, kind: GranteeType, holder: &str, name: &str) -> Result<bool> {
        let what = format!("removing the policy {name} from {} {holder}", kind.as_str());
        match inline_only(kind)? {
            GranteeType::User => {
                match self.client.delete_user_policy().user_name(holder).policy_name(name).send().await {
                    Ok(_) => Ok(true),
                    Err(e) if no_such_entity(&e) => Ok(false),
                    Err(e) => Err(opskit::aws::from_sdk(&e, &what)),
                }
            }
            _ => match self.client.delete_role_policy().role_name(holder).policy_name(name).send().await {
                Ok(_) => Ok(true),
                Err(e) if no_such_entity(&e) => Ok(false),
                Err(e) => Err(opskit::aws::from_sdk(&e, &what)),
            },
        }
    }

    /// The IAM groups a user is in.
    pub async fn groups_of(&self, user: &str) -> Result<Vec<String>> {
        let mut pages = self.client.list_groups_for_user().user_name(user).into_paginator().send();
        let mut groups = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.aws_context(format_args!("listing the IAM groups of {user}"))?;
            groups.extend(page.groups.into_iter().map(|g| g.group_name));
        }
        Ok(groups)
    }

    /// Every inline policy called `accessgrant-*` on any user or role of the account.
    pub async fn accessgrant_policies(&self) -> Result<Vec<Attached>> {
        let mut users = Vec::new();
        let mut pages = self.client.list_users().into_paginator().send();
        while let Some(page) = pages.next().await {
            users.extend(page.aws_context("listing IAM users")?.users.into_iter().map(|u| u.user_name));
        }
        let mut roles = Vec::new();
        let mut pages = self.client.list_roles().into_paginator().send();
        while let Some(page) = pages.next().await {
            roles.extend(page.aws_context("listing IAM roles")?.roles.into_iter().map(|r| r.role_name));
        }
        let holders =
            users.into_iter().map(|u| (GranteeType::User, u)).chain(roles.into_iter().map(|r| (GranteeType::Role, r)));
        let found: Vec<Vec<Attached>> = futures_util::stream::iter(holders)
            .map(|(kind, holder)| async move {
                let names = self.policy_names(kind, &holder).await?;
                Ok::<_, Error>(
                    names
                        .into_iter()
                        .filter(|n| crate::policy::parse_name(n).is_some())
                        .map(|policy| Attached { holder_type: kind, holder: holder.clone(), policy })
                        .collect(),
                )
            })
            .buffered(LISTS_IN_FLIGHT)
            .try_collect()
            .await?;
        Ok(found.into_iter().flatten().collect())
    }

    async fn policy_names(&self, kind: GranteeType, holder: &str) -> Result<Vec<String>> {
        let what = || format!("listing the inline policies of {} {holder}", kind.as_str());
        let mut names = Vec::new();
        // A holder deleted since it was listed holds nothing.
        if kind == GranteeType::User {
            let mut pages = self.client.list_user_policies().user_name(holder).into_paginator().send();
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => names.extend(page.policy_names),
                    Err(e) if no_such_entity(&e) => break,
                    Err(e) => return Err(opskit::aws::from_sdk(&e, &what())),
                }
            }
        } else {
            let mut pages = self.client.list_role_policies().role_name(holder).into_paginator().send();
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => names.extend(page.policy_names),
                    Err(e) if no_such_entity(&e) => break,
                    Err(e) => return Err(opskit::aws::from_sdk(&e, &what())),
                }
            }
        }
        Ok(names)
    }
}
