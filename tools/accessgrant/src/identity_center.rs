//! The one file that talks to IAM Identity Center (SSO admin, and the identity store for user
//! names). A grant there is a permission set `accessgrant-<id>` holding the same expiring inline
//! policy, assigned to the user in the environment's account. SSO admin works asynchronously:
//! assignments and provisioning are requests whose status is polled until they succeed or fail,
//! and a changed inline policy only reaches the account when the permission set is provisioned
//! again.

use std::future::Future;
use std::time::{Duration, Instant};

use aws_config::SdkConfig;
use aws_sdk_identitystore::types::{AlternateIdentifier, UniqueAttribute};
use aws_sdk_ssoadmin::types::{PrincipalType, ProvisionTargetType, StatusValues, TargetType};
use aws_smithy_types::Document;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use opskit::aws::AwsResultExt;
use opskit::{Error, Result};
use serde_json::Value;

use crate::settings::IdentityCenterSettings;

/// How often an asynchronous request's status is asked.
const POLL: Duration = Duration::from_secs(2);

/// An asynchronous request's status, as the SSO admin API reports it.
#[derive(Clone, Debug, Default)]
pub struct Status {
    pub value: Option<StatusValues>,
    pub request_id: Option<String>,
    pub failure: Option<String>,
}

impl From<Option<&aws_sdk_ssoadmin::types::AccountAssignmentOperationStatus>> for Status {
    fn from(s: Option<&aws_sdk_ssoadmin::types::AccountAssignmentOperationStatus>) -> Status {
        s.map(|s| Status {
            value: s.status().cloned(),
            request_id: s.request_id().map(str::to_owned),
            failure: s.failure_reason().map(str::to_owned),
        })
        .unwrap_or_default()
    }
}

impl From<Option<&aws_sdk_ssoadmin::types::PermissionSetProvisioningStatus>> for Status {
    fn from(s: Option<&aws_sdk_ssoadmin::types::PermissionSetProvisioningStatus>) -> Status {
        s.map(|s| Status {
            value: s.status().cloned(),
            request_id: s.request_id().map(str::to_owned),
            failure: s.failure_reason().map(str::to_owned),
        })
        .unwrap_or_default()
    }
}

pub struct IdentityCenter {
    admin: aws_sdk_ssoadmin::Client,
    store: aws_sdk_identitystore::Client,
    instance_arn: String,
    identity_store_id: String,
    poll: Duration,
    deadline: Duration,
}

impl IdentityCenter {
    /// The instance `[accessgrant.identity_center]` names, else the only one there is.
    pub async fn open(
        sdk: &SdkConfig,
        settings: &IdentityCenterSettings,
        deadline: Duration,
    ) -> Result<IdentityCenter> {
        let admin = opskit::aws_client!(aws_sdk_ssoadmin, sdk);
        let store = opskit::aws_client!(aws_sdk_identitystore, sdk);
        if let (Some(arn), Some(id)) = (&settings.instance_arn, &settings.identity_store_id) {
            return Ok(IdentityCenter {
                admin,
                store,
                instance_arn: arn.clone(),
                identity_store_id: id.clone(),
                poll: POLL,
                deadline,
            });
        }
        let out = admin.list_instances().send().await.aws_context("listing IAM Identity Center instances")?;
        let instances = out.instances.unwrap_or_default();
        let chosen = match &settings.instance_arn {
            Some(arn) => instances.iter().find(|i| i.instance_arn() == Some(arn.as_str())),
            None if instances.len() == 1 => instances.first(),
            None => None,
        };
        let Some(instance) = chosen else {
            let found: Vec<&str> = instances.iter().filter_map(|i| i.instance_arn()).collect();
            return Err(Error::config(format!(
                "cannot tell which IAM Identity Center instance to use ({} found{})",
                found.len(),
                if found.is_empty() { String::new() } else { format!(": {}", found.join(", ")) }
            ))
            .with_hint("set instance_arn and identity_store_id in [accessgrant.identity_center]"));
        };
        let instance_arn = instance.instance_arn().unwrap_or_default().to_owned();
        let identity_store_id = settings
            .identity_store_id
            .clone()
            .or_else(|| instance.identity_store_id().map(str::to_owned))
            .unwrap_or_default();
        Ok(IdentityCenter { admin, store, instance_arn, identity_store_id, poll: POLL, deadline })
    }

