//! Tickets and their triage: what a person says is wrong, turned into a
//! category, a priority and an owner.
//!
//! A ticket arrives as free text ("wrong answers since this morning") plus a
//! few facts the form asks for: how many people are affected, whether their
//! work is blocked, whether there is a workaround. Triage answers three
//! questions, and says why for each:
//!
//! - **What kind of problem?** A [`Category`], from the words of the text
//!   (the [`KEYWORDS`] table).
//! - **How much does it matter?** The ITIL matrix: *impact* (how widely it
//!   hurts) and *urgency* (how soon it hurts), each 1 = high … 3 = low, give
//!   `priority = impact + urgency − 1`, from 1 Critical to 5 Planning.
//! - **Who owns it?** A [`Queue`]. A service problem at priority 1 or 2 goes
//!   to the on-call engineer (a page); anything else to the team that owns
//!   its category (a ticket).

use std::fmt;

use chrono::{DateTime, Utc};

use crate::error::DeskError;

/// What kind of problem a ticket (or an alert) describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Answers are wrong, stale, made up or ungrounded.
    Quality,
    /// The service does not answer at all, or answers with errors.
    Outage,
    /// The service answers, slowly.
    Latency,
    /// Logging in, permissions, accounts.
    Access,
    /// Invoices, charges, plans.
    Billing,
    /// None of the above.
    Other,
}

impl Category {
    /// Every category, in the order [`KEYWORDS`] lists them (ties in
    /// classification go to the earlier one), then `Other`.
    pub const ALL: [Category; 6] = [
        Category::Outage,
        Category::Access,
        Category::Latency,
        Category::Quality,
        Category::Billing,
        Category::Other,
    ];

    /// Lowercase name: `quality`, `outage` …
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Quality => "quality",
            Category::Outage => "outage",
            Category::Latency => "latency",
            Category::Access => "access",
            Category::Billing => "billing",
            Category::Other => "other",
        }
    }

    /// Parses a lowercase name.
    pub fn parse(s: &str) -> Option<Self> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The symptom an alert shows, from its `symptom` label (`Other` when the
    /// label is missing or unknown).
    pub fn of_alert(alert: &crate::Alert) -> Self {
        Category::parse(alert.label("symptom")).unwrap_or(Category::Other)
    }

    /// `true` for problems of the running service itself (as opposed to an
    /// account or a bill): these can need the on-call engineer.
    pub fn is_service_problem(self) -> bool {
        matches!(
            self,
            Category::Outage | Category::Latency | Category::Quality
        )
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The words that point at each category, lowercase. A ticket's text is
/// lowercased and each phrase counts once if it occurs anywhere in it (as a
/// substring, so `login` also finds `logins`). The category with the most
/// phrases found wins; a tie goes to the category listed first; no phrase at
/// all means [`Category::Other`].
pub const KEYWORDS: &[(Category, &[&str])] = &[
    (
        Category::Outage,
        &[
            "is down",
            "went down",
            "outage",
            "unavailable",
            "error 500",
            "502",
            "503",
            "not loading",
            "cannot reach",
            "can't reach",
            "blank page",
        ],
    ),
    (
        Category::Access,
        &[
            "log in",
            "login",
            "sign in",
            "sign-in",
            "password",
            "locked out",
            "permission",
            "access denied",
            "403",
            "account",
        ],
    ),
    (
        Category::Latency,
        &[
            "slow",
            "latency",
            "timeout",
            "timed out",
            "takes forever",
            "spinning",
            "lagging",
        ],
    ),
    (
        Category::Quality,
        &[
            "wrong answer",
            "wrong",
            "incorrect",
            "made up",
            "hallucinat",
            "outdated",
            "stale",
            "irrelevant",
            "no sources",
            "citation",
        ],
    ),
    (
        Category::Billing,
        &[
            "invoice",
            "charged",
            "charge",
            "refund",
            "billing",
            "payment",
            "subscription",
            "my plan",
            "upgrade",
        ],
    ),
];

/// The ITIL name of a priority: 1 Critical, 2 High, 3 Moderate, 4 Low,
/// 5 Planning.
pub fn priority_name(priority: u8) -> &'static str {
    match priority {
        1 => "Critical",
        2 => "High",
        3 => "Moderate",
        4 => "Low",
        5 => "Planning",
        _ => "Unknown",
    }
}

/// Impact 1 (high) from this many affected users up.
pub const MANY_USERS: u32 = 100;
/// Impact 2 (medium) from this many affected users up; fewer is impact 3.
pub const SOME_USERS: u32 = 10;

/// The team a ticket goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Queue {
    /// The on-call engineer: pages, for urgent service problems.
    SreOncall,
    /// Platform team: outages and slowness that can wait for working hours.
    Platform,
    /// The team that owns answer quality: the index, prompts and evals.
    AiQuality,
    /// Accounts, sign-in and permissions.
    Identity,
    /// Invoices and plans.
    Billing,
    /// The first-line desk, for everything else.
    ServiceDesk,
}

