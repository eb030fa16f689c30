//! A real authoritative DNS server (NSD, from Debian's packages) serving zones a test writes.
//!
//! Each server listens on port 53 of a loopback address of its own (127.A.B.C: all of 127/8
//! is loopback on Linux), so tests run in parallel without sharing zones, and the zone's NS
//! records and glue point at a real address that `--authoritative` can follow on the standard
//! port, as it would on the internet. Port 53 needs root (as tests/backends.sh does).
//!
//! Every server also serves the parent zone `sestest.` (delegating to each zone marked
//! delegated, with glue) and `amazonses.com.` (its SPF record, as AWS publishes it), so SPF
//! includes resolve and checkdmarc can check the same zones through the same server.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The parent zone of every test domain: a top-level domain no real resolver knows.
pub const PARENT: &str = "sestest";

/// SES's own SPF record (what `include:amazonses.com` finds).
pub const AMAZONSES_SPF: &str = "v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ip4:54.240.0.0/18 ip4:69.169.224.0/20 ip4:23.249.208.0/20 ip4:23.251.224.0/19 ip4:76.223.176.0/20 ip4:54.240.64.0/19 ip4:54.240.96.0/19 ip4:52.82.172.0/22 -all";

/// One zone: its origin and its records, in zone-file syntax relative to the origin.
#[derive(Clone, Debug)]
pub struct Zone {
    pub origin: String,
    lines: Vec<String>,
    /// Whether `sestest.` delegates to it (a zone set up at a DNS provider but never delegated
    /// is served by no server the world asks: this server leaves it out entirely).
    pub delegated: bool,
}

impl Zone {
    pub fn new(origin: &str) -> Zone {
        Zone { origin: origin.trim_end_matches('.').to_owned(), lines: Vec::new(), delegated: true }
    }

    /// A record: `name` relative to the origin (`@` for the origin itself), `rtype`, `value` as a
    /// zone file has it (TXT values quoted by the caller, absolute names with a final dot).
    #[must_use]
    pub fn record(mut self, name: &str, rtype: &str, value: &str) -> Zone {
        self.lines.push(format!("{name}\t300\tIN\t{rtype}\t{value}"));
        self
    }

    /// A TXT record, quoted, in strings of at most 255 bytes (a longer text is several strings,
    /// which readers join).
    #[must_use]
    pub fn txt(self, name: &str, text: &str) -> Zone {
        let quoted: Vec<String> = text
            .as_bytes()
            .chunks(255)
            .map(|c| format!("\"{}\"", String::from_utf8_lossy(c).replace('"', "\\\"")))
            .collect();
        self.record(name, "TXT", &quoted.join(" "))
    }

    /// Lines of a zone file as they are (a snippet `sesconfig dns --format bind` printed).
    #[must_use]
    pub fn raw(mut self, text: &str) -> Zone {
        self.lines.extend(text.lines().map(str::to_owned));
        self
    }

    #[must_use]
    pub fn undelegated(mut self) -> Zone {
        self.delegated = false;
        self
    }

    fn file(&self, ns_ip: Ipv4Addr) -> String {
        let o = &self.origin;
        let mut text = format!(
            "$ORIGIN {o}.\n$TTL 300\n@\tIN\tSOA\tns.{o}. hostmaster.{o}. 1 3600 600 86400 300\n@\tIN\tNS\tns.{o}.\nns\tIN\tA\t{ns_ip}\n"
        );
        for line in &self.lines {
            let _ = writeln!(text, "{line}");
        }
        text
    }
}

/// A running NSD serving some zones; stopped when dropped.
pub struct DnsServer {
    pub ip: Ipv4Addr,
    child: Child,
    dir: TempDir,
}

impl DnsServer {
    /// Start a server for `zones` (plus `sestest.` and `amazonses.com.`).
    pub fn start(zones: &[Zone]) -> DnsServer {
        let ip = free_loopback_address();
        let dir = tempfile::Builder::new().prefix("opskit-nsd-").tempdir().expect("temp dir");
        let mut parent = Zone::new(PARENT);
        for zone in zones.iter().filter(|z| z.delegated) {
            let label = zone.origin.strip_suffix(&format!(".{PARENT}")).expect("test zones live under sestest.");
            parent = parent.record(label, "NS", &format!("ns.{}.", zone.origin)).record(
                &format!("ns.{label}"),
                "A",
                &ip.to_string(),
            );
        }
        let amazonses = Zone::new("amazonses.com").txt("@", AMAZONSES_SPF);
        let mut config = format!(
            "server:\n  ip-address: {ip}@53\n  username: \"\"\n  chroot: \"\"\n  zonesdir: \"{dir}\"\n  database: \"\"\n  zonelistfile: \"{dir}/zone.list\"\n  xfrdfile: \"{dir}/xfrd.state\"\n  pidfile: \"{dir}/nsd.pid\"\n  logfile: \"{dir}/nsd.log\"\n  server-count: 1\n  verbosity: 1\n  hide-version: yes\n  refuse-any: yes\nremote-control:\n  control-enable: no\n",
            dir = dir.path().display()
        );
        for zone in std::iter::once(&parent).chain([&amazonses]).chain(zones.iter().filter(|z| z.delegated)) {
            let file = format!("{}.zone", zone.origin);
            std::fs::write(dir.path().join(&file), zone.file(ip)).expect("write zone file");
            let _ = write!(config, "zone:\n  name: {}.\n  zonefile: {file}\n", zone.origin);
        }
        let conf = dir.path().join("nsd.conf");
        std::fs::write(&conf, config).expect("write nsd.conf");
        let nsd = nsd_binary();
        let check = Command::new(nsd.with_file_name("nsd-checkconf")).arg(&conf).output().expect("run nsd-checkconf");
        assert!(check.status.success(), "nsd-checkconf: {}", String::from_utf8_lossy(&check.stderr));
        let mut cmd = Command::new(&nsd);
        cmd.args(["-d", "-c"]).arg(&conf).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        super::aws::die_with_parent(&mut cmd);
        let child = cmd.spawn().expect("start nsd");
        let server = DnsServer { ip, child, dir };
        server.wait_until_answering();
        server
    }

