//! CCU Workbench: an offline, encrypted intelligence workbench for a police Counter Corruption Unit.
//!
//! The library holds every rule the product enforces (permissions, audit, key handling), so the
//! command line and the GUI are thin shells over the same checked operations. See ARCHITECTURE.md
//! for the layers and the invariants between them.

pub mod cli;
pub mod crypto;
pub mod demo;
pub mod domain;
pub mod graph;
pub mod io;
pub mod platform;
pub mod risk;
pub mod store;
#[cfg(feature = "gui")]
pub mod ui;
pub mod workbench;

pub use workbench::{Workbench, WorkbenchError};

/// Every binary that links the library (the app, its tests and benchmarks) allocates through
/// mimalloc: rows parsed on one thread and freed on another cost the system allocator a fifth
/// of a bulk import's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
