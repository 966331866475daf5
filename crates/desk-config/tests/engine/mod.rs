//! A real Alertmanager for a test, and a webhook receiver for it to call:
//! shared by `tests/alertmanager.rs` (what the desk mutes and groups) and
//! `tests/notifications.rs` (what it pages).
// Wall-clock time is allowed here: a real Alertmanager runs on wall time.
#![allow(clippy::disallowed_methods, dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The Alertmanager binary (`ALERTMANAGER_BIN` names another), or `None`
/// after saying the test skipped; under `CI=true` a missing binary fails
/// the test instead.
pub fn binary_or_skip(test: &str) -> Option<PathBuf> {
    labkit::tools::find_or_skip(
        test,
        "ALERTMANAGER_BIN",
        &["prometheus-alertmanager", "alertmanager"],
        "apt-get install prometheus-alertmanager",
    )
}

/// A running Alertmanager; dropping it kills the process and removes its
/// directory.
pub struct Engine {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    l.local_addr().expect("its address").port()
}

impl Engine {
    /// Starts the binary with `config` on a free loopback port, its own
    /// storage and no clustering, and waits until it is ready.
    pub fn start(bin: &Path, config: &str, name: &str) -> Engine {
        let dir = std::env::temp_dir().join(format!("desk-am-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).expect("a scratch directory");
        std::fs::write(dir.join("alertmanager.yml"), config).expect("write the config");
        let port = free_port();
        let log = std::fs::File::create(dir.join("log")).expect("a log file");
        let child = Command::new(bin)
            .arg(format!(
                "--config.file={}",
                dir.join("alertmanager.yml").display()
            ))
            .arg(format!("--storage.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start alertmanager");
        let engine = Engine { child, dir, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if matches!(engine.request("GET", "/-/ready", ""), Ok((200, _))) {
                return engine;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let log = std::fs::read_to_string(engine.dir.join("log")).unwrap_or_default();
        panic!("alertmanager did not become ready on port {port} within 20 s:\n{log}");
    }

    /// `GET path`, answered with 200 and JSON; anything else fails the test.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let (code, body) = self
            .request("GET", path, "")
            .unwrap_or_else(|e| panic!("GET {path} from alertmanager: {e}"));
        assert_eq!(code, 200, "GET {path}: {body}");
        serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path}: alertmanager answers JSON, not {body:?}: {e}"))
    }

    /// What the engine logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    /// One HTTP/1.1 request; the status and the (unchunked) body.
    pub fn request(&self, method: &str, path: &str, body: &str) -> Result<(u16, String), String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(|e| e.to_string())?;
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
        let text = String::from_utf8(raw).map_err(|e| e.to_string())?;
        let (head, rest) = text.split_once("\r\n\r\n").ok_or("no header end")?;
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or("no status code")?;
        let chunked = head.lines().any(|l| {
            l.to_ascii_lowercase()
                .starts_with("transfer-encoding: chunked")
        });
        Ok((
            status,
            if chunked {
                unchunk(rest)?
            } else {
                rest.to_string()
            },
        ))
    }
}

fn unchunk(mut rest: &str) -> Result<String, String> {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").ok_or("bad chunk")?;
        let n = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(out);
        }
        out.push_str(after.get(..n).ok_or("short chunk")?);
        rest = after.get(n + 2..).ok_or("short chunk")?;
    }
}

/// A webhook receiver on a loopback port: it answers every POST with 200
/// and keeps each body with the moment it arrived.
pub struct Webhook {
    pub port: u16,
    got: Arc<Mutex<Vec<(Instant, String)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Webhook {
    pub fn start() -> Webhook {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for the webhook");
        let port = listener.local_addr().expect("its address").port();
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let got = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (g, s) = (got.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(body) = serve(stream) {
                            g.lock()
                                .expect("the webhook's list")
                                .push((Instant::now(), body));
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Webhook {
            port,
            got,
            stop,
            thread: Some(thread),
        }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<(Instant, String)> {
        self.got.lock().expect("the webhook's list").clone()
    }
}

impl Drop for Webhook {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request's body and answers 200, closing the connection.
fn serve(mut stream: TcpStream) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let body_start = loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&raw[..body_start]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while raw.len() < body_start + length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let end = (body_start + length).min(raw.len());
    Some(String::from_utf8_lossy(&raw[body_start..end]).into_owned())
}
