//! Step B1 · Priority. Guide: `labs/m32/README.md`, Part B.

/// ITIL priority from impact and urgency (each 1 = high … 3 = low).
pub fn priority(impact: u8, urgency: u8) -> u8 {
    todo!("priority: combine impact and urgency with the ITIL matrix")
}
