//! Live DNS, through hickory: a resolver for lookups (the system's, or the one `--resolver`
//! names), raw queries to one server where a CNAME must be seen as it is (a resolver follows
//! it), and `--authoritative`: the zone's own name servers, asked without recursion or cache.

pub mod dmarc;
pub mod spf;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use futures_util::StreamExt;
use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts};
use hickory_resolver::net::client::Client;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::udp::UdpClientStream;
use hickory_resolver::net::xfer::DnsHandle;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::{DnsRequestOptions, Query, ResponseCode};
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use opskit::Error;

use crate::domain::{Domain, normalise};

/// How long one DNS server gets to answer one query.
const QUERY_TIMEOUT: Duration = Duration::from_secs(3);

/// `--resolver IP[:PORT]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolverAddr(pub SocketAddr);

impl FromStr for ResolverAddr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(ResolverAddr(SocketAddr::new(ip, 53)));
        }
        text.parse::<SocketAddr>()
            .map(ResolverAddr)
            .map_err(|_| format!("`{text}` is not IP[:PORT] (like 127.0.0.1, 127.0.0.1:5353 or [::1]:53)"))
    }
}

/// What a name holds of one type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer<T> {
    Records(Vec<T>),
    /// The name exists without records of this type.
    NoData,
    /// The name does not exist.
    NxDomain,
}

impl<T> Answer<T> {
    pub fn records(&self) -> &[T] {
        match self {
            Answer::Records(r) => r,
            _ => &[],
        }
    }
}

/// A place to ask: a resolver and the servers behind it.
pub struct Dns {
    resolver: TokioResolver,
    servers: Vec<SocketAddr>,
    recursion: bool,
    /// Who is asked, for messages: `127.0.0.1:53`, `the system resolver (…)`.
    source: String,
}

impl fmt::Debug for Dns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Dns {
    /// The resolver `--resolver` names, else the system's (/etc/resolv.conf).
    pub fn new(resolver: Option<ResolverAddr>) -> Result<Dns, Error> {
        if let Some(ResolverAddr(addr)) = resolver {
            return Ok(Dns::asking(vec![addr], true, addr.to_string()));
        }
        let (config, _) = hickory_resolver::system_conf::read_system_conf().map_err(|e| {
            Error::config(format!("cannot read the system's DNS settings (/etc/resolv.conf): {e}"))
                .with_hint("name a DNS server with --resolver IP[:PORT]")
        })?;
        let servers: Vec<SocketAddr> = config
            .name_servers()
            .iter()
            .map(|ns| SocketAddr::new(ns.ip, ns.connections.first().map_or(53, |c| c.port)))
            .collect();
        if servers.is_empty() {
            return Err(Error::config("the system names no DNS server (/etc/resolv.conf)")
                .with_hint("name one with --resolver IP[:PORT]"));
        }
        let list = servers.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        Ok(Dns::asking(servers, true, format!("the system resolver ({list})")))
    }

    fn asking(servers: Vec<SocketAddr>, recursion: bool, source: String) -> Dns {
        let name_servers = servers
            .iter()
            .map(|addr| {
                let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                // The port is set per connection: UDP and TCP both.
                for connection in &mut ns.connections {
                    connection.port = addr.port();
                }
                ns
            })
            .collect();
        let mut opts = ResolverOpts::default();
        opts.timeout = QUERY_TIMEOUT;
        opts.attempts = 1;
        opts.use_hosts_file = ResolveHosts::Never;
        opts.recursion_desired = recursion;
        opts.cache_size = 0;
        opts.ndots = 0;
        let config = ResolverConfig::from_name_servers(name_servers);
        let resolver = Resolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(opts)
            .build()
            .expect("a resolver over plain UDP and TCP always builds");
        Dns { resolver, servers, recursion, source }
    }

