//! A small fake AWS endpoint for the failure paths the emulator cannot produce: it answers each
//! request with what the test chooses (a status and body, silence, a closed connection) and
//! records what it was asked, signature scope included (so a test sees which credentials and
//! region signed each call).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the fake saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The operation of an AWS JSON protocol call (`AmazonSSM.GetParameter` → `GetParameter`).
    pub fn operation(&self) -> &str {
        self.header("x-amz-target").and_then(|t| t.rsplit('.').next()).unwrap_or("")
    }

    /// `(access key id, region, service)` from the SigV4 Authorization header.
    pub fn signed_by(&self) -> Option<(String, String, String)> {
        let auth = self.header("authorization")?;
        let scope = auth.split("Credential=").nth(1)?.split(',').next()?;
        let parts: Vec<&str> = scope.split('/').collect();
        Some((parts.first()?.to_string(), parts.get(2)?.to_string(), parts.get(3)?.to_string()))
    }
}

/// What the fake does with a request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// An HTTP response: status, body (JSON for AWS JSON protocols, XML for query ones).
    Status(u16, String),
    /// Accept the request and never answer.
    Silence,
    /// Close the connection without a word.
    Close,
}

impl Reply {
    /// An AWS JSON protocol error (`{"__type": code, "message": …}`).
    pub fn json_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::Status(status, serde_json::json!({"__type": code, "message": message}).to_string())
    }

    /// An AWS query protocol error (STS, IAM): XML.
    pub fn xml_error(status: u16, code: &str, message: &str) -> Reply {
        Reply::Status(
            status,
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
            ),
        )
    }

    pub fn ok_json(body: &serde_json::Value) -> Reply {
        Reply::Status(200, body.to_string())
    }
}

type Responder = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct FakeEndpoint {
    pub url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl FakeEndpoint {
    /// A fake answering every request the same way.
    pub fn always(reply: Reply) -> FakeEndpoint {
        FakeEndpoint::with(move |_| reply.clone())
    }

    /// A fake answering each request as `respond` says.
    pub fn with(respond: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> FakeEndpoint {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Responder> = Arc::new(respond);
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (seen, respond) = (Arc::clone(&seen), Arc::clone(&respond));
                std::thread::spawn(move || serve(stream, &seen, &*respond));
            }
        });
        FakeEndpoint { url, requests }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<Request>>, respond: &Responder) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let Some(request) = read_request(&mut reader) else { return };
        let reply = respond(&request);
        seen.lock().unwrap().push(request);
        match reply {
            Reply::Status(status, body) => {
                let content_type = if body.starts_with('<') { "text/xml" } else { "application/x-amz-json-1.1" };
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amzn-RequestId: fake\r\n\r\n",
                    reason(status),
                    body.len()
                );
                if writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(body.as_bytes())).is_err() {
                    return;
                }
            }
            Reply::Silence => {
                // Hold the connection open, saying nothing, until the client gives up.
                let mut sink = [0u8; 1024];
                while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
                return;
            }
            Reply::Close => return,
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (k, v) = header.split_once(':')?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, headers, body: String::from_utf8_lossy(&body).into_owned() })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
