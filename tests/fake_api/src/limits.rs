//! Telegram's documented flood limits as sliding windows: at most 30 sends a
//! second overall, 20 a minute into one group, one a second into one private
//! chat. Telegram does not publish its exact algorithm; sliding windows are
//! the strictest reading, which is what a test of the bot's throttle wants.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

const GLOBAL: (usize, Duration) = (30, Duration::from_secs(1));
const GROUP: (usize, Duration) = (20, Duration::from_secs(60));
const PRIVATE: (usize, Duration) = (1, Duration::from_secs(1));

#[derive(Default)]
pub(crate) struct Limits {
    global: VecDeque<Instant>,
    per_chat: HashMap<i64, VecDeque<Instant>>,
}

impl Limits {
    /// Counts a send at `now` when it is within the limits; otherwise returns
    /// how many whole seconds the sender should wait (at least one) and does
    /// not count it.
    pub(crate) fn check(&mut self, chat_id: i64, now: Instant) -> Result<(), u32> {
        let (chat_max, chat_window) = if chat_id < 0 { GROUP } else { PRIVATE };
        let chat = self.per_chat.entry(chat_id).or_default();
        let waits = [
            wait_for(&mut self.global, GLOBAL.0, GLOBAL.1, now),
            wait_for(chat, chat_max, chat_window, now),
        ];
        match waits.into_iter().flatten().max() {
            Some(wait) => Err(wait.as_secs_f64().ceil().max(1.0) as u32),
            None => {
                self.global.push_back(now);
                chat.push_back(now);
                Ok(())
            }
        }
    }
}

/// Forgets sends older than the window; when `max` remain, the time until the
/// oldest of them leaves the window.
fn wait_for(
    sends: &mut VecDeque<Instant>,
    max: usize,
    window: Duration,
    now: Instant,
) -> Option<Duration> {
    while sends
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        sends.pop_front();
    }
    if sends.len() < max {
        return None;
    }
    let oldest = sends[sends.len() - max];
    Some(window - now.duration_since(oldest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_group_takes_twenty_messages_a_minute_then_waits_for_the_oldest() {
        let start = Instant::now();
        let mut limits = Limits::default();
        for i in 0..20 {
            // 60 ms apart keeps the global limit out of the way.
            assert_eq!(limits.check(-5, start + ms(60 * i)), Ok(()), "send {i}");
        }
        let wait = limits.check(-5, start + ms(1200)).unwrap_err();
        assert!((58..=60).contains(&wait), "retry_after {wait}");
        assert_eq!(limits.check(-5, start + ms(60_000)), Ok(()));
    }

    #[test]
    fn a_private_chat_takes_one_message_a_second() {
        let start = Instant::now();
        let mut limits = Limits::default();
        assert_eq!(limits.check(7, start), Ok(()));
        assert_eq!(limits.check(7, start + ms(500)), Err(1));
        assert_eq!(limits.check(8, start + ms(500)), Ok(()), "other chat");
        assert_eq!(limits.check(7, start + ms(1000)), Ok(()));
    }

    #[test]
    fn thirty_sends_a_second_overall() {
        let start = Instant::now();
        let mut limits = Limits::default();
        for chat in 1..=30 {
            assert_eq!(limits.check(chat, start), Ok(()));
        }
        assert_eq!(limits.check(31, start + ms(10)), Err(1));
        assert_eq!(limits.check(31, start + ms(1000)), Ok(()));
    }
}
