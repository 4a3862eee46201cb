//! The real release binary, `gridbot run`, started against the fake Bot API server.

use anyhow::{Context as _, Result, bail};
use gridbot_fake_api::{FakeApi, TOKEN};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A config for benchmarks: no quiet hours (a benchmark may run at night), admin 1.
pub const CONFIG: &str = r#"
[street]
admins = [1]
[quiet_hours]
start = "00:00"
end = "00:00"
"#;

/// `target/release/gridbot` beside this benchmark, built first when cargo runs us.
pub fn build_gridbot() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("where is gridbot-bench")?;
    let bin = exe.with_file_name("gridbot");
    if let Ok(cargo) = std::env::var("CARGO") {
        eprintln!("building the release binary gridbot …");
        let status = Command::new(cargo)
            .args(["build", "--release", "-p", "gridbot", "--bin", "gridbot"])
            .current_dir(crate::workspace())
            .status()
            .context("run cargo build")?;
        if !status.success() {
            bail!("cargo build --release -p gridbot failed");
        }
    }
    if !bin.exists() {
        bail!(
            "{} is missing: run `cargo build --release -p gridbot` (or the benchmark through cargo run)",
            bin.display()
        );
    }
    Ok(bin)
}

/// One running `gridbot run`, killed when dropped.
pub struct Gridbot {
    child: Child,
    log: PathBuf,
}

impl Gridbot {
    pub fn start(bin: &Path, dir: &Path, db_url: &str, api: &FakeApi) -> Result<Gridbot> {
        let config = dir.join("gridbot.toml");
        std::fs::write(&config, CONFIG)?;
        let log = dir.join("gridbot.log");
        let child = Command::new(bin)
            .arg("run")
            .env("TELOXIDE_TOKEN", TOKEN)
            .env("TELOXIDE_API_URL", api.api_url())
            .env("DATABASE_URL", db_url)
            .env("GRIDBOT_CONFIG", &config)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        Ok(Gridbot { child, log })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Peak resident memory (VmHWM) so far, in kB.
    pub fn vm_hwm_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    }

    /// SIGTERM, then wait (up to 20 s) for a graceful stop.
    pub fn stop(mut self) -> Result<()> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }
}

impl Drop for Gridbot {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Wait until `f` holds, checking every `every`; false after `timeout`.
pub async fn wait_for(timeout: Duration, every: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if f() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(every).await;
    }
}

/// Wait until the bot's first `getUpdates` reaches the fake (it is up and polling).
pub async fn polling(api: &FakeApi, bot: &Gridbot) -> Result<()> {
    if !wait_for(Duration::from_secs(30), Duration::from_millis(5), || {
        !api.calls_to("getUpdates").is_empty()
    })
    .await
    {
        bail!("gridbot never polled:\n{}", bot.log());
    }
    Ok(())
}
