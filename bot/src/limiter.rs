//! Telegram's sending limits, kept by waiting, never by dropping: about 1 message a second
//! in one chat, 20 a minute in one group, 30 a second overall.

use crate::config::Limits;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

pub struct Limiter {
    limits: Limits,
    global: VecDeque<Instant>,
    chats: HashMap<i64, VecDeque<Instant>>,
}

impl Limiter {
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            global: VecDeque::new(),
            chats: HashMap::new(),
        }
    }

    /// How long to wait before a message to `chat` keeps every limit (zero: send now).
    pub fn wait(&mut self, chat: i64, now: Instant) -> Duration {
        let sec = Duration::from_secs(1);
        let min = Duration::from_secs(60);
        prune(&mut self.global, now, sec);
        let mut wait = Duration::ZERO;
        if self.global.len() >= self.limits.global_per_second as usize {
            wait = wait.max(
                self.global[self.global.len() - self.limits.global_per_second as usize] + sec - now,
            );
        }
        if let Some(q) = self.chats.get_mut(&chat) {
            prune(q, now, min);
            // Groups (negative ids) share 20 a minute; every chat keeps a gap between messages.
            if chat < 0 {
                let per_min = self.limits.per_group_per_minute as usize;
                if q.len() >= per_min {
                    wait = wait.max(q[q.len() - per_min] + min - now);
                }
            }
            let gap = Duration::from_secs_f64(1.0 / self.limits.per_chat_per_second);
            if let Some(last) = q.back() {
                wait = wait.max((*last + gap).saturating_duration_since(now));
            }
        }
        wait
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
