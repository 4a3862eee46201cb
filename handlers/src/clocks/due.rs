//! What the scheduler does when petitions' next moments come (written with the clocks issue).

use crate::context::Context;
use crate::effect::Effect;
use crate::model::{Millis, Petition};
use crate::settings::Settings;

/// The due petitions of one grid, with that grid's context (staff, alert chat).
pub struct DueGroup<'a> {
    pub petitions: &'a [Petition],
    pub ctx: &'a Context,
}

pub fn due(_g: &DueGroup<'_>, _s: &Settings, _now: Millis) -> Vec<Effect> {
    Vec::new()
}
