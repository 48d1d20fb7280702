//! The session thread and the protocol the GUI speaks with it: panels send a [`Request`] from an
//! [`Origin`]; the thread answers it through the library ([`dispatch`]) and replies to that
//! origin alone.

mod dispatch;
mod protocol;
mod request_label;
mod worker;

pub use protocol::{
    Envelope, Failure, GraphIntent, NaParty, NominalsRoute, Origin, Reply, Request, Response,
    SearchOwner, SessionEvent, SessionStart,
};
pub use worker::SessionWorker;
