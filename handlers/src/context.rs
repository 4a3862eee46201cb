//! What the product needs to know to decide about one incoming update. Storage loads it in
//! two steps inside the update's transaction: first the chat's grid and the sender's role,
//! then what [`crate::decide::wants`] asks for.

use crate::intake::Judgement;
use crate::model::{ChatId, Event, Grid, MsgId, Person, Petition, PetitionNo, Role, Staff, UserId};

/// Which petitions a list command shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Active petitions of the grid (a secretary: of the community).
    Active,
    /// Active petitions the caller owns.
    Mine,
    /// Petitions the caller raised (any state, newest first).
    My,
    /// Active petitions past a deadline.
    Overdue,
    /// Residents to visit: dissatisfied, reopened, escalated or long-running.
    Visits,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wants {
    /// Petitions named by number (a command's arguments, `#N` in a staff message, callback data).
    pub numbers: Vec<PetitionNo>,
    /// A message replied to: which petition it belongs to.
    pub reply_to: Option<MsgId>,
    /// An edited message: which petition it raised.
    pub edited: Option<MsgId>,
    /// The sender's newest active petition here (follow-ups) and the number a new petition
    /// would get.
    pub sender_recent: bool,
    /// The category and place under which the message would join an earlier petition as a
    /// duplicate: the chat's recent active petitions with both (`Context::recent_active`).
    /// None when the message can never be a duplicate (chit-chat, urgent, no place named),
    /// so nothing is loaded for it.
    pub duplicates: Option<(String, String)>,
    /// A resident's message that can alert nobody (not urgent): the grid's staff and alert
    /// chat are not loaded for it.
    pub lean: bool,
    pub list: Option<ListKind>,
    /// The history of the first named petition.
    pub history: bool,
    /// Role of this user in this grid (the person a `/role` or `/transfer` replies to).
    pub target_user: Option<UserId>,
    /// The grid's staff (mentions, contact card).
    pub staff: bool,
    /// `/stats`: the grids in view and their petitions relevant to the period.
    pub stats: Option<StatsWant>,
    /// `/forget`: how many of the sender's petitions can be cleared and how many wait.
    pub forget: bool,
    /// The resident's message as [`crate::decide::wants`] judged it, handed on to
    /// [`Context::judged`] so that it is judged once.
    pub judged: Option<Judgement>,
}

/// The sender's petitions as `/forget` sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ForgetView {
    /// Closed or merged, personal data still stored: cleared now.
    pub closed: usize,
    /// Still open, being handled or awaiting a rating: kept until closed.
    pub active: usize,
}

/// What `/stats` needs loaded: which grids, and the period whose petitions matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsWant {
    pub view: crate::figures::View,
    pub period: crate::figures::PeriodSpec,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Context {
    /// The grid this chat is bound to, if any.
    pub grid: Option<Grid>,
    /// The sender's effective role in this chat.
    pub role: Role,
    /// The petitions [`Wants::numbers`] named that exist.
    pub petitions: Vec<Petition>,
    /// The sender's role in the grid of each named petition.
    pub petition_roles: Vec<(PetitionNo, Role)>,
    /// Communities in which the sender is secretary.
    pub secretary_of: Vec<String>,
    pub followers: Vec<Person>,
    pub reply_petition: Option<Petition>,
    pub edited_petition: Option<Petition>,
    pub last_of_sender: Option<Petition>,
    pub recent_active: Vec<Petition>,
    pub list: Vec<Petition>,
    pub history: Vec<Event>,
    pub staff: Vec<Staff>,
    pub target_role: Option<Role>,
    pub alert_chat: Option<ChatId>,
    /// The number a new petition would get.
    pub next_number: PetitionNo,
    /// `/stats`: the grids in view (in name order) …
    pub stats_grids: Vec<Grid>,
    /// … and their petitions that can count in the period or are overdue now.
    pub stats_petitions: Vec<Petition>,
    /// `/forget`: the sender's petitions, counted.
    pub forget: ForgetView,
    /// [`Wants::judged`], when the message was judged already.
    pub judged: Option<Judgement>,
}

impl Default for PetitionNo {
    fn default() -> PetitionNo {
        PetitionNo(1)
    }
}

impl Context {
    pub fn petition(&self, n: PetitionNo) -> Option<&Petition> {
        self.petitions.iter().find(|p| p.number == n)
    }

    /// The sender's role where petition `n` lives (resident when unknown).
    pub fn role_for(&self, n: PetitionNo) -> Role {
        self.petition_roles
            .iter()
            .find(|(m, _)| *m == n)
            .map(|(_, r)| *r)
            .unwrap_or(Role::Resident)
    }
}
