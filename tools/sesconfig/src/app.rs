//! What every command starts from: the context, `[sesconfig]` settings, and the domain, MAIL
//! FROM domain, SES and DNS they resolve to (flag, then opskit.toml).

use opskit::{Context, Error, Result};

use crate::dns::dmarc::Dmarc;
use crate::dns::{Answer, Dns, ResolverAddr};
use crate::domain::Domain;
use crate::identity::Ses;
use crate::settings::{DmarcPolicy, Settings};

pub struct App<'a> {
    pub ctx: &'a Context,
    pub settings: Settings,
}

impl<'a> App<'a> {
    pub fn new(ctx: &'a Context) -> Result<App<'a>> {
        let settings = ctx.config.section::<Settings>("sesconfig")?.unwrap_or_default();
        Ok(App { ctx, settings })
    }

    /// The command's DOMAIN, else `domain` in `[sesconfig]`.
    pub fn domain(&self, given: Option<&str>) -> Result<Domain> {
        match given.or(self.settings.domain.as_deref()) {
            Some(text) => Domain::parse(text),
            None => Err(Error::usage("no domain given")
                .with_hint("name it as the command's DOMAIN, or set `domain` in [sesconfig] in opskit.toml")),
        }
    }

    /// `--mail-from`, else `mail_from` in `[sesconfig]`, else `mail.<domain>`.
    pub fn mail_from(&self, domain: &Domain, given: Option<&str>) -> Result<Domain> {
        domain.mail_from(given.or(self.settings.mail_from.as_deref()))
    }

    pub fn dmarc_policy(&self, given: Option<DmarcPolicy>) -> DmarcPolicy {
        given.or(self.settings.dmarc_policy).unwrap_or(DmarcPolicy::None)
    }

    pub fn dmarc_rua(&self, given: Option<&str>) -> Result<Option<String>> {
        match given.or(self.settings.dmarc_rua.as_deref()) {
            None => Ok(None),
            Some(rua) => crate::settings::parse_rua(rua)
                .map(Some)
                .map_err(|e| Error::config(format!("[sesconfig] dmarc_rua: {e}"))),
        }
    }

    pub fn configuration_set(&self, given: Option<&str>) -> Option<String> {
        given.or(self.settings.configuration_set.as_deref()).map(str::to_owned)
    }

    pub async fn ses(&self) -> Result<Ses> {
        Ok(Ses::new(&self.ctx.sdk().await?))
    }

    /// The DMARC record to publish: the wanted policy and report address, keeping the stricter
    /// settings of the one already published. A DNS failure here is a warning, not an error:
    /// the record is still right for a domain without one.
    pub async fn dmarc_to_publish(
        &self,
        domain: &Domain,
        resolver: Option<ResolverAddr>,
        policy: Option<DmarcPolicy>,
        rua: Option<&str>,
    ) -> Result<Dmarc> {
        let wanted = self.dmarc_policy(policy);
        let rua = self.dmarc_rua(rua)?;
        let existing = match Dns::new(resolver) {
            Ok(dns) => match dns.txt(&domain.child("_dmarc")).await {
                Ok(Answer::Records(txt)) => txt.iter().find_map(|t| Dmarc::parse(t).ok()),
                Ok(_) => None,
                Err(e) => {
                    opskit::error::warn(&format!(
                        "{e}; the DMARC record shown does not take an existing one into account"
                    ));
                    None
                }
            },
            Err(e) => {
                opskit::error::warn(&e.to_string());
                None
            }
        };
        Ok(Dmarc::merged(existing.as_ref(), wanted, rua.as_deref()))
    }
}
