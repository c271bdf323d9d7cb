//! RTL.