    /// `IP:53`, as `--resolver` takes it.
    pub fn addr(&self) -> String {
        format!("{}:53", self.ip)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("nsd.log")).unwrap_or_default()
    }

    fn wait_until_answering(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if query_soa(self.ip, PARENT) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "nsd did not answer on {}:53 (port 53 needs root); its log:\n{}",
                self.ip,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap_or(0);
        // SIGTERM: nsd stops its server processes too.
        #[allow(unsafe_code)]
        // SAFETY: kill with our own child's pid and a constant signal.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nsd_binary() -> PathBuf {
    let path = PathBuf::from("/usr/sbin/nsd");
    assert!(path.is_file(), "nsd is missing: run tests/run.sh, which installs it (or tests/backends.sh)");
    path
}

/// 127.A.B.C, unused on port 53: from the process id and a counter, so parallel tests (and test
/// processes) each get their own.
fn free_loopback_address() -> Ipv4Addr {
    static N: AtomicU32 = AtomicU32::new(0);
    let pid = std::process::id();
    loop {
        let n = N.fetch_add(1, Ordering::Relaxed);
        let ip = Ipv4Addr::new(
            127,
            100 + u8::try_from(pid % 100).unwrap(),
            u8::try_from((pid / 100) % 250).unwrap(),
            u8::try_from(n % 250 + 1).unwrap(),
        );
        if UdpSocket::bind((ip, 53)).is_ok() {
            return ip;
        }
        assert!(n < 1000, "no free loopback address for a DNS server (port 53 needs root)");
    }
}

/// Whether `ip:53` answers an SOA query for `zone` without an error code (a hand-made DNS query: the harness does not
/// use the resolver under test to decide the server is up).
fn query_soa(ip: Ipv4Addr, zone: &str) -> bool {
    let Ok(socket) = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)) else { return false };
    let _ = socket.set_read_timeout(Some(Duration::from_millis(200)));
    let mut packet = vec![0x12, 0x34, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in zone.split('.') {
        packet.push(u8::try_from(label.len()).unwrap());
        packet.extend_from_slice(label.as_bytes());
    }
    packet.extend_from_slice(&[0, 0, 6, 0, 1]);
    if socket.send_to(&packet, (ip, 53)).is_err() {
        return false;
    }
    let mut buf = [0u8; 512];
    matches!(socket.recv(&mut buf), Ok(n) if n > 12 && buf[0] == 0x12 && buf[1] == 0x34 && buf[3].trailing_zeros() >= 4)
}

/// checkdmarc's verdicts on the same server: (SPF of `spf_domain` valid, DMARC of `domain`
/// valid), each with checkdmarc's error text.
pub fn checkdmarc(server: &DnsServer, spf_domain: &str, domain: &str) -> ((bool, String), (bool, String)) {
    let script = r#"
import json, sys
import checkdmarc.spf, checkdmarc.dmarc
ns, spf_domain, domain = sys.argv[1], sys.argv[2], sys.argv[3]
spf = checkdmarc.spf.check_spf(spf_domain, nameservers=[ns], timeout=2.0)
dmarc = checkdmarc.dmarc.check_dmarc(domain, nameservers=[ns], timeout=2.0)
print(json.dumps({"spf": [bool(spf.get("valid")), str(spf.get("error", ""))],
                  "dmarc": [bool(dmarc.get("valid")), str(dmarc.get("error", ""))]}))
"#;
    let python = super::aws::venv().join("bin/python");
    let out = Command::new(&python)
        .args(["-c", script, &server.ip.to_string(), spf_domain, domain])
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e} (tests/backends.sh installs checkdmarc)", python.display()));
    assert!(out.status.success(), "checkdmarc failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("checkdmarc's verdict as JSON");
    let pair = |k: &str| (v[k][0].as_bool().unwrap(), v[k][1].as_str().unwrap().to_owned());
    (pair("spf"), pair("dmarc"))
}
