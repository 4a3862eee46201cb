//! HTTP: `POST /bot{TOKEN}/{method}` with a JSON or multipart body, answered
//! with Telegram's `{"ok":…}` envelope. Each connection carries a kill switch
//! so a handler can close it without writing any response.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::{Call, Shared, TOKEN, methods, multipart};

/// What a method handler decided.
pub(crate) enum Reply {
    Ok(Value),
    Err {
        code: u16,
        description: String,
        parameters: Option<Value>,
    },
    Drop,
}

impl Reply {
    pub fn err(code: u16, description: impl Into<String>) -> Reply {
        Reply::Err {
            code,
            description: description.into(),
            parameters: None,
        }
    }
}

pub(crate) struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(crate) async fn spawn(shared: Arc<Shared>) -> (SocketAddr, AbortOnDrop) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("the fake Bot API binds a local port");
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    let app = Router::new().fallback(handle).with_state(shared);
    let service = app.into_make_service_with_connect_info::<KillSwitch>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(KillableListener(listener), service).await;
    });
    (addr, AbortOnDrop(task))
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(kill): ConnectInfo<KillSwitch>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(method) = method_of(uri.path()) else {
        return envelope(Reply::err(404, "Not Found"));
    };
    let Some(method) = method else {
        return envelope(Reply::err(401, "Unauthorized"));
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let params = params_of(content_type, &body);
    shared.lock().calls.push(Call {
        method: method.clone(),
        params: params.clone().unwrap_or(Value::Null),
        at: Instant::now(),
    });
    let reply = match params {
        Some(params) => methods::answer(&shared, &method, &params).await,
        None => Reply::err(400, "Bad Request: can't parse request body"),
    };
    if let Reply::Drop = reply {
        kill.0.store(true, Ordering::SeqCst);
    }
    envelope(reply)
}

/// `Some(Some(method))` lowercased for `/bot{TOKEN}/{method}`, `Some(None)`
/// for another token, `None` for any other path.
fn method_of(path: &str) -> Option<Option<String>> {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let bot = segments.next()?.strip_prefix("bot")?;
    let method = segments.next()?;
    if segments.next().is_some() {
        return None;
    }
    let token = percent_decode(bot);
    Some((token == TOKEN).then(|| method.to_ascii_lowercase()))
}

fn percent_decode(s: &str) -> String {
    // The only byte a client might escape in a token is ':'.
    s.replace("%3A", ":").replace("%3a", ":")
}

fn params_of(content_type: &str, body: &[u8]) -> Option<Value> {
    if let Some(boundary) = multipart::boundary(content_type) {
        return multipart::parse(body, boundary).map(|parts| multipart::to_params(&parts));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Some(json!({}));
    }
    serde_json::from_slice(body).ok()
}

fn envelope(reply: Reply) -> Response {
    match reply {
        Reply::Ok(result) => Json(json!({"ok": true, "result": result})).into_response(),
        Reply::Err {
            code,
            description,
            parameters,
        } => {
            let mut body = json!({"ok": false, "error_code": code, "description": description});
            if let Some(parameters) = parameters {
                body["parameters"] = parameters;
            }
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(body)).into_response()
        }
        // The kill switch is set: writing this fails and hyper drops the socket.
        Reply::Drop => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Set by a handler to close its connection without a response.
#[derive(Clone)]
struct KillSwitch(Arc<AtomicBool>);

impl Connected<IncomingStream<'_, KillableListener>> for KillSwitch {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        KillSwitch(stream.io().killed.clone())
    }
}

struct KillableListener(TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (KillableStream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((inner, addr)) => {
                    let _ = inner.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    return (KillableStream { inner, killed }, addr);
                }
                // Out of file descriptors and the like: wait, as axum does.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

impl KillableStream {
    fn check(&self) -> io::Result<()> {
        if self.killed.load(Ordering::SeqCst) {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "dropped on purpose",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_method_only_with_the_right_token() {
        let ok = format!("/bot{TOKEN}/SendMessage");
        assert_eq!(method_of(&ok), Some(Some("sendmessage".into())));
        let escaped = format!("//bot{}/getMe", TOKEN.replace(':', "%3A"));
        assert_eq!(method_of(&escaped), Some(Some("getme".into())));
        assert_eq!(method_of("/bot1:wrong/getMe"), Some(None));
        assert_eq!(method_of("/favicon.ico"), None);
    }
}
