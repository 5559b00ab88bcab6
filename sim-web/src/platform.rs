//! What differs between the native window and the browser: clocks, files and the page address.

use std::cell::RefCell;

thread_local! {
    /// A file opened by the user, waiting for the app: (file name, text).
    static OPENED: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Hands a file's text to the app (the next frame picks it up).
pub fn deliver_opened(name: String, text: String) {
    OPENED.with(|o| *o.borrow_mut() = Some((name, text)));
}

/// A file opened since the last call, if any: (file name, text).
pub fn take_opened() -> Option<(String, String)> {
    OPENED.with(|o| o.borrow_mut().take())
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::sync::OnceLock;
    use std::time::Instant;

    static START: OnceLock<Instant> = OnceLock::new();

    pub fn now_ms() -> f64 {
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
    }

    /// Writes the file into the working directory; returns what happened.
    pub fn save_text(name: &str, text: &str) -> String {
        match std::fs::write(name, text) {
            Ok(()) => {
                let path = std::env::current_dir()
                    .map(|d| d.join(name).display().to_string())
                    .unwrap_or_else(|_| name.to_string());
                format!("saved {path}")
            }
            Err(e) => format!("could not save {name}: {e}"),
        }
    }

    /// Reads a file named by path; the text arrives through `take_opened`.
    pub fn open_path(path: &str) -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        super::deliver_opened(name, text);
        Ok(())
    }

    pub fn page_fragment() -> Option<String> {
        None
    }

    pub fn set_page_fragment(_fragment: &str) {}

    pub fn page_base() -> String {
        "http://127.0.0.1:8640/".to_string()
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::JsCast;

    pub fn now_ms() -> f64 {
        web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
    }

    /// Offers the text as a download (a data URL on a temporary link).
    pub fn save_text(name: &str, text: &str) -> String {
        let url = format!("data:application/toml;charset=utf-8,{}", crate::share::percent_encode(text));
        let done = (|| {
            let doc = web_sys::window()?.document()?;
            let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
            a.set_href(&url);
            a.set_download(name);
            doc.body()?.append_child(&a).ok()?;
            a.click();
            a.remove();
            Some(())
        })();
        match done {
            Some(()) => format!("downloaded {name}"),
            None => "the browser refused the download".to_string(),
        }
    }

    /// Opens the browser's file picker; the text arrives through `take_opened`.
    pub fn pick_file() {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(input) = doc.create_element("input").map(|e| e.unchecked_into::<web_sys::HtmlInputElement>()) else {
            return;
        };
        input.set_type("file");
        input.set_accept(".toml,text/plain");
        let picked = input.clone();
        let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            let Some(file) = picked.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    if let Some(text) = text.as_string() {
                        super::deliver_opened(name, text);
                    }
                }
            });
        });
        input.set_onchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
        input.click();
    }

    pub fn page_fragment() -> Option<String> {
        let hash = web_sys::window()?.location().hash().ok()?;
        let h = hash.trim_start_matches('#');
        (!h.is_empty()).then(|| h.to_string())
    }

    /// Replaces the page address's fragment without adding a history entry.
    pub fn set_page_fragment(fragment: &str) {
        if let Some(w) = web_sys::window() {
            if let Ok(h) = w.history() {
                let url = format!("#{fragment}");
                let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    }

    pub fn page_base() -> String {
        web_sys::window()
            .and_then(|w| w.location().href().ok())
            .map(|h| h.split('#').next().unwrap_or_default().to_string())
            .unwrap_or_default()
    }
}

pub use imp::*;
