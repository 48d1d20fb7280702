//! The background thread that owns an unlocked workbench. The UI thread never touches the store:
//! it sends [`Envelope`]s and reads [`SessionEvent`]s, so key derivation, backups and
//! verification never stall a frame.

use super::dispatch;
use super::protocol::{Envelope, Failure, Reply, Request, SessionEvent, SessionStart};
use crate::workbench::{DemoSpec, Workbench, WorkbenchError};
use std::ops::ControlFlow;
use std::sync::mpsc::{Receiver, Sender, channel};

/// What the UI sends the session thread.
#[derive(Debug)]
enum ToSession {
    Request(Envelope),
    /// Lock: record the logout, close the store, drop the keys, end the thread.
    Lock,
}

/// The UI's handle on a session thread.
#[derive(Debug)]
pub struct SessionWorker {
    requests: Option<Sender<ToSession>>,
    events: Receiver<SessionEvent>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Dropping the handle ends the session and waits for it: the thread locks the workbench
/// (recording the logout) and closes the store before the handle is gone. Without the wait,
/// a process ending right after (a closed window, a finished test) could tear down the
/// crypto library under a thread still closing the store: a crash seen once in the GUI tests.
impl Drop for SessionWorker {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl SessionWorker {
    /// Starts a named session thread that unlocks (or creates) the workbench, then serves
    /// requests until it is locked. `wake` is called after every event (it repaints the UI).
    ///
    /// # Errors
    /// If the OS cannot start a thread.
    pub fn spawn(start: SessionStart, wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (requests, request_rx) = channel();
        let (event_tx, events) = channel();
        let thread = std::thread::Builder::new()
            .name("workbench-session".into())
            .spawn(move || serve(start, &request_rx, &event_tx, &wake))?;
        Ok(Self {
            requests: Some(requests),
            events,
            thread: Some(thread),
        })
    }

    /// Sends a request; its reply comes back addressed to `envelope.origin`. A session thread
    /// that has ended (it never does while unlocked, short of a crash) is reported by
    /// [`SessionWorker::is_finished`] rather than here.
    pub fn send(&self, envelope: Envelope) {
        self.post(ToSession::Request(envelope));
    }

    /// Asks the session thread to lock; [`SessionEvent::Locked`] confirms it.
    pub fn lock(&self) {
        self.post(ToSession::Lock);
    }

    fn post(&self, message: ToSession) {
        if self
            .requests
            .as_ref()
            .is_none_or(|requests| requests.send(message).is_err())
        {
            tracing::warn!("the session thread has ended");
        }
    }

    /// Whether the session thread has ended (after locking, or if it crashed).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.thread
            .as_ref()
            .is_none_or(std::thread::JoinHandle::is_finished)
    }

    /// Every event that has arrived, without waiting.
    #[must_use]
    pub fn drain(&self) -> Vec<SessionEvent> {
        self.events.try_iter().collect()
    }
}

/// Opens the workbench as `start` says: unlocks, creates, or builds the demo.
fn open(start: SessionStart, send: &dyn Fn(SessionEvent)) -> Result<Workbench, WorkbenchError> {
    match start {
        SessionStart::Unlock {
            path,
            user_name,
            password,
            machine_dir,
        } => Workbench::unlock_on_machine(&path, &user_name, &password, machine_dir.as_deref()),
        SessionStart::Create {
            path,
            admin_name,
            password,
            kdf,
        } => Workbench::create(&path, &admin_name, &password, kdf),
        SessionStart::Demo {
            path,
            admin_name,
            password,
            kdf,
            scale,
            seed,
            cancel,
        } => {
            let spec = DemoSpec {
                admin_name: &admin_name,
                password: &password,
                kdf,
                scale,
                seed,
            };
            Workbench::create_demo(
                &path,
                &spec,
                &mut |p| send(SessionEvent::DemoProgress(p)),
                &cancel,
            )
            .map(|(workbench, _answers)| workbench)
        }
    }
}

fn serve(
    start: SessionStart,
    requests: &Receiver<ToSession>,
    events: &Sender<SessionEvent>,
    wake: &dyn Fn(),
) {
    let send = |event: SessionEvent| {
        let _ = events.send(event);
        wake();
    };
    let opened = open(start, &send).and_then(|workbench| {
        let head = workbench.audit_head()?;
        Ok((workbench, head))
    });
    let mut workbench = match opened {
        Ok((workbench, head)) => {
            send(SessionEvent::Opened {
                user: workbench.user().clone(),
                head,
                reference: Box::new(workbench.reference_data().clone()),
                today: workbench.today(),
                warnings: workbench
                    .unlock_warnings()
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                idle_lock_max_minutes: workbench.idle_lock_policy().ok().flatten(),
            });
            workbench
        }
        Err(err) => {
            let retry_after_secs = match &err {
                WorkbenchError::WrongCredentials {
                    retry_after_secs, ..
                } => *retry_after_secs,
                _ => 0,
            };
            send(SessionEvent::OpenFailed {
                message: err.to_string(),
                retry_after_secs,
            });
            return;
        }
    };
    // The UI dropping its handle (window closed) ends the loop and locks, as `Lock` does.
    while let Ok(ToSession::Request(Envelope { origin, request })) = requests.recv() {
        let reads_only = matches!(request, Request::AuditPage { .. } | Request::IntelCount(_));
        let mut last_progress = std::time::Instant::now();
        let mut progress = |p: &crate::workbench::ImportProgress| {
            if last_progress.elapsed() >= IMPORT_PROGRESS_EVERY {
                last_progress = std::time::Instant::now();
                send(SessionEvent::ImportProgress(*p));
            }
            ControlFlow::Continue(())
        };
        let outcome =
            dispatch::handle(&mut workbench, request, &mut progress).map_err(Failure::from);
        let changed = outcome.is_ok() && !reads_only;
        send(SessionEvent::Reply(Reply { origin, outcome }));
        if changed && let Ok(head) = workbench.audit_head() {
            send(SessionEvent::Head(head));
        }
    }
    if let Err(err) = workbench.lock() {
        tracing::warn!("locking the workbench reported: {err}");
    }
    send(SessionEvent::Locked);
}

/// Progress reports at most this often (a frame's worth of work each).
const IMPORT_PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(100);
