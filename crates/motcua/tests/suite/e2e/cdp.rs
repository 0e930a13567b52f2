//! A small Chrome DevTools Protocol client for the end-to-end tests: it starts Debian's headless
//! chromium, drives one page over a WebSocket (open, evaluate, click, wait, attach files, phone
//! viewport, full-page screenshots) and fails with a clear message when a wait times out.
//!
//! Every method panics with what it was waiting for and where the page was: these are test
//! helpers, and a panic with a good message is the clearest test failure.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// How long a page load, a selector or a condition may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(20);

/// How long one protocol command may take (a full-page screenshot is the slowest).
const COMMAND: Duration = Duration::from_secs(30);

/// The desktop window the tests use, as in `browser.rs`.
pub const DESKTOP: (u32, u32) = (1366, 768);

/// A phone's viewport in CSS pixels (a common 6.1-inch phone).
pub const PHONE: (u32, u32) = (390, 844);

/// Debian's chromium, or `None` after printing that the test is skipped; with
/// `MOTCUA_REQUIRE_BROWSER=1` a missing browser fails the test instead.
pub fn chromium_or_skip(test: &str) -> Option<&'static str> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if found.is_none() {
        assert!(
            std::env::var("MOTCUA_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_BROWSER=1 but chromium is not installed"
        );
        eprintln!("{test} SKIPPED: install Debian's chromium to run it");
    }
    found
}

/// Where screenshots go: `<target>/e2e-screenshots/`, the target folder taken from
/// `CARGO_TARGET_DIR` or else the workspace's `target/`.
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("e2e-screenshots")
}

/// One headless chromium with one page attached; killed (and its profile removed) on drop.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    ws: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// The emulated viewport's width and height in CSS pixels.
    viewport: (u32, u32),
}