    /// For tests with the SDK's own mocks: given clients and instance, polling quickly.
    #[cfg(test)]
    pub fn with_clients(
        admin: aws_sdk_ssoadmin::Client,
        store: aws_sdk_identitystore::Client,
        instance_arn: &str,
        deadline: Duration,
    ) -> IdentityCenter {
        IdentityCenter {
            admin,
            store,
            instance_arn: instance_arn.to_owned(),
            identity_store_id: "d-0000000000".to_owned(),
            poll: Duration::from_millis(1),
            deadline,
        }
    }

    /// The identity store's id for a user name.
    pub async fn user_id(&self, user_name: &str) -> Result<String> {
        let unique = UniqueAttribute::builder()
            .attribute_path("userName")
            .attribute_value(Document::String(user_name.to_owned()))
            .build()
            .map_err(|e| Error::internal(format!("building a user lookup: {e}")))?;
        match self
            .store
            .get_user_id()
            .identity_store_id(&self.identity_store_id)
            .alternate_identifier(AlternateIdentifier::UniqueAttribute(unique))
            .send()
            .await
        {
            Ok(out) => Ok(out.user_id),
            Err(e) if e.code() == Some("ResourceNotFoundException") => {
                Err(Error::not_found(format!("there is no IAM Identity Center user `{user_name}`"))
                    .with_hint("--to takes the user's name in Identity Center (often their email)"))
            }
            Err(e) => Err(opskit::aws::from_sdk(&e, &format!("looking up the Identity Center user {user_name}"))),
        }
    }

    /// Make sure the permission set `name` exists with `policy` and is assigned to the user in
    /// `account`, provisioned with the current policy. Returns the permission set's ARN.
    pub async fn attach(
        &self,
        set: &PermissionSet<'_>,
        policy: &Value,
        account: &str,
        user_id: &str,
    ) -> Result<String> {
        let arn = match set.arn {
            Some(arn) => arn.to_owned(),
            None => match self.find(set.name).await? {
                Some(arn) => arn,
                None => self.create(set).await?,
            },
        };
        self.admin
            .put_inline_policy_to_permission_set()
            .instance_arn(&self.instance_arn)
            .permission_set_arn(&arn)
            .inline_policy(policy.to_string())
            .send()
            .await
            .aws_context(format_args!("putting the policy into the permission set {}", set.name))?;
        if self.assigned(&arn, account).await?.iter().any(|p| p == user_id) {
            // Assigned already (an extension): the new policy reaches the account only when
            // the permission set is provisioned again.
            let out = self
                .admin
                .provision_permission_set()
                .instance_arn(&self.instance_arn)
                .permission_set_arn(&arn)
                .target_type(ProvisionTargetType::AllProvisionedAccounts)
                .send()
                .await
                .aws_context(format_args!("provisioning the permission set {}", set.name))?;
            let what = format!("provisioning the permission set {}", set.name);
            self.wait(&what, out.permission_set_provisioning_status().into(), |id| async move {
                let out = self
                    .admin
                    .describe_permission_set_provisioning_status()
                    .instance_arn(&self.instance_arn)
                    .provision_permission_set_request_id(id)
                    .send()
                    .await
                    .aws_context("asking how provisioning goes")?;
                Ok(out.permission_set_provisioning_status().into())
            })
            .await?;
        } else {
            let out = self
                .admin
                .create_account_assignment()
                .instance_arn(&self.instance_arn)
                .permission_set_arn(&arn)
                .target_type(TargetType::AwsAccount)
                .target_id(account)
                .principal_type(PrincipalType::User)
                .principal_id(user_id)
                .send()
                .await
                .aws_context(format_args!("assigning the permission set {} in account {account}", set.name))?;
            let what = format!("assigning the permission set {} in account {account}", set.name);
            self.wait(&what, out.account_assignment_creation_status().into(), |id| async move {
                let out = self
                    .admin
                    .describe_account_assignment_creation_status()
                    .instance_arn(&self.instance_arn)
                    .account_assignment_creation_request_id(id)
                    .send()
                    .await
                    .aws_context("asking how the assignment goes")?;
                Ok(out.account_assignment_creation_status().into())
            })
            .await?;
        }
        Ok(arn)
    }

