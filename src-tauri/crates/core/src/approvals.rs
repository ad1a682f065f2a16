//! Approvals as a service of the core: a request the executor asks becomes a pending
//! approval any front end can list and answer (the CLI's prompt, the window, the REST API);
//! the first answer wins. Grants for the session or for always approve later calls of the
//! same tool and target without asking, only where a blanket "yes" may (what `--yes` cannot
//! approve, no grant can either).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use dark8_protocol::{
    ApprovalDecision, ApprovalGrant, ApprovalRequest, GrantScope, PendingApproval,
};
use dark8_store::Store;
use dark8_tools::executor::ApprovalFuture;
use dark8_tools::Approver;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use crate::events::EventScope;

/// Why an answer was not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnswerError {
    /// No approval with that id waits (answered already, or never asked).
    #[error("no pending approval {0}")]
    NotPending(String),
    /// A grant was asked for a request no grant may cover.
    #[error("approval {0} can only be allowed once")]
    OnlyOnce(String),
    /// The grant could not be stored.
    #[error("storing the grant failed: {0}")]
    Store(String),
}

impl AnswerError {
    /// The message for the user, in Polish.
    pub fn polish(&self) -> String {
        match self {
            AnswerError::NotPending(id) => format!(
                "Nie ma oczekującej zgody {id}: już na nią odpowiedziano albo jej nie było."
            ),
            AnswerError::OnlyOnce(id) => format!(
                "Zgody {id} nie można zapamiętać: to działanie wymaga Twojej zgody za każdym razem."
            ),
            AnswerError::Store(detail) => format!("Nie udało się zapisać zgody: {detail}"),
        }
    }
}

struct Pending {
    listed: PendingApproval,
    answer: oneshot::Sender<ApprovalDecision>,
}

#[derive(Default)]
struct State {
    pending: HashMap<String, Pending>,
    /// (session, tool, target) granted for the session, with when.
    session_grants: HashMap<(String, String, String), String>,
    revoked_session: HashSet<(String, String, String)>,
}

struct Inner {
    store: Store,
    state: Mutex<State>,
}

/// The approvals of one core; cheap to clone.
#[derive(Clone)]
pub struct Approvals {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Approvals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Approvals").finish_non_exhaustive()
    }
}

