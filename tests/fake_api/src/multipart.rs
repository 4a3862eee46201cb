//! Just enough of multipart/form-data (RFC 7578) to read what reqwest sends
//! for teloxide's file uploads, so the crate needs no multipart dependency.

use serde_json::{Map, Value};

pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// The boundary of a `multipart/form-data; boundary=…` content type.
pub(crate) fn boundary(content_type: &str) -> Option<&str> {
    let (kind, rest) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    rest.split(';').find_map(|p| {
        let (key, value) = p.trim().split_once('=')?;
        key.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"'))
    })
}

pub(crate) fn parse(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let mut rest = &body[find(body, delimiter.as_bytes())? + delimiter.len()..];
    let mut parts = Vec::new();
    while !rest.starts_with(b"--") {
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        rest = &rest[head_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes())?;
        let (name, filename) = disposition(head)?;
        parts.push(Part {
            name,
            filename,
            data: rest[..end].to_vec(),
        });
        rest = &rest[end + 2 + delimiter.len()..];
    }
    Some(parts)
}

/// Text fields as strings (JSON objects and arrays, such as `reply_markup`,
/// parsed); a file as `{"__file_bytes": n, "file_name": …}` under the field
/// that names it (directly or as `attach://part`), and the sum of all file
/// sizes under the top-level `"__file_bytes"`.
pub(crate) fn to_params(parts: &[Part]) -> Value {
    let mut params = Map::new();
    let mut file_bytes = 0;
    for part in parts {
        let value = match &part.filename {
            Some(file_name) => {
                file_bytes += part.data.len();
                serde_json::json!({"__file_bytes": part.data.len(), "file_name": file_name})
            }
            None => {
                let text = String::from_utf8_lossy(&part.data).into_owned();
                match serde_json::from_str::<Value>(&text) {
                    Ok(v) if v.is_object() || v.is_array() => v,
                    _ => Value::String(text),
                }
            }
        };
        params.insert(part.name.clone(), value);
    }
    // teloxide sends `"photo": "attach://<id>"` and the file as part `<id>`.
    let attached: Vec<(String, String)> = params
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.clone(),
                v.as_str()?.strip_prefix("attach://")?.to_string(),
            ))
        })
        .collect();
    for (field, part_name) in attached {
        if let Some(file) = params.remove(&part_name) {
            params.insert(field, file);
        }
    }
    if file_bytes > 0 {
        params.insert("__file_bytes".into(), file_bytes.into());
    }
    Value::Object(params)
}

fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
    let mut name = None;
    let mut filename = None;
    for param in line.split(';').skip(1) {
        if let Some((key, value)) = param.trim().split_once('=') {
            let value = value.trim_matches('"').to_string();
            match key {
                "name" => name = Some(value),
                "filename" => filename = Some(value),
                _ => {}
            }
        }
    }
    Some((name?, filename))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_and_a_file_become_params() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n-100\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"reply_markup\"\r\n\r\n{\"a\":1}\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n\
            Content-Type: image/png\r\n\r\n\x89PNG\r\n\x00\r\n--XyZ--\r\n";
        let ct = "multipart/form-data; boundary=XyZ";
        let parts = parse(body, boundary(ct).unwrap()).unwrap();
        let params = to_params(&parts);
        assert_eq!(params["chat_id"], "-100");
        assert_eq!(params["reply_markup"]["a"], 1);
        assert_eq!(params["photo"]["__file_bytes"], 7, "0x89 P N G CR LF NUL");
        assert_eq!(params["photo"]["file_name"], "p.png");
        assert_eq!(params["__file_bytes"], 7);
    }

    #[test]
    fn an_attached_file_moves_to_the_field_naming_it() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nattach://k1\r\n\
            --b\r\nContent-Disposition: form-data; name=\"k1\"; filename=\"a.png\"\r\n\r\nabc\r\n--b--\r\n";
        let params = to_params(&parse(body, "b").unwrap());
        assert_eq!(params["photo"]["__file_bytes"], 3);
        assert!(params.get("k1").is_none());
    }

    #[test]
    fn a_truncated_body_is_refused() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end";
        assert!(parse(body, "XyZ").is_none());
        assert!(boundary("application/json").is_none());
    }
}