impl Browser {
    /// Starts chromium (desktop window 1366×768) and attaches to a blank page.
    pub fn launch(chromium: &str) -> Self {
        let profile = std::env::temp_dir().join(format!(
            "motcua-cdp-{}-{}",
            std::process::id(),
            motcua_db::random_token(6).expect("a random name")
        ));
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-port=0",
                &format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
                &format!("--user-data-dir={}", profile.display()),
                "about:blank",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromium}: {e}"));
        let stderr = child.stderr.take().expect("chromium's stderr");
        let (tx, rx) = mpsc::channel();
        // Read the endpoint, then keep draining stderr so chromium never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(at) = line.find("ws://") {
                        let _ = tx.send(Ok(line[at..].trim().to_string()));
                        sent = true;
                    } else {
                        seen.push(line);
                    }
                }
            }
            if !sent {
                let _ = tx.send(Err(seen.join("\n")));
            }
        });
        let endpoint = match rx.recv_timeout(WAIT) {
            Ok(Ok(url)) => url,
            Ok(Err(output)) => {
                let _ = child.kill();
                panic!("chromium exited without a DevTools endpoint:\n{output}")
            }
            Err(_) => {
                let _ = child.kill();
                panic!("chromium printed no `DevTools listening on ws://…` line within {WAIT:?}")
            }
        };
        let ws = connect(&endpoint);
        let mut browser = Self {
            child,
            profile,
            ws,
            session: String::new(),
            next_id: 0,
            viewport: DESKTOP,
        };
        let targets = browser.browser_call("Target.getTargets", json!({}));
        let page = targets["targetInfos"]
            .as_array()
            .and_then(|all| all.iter().find(|t| t["type"] == "page"))
            .map(|t| t["targetId"].clone());
        let target =
            match page {
                Some(id) => id,
                None => browser.browser_call("Target.createTarget", json!({"url": "about:blank"}))
                    ["targetId"]
                    .clone(),
            };
        let attached = browser.browser_call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("a CDP session id")
            .to_string();
        browser.set_viewport(DESKTOP.0, DESKTOP.1, false);
        browser
    }

    /// Sends one command to the browser itself (no page session).
    fn browser_call(&mut self, method: &str, params: Value) -> Value {
        self.raw_call(None, method, params)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Sends one command to the page and returns its `result`, or the protocol's error.
    pub fn try_call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let session = self.session.clone();
        self.raw_call(Some(&session), method, params)
    }

    /// Sends one command to the page and returns its `result`; a protocol error fails the test.
    #[track_caller]
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn raw_call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::Text(message.to_string().into()))
            .map_err(|e| format!("CDP {method}: cannot send: {e}"))?;
        let deadline = Instant::now() + COMMAND;
        loop {
            if Instant::now() > deadline {
                return Err(format!("CDP {method}: no answer within {COMMAND:?}"));
            }
            let text = match self.ws.read() {
                Ok(Message::Text(text)) => text,
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) => return Err(format!("CDP {method}: connection to chromium lost: {e}")),
            };
            let answer: Value = serde_json::from_str(text.as_str())
                .map_err(|e| format!("CDP {method}: not JSON from chromium: {e}"))?;
            // Events (no id) are not needed by these tests: every wait polls the page instead.
            if answer["id"].as_u64() != Some(id) {
                continue;
            }
            if let Some(error) = answer.get("error") {
                return Err(format!("CDP {method} failed: {error}"));
            }
            return Ok(answer["result"].clone());
        }
    }

    /// Evaluates JavaScript in the page (promises awaited) and returns its value as JSON, or
    /// the exception's text.
    pub fn try_eval(&mut self, script: &str) -> Result<Value, String> {
        let result = self.try_call(
            "Runtime.evaluate",
            json!({
                "expression": script,
                "returnByValue": true,
                "awaitPromise": true,
                "userGesture": true,
            }),
        )?;
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())
                .unwrap_or("an exception")
                .to_string();
            return Err(text);
        }
        Ok(result["result"]["value"].clone())
    }

    /// Evaluates JavaScript in the page; an exception fails the test with the script's text.
    #[track_caller]
    pub fn eval(&mut self, script: &str) -> Value {
        match self.try_eval(script) {
            Ok(v) => v,
            Err(e) => {
                let at = self.url();
                panic!("script failed on {at}: {e}\nscript: {script}")
            }
        }
    }

    /// The page's address now.
    pub fn url(&mut self) -> String {
        self.try_eval("location.href")
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "(unknown)".into())
    }

    /// Waits until `condition` (a JavaScript expression) is truthy; fails after [`WAIT`]
    /// naming `what` was awaited. Errors while a page is being replaced count as "not yet".
    #[track_caller]
    pub fn wait_until(&mut self, condition: &str, what: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(v) = self.try_eval(&format!("!!({condition})"))
                && v == Value::Bool(true)
            {
                return;
            }
            if Instant::now() > deadline {
                let at = self.url();
                panic!("timed out after {WAIT:?} waiting for {what} (page at {at})");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until an element matches the CSS selector.
    #[track_caller]
    pub fn wait_for(&mut self, selector: &str) {
        let q = quote(selector);
        self.wait_until(
            &format!("document.querySelector({q})"),
            &format!("an element matching `{selector}`"),
        );
    }

    /// Marks the current document so that [`Browser::wait_for_navigation`] can tell when a
    /// new one replaced it.
    fn mark(&mut self) {
        // about:blank before the first load has a document too; marking it is enough.
        self.eval("window.__e2eOld = true");
    }

    /// Waits until the marked document is gone and the new one has finished loading.
    #[track_caller]
    pub fn wait_for_navigation(&mut self, what: &str) {
        self.wait_until(
            "!window.__e2eOld && document.readyState === 'complete'",
            &format!("the page to load after {what}"),
        );
    }

    /// Opens a URL and waits for its load; a network failure fails the test.
    #[track_caller]
    pub fn goto(&mut self, url: &str) {
        self.mark();
        let answer = self.call("Page.navigate", json!({"url": url}));
        if let Some(e) = answer["errorText"].as_str() {
            panic!("cannot open {url}: {e}");
        }
        self.wait_for_navigation(&format!("opening {url}"));
    }

    /// Runs a script that starts a navigation (a click on a link or a submit button) and
    /// waits for the new page.
    #[track_caller]
    pub fn navigate_by(&mut self, script: &str, what: &str) {
        self.mark();
        self.eval(script);
        self.wait_for_navigation(what);
    }

    /// The first element matching `selector`, as a JavaScript expression that throws a
    /// readable error when there is none.
    fn element(selector: &str) -> String {
        let q = quote(selector);
        format!(
            "(document.querySelector({q}) || (() => {{ throw new Error('no element matches ' + {q}) }})())"
        )
    }

    /// Types `value` into an input, textarea or select, firing `input` and `change`.
    #[track_caller]
    pub fn fill(&mut self, selector: &str, value: &str) {
        let e = Self::element(selector);
        let v = quote(value);
        self.eval(&format!(
            "(() => {{ const e = {e}; e.focus(); e.value = {v}; \
             e.dispatchEvent(new Event('input', {{bubbles: true}})); \
             e.dispatchEvent(new Event('change', {{bubbles: true}})); \
             if (e.value !== {v}) throw new Error('value not taken: ' + {v}); }})()"
        ));
    }

    /// Chooses the option with `value` in a select (fails if there is no such option).
    #[track_caller]
    pub fn select(&mut self, selector: &str, value: &str) {
        self.fill(selector, value);
    }

    /// Ticks or unticks a checkbox, or chooses a radio button, as a click would.
    #[track_caller]
    pub fn check(&mut self, selector: &str, on: bool) {
        let e = Self::element(selector);
        self.eval(&format!(
            "(() => {{ const e = {e}; if (e.checked !== {on}) e.click(); \
             if (e.checked !== {on}) throw new Error('cannot set checked'); }})()"
        ));
    }

    /// Clicks an element (no wait).
    #[track_caller]
    pub fn click(&mut self, selector: &str) {
        let e = Self::element(selector);
        self.eval(&format!("{e}.click()"));
    }

    /// Clicks an element that leads to another page (a link, a submit button) and waits for it.
    #[track_caller]
    pub fn click_and_wait(&mut self, selector: &str) {
        let e = Self::element(selector);
        self.navigate_by(&format!("{e}.click()"), &format!("clicking `{selector}`"));
    }

    /// Whether an element matches the selector now.
    pub fn exists(&mut self, selector: &str) -> bool {
        let q = quote(selector);
        self.eval(&format!("!!document.querySelector({q})")) == Value::Bool(true)
    }

    /// The visible text of the first element matching `selector`.
    #[track_caller]
    pub fn text(&mut self, selector: &str) -> String {
        let e = Self::element(selector);
        self.eval(&format!("{e}.innerText"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The visible text of every element matching `selector`.
    pub fn texts(&mut self, selector: &str) -> Vec<String> {
        let q = quote(selector);
        let all = self.eval(&format!(
            "Array.from(document.querySelectorAll({q}), e => e.innerText)"
        ));
        all.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The page's whole visible text.
    pub fn body_text(&mut self) -> String {
        self.text("body")
    }

    /// The page's whole markup, hidden inputs included.
    pub fn html(&mut self) -> String {
        self.eval("document.documentElement.outerHTML")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Attaches files to an `<input type=file>` (paths must exist; they are made absolute).
    #[track_caller]
    pub fn set_files(&mut self, selector: &str, files: &[&Path]) {
        let files: Vec<String> = files
            .iter()
            .map(|f| {
                std::path::absolute(f)
                    .unwrap_or_else(|e| panic!("{}: {e}", f.display()))
                    .display()
                    .to_string()
            })
            .collect();
        let root = self.call("DOM.getDocument", json!({"depth": 0}));
        let node = self.call(
            "DOM.querySelector",
            json!({"nodeId": root["root"]["nodeId"], "selector": selector}),
        );
        let node_id = node["nodeId"].as_i64().unwrap_or(0);
        assert!(node_id != 0, "no file input matches `{selector}`");
        self.call(
            "DOM.setFileInputFiles",
            json!({"files": files, "nodeId": node_id}),
        );
    }

    /// Emulates a viewport of `width`×`height` CSS pixels; `mobile` also honours the page's
    /// `<meta name=viewport>` as a phone does. The page reflows; reload to start afresh.
    pub fn set_viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": if mobile { 2 } else { 1 },
                "mobile": mobile,
            }),
        );
        self.call(
            "Emulation.setTouchEmulationEnabled",
            json!({"enabled": mobile, "maxTouchPoints": if mobile { 5 } else { 1 }}),
        );
        self.viewport = (width, height);
    }

    /// A phone's viewport ([`PHONE`]).
    pub fn phone(&mut self) {
        self.set_viewport(PHONE.0, PHONE.1, true);
    }

    /// Back to the desktop window ([`DESKTOP`]).
    pub fn desktop(&mut self) {
        self.set_viewport(DESKTOP.0, DESKTOP.1, false);
    }

    /// How far the page is wider than the viewport, in CSS pixels: `None` when nothing spills
    /// sideways (`scrollWidth` within both `innerWidth` and the emulated width).
    pub fn horizontal_overflow(&mut self) -> Option<i64> {
        let sizes = self.eval(
            "[document.documentElement.scrollWidth, window.innerWidth, \
             document.documentElement.clientWidth]",
        );
        let get = |i: usize| sizes[i].as_i64().unwrap_or(0);
        let (scroll, inner, client) = (get(0), get(1), get(2));
        let limit = inner.min(client).min(i64::from(self.viewport.0));
        (scroll > limit).then_some(scroll - limit)
    }

    /// The innermost elements whose box or content sticks out to the right of the viewport,
    /// to explain an overflow (tag, class and right edge in CSS pixels).
    pub fn overflowing_elements(&mut self) -> Vec<String> {
        let found = self.eval(
            "(() => { const w = document.documentElement.clientWidth; \
             const sticks = e => { const r = e.getBoundingClientRect(); \
               return r.width > 0 && Math.max(r.right, r.left + e.scrollWidth) > w + 1; }; \
             const out = []; \
             for (const e of document.querySelectorAll('body *')) { \
               if (sticks(e) && !Array.from(e.children).some(sticks)) { \
                 const r = e.getBoundingClientRect(); \
                 out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') \
                   + ' right=' + Math.round(Math.max(r.right, r.left + e.scrollWidth))); } } \
             return out.slice(0, 10); })()",
        );
        found
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The cards (`.card`, `.paper`) whose content spills visibly past their own border, as
    /// "class: N px"; a card that scrolls its content sideways does not count.
    pub fn spilling_cards(&mut self) -> Vec<String> {
        let found = self.eval(
            "Array.from(document.querySelectorAll('.card, .paper')) \
               .filter(c => getComputedStyle(c).overflowX === 'visible' && c.scrollWidth > c.clientWidth + 1) \
               .map(c => c.className + ': ' + (c.scrollWidth - c.clientWidth) + ' px')",
        );
        found
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Saves a PNG of the whole page (not only the viewport) as
    /// `<target>/e2e-screenshots/<name>.png` and returns its path.
    #[track_caller]
    pub fn screenshot(&mut self, name: &str) -> PathBuf {
        let metrics = self.call("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let width = size["width"].as_f64().unwrap_or(f64::from(self.viewport.0));
        let height = size["height"]
            .as_f64()
            .unwrap_or(f64::from(self.viewport.1));
        let shot = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {"x": 0, "y": 0, "width": width.max(1.0), "height": height.max(1.0), "scale": 1},
            }),
        );
        let data = shot["data"].as_str().expect("screenshot data");
        let png = data_encoding::BASE64
            .decode(data.as_bytes())
            .expect("base64 screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.ws.close(None);
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Chromium's helper processes may still write to the profile for a moment.
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.profile).is_ok() || !self.profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A JavaScript string literal for `text`.
pub fn quote(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

/// Opens the WebSocket to chromium's DevTools endpoint (`ws://127.0.0.1:PORT/devtools/…`).
fn connect(endpoint: &str) -> WebSocket<TcpStream> {
    let host = endpoint
        .strip_prefix("ws://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("not a ws:// endpoint: {endpoint}"));
    let stream =
        TcpStream::connect(host).unwrap_or_else(|e| panic!("cannot reach {endpoint}: {e}"));
    stream.set_read_timeout(Some(WAIT)).expect("a read timeout");
    let (ws, _) = tungstenite::client::client(endpoint, stream)
        .unwrap_or_else(|e| panic!("WebSocket handshake with {endpoint} failed: {e}"));
    // Short reads from now on, so that every command can keep its own deadline.
    ws.get_ref()
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("a read timeout");
    ws
}