impl Approvals {
    /// Approvals whose "always" grants live in `store`.
    pub fn new(store: Store) -> Approvals {
        Approvals {
            inner: Arc::new(Inner {
                store,
                state: Mutex::new(State::default()),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// An approver for calls of `scope`: grants answer first; otherwise the request waits
    /// for a front end, and `local` (the CLI's prompt, `--yes`), when given, is asked as one
    /// of them. A cancelled `cancel` refuses what still waits.
    pub fn approver(
        &self,
        scope: EventScope,
        local: Option<Arc<dyn Approver>>,
        cancel: CancellationToken,
    ) -> Arc<dyn Approver> {
        Arc::new(ServiceApprover {
            approvals: self.clone(),
            scope,
            local,
            cancel,
        })
    }

    /// The approvals waiting for an answer, oldest first.
    pub fn pending(&self) -> Vec<PendingApproval> {
        let mut list: Vec<PendingApproval> = self
            .state()
            .pending
            .values()
            .map(|p| p.listed.clone())
            .collect();
        list.sort_by(|a, b| a.requested_at.cmp(&b.requested_at));
        list
    }

    /// Answers approval `id`: `approved` with how far it reaches, or refused with the user's
    /// `reason`. A grant is stored before the waiting call goes on.
    pub async fn answer(
        &self,
        id: &str,
        approved: bool,
        grant: GrantScope,
        reason: Option<String>,
    ) -> Result<ApprovalDecision, AnswerError> {
        let (request, session) = {
            let state = self.state();
            let pending = state
                .pending
                .get(id)
                .ok_or_else(|| AnswerError::NotPending(id.to_owned()))?;
            (
                pending.listed.request.clone(),
                pending.listed.session.clone(),
            )
        };
        let grant = if approved { grant } else { GrantScope::Once };
        let target = match (grant, &request.grant_target) {
            (GrantScope::Once, _) => None,
            (_, Some(target)) if request.auto_approvable => Some(target.clone()),
            _ => return Err(AnswerError::OnlyOnce(id.to_owned())),
        };
        if let Some(target) = target {
            match grant {
                GrantScope::Always => {
                    self.inner
                        .store
                        .grants()
                        .add(&request.call.tool, &target)
                        .await
                        .map_err(|e| AnswerError::Store(e.to_string()))?;
                }
                GrantScope::Session => {
                    let key = (
                        session.unwrap_or_default(),
                        request.call.tool.clone(),
                        target,
                    );
                    let mut state = self.state();
                    state.revoked_session.remove(&key);
                    state.session_grants.insert(key, dark8_store::now_rfc3339());
                }
                GrantScope::Once => {}
            }
        }
        let decision = ApprovalDecision {
            request_id: id.to_owned(),
            approved,
            grant,
            reason: reason.filter(|r| !r.trim().is_empty()),
        };
        let pending = self
            .state()
            .pending
            .remove(id)
            .ok_or_else(|| AnswerError::NotPending(id.to_owned()))?;
        // The waiting call may have gone (its run was cancelled): nothing more to do then.
        let _ = pending.answer.send(decision.clone());
        Ok(decision)
    }

    /// Every grant: this process's session grants and the stored ones, newest first.
    pub async fn grants(&self) -> Result<Vec<ApprovalGrant>, dark8_store::StoreError> {
        let mut list: Vec<ApprovalGrant> = {
            let state = self.state();
            state
                .session_grants
                .iter()
                .map(|((session, tool, target), created_at)| ApprovalGrant {
                    id: session_grant_id(session, tool, target),
                    tool: tool.clone(),
                    target: target.clone(),
                    scope: GrantScope::Session,
                    created_at: created_at.clone(),
                    revoked_at: None,
                })
                .collect()
        };
        list.extend(
            self.inner
                .store
                .grants()
                .list()
                .await?
                .into_iter()
                .map(|g| ApprovalGrant {
                    id: g.id.to_string(),
                    tool: g.tool,
                    target: g.target,
                    scope: GrantScope::Always,
                    created_at: g.created_at,
                    revoked_at: g.revoked_at,
                }),
        );
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        Ok(list)
    }

    /// Revokes grant `id` (as [`Approvals::grants`] lists it); `false` when no active grant
    /// has it.
    pub async fn revoke(&self, id: &str) -> Result<bool, dark8_store::StoreError> {
        {
            let mut state = self.state();
            let key = state
                .session_grants
                .keys()
                .find(|(s, t, g)| session_grant_id(s, t, g) == id)
                .cloned();
            if let Some(key) = key {
                state.session_grants.remove(&key);
                state.revoked_session.insert(key);
                return Ok(true);
            }
        }
        match id.parse::<i64>() {
            Ok(row) => self.inner.store.grants().revoke(row).await,
            Err(_) => Ok(false),
        }
    }

    /// The grant that approves `request` in `session` without asking, described in Polish.
    async fn granted(&self, request: &ApprovalRequest, session: &str) -> Option<String> {
        if !request.auto_approvable {
            return None;
        }
        let target = request.grant_target.as_ref()?;
        let key = (
            session.to_owned(),
            request.call.tool.clone(),
            target.clone(),
        );
        if self.state().session_grants.contains_key(&key) {
            return Some(format!(
                "zgoda na tę sesję: {} dla {target}",
                request.call.tool
            ));
        }
        match self
            .inner
            .store
            .grants()
            .active(&request.call.tool, target)
            .await
        {
            Ok(Some(grant)) => Some(format!(
                "zgoda na stałe nr {}: {} dla {target}",
                grant.id, request.call.tool
            )),
            Ok(None) => None,
            Err(err) => {
                tracing::warn!(error = %err, "could not read approval grants");
                None
            }
        }
    }
}

fn session_grant_id(session: &str, tool: &str, target: &str) -> String {
    format!("session:{session}:{tool}:{target}")
}

/// The [`Approver`] the executor of one run asks.
struct ServiceApprover {
    approvals: Approvals,
    scope: EventScope,
    local: Option<Arc<dyn Approver>>,
    cancel: CancellationToken,
}

impl Approver for ServiceApprover {
    fn decide<'a>(
        &'a self,
        request: &'a ApprovalRequest,
        auto_approvable: bool,
    ) -> ApprovalFuture<'a> {
        Box::pin(async move {
            let session = self.scope.session.clone().unwrap_or_default();
            if auto_approvable {
                if let Some(reason) = self.approvals.granted(request, &session).await {
                    return ApprovalDecision {
                        request_id: request.id.clone(),
                        approved: true,
                        grant: GrantScope::Once,
                        reason: Some(reason),
                    };
                }
            }
            let (answer, wait) = oneshot::channel();
            self.approvals.state().pending.insert(
                request.id.clone(),
                Pending {
                    listed: PendingApproval {
                        request: request.clone(),
                        run: self.scope.run.clone(),
                        session: self.scope.session.clone(),
                        requested_at: dark8_store::now_rfc3339(),
                    },
                    answer,
                },
            );
            if let Some(local) = self.local.clone() {
                let approvals = self.approvals.clone();
                let request = request.clone();
                tokio::spawn(async move {
                    let decision = local.decide(&request, auto_approvable).await;
                    // Another front end may have answered first.
                    let _ = approvals
                        .answer(
                            &request.id,
                            decision.approved,
                            decision.grant,
                            decision.reason,
                        )
                        .await;
                });
            }
            let decision = tokio::select! {
                answer = wait => answer.ok(),
                () = self.cancel.cancelled() => None,
            };
            self.approvals.state().pending.remove(&request.id);
            decision.unwrap_or_else(|| ApprovalDecision {
                request_id: request.id.clone(),
                approved: false,
                grant: GrantScope::Once,
                reason: Some("przerwano, zanim ktoś odpowiedział".to_owned()),
            })
        })
    }
}
