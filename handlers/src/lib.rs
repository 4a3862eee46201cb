//! gridbot's product, as plain synchronous functions: intake judgement, command parsing,
//! the petition state machine, the clocks and every Chinese text a person reads.
//!
//! The seam: adapters (`storage`, `bot`) turn the outside world into the types defined here
//! ([`Incoming`], [`Context`]) and carry out what comes back ([`Effect`]). Nothing in this
//! crate talks to Telegram, a database, a clock or the network.

pub mod board;
pub mod clocks;
pub mod command;
pub mod context;
pub mod decide;
pub mod duration;
pub mod effect;
pub mod figures;
pub mod incoming;
pub mod intake;
pub mod model;
pub mod page;
pub mod settings;
pub mod text;

pub use context::{Context, Wants};
pub use duration::Dur;
pub use effect::{Effect, OutAction, Outgoing};
pub use incoming::Incoming;
pub use model::*;
pub use settings::Settings;
