//! Keyset pagination: `?after=<cursor>&limit=<n>`, never OFFSET.

use serde::{Deserialize, Serialize};

/// One page of a list. `next_after` is the cursor to pass as `after` for the next page; absent on the
/// last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<String>,
}

/// Default and largest page sizes.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;
