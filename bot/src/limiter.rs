//! Telegram's sending limits, kept by waiting, never by dropping: about 1 message a second
//! in one chat, 20 a minute in one group, 30 a second overall.
//!
//! Telegram counts a message when it arrives, which is some moment between our asking and
//! its answer. A send under way therefore counts against every limit until it is answered,
//! and from then on at the moment of the answer (the latest it can have arrived): however
//! long requests take, no window on Telegram's side ever holds one message too many.

use crate::config::Limits;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How soon to look again while a send that decides the wait is still under way.
const RECHECK: Duration = Duration::from_millis(20);

pub struct Limiter {
    limits: Limits,
    global: VecDeque<Instant>,
    chats: HashMap<i64, VecDeque<Instant>>,
    /// Sends under way, overall and per chat.
    flying: usize,
    flying_to: HashMap<i64, usize>,
}

impl Limiter {
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            global: VecDeque::new(),
            chats: HashMap::new(),
            flying: 0,
            flying_to: HashMap::new(),
        }
    }

    /// How long to wait before a message to `chat` keeps every limit (zero: send now).
    pub fn wait(&mut self, chat: i64, now: Instant) -> Duration {
        let sec = Duration::from_secs(1);
        let min = Duration::from_secs(60);
        prune(&mut self.global, now, sec);
        let per_sec = self.limits.global_per_second as usize;
        let mut wait = window_wait(&self.global, self.flying, per_sec, sec, now);
        let flying_here = self.flying_to.get(&chat).copied().unwrap_or(0);
        if let Some(q) = self.chats.get_mut(&chat) {
            prune(q, now, min);
            // Groups (negative ids) share 20 a minute; every chat keeps a gap between messages.
            if chat < 0 {
                let per_min = self.limits.per_group_per_minute as usize;
                wait = wait.max(window_wait(q, flying_here, per_min, min, now));
            }
            let gap = Duration::from_secs_f64(1.0 / self.limits.per_chat_per_second);
            if let Some(last) = q.back() {
                wait = wait.max((*last + gap).saturating_duration_since(now));
            }
        }
        if flying_here > 0 {
            // The gap runs from the answer to the message before.
            wait = wait.max(RECHECK);
        }
        wait
    }

    /// How long until the overall limit has room (zero: it has).
    pub fn global_wait(&mut self, now: Instant) -> Duration {
        let sec = Duration::from_secs(1);
        prune(&mut self.global, now, sec);
        let per_sec = self.limits.global_per_second as usize;
        window_wait(&self.global, self.flying, per_sec, sec, now)
    }

    /// A message to `chat` is being sent: it counts from now until [`Limiter::finish`].
    pub fn start(&mut self, chat: i64) {
        self.flying += 1;
        *self.flying_to.entry(chat).or_default() += 1;
    }

    /// Telegram answered the message to `chat` (accepted or not) at `at`.
    pub fn finish(&mut self, chat: i64, at: Instant) {
        self.flying = self.flying.saturating_sub(1);
        if let Some(n) = self.flying_to.get_mut(&chat) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.flying_to.remove(&chat);
            }
        }
        self.record(chat, at);
    }

    /// A message to `chat` went out at `at`.
    pub fn record(&mut self, chat: i64, at: Instant) {
        self.global.push_back(at);
        self.chats.entry(chat).or_default().push_back(at);
        if self.chats.len() > 10_000 {
            let cutoff = Duration::from_secs(60);
            self.chats
                .retain(|_, q| q.back().is_some_and(|t| at.duration_since(*t) < cutoff));
        }
    }
}

/// How long until fewer than `max` messages are in the window: `done` counted at their
/// answers (oldest first), `flying` still under way (they leave only once answered).
fn window_wait(
    done: &VecDeque<Instant>,
    flying: usize,
    max: usize,
    window: Duration,
    now: Instant,
) -> Duration {
    let count = done.len() + flying;
    if count < max {
        return Duration::ZERO;
    }
    match done.get(count - max) {
        Some(t) => (*t + window).saturating_duration_since(now),
        None => RECHECK,
    }
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            per_chat_per_second: 1.0,
            per_group_per_minute: 20,
            global_per_second: 30,
        }
    }

    #[test]
    fn a_group_gets_at_most_twenty_a_minute() {
        let mut l = Limiter::new(limits());
        let t0 = Instant::now();
        let mut t = t0;
        for _ in 0..20 {
            t += l.wait(-5, t);
            l.record(-5, t);
        }
        let next = t + l.wait(-5, t);
        assert!(
            next >= t0 + Duration::from_secs(60),
            "21st after {:?}",
            next - t0
        );
    }

    #[test]
    fn messages_to_one_chat_keep_a_second_apart() {
        let mut l = Limiter::new(limits());
        let t0 = Instant::now();
        l.record(42, t0);
        assert_eq!(l.wait(42, t0), Duration::from_secs(1));
        assert_eq!(l.wait(43, t0), Duration::ZERO);
    }

    #[test]
    fn a_send_under_way_counts_until_answered_then_from_its_answer() {
        let mut l = Limiter::new(limits());
        let t0 = Instant::now();
        for c in 0..29 {
            l.record(c, t0);
        }
        l.start(500);
        assert!(
            !l.wait(501, t0).is_zero(),
            "29 done and one under way fill the second"
        );
        let answered = t0 + Duration::from_millis(300);
        l.finish(500, answered);
        let at = t0 + Duration::from_millis(1_000);
        assert_eq!(l.wait(501, at), Duration::ZERO, "the 29 left the window");
        for c in 0..29 {
            l.record(600 + c, at);
        }
        assert_eq!(
            l.wait(700, at),
            Duration::from_millis(300),
            "the answered one counts from its answer"
        );
        let mut l = Limiter::new(limits());
        l.start(-9);
        assert_eq!(
            l.wait(-9, t0),
            RECHECK,
            "the next to a chat waits for the answer"
        );
        let answered = t0 + Duration::from_millis(100);
        l.finish(-9, answered);
        assert_eq!(
            l.wait(-9, answered),
            Duration::from_secs(1),
            "then keeps its gap"
        );
    }

    #[test]
    fn thirty_a_second_overall() {
        let mut l = Limiter::new(limits());
        let t0 = Instant::now();
        for c in 0..30 {
            assert_eq!(l.wait(c, t0), Duration::ZERO);
            l.record(c, t0);
        }
        assert_eq!(l.wait(100, t0), Duration::from_secs(1));
    }
}
