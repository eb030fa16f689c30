//! sesconfig: set up and check Amazon SES sending for an application domain, including live DNS.

mod app;
#[cfg(test)]
mod aws_smithy_mocks_tests;
mod checks;
mod commands;
mod dns;
mod domain;
mod identity;
mod records;
mod required;
mod settings;

use clap::{Args, CommandFactory, Parser, Subcommand};
use opskit::permissions::Permission;
use opskit::{CommonCommand, Context, Exit, Globals, Tool};

use crate::app::App;
use crate::commands::{account, check, dns as dns_cmd, setup};
use crate::dns::ResolverAddr;
use crate::settings::{DmarcPolicy, Events, MxFailure};

#[derive(Debug, Parser)]
#[command(name = "sesconfig", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

/// DMARC settings of setup and dns.
#[derive(Debug, Args)]
struct DmarcArgs {
    /// DMARC policy to publish; an existing stricter one is kept [default: `dmarc_policy` in
    /// [sesconfig], else none]
    #[arg(long, value_enum, value_name = "POLICY")]
    dmarc_policy: Option<DmarcPolicy>,
    /// Where aggregate DMARC reports go (mailto:…, comma separated) [default: `dmarc_rua`]
    #[arg(long, value_name = "URI", value_parser = settings::parse_rua)]
    dmarc_rua: Option<String>,
}