    async fn create(&self, set: &PermissionSet<'_>) -> Result<String> {
        let hours = set.session.as_secs().div_ceil(3600).clamp(1, 12);
        let created = self
            .admin
            .create_permission_set()
            .instance_arn(&self.instance_arn)
            .name(set.name)
            .description(set.description)
            .session_duration(format!("PT{hours}H"))
            .send()
            .await;
        match created {
            Ok(out) => out.permission_set.and_then(|p| p.permission_set_arn).ok_or_else(|| {
                Error::unavailable(format!("creating the permission set {}: no ARN returned", set.name))
            }),
            // Created meanwhile by a racing approver: use theirs.
            Err(e) if e.code() == Some("ConflictException") => {
                self.find(set.name).await?.ok_or_else(|| opskit::aws::from_sdk(&e, "creating the permission set"))
            }
            Err(e) => Err(opskit::aws::from_sdk(&e, &format!("creating the permission set {}", set.name))),
        }
    }

    /// The permission sets of the instance whose names start with `accessgrant-`: (name, ARN).
    pub async fn accessgrant_sets(&self) -> Result<Vec<(String, String)>> {
        let mut found = Vec::new();
        for arn in self.permission_sets().await? {
            let out = self
                .admin
                .describe_permission_set()
                .instance_arn(&self.instance_arn)
                .permission_set_arn(&arn)
                .send()
                .await
                .aws_context(format_args!("describing the permission set {arn}"))?;
            let name = out.permission_set.and_then(|p| p.name).unwrap_or_default();
            if crate::policy::parse_name(&name).is_some() {
                found.push((name, arn));
            }
        }
        Ok(found)
    }

    async fn permission_sets(&self) -> Result<Vec<String>> {
        let mut pages = self.admin.list_permission_sets().instance_arn(&self.instance_arn).into_paginator().send();
        let mut arns = Vec::new();
        while let Some(page) = pages.next().await {
            arns.extend(page.aws_context("listing permission sets")?.permission_sets.unwrap_or_default());
        }
        Ok(arns)
    }

    async fn find(&self, name: &str) -> Result<Option<String>> {
        Ok(self.accessgrant_sets().await?.into_iter().find(|(n, _)| n == name).map(|(_, arn)| arn))
    }

