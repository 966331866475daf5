//! Part B · Triage and linking: the functions you write. Guide: `labs/m32/README.md`, Part B.
//!
//! The crate calls these from `desk::triage` (classify, assess, priority,
//! route) and from `Desk::submit` (find_incident).

use crate::error::DeskError;
use crate::link::{link_grace, OpenIncident};
use crate::ticket::{
    Assessment, Category, Classification, Queue, Ticket, KEYWORDS, MANY_USERS, SOME_USERS,
};

/// Step B1 · Classify. For each category of [`KEYWORDS`], in table order,
/// collect the phrases that occur in the text (substring match, phrase
/// order) into a `Vec<&'static str>` (`words.iter().copied()`). The category with the most phrases found wins, the earlier one in
/// the table on a tie (the table's order, not the order `Category` declares
/// its variants in); with no phrase found at all it is [`Category::Other`]
/// with nothing matched. Given: the lowercased text, the walk over the table
/// and the best so far; you write one category's turn.
pub fn classify(text: &str) -> Classification {
    let lower = text.to_lowercase();
    let mut best = Classification {
        category: Category::Other,
        matched: Vec::new(),
    };
    for &(category, words) in KEYWORDS {
        todo!("classify: the category's phrases found in the lowercased text; more than the best so far wins, so the earlier wins a tie")
    }
    best
}

/// Step B2 · Impact and urgency. Impact: 1 from [`MANY_USERS`] affected
/// users up, 2 from [`SOME_USERS`] up, else 3. Urgency: 1 when work is
/// blocked with no workaround, 2 when blocked but a workaround exists, 3 when
/// work is not blocked. The ticket's facts are its fields `users_affected`
/// (`u32`), `work_blocked` and `workaround` (`bool`); return
/// `Assessment { impact, urgency }`.
pub fn assess(ticket: &Ticket) -> Assessment {
    todo!("assess: impact from users affected, urgency from blocked work and workarounds")
}

/// Step B3 · Priority, by the ITIL matrix: impact and urgency each run from
/// 1 (high) to 3 (low); priority runs from 1 (Critical) to 5 (Planning). An
/// impact or urgency outside 1..=3 is not on the matrix:
/// `DeskError::NotOnMatrix { what, value }` naming which one (`what` is
/// `"impact"` or `"urgency"`) and its value, impact first when both are off.
pub fn priority(impact: u8, urgency: u8) -> Result<u8, DeskError> {
    todo!("priority: refuse a level outside 1..=3, then combine impact and urgency with the ITIL matrix")
}

/// Step B4 · Route. A service problem ([`Category::is_service_problem`]) at
/// priority 1 or 2 pages [`Queue::SreOncall`]; everything else goes to the
/// category's owner, [`Queue::owner`].
pub fn route(category: Category, priority: u8) -> Queue {
    todo!("route: page on-call for urgent service problems, else the category's owner")
}

/// Step B5 · Link. The index of the incident in `incidents` that the ticket
/// describes, or `None`. An incident fits when all three hold:
/// - **time**: the ticket arrived no earlier than [`link_grace`] before the
///   incident opened (`opened_at`), and, if it resolved (`resolved_at` is
///   `Some`), no later than `link_grace` after;
/// - **service**: the ticket names no service (`ticket.service` is `None`),
///   or one of the incident's `services`;
/// - **symptom**: `category` is among the incident's `symptoms`.
///
/// Given: the walk, and of several that fit, the one opened most recently
/// (the earlier in the slice on a tie). You write `fits`: whether one
/// incident fits the ticket.
pub fn find_incident(
    ticket: &Ticket,
    category: Category,
    incidents: &[OpenIncident],
) -> Option<usize> {
    let fits = |inc: &OpenIncident| -> bool {
        todo!("find_incident: the time window with its grace on both sides, the service, and the symptom must all agree")
    };
    let mut best: Option<usize> = None;
    for (i, inc) in incidents.iter().enumerate() {
        if fits(inc) && best.is_none_or(|b| inc.opened_at > incidents[b].opened_at) {
            best = Some(i);
        }
    }
    best
}