#[derive(Debug, Args)]
struct DnsServerArgs {
    /// The DNS server to ask [default: the system's resolver]
    #[arg(long, value_name = "IP[:PORT]")]
    resolver: Option<ResolverAddr>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create or update the domain's SES sending: identity with Easy DKIM, MAIL FROM, a
    /// configuration set with a bounce/complaint destination as the identity's default, and
    /// account-level suppression; then print the DNS records to create
    #[command(
        after_help = "Examples:\n  sesconfig setup example.gov --mail-from bounce.example.gov --config-set example --events sns:arn:aws:sns:us-east-1:123456789012:ses-events\n  sesconfig --dry-run setup example.gov      # the API calls it would make"
    )]
    Setup {
        /// The domain mail is sent from [default: `domain` in [sesconfig]]
        domain: Option<String>,
        /// MAIL FROM subdomain [default: `mail_from` in [sesconfig], else mail.DOMAIN]
        #[arg(long, value_name = "SUB.DOMAIN")]
        mail_from: Option<String>,
        #[command(flatten)]
        dmarc: DmarcArgs,
        /// Configuration set to create and make the identity's default [default:
        /// `configuration_set` in [sesconfig]]
        #[arg(long, value_name = "NAME")]
        config_set: Option<String>,
        /// Where bounce and complaint events go: sns:ARN, eventbridge or cloudwatch [default:
        /// `events` in [sesconfig], else eventbridge]
        #[arg(long, value_name = "DEST", value_parser = settings::parse_events)]
        events: Option<Events>,
        /// What SES does when the MAIL FROM MX record is missing [default:
        /// `mail_from_mx_failure` in [sesconfig], else use-default-value]
        #[arg(long, value_enum, value_name = "BEHAVIOUR")]
        mail_from_mx_failure: Option<MxFailure>,
        #[command(flatten)]
        dns: DnsServerArgs,
    },
    /// Every DNS record the domain needs: DKIM CNAMEs, MAIL FROM MX and SPF, DMARC
    #[command(
        after_help = "Examples:\n  sesconfig dns example.gov -o json | jq -r '.[] | \"\\(.name) \\(.type) \\(.value)\"'\n  sesconfig dns example.gov --format bind >> example.gov.zone\n  sesconfig dns example.gov | sesconfig check example.gov -"
    )]
    Dns {
        /// The domain mail is sent from [default: `domain` in [sesconfig]]
        domain: Option<String>,
        /// MAIL FROM subdomain [default: `mail_from` in [sesconfig], else mail.DOMAIN]
        #[arg(long, value_name = "SUB.DOMAIN")]
        mail_from: Option<String>,
        /// Print a zone-file snippet or Terraform instead of records (-o)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<dns_cmd::RecordFormat>,
        #[command(flatten)]
        dmarc: DmarcArgs,
        #[command(flatten)]
        dns: DnsServerArgs,
    },
    /// Check the domain's DNS records and SES setup: one finding per check, exit 1 when any
    /// fails. With -, the expected records come from stdin and only DNS is checked (no AWS call)
    #[command(
        after_help = "Examples:\n  sesconfig check example.gov --authoritative\n  sesconfig dns example.gov -o json | sesconfig check example.gov - --resolver 1.1.1.1"
    )]
    Check {
        /// The domain mail is sent from [default: `domain` in [sesconfig]]
        domain: Option<String>,
        /// `-`: read the expected dns_record records from stdin
        #[arg(value_name = "-")]
        stdin: Option<String>,
        /// MAIL FROM subdomain [default: `mail_from` in [sesconfig], else mail.DOMAIN]
        #[arg(long, value_name = "SUB.DOMAIN")]
        mail_from: Option<String>,
        #[command(flatten)]
        dns: DnsServerArgs,
        /// Ask the zone's own name servers (found through the resolver), bypassing caches; say
        /// when the zone is not delegated
        #[arg(long)]
        authoritative: bool,
    },
    /// The account: production access or sandbox, quota and rate, sent in the last 24 h,
    /// enforcement status, suppression
    Status,
    /// Draft the request for production access (out of the sandbox); --yes submits it
    RequestProduction {
        /// The website of what sends the mail
        #[arg(long, value_name = "URL")]
        website: String,
        /// What you send, to whom, and how you handle bounces and complaints
        #[arg(long, value_name = "TEXT")]
        use_case: String,
        /// Marketing mail (default: transactional)
        #[arg(long)]
        marketing: bool,
        /// Another address AWS writes to about the request (repeatable)
        #[arg(long, value_name = "EMAIL")]
        contact: Vec<String>,
    },
    /// Send one test message through the configuration set; prints its message id
    SendTest {
        #[arg(long, value_name = "ADDR")]
        from: String,
        #[arg(long, value_name = "ADDR")]
        to: String,
        /// [default: `configuration_set` in [sesconfig]]
        #[arg(long, value_name = "NAME")]
        config_set: Option<String>,
    },
    /// Remove what setup created: the identity, and the configuration set when named (asks first)
    Teardown {
        /// The domain mail is sent from [default: `domain` in [sesconfig]]
        domain: Option<String>,
        /// Also delete this configuration set [default: `configuration_set` in [sesconfig]]
        #[arg(long, value_name = "NAME")]
        config_set: Option<String>,
    },
    #[command(flatten)]
    Common(CommonCommand),
}

/// The IAM actions each command calls (`sesconfig doctor --iam-policy` prints them as a
/// policy). SES v1's GetIdentityDkimAttributes answers where SESv2 leaves the DKIM tokens out;
/// the EventBridge destination needs the account id (STS: no grant).
const PERMISSIONS: &[Permission] = &[
    Permission {
        command: "setup",
        actions: &[
            "ses:GetEmailIdentity",
            "ses:CreateEmailIdentity",
            "ses:GetIdentityDkimAttributes",
            "ses:PutEmailIdentityMailFromAttributes",
            "ses:CreateConfigurationSet",
            "ses:GetConfigurationSetEventDestinations",
            "ses:CreateConfigurationSetEventDestination",
            "ses:PutEmailIdentityConfigurationSetAttributes",
            "ses:PutAccountSuppressionAttributes",
        ],
    },
    Permission { command: "dns", actions: &["ses:GetEmailIdentity", "ses:GetIdentityDkimAttributes"] },
    Permission {
        command: "check",
        actions: &[
            "ses:GetEmailIdentity",
            "ses:GetIdentityDkimAttributes",
            "ses:GetConfigurationSetEventDestinations",
            "ses:GetAccount",
        ],
    },
    Permission { command: "status", actions: &["ses:GetAccount"] },
    Permission { command: "request-production", actions: &["ses:GetAccount", "ses:PutAccountDetails"] },
    Permission { command: "send-test", actions: &["ses:SendEmail"] },
    Permission {
        command: "teardown",
        actions: &[
            "ses:GetEmailIdentity",
            "ses:GetIdentityDkimAttributes",
            "ses:DeleteEmailIdentity",
            "ses:DeleteConfigurationSet",
        ],
    },
];