    /// Who is asked, for messages.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn name(name: &str) -> Result<Name, Error> {
        Name::from_ascii(format!("{}.", normalise(name)))
            .map_err(|e| Error::data(format!("`{name}` is not a DNS name: {e}")))
    }

    fn unavailable(&self, name: &str, rtype: RecordType, err: &dyn fmt::Display) -> Error {
        Error::unavailable(format!("DNS: no usable answer from {} for {name} {rtype}: {err}", self.source))
            .with_hint("check that the DNS server is reachable (--resolver IP[:PORT] names another)")
    }

    async fn lookup(&self, name: &str, rtype: RecordType) -> Result<Answer<RData>, Error> {
        let fqdn = Dns::name(name)?;
        tracing::debug!(%fqdn, ?rtype, source = %self.source, "DNS lookup");
        match self.resolver.lookup(fqdn, rtype).await {
            Ok(lookup) => {
                let found: Vec<RData> =
                    lookup.answers().iter().filter(|r| r.record_type() == rtype).map(|r| r.data.clone()).collect();
                Ok(if found.is_empty() { Answer::NoData } else { Answer::Records(found) })
            }
            Err(e) => self.negative(name, rtype, &e),
        }
    }

    fn negative<T>(&self, name: &str, rtype: RecordType, err: &NetError) -> Result<Answer<T>, Error> {
        match err {
            NetError::Dns(DnsError::NoRecordsFound(no)) if no.response_code == ResponseCode::NXDomain => {
                Ok(Answer::NxDomain)
            }
            NetError::Dns(DnsError::NoRecordsFound(_)) => Ok(Answer::NoData),
            other => Err(self.unavailable(name, rtype, other)),
        }
    }

    /// TXT records, each one's strings joined (as SPF and DMARC read them).
    pub async fn txt(&self, name: &str) -> Result<Answer<String>, Error> {
        Ok(map(self.lookup(name, RecordType::TXT).await?, |data| match data {
            RData::TXT(txt) => {
                Some(txt.txt_data.iter().map(|s| String::from_utf8_lossy(s).into_owned()).collect::<String>())
            }
            _ => None,
        }))
    }

    /// MX records as (preference, host).
    pub async fn mx(&self, name: &str) -> Result<Answer<(u16, String)>, Error> {
        Ok(map(self.lookup(name, RecordType::MX).await?, |data| match data {
            RData::MX(mx) => Some((mx.preference, normalise(&mx.exchange.to_ascii()))),
            _ => None,
        }))
    }

    /// The CNAME at `name` itself, not followed: asked of one server directly.
    pub async fn cname(&self, name: &str) -> Result<Answer<String>, Error> {
        let message = self.raw(name, RecordType::CNAME).await?;
        let found: Vec<String> = message
            .answers
            .iter()
            .filter_map(|r| match &r.data {
                RData::CNAME(target) if normalise(&r.name.to_ascii()) == normalise(name) => {
                    Some(normalise(&target.0.to_ascii()))
                }
                _ => None,
            })
            .collect();
        Ok(match (found.is_empty(), message.response_code) {
            (false, _) => Answer::Records(found),
            (true, ResponseCode::NXDomain) => Answer::NxDomain,
            (true, _) => Answer::NoData,
        })
    }

    /// One query to the servers in turn (the first that answers wins), as they answer it.
    async fn raw(&self, name: &str, rtype: RecordType) -> Result<RawAnswer, Error> {
        let fqdn = Dns::name(name)?;
        let mut last: Option<String> = None;
        for server in &self.servers {
            tracing::debug!(%fqdn, ?rtype, %server, "DNS raw query");
            let stream = UdpClientStream::builder(*server, TokioRuntimeProvider::default())
                .with_timeout(Some(QUERY_TIMEOUT))
                .build();
            let (client, background) = Client::<TokioRuntimeProvider>::from_sender(stream);
            let task = tokio::spawn(background);
            let mut options = DnsRequestOptions::default();
            options.recursion_desired = self.recursion;
            let answer = client.lookup(Query::query(fqdn.clone(), rtype), options).next().await;
            task.abort();
            match answer {
                Some(Ok(response)) => {
                    let code = response.metadata.response_code;
                    if matches!(code, ResponseCode::NoError | ResponseCode::NXDomain) {
                        return Ok(RawAnswer { response_code: code, answers: response.answers.clone() });
                    }
                    last = Some(format!("{server} answered {code}"));
                }
                Some(Err(NetError::Dns(DnsError::NoRecordsFound(no)))) => {
                    return Ok(RawAnswer { response_code: no.response_code, answers: Vec::new() });
                }
                Some(Err(e)) => last = Some(format!("{server}: {e}")),
                None => last = Some(format!("{server}: no answer")),
            }
        }
        Err(self.unavailable(name, rtype, &last.unwrap_or_else(|| "no server to ask".into())))
    }

    /// The zone's own name servers, found through this resolver, as a [`Dns`] that asks them
    /// directly (no recursion, no cache), and whether the domain is delegated to them.
    pub async fn authoritative(&self, domain: &Domain) -> Result<(Dns, Delegation), Error> {
        let zone = self.zone_of(domain).await?;
        let ns_names: Vec<String> = match self.lookup(&zone, RecordType::NS).await? {
            Answer::Records(data) => data
                .into_iter()
                .filter_map(|d| match d {
                    RData::NS(ns) => Some(normalise(&ns.0.to_ascii())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut servers = Vec::new();
        for ns in &ns_names {
            for rtype in [RecordType::A, RecordType::AAAA] {
                for data in self.lookup(ns, rtype).await?.records() {
                    if let Some(ip) = data.ip_addr() {
                        servers.push(SocketAddr::new(ip, 53));
                    }
                }
            }
        }
        if servers.is_empty() {
            return Err(Error::unavailable(format!(
                "DNS: the zone {zone} has no name servers with addresses (asked {})",
                self.source
            ))
            .with_hint("check the zone's NS records and their glue"));
        }
        let list = servers.iter().map(|s| s.ip().to_string()).collect::<Vec<_>>().join(", ");
        let authority = Dns::asking(servers, false, format!("{zone}'s name servers ({list})"));
        // Ask them, not a cache, whether the domain exists in their zone.
        let exists = if zone == domain.as_str() {
            true
        } else {
            authority.raw(domain.as_str(), RecordType::SOA).await?.response_code != ResponseCode::NXDomain
        };
        let delegation = Delegation { zone, name_servers: ns_names, delegated: exists };
        Ok((authority, delegation))
    }

    /// The zone `domain` is in: the owner of the SOA record that answers for it.
    async fn zone_of(&self, domain: &Domain) -> Result<String, Error> {
        let mut name = Some(domain.clone());
        while let Some(current) = name {
            let fqdn = Dns::name(current.as_str())?;
            match self.resolver.lookup(fqdn, RecordType::SOA).await {
                Ok(lookup) => {
                    if let Some(soa) = lookup.answers().iter().find(|r| r.record_type() == RecordType::SOA) {
                        return Ok(normalise(&soa.name.to_ascii()));
                    }
                }
                Err(NetError::Dns(DnsError::NoRecordsFound(no))) => {
                    if let Some(soa) = &no.soa {
                        return Ok(normalise(&soa.name.to_ascii()));
                    }
                }
                Err(e) => return Err(self.unavailable(current.as_str(), RecordType::SOA, &e)),
            }
            // Up to the top-level domain, whose servers hold the delegations below it.
            name = current.parent();
        }
        Err(Error::unavailable(format!("DNS: no zone found for {domain} (asked {})", self.source)))
    }
}

/// What `--authoritative` found about the domain's zone.
#[derive(Clone, Debug)]
pub struct Delegation {
    pub zone: String,
    pub name_servers: Vec<String>,
    /// Whether the domain exists at the zone's name servers.
    pub delegated: bool,
}

/// One server's answer, as it gave it.
struct RawAnswer {
    response_code: ResponseCode,
    answers: Vec<hickory_resolver::proto::rr::Record>,
}

fn map<T>(answer: Answer<RData>, f: impl Fn(RData) -> Option<T>) -> Answer<T> {
    match answer {
        Answer::Records(data) => {
            let out: Vec<T> = data.into_iter().filter_map(f).collect();
            if out.is_empty() { Answer::NoData } else { Answer::Records(out) }
        }
        Answer::NoData => Answer::NoData,
        Answer::NxDomain => Answer::NxDomain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_addresses() {
        assert_eq!("127.0.0.1".parse::<ResolverAddr>().unwrap().0, "127.0.0.1:53".parse().unwrap());
        assert_eq!("127.0.0.1:5353".parse::<ResolverAddr>().unwrap().0.port(), 5353);
        assert_eq!("[::1]:53".parse::<ResolverAddr>().unwrap().0, "[::1]:53".parse().unwrap());
        assert!("ns1.example.gov".parse::<ResolverAddr>().is_err());
        assert!("127.0.0.1:99999".parse::<ResolverAddr>().is_err());
    }
}
