//! Time intervals (`time_intervals`, and the older top-level
//! `mute_time_intervals`) for routes' `mute_time_intervals` and
//! `active_time_intervals`.
//!
//! Not modelled yet: a file that defines any is refused with a
//! [`ConfigErrorKind::NotModelled`](crate::ConfigErrorKind) error naming
//! the key, rather than read past.

use std::collections::BTreeMap;
use std::sync::Arc;

use desk::notify::TimeWindow;
use serde_yaml_ng::Mapping;

use crate::{get, ConfigError};

/// The named time intervals of the file (see the module documentation).
pub fn read_time_intervals(
    top: &Mapping,
) -> Result<BTreeMap<String, Arc<dyn TimeWindow>>, ConfigError> {
    for key in ["time_intervals", "mute_time_intervals"] {
        if get(top, key).is_some_and(|v| !crate::routing::is_empty(v)) {
            return Err(ConfigError::not_modelled(
                key,
                "time intervals are not modelled: the desk cannot say whether a route is muted at a given time",
            ));
        }
    }
    Ok(BTreeMap::new())
}