impl Tool for Cli {
    const NAME: &'static str = "sesconfig";
    const PERMISSIONS: &'static [Permission] = PERMISSIONS;

    fn globals(&self) -> &Globals {
        &self.globals
    }

    async fn run(self, ctx: Context) -> anyhow::Result<Exit> {
        let command = match self.command {
            Command::Common(common) => return common.run(&ctx).await,
            command => command,
        };
        let app = App::new(&ctx)?;
        let app = &app;
        match command {
            Command::Setup { domain, mail_from, dmarc, config_set, events, mail_from_mx_failure, dns } => {
                let args = setup::SetupArgs {
                    domain: domain.as_deref(),
                    mail_from: mail_from.as_deref(),
                    dmarc_policy: dmarc.dmarc_policy,
                    dmarc_rua: dmarc.dmarc_rua.as_deref(),
                    config_set: config_set.as_deref(),
                    events,
                    mx_failure: mail_from_mx_failure,
                    resolver: dns.resolver,
                };
                Box::pin(setup::setup(app, args)).await
            }
            Command::Dns { domain, mail_from, format, dmarc, dns } => {
                let args = dns_cmd::DnsArgs {
                    domain: domain.as_deref(),
                    mail_from: mail_from.as_deref(),
                    format,
                    resolver: dns.resolver,
                    dmarc_policy: dmarc.dmarc_policy,
                    dmarc_rua: dmarc.dmarc_rua.as_deref(),
                };
                dns_cmd::dns(app, &args).await
            }
            Command::Check { domain, stdin, mail_from, dns, authoritative } => {
                // `check -` alone: the domain from opskit.toml, the records from stdin.
                let (domain, stdin) = match (domain, stdin) {
                    (Some(d), None) if d == "-" => (None, Some(d)),
                    pair => pair,
                };
                if let Some(other) = stdin.as_deref().filter(|s| *s != "-") {
                    return Err(opskit::Error::usage(format!(
                        "unexpected argument `{other}`: check takes DOMAIN and `-`"
                    ))
                    .with_hint("see `sesconfig check --help`")
                    .into());
                }
                let args = check::CheckArgs {
                    domain: domain.as_deref(),
                    from_stdin: stdin.is_some(),
                    mail_from: mail_from.as_deref(),
                    resolver: dns.resolver,
                    authoritative,
                };
                Box::pin(check::check(app, &args)).await
            }
            Command::Status => account::status(app).await,
            Command::RequestProduction { website, use_case, marketing, contact } => {
                let args =
                    account::RequestArgs { website: &website, use_case: &use_case, marketing, contacts: &contact };
                account::request_production(app, &args).await
            }
            Command::SendTest { from, to, config_set } => {
                account::send_test(app, &from, &to, config_set.as_deref()).await
            }
            Command::Teardown { domain, config_set } => {
                setup::teardown(app, domain.as_deref(), config_set.as_deref()).await
            }
            Command::Common(_) => unreachable!("handled above"),
        }
    }
}

/// The clap command: parsing, man pages and completions all come from it.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        super::command().debug_assert();
        assert_eq!(opskit::cli::id_collisions(&super::command()), Vec::<String>::new());
    }
}
