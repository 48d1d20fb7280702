//! The background thread that owns an unlocked workbench. The UI thread never touches the store:
//! it sends [`Request`]s and reads [`Response`]s, so key derivation, backups and verification
//! never stall a frame.

use crate::crypto::KdfParams;
use crate::domain::{AuditEntry, Role, User};
use crate::store::{AuditHead, AuditVerification};
use crate::workbench::{BackupReport, RekeyReport, Workbench, WorkbenchError};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use zeroize::Zeroizing;

/// What the UI asks of the session thread.
#[derive(Debug)]
pub enum Request {
    SetPurpose(String),
    ListUsers,
    AddUser {
        name: String,
        role: Role,
        password: Zeroizing<String>,
    },
    RemoveUser(String),
    ResetPassword {
        name: String,
        password: Zeroizing<String>,
    },
    ChangeOwnPassword {
        current: Zeroizing<String>,
        new: Zeroizing<String>,
    },
    Rekey,
    Backup(PathBuf),
    VerifyAudit,
    AuditPage {
        first_seq: i64,
        count: usize,
    },
    Lock,
}

/// What the session thread reports back.
#[derive(Debug)]
pub enum Response {
    /// The workbench opened (or was created) for this user.
    Unlocked {
        user: User,
        head: AuditHead,
    },
    /// Unlocking failed; the message is safe to show; wait `retry_after_secs` before retrying.
    UnlockFailed {
        message: String,
        retry_after_secs: u64,
    },
    PurposeSet(String),
    Users(Vec<User>),
    UserAdded(User),
    UserRemoved,
    PasswordReset,
    PasswordChanged,
    Rekeyed(RekeyReport),
    BackupWritten(BackupReport),
    Verified(AuditVerification),
    AuditPage {
        first_seq: i64,
        entries: Vec<AuditEntry>,
    },
    /// The chain head after a change (every change appends to the audit log).
    Head(AuditHead),
    /// A request failed; `what` names the request, `message` is safe to show.
    Failed {
        what: &'static str,
        message: String,
    },
    /// The workbench is locked: the store is closed and the keys are gone.
    Locked,
}

/// How a session starts.
#[derive(Debug)]
pub enum SessionStart {
    Unlock {
        path: PathBuf,
        user_name: String,
        password: Zeroizing<String>,
    },
    Create {
        path: PathBuf,
        admin_name: String,
        password: Zeroizing<String>,
        kdf: KdfParams,
    },
}

/// The UI's handle on a session thread.
#[derive(Debug)]
pub struct SessionWorker {
    requests: Sender<Request>,
    responses: Receiver<Response>,
    thread: std::thread::JoinHandle<()>,
}

impl SessionWorker {
    /// Starts a named session thread that unlocks (or creates) the workbench, then serves
    /// requests until it is locked. `wake` is called after every response (it repaints the UI).
    ///
    /// # Errors
    /// If the OS cannot start a thread.
    pub fn spawn(start: SessionStart, wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (requests, request_rx) = channel();
        let (response_tx, responses) = channel();
        let thread = std::thread::Builder::new()
            .name("workbench-session".into())
            .spawn(move || serve(start, &request_rx, &response_tx, &wake))?;
        Ok(Self {
            requests,
            responses,
            thread,
        })
    }

    /// Sends a request. A session thread that has ended (it never does while unlocked, short of
    /// a crash) is reported by [`SessionWorker::is_finished`] rather than here.
    pub fn send(&self, request: Request) {
        if self.requests.send(request).is_err() {
            tracing::warn!("the session thread has ended");
        }
    }

    /// Whether the session thread has ended (after locking, or if it crashed).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Every response that has arrived, without waiting.
    #[must_use]
    pub fn drain(&self) -> Vec<Response> {
        self.responses.try_iter().collect()
    }
}

fn serve(
    start: SessionStart,
    requests: &Receiver<Request>,
    responses: &Sender<Response>,
    wake: &dyn Fn(),
) {
    let send = |response: Response| {
        let _ = responses.send(response);
        wake();
    };
    let opened = match start {
        SessionStart::Unlock {
            path,
            user_name,
            password,
        } => Workbench::unlock(&path, &user_name, &password),
        SessionStart::Create {
            path,
            admin_name,
            password,
            kdf,
        } => Workbench::create(&path, &admin_name, &password, kdf),
    };
    let mut workbench = match opened {
        Ok(workbench) => workbench,
        Err(err) => {
            let retry_after_secs = match &err {
                WorkbenchError::WrongCredentials {
                    retry_after_secs, ..
                } => *retry_after_secs,
                _ => 0,
            };
            send(Response::UnlockFailed {
                message: err.to_string(),
                retry_after_secs,
            });
            return;
        }
    };
    match workbench.audit_head() {
        Ok(head) => send(Response::Unlocked {
            user: workbench.user().clone(),
            head,
        }),
        Err(err) => {
            send(Response::UnlockFailed {
                message: err.to_string(),
                retry_after_secs: 0,
            });
            return;
        }
    }
    // The UI dropping its handle (window closed) ends the loop and locks, as `Lock` does.
    while let Ok(request) = requests.recv() {
        if matches!(request, Request::Lock) {
            break;
        }
        let response = handle(&mut workbench, request);
        let changed = !matches!(response, Response::AuditPage { .. });
        send(response);
        if changed && let Ok(head) = workbench.audit_head() {
            send(Response::Head(head));
        }
    }
    if let Err(err) = workbench.lock() {
        tracing::warn!("locking the workbench reported: {err}");
    }
    send(Response::Locked);
}

fn handle(workbench: &mut Workbench, request: Request) -> Response {
    let failed = |what: &'static str, err: &WorkbenchError| Response::Failed {
        what,
        message: err.to_string(),
    };
    match request {
        Request::SetPurpose(purpose) => match workbench.set_purpose(&purpose) {
            Ok(()) => Response::PurposeSet(workbench.purpose().unwrap_or_default().to_owned()),
            Err(err) => failed("set the purpose", &err),
        },
        Request::ListUsers => workbench
            .users()
            .map_or_else(|err| failed("list users", &err), Response::Users),
        Request::AddUser {
            name,
            role,
            password,
        } => workbench
            .add_user(&name, role, &password)
            .map_or_else(|err| failed("add the user", &err), Response::UserAdded),
        Request::RemoveUser(name) => workbench.remove_user(&name).map_or_else(
            |err| failed("remove the user", &err),
            |()| Response::UserRemoved,
        ),
        Request::ResetPassword { name, password } => {
            workbench.reset_password(&name, &password).map_or_else(
                |err| failed("reset the password", &err),
                |()| Response::PasswordReset,
            )
        }
        Request::ChangeOwnPassword { current, new } => {
            workbench.change_own_password(&current, &new).map_or_else(
                |err| failed("change your password", &err),
                |()| Response::PasswordChanged,
            )
        }
        Request::Rekey => workbench.rekey().map_or_else(
            |err| failed("rotate the master key", &err),
            Response::Rekeyed,
        ),
        Request::Backup(path) => workbench.backup(&path).map_or_else(
            |err| failed("write the backup", &err),
            Response::BackupWritten,
        ),
        Request::VerifyAudit => workbench.verify_audit_log().map_or_else(
            |err| failed("verify the audit log", &err),
            Response::Verified,
        ),
        Request::AuditPage { first_seq, count } => {
            workbench.audit_entries(first_seq, count).map_or_else(
                |err| failed("read the audit log", &err),
                |entries| Response::AuditPage { first_seq, entries },
            )
        }
        Request::Lock => Response::Locked,
    }
}