impl Queue {
    /// The queue's name as people write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Queue::SreOncall => "sre-oncall",
            Queue::Platform => "platform",
            Queue::AiQuality => "ai-quality",
            Queue::Identity => "identity",
            Queue::Billing => "billing",
            Queue::ServiceDesk => "service-desk",
        }
    }

    /// The team that owns a category when nobody needs paging.
    pub fn owner(category: Category) -> Queue {
        match category {
            Category::Outage | Category::Latency => Queue::Platform,
            Category::Quality => Queue::AiQuality,
            Category::Access => Queue::Identity,
            Category::Billing => Queue::Billing,
            Category::Other => Queue::ServiceDesk,
        }
    }
}

impl fmt::Display for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A support ticket as a person filed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Its id, e.g. `T-1001`.
    pub id: String,
    /// When the desk received it (simulated time).
    pub received_at: DateTime<Utc>,
    /// What the person wrote.
    pub text: String,
    /// The service it is about, when the form or the agent knows it.
    pub service: Option<String>,
    /// How many people are affected, as reported.
    pub users_affected: u32,
    /// Is their work stopped?
    pub work_blocked: bool,
    /// Is there a way around the problem?
    pub workaround: bool,
}

impl Ticket {
    /// A ticket with the given text, about one user, nothing blocked.
    pub fn new(id: &str, received_at: DateTime<Utc>, text: &str) -> Self {
        Self {
            id: id.to_string(),
            received_at,
            text: text.to_string(),
            service: None,
            users_affected: 1,
            work_blocked: false,
            workaround: false,
        }
    }

    /// Sets the service the ticket is about.
    pub fn about(mut self, service: &str) -> Self {
        self.service = Some(service.to_string());
        self
    }

    /// Sets how many people are affected.
    pub fn affecting(mut self, users: u32) -> Self {
        self.users_affected = users;
        self
    }

    /// Sets whether work is blocked and whether a workaround exists.
    pub fn blocking(mut self, blocked: bool, workaround: bool) -> Self {
        self.work_blocked = blocked;
        self.workaround = workaround;
        self
    }
}

/// What the words of a ticket say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The winning category.
    pub category: Category,
    /// The phrases of [`KEYWORDS`] found for it, in table order.
    pub matched: Vec<&'static str>,
}

/// Impact and urgency on the ITIL scale (1 = high … 3 = low).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assessment {
    /// How widely it hurts.
    pub impact: u8,
    /// How soon it hurts.
    pub urgency: u8,
}

/// The result of triage, with the reasons a person can check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triage {
    /// What kind of problem.
    pub category: Category,
    /// The words that decided it.
    pub matched: Vec<&'static str>,
    /// 1 (high) … 3 (low).
    pub impact: u8,
    /// 1 (high) … 3 (low).
    pub urgency: u8,
    /// 1 Critical … 5 Planning.
    pub priority: u8,
    /// Who owns it.
    pub queue: Queue,
    /// One line per decision: category, impact, urgency, priority, queue.
    pub reasons: Vec<String>,
}

impl Triage {
    /// `P2 High`
    pub fn priority_label(&self) -> String {
        format!("P{} {}", self.priority, priority_name(self.priority))
    }
}

/// Triage a ticket: classify its text, assess impact and urgency from its
/// facts, apply the ITIL matrix, route it — and say why at each step. An
/// assessment off the matrix is [`DeskError::NotOnMatrix`] (from
/// [`crate::priority`]): a ticket is never routed on a made-up priority.
pub fn triage(ticket: &Ticket) -> Result<Triage, DeskError> {
    let Classification { category, matched } = crate::classify(&ticket.text);
    let Assessment { impact, urgency } = crate::assess(ticket);
    let priority = crate::priority(impact, urgency)?;
    let queue = crate::route(category, priority);
    let words = if matched.is_empty() {
        "no keyword of any category".to_string()
    } else {
        let quoted: Vec<String> = matched.iter().map(|w| format!("\"{w}\"")).collect();
        format!("matched {}", quoted.join(", "))
    };
    let blocked = match (ticket.work_blocked, ticket.workaround) {
        (true, false) => "work blocked, no workaround",
        (true, true) => "work blocked, workaround exists",
        (false, _) => "work not blocked",
    };
    let reasons = vec![
        format!("category {category}: {words}"),
        format!(
            "impact {impact}: {} user(s) affected",
            ticket.users_affected
        ),
        format!("urgency {urgency}: {blocked}"),
        format!(
            "priority {priority} ({}) = impact {impact} + urgency {urgency} - 1",
            priority_name(priority)
        ),
        format!(
            "queue {queue}: {}",
            if queue == Queue::SreOncall {
                format!("P{priority} {category} is a service problem that cannot wait (page)")
            } else {
                format!("owner of {category} at P{priority}")
            }
        ),
    ];
    Ok(Triage {
        category,
        matched,
        impact,
        urgency,
        priority,
        queue,
        reasons,
    })
}
