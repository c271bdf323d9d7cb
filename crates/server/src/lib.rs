//! Server.

pub mod demo;
