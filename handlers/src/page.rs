//! What a whole page of updates needs, loaded once for the page instead of once per update.
//!
//! Storage fills a [`Page`] with a few queries: the page's grids, its senders' roles and
//! active petitions, the number the next petition gets, and (once the wants are known) the
//! duplicates candidates, staff and alert chats the page's messages ask for. Each update's
//! [`Context`] is then answered from the page, and each update's effects are folded back in
//! ([`Page::absorb`]), so a later update in the page sees what an earlier one did, exactly as
//! if everything had been read from the database one update at a time. What the page cannot
//! answer (a named petition, a reply, a list…) storage loads the usual way.

use crate::context::{Context, Wants};
use crate::effect::Effect;
use crate::incoming::Incoming;
use crate::model::{ChatId, Grid, Millis, Person, Petition, PetitionNo, Role, Staff, UserId};
use crate::settings::Settings;
use std::collections::{BTreeSet, HashMap};

/// A role row: its scope (`grid:<chat>` or `community:<name>`) and role code.
pub type RoleRow = (String, String);

/// The sender's role in this chat's grid and the communities where they are secretary, from
/// every role row they have.
pub fn effective_role(
    rows: &[RoleRow],
    grid: Option<&Grid>,
    user: UserId,
    s: &Settings,
) -> (Role, Vec<String>) {
    let secretary_of = rows
        .iter()
        .filter(|(_, role)| role == "secretary")
        .filter_map(|(scope, _)| scope.strip_prefix("community:").map(str::to_string))
        .collect();
    let role = match grid {
        _ if s.is_admin(user) => Role::Admin,
        Some(g) => {
            let here = [
                format!("grid:{}", g.chat_id),
                format!("community:{}", g.community),
            ];
            rows.iter()
                .filter(|(scope, _)| here.contains(scope))
                .filter_map(|(_, r)| Role::from_code(r))
                .max()
                .unwrap_or(Role::Resident)
        }
        None => Role::Resident,
    };
    (role, secretary_of)
}

/// The chats and senders of a page's updates, each once.
pub fn scope<'a>(incs: impl IntoIterator<Item = &'a Incoming>) -> (Vec<ChatId>, Vec<UserId>) {
    let mut chats = BTreeSet::new();
    let mut senders = BTreeSet::new();
    for inc in incs {
        chats.extend(inc.chat_id());
        senders.extend(inc.sender().map(|p| p.id));
    }
    (chats.into_iter().collect(), senders.into_iter().collect())
}

/// Whether the page can answer everything these wants ask for.
pub fn answerable(w: &Wants) -> bool {
    let Wants {
        numbers,
        reply_to,
        edited,
        sender_recent: _,
        duplicates: _,
        lean: _,
        list,
        history,
        target_user,
        staff: _,
        stats,
        forget,
        judged: _,
    } = w;
    numbers.is_empty()
        && reply_to.is_none()
        && edited.is_none()
        && list.is_none()
        && !history
        && target_user.is_none()
        && stats.is_none()
        && !forget
}

/// Whether the grid's staff (and its community's alert chat) must be loaded for these wants
/// (as `Tx::load` does: whenever the message is not lean).
pub fn wants_staff(w: &Wants) -> bool {
    !w.lean
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The page's chats that are bound to a grid.
    pub grids: HashMap<ChatId, Grid>,
    /// Every role row of each of the page's senders (none: no entry).
    pub roles: HashMap<UserId, Vec<RoleRow>>,
    /// Active petitions of the page's senders, the duplicates candidates of its messages,
    /// and every petition the page's updates wrote (their latest version).
    pub petitions: Vec<Petition>,
    pub next_number: PetitionNo,
    /// Staff of the grids whose messages need them, by chat.
    pub staff: HashMap<ChatId, Vec<Staff>>,
    /// Alert chats of those grids' communities.
    pub alert_chats: HashMap<String, Option<ChatId>>,
    /// False once an update changed what the page cannot follow (a binding, a role…): the
    /// rest of the page is then loaded the usual way.
    pub valid: bool,
}

impl Page {
    /// The chat's grid and the sender's role, as `Tx::base_context` gives them.
    pub fn base(&self, inc: &Incoming, s: &Settings) -> Context {
        let mut ctx = Context {
            grid: inc.chat_id().and_then(|c| self.grids.get(&c).cloned()),
            ..Context::default()
        };
        if let Some(sender) = inc.sender() {
            let rows = self.roles.get(&sender.id).map_or(&[][..], Vec::as_slice);
            (ctx.role, ctx.secretary_of) = effective_role(rows, ctx.grid.as_ref(), sender.id, s);
        }
        ctx
    }

    /// Fill in what `w` asks for (only call when [`answerable`] holds), as `Tx::load` would.
    pub fn fill(&self, inc: &Incoming, ctx: &mut Context, w: &Wants, s: &Settings, now: Millis) {
        let chat = inc.chat_id().unwrap_or(0);
        ctx.judged = w.judged.clone();
        if w.sender_recent
            && let Some(u) = inc.sender()
        {
            ctx.last_of_sender = self
                .petitions
                .iter()
                .filter(|p| p.chat_id == chat && p.resident.id == u.id && p.state.is_active())
                .max_by_key(|p| (p.created_at, p.number))
                .cloned();
            if let Some((category, location)) = &w.duplicates {
                let since = now - s.duplicate_window.ms();
                ctx.recent_active = self
                    .petitions
                    .iter()
                    .filter(|p| {
                        p.chat_id == chat
                            && p.state.is_active()
                            && p.created_at >= since
                            && p.category.as_deref() == Some(category.as_str())
                            && p.location.as_deref() == Some(location.as_str())
                    })
                    .min_by_key(|p| p.number)
                    .cloned()
                    .into_iter()
                    .collect();
            }
            ctx.next_number = self.next_number;
        }
        if let Some(g) = ctx.grid.as_ref().filter(|_| !w.lean) {
            ctx.staff = self.staff.get(&g.chat_id).cloned().unwrap_or_default();
            ctx.alert_chat = self.alert_chats.get(&g.community).copied().flatten();
        }
    }

    /// Fold an update's effects into the page. Effects the page cannot follow make it
    /// invalid.
    pub fn absorb(&mut self, effects: &[Effect]) {
        for e in effects {
            match e {
                Effect::NewPetition(p) | Effect::SavePetition(p) => {
                    self.next_number = self.next_number.max(PetitionNo(p.number.0 + 1));
                    match self.petitions.iter_mut().find(|q| q.number == p.number) {
                        Some(q) => *q = p.clone(),
                        None => self.petitions.push(p.clone()),
                    }
                }
                Effect::SeenPerson(p) => self.seen(p, false),
                Effect::PrivateChat(p) => self.seen(p, true),
                Effect::AddFollower { .. }
                | Effect::LinkMessage { .. }
                | Effect::Log(_)
                | Effect::Send(_)
                | Effect::Webhook(_) => {}
                Effect::Bind { .. }
                | Effect::SetRole { .. }
                | Effect::SetAlertChat { .. }
                | Effect::SetPhone { .. }
                | Effect::MigrateChat { .. }
                | Effect::ChatPresence { .. }
                | Effect::Forget { .. } => self.valid = false,
            }
        }
    }

    /// Staff names follow what the people table will say.
    fn seen(&mut self, p: &Person, private: bool) {
        for s in self.staff.values_mut().flatten() {
            if s.person.id == p.id {
                s.person.name = p.name.clone();
                s.person.username = p.username.clone();
                s.private_ok |= private;
            }
        }
    }
}

#[cfg(test)]
mod tests;