    /// The users the permission set is assigned to in `account`.
    async fn assigned(&self, arn: &str, account: &str) -> Result<Vec<String>> {
        let mut pages = self
            .admin
            .list_account_assignments()
            .instance_arn(&self.instance_arn)
            .account_id(account)
            .permission_set_arn(arn)
            .into_paginator()
            .send();
        let mut users = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.aws_context(format_args!("listing the assignments of {arn} in {account}"))?;
            users.extend(page.account_assignments.unwrap_or_default().into_iter().filter_map(|a| a.principal_id));
        }
        Ok(users)
    }

    /// Remove the permission set `name` (or the one at `arn`): every assignment in every account
    /// it is provisioned to, then the set. `false` when there was none.
    pub async fn remove(&self, name: &str, arn: Option<&str>) -> Result<bool> {
        let arn = match arn {
            Some(arn) => arn.to_owned(),
            None => match self.find(name).await? {
                Some(arn) => arn,
                None => return Ok(false),
            },
        };
        let accounts = match self
            .admin
            .list_accounts_for_provisioned_permission_set()
            .instance_arn(&self.instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await
        {
            Ok(out) => out.account_ids.unwrap_or_default(),
            Err(e) if e.code() == Some("ResourceNotFoundException") => return Ok(false),
            Err(e) => return Err(opskit::aws::from_sdk(&e, &format!("listing where {name} is provisioned"))),
        };
        for account in &accounts {
            for user in self.assigned(&arn, account).await? {
                let out = self
                    .admin
                    .delete_account_assignment()
                    .instance_arn(&self.instance_arn)
                    .permission_set_arn(&arn)
                    .target_type(TargetType::AwsAccount)
                    .target_id(account)
                    .principal_type(PrincipalType::User)
                    .principal_id(&user)
                    .send()
                    .await
                    .aws_context(format_args!("removing the assignment of {name} in account {account}"))?;
                let what = format!("removing the assignment of {name} in account {account}");
                self.wait(&what, out.account_assignment_deletion_status().into(), |id| async move {
                    let out = self
                        .admin
                        .describe_account_assignment_deletion_status()
                        .instance_arn(&self.instance_arn)
                        .account_assignment_deletion_request_id(id)
                        .send()
                        .await
                        .aws_context("asking how the removal goes")?;
                    Ok(out.account_assignment_deletion_status().into())
                })
                .await?;
            }
        }
        match self.admin.delete_permission_set().instance_arn(&self.instance_arn).permission_set_arn(&arn).send().await
        {
            Ok(_) => Ok(true),
            Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(false),
            Err(e) => Err(opskit::aws::from_sdk(&e, &format!("deleting the permission set {name}"))),
        }
    }

    /// Poll an asynchronous request until it succeeds (Ok), fails (the service's reason), or the
    /// deadline passes (a temporary failure: the request goes on, and running again is safe).
    async fn wait<F, Fut>(&self, what: &str, first: Status, mut describe: F) -> Result<()>
    where
        F: FnMut(String) -> Fut,
        Fut: Future<Output = Result<Status>>,
    {
        let started = Instant::now();
        let mut status = first;
        loop {
            match &status.value {
                Some(StatusValues::Succeeded) => return Ok(()),
                Some(StatusValues::Failed) => {
                    return Err(Error::unavailable(format!(
                        "{what}: IAM Identity Center says it failed: {}",
                        status.failure.as_deref().unwrap_or("no reason given")
                    ))
                    .with_hint("check the permission set in the IAM Identity Center console; running the command again is safe"));
                }
                _ => {}
            }
            let Some(request) = status.request_id.clone() else {
                return Err(Error::unavailable(format!("{what}: IAM Identity Center gave no request id to follow")));
            };
            if started.elapsed() >= self.deadline {
                return Err(Error::temp_fail(format!("{what}: still in progress after {}s", self.deadline.as_secs()))
                    .with_hint("IAM Identity Center goes on with it; run the command again to see it finished"));
            }
            tokio::time::sleep(self.poll).await;
            let next = describe(request.clone()).await?;
            status = Status { request_id: next.request_id.clone().or(Some(request)), ..next };
        }
    }
}

/// The permission set a grant is.
pub struct PermissionSet<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// How long a sign-in to it lasts (IAM Identity Center allows 1 to 12 hours).
    pub session: Duration,
    /// Its ARN, when the grant already knows it.
    pub arn: Option<&'a str>,
}

/// Tests with the SDK's own test utilities (aws-smithy-mocks), for what the emulator does not do:
/// asynchronous requests that are still in progress, or fail. Responses are shaped as AWS
/// documents them (`Status` IN_PROGRESS → SUCCEEDED | FAILED with a `FailureReason`).
#[cfg(test)]
mod sdk_mock_tests;
