//! Undo and redo of the analyst's edits to a chart: hiding a nominal, showing the hidden
//! again, pinning or unpinning, and moving a nominal by hand. Each edit made by hand is
//! recorded with what it changed; undoing applies its inverse, redoing applies it again, and a
//! new edit after an undo drops what could have been redone (as every editor does).

use super::{BTreeSet, LinkChart, NominalId};
use crate::graph::ChartGroup;

/// One edit made by hand, with what it changed.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartEdit {
    Hide(NominalId),
    /// Every hidden nominal shown again: the ones that were hidden.
    ShowHidden(BTreeSet<NominalId>),
    Pin {
        id: NominalId,
        pinned: bool,
    },
    /// Nominals grouped or ungrouped: the groups before and after.
    Groups {
        before: Vec<ChartGroup>,
        after: Vec<ChartGroup>,
    },
    /// A nominal dragged from one place to another (pinned where it was left).
    Move {
        id: NominalId,
        from: [f32; 2],
        was_pinned: bool,
        to: [f32; 2],
    },
}

/// The edits that can be undone (newest last) and redone (next first, last).
#[derive(Debug, Default)]
pub(super) struct EditHistory {
    pub undo: Vec<ChartEdit>,
    pub redo: Vec<ChartEdit>,
    /// A drag under way: the nominal, where it started and whether it was pinned.
    pub drag_start: Option<(NominalId, [f32; 2], bool)>,
}

/// At most this many edits are kept to undo.
const MAX_UNDO: usize = 500;

impl LinkChart {
    /// Records an edit just made by hand.
    pub(super) fn record(&mut self, edit: ChartEdit) {
        let history = &mut self.rt.history;
        history.redo.clear();
        history.undo.push(edit);
        if history.undo.len() > MAX_UNDO {
            history.undo.remove(0);
        }
    }

    /// Hides a nominal, as the analyst asked (undoable).
    pub fn hide_by_hand(&mut self, id: NominalId) {
        if !self.hidden.contains(&id) {
            self.hide(id);
            self.record(ChartEdit::Hide(id));
        }
    }

    /// Shows every hidden nominal again, as the analyst asked (undoable).
    pub fn show_hidden_by_hand(&mut self) {
        if !self.hidden.is_empty() {
            let hidden = std::mem::take(&mut self.hidden);
            self.record(ChartEdit::ShowHidden(hidden));
        }
    }

    /// Pins or unpins a nominal, as the analyst asked (undoable).
    pub fn pin_by_hand(&mut self, id: NominalId, pinned: bool) {
        if self.pinned.contains(&id) != pinned {
            self.set_pinned(id, pinned);
            self.record(ChartEdit::Pin { id, pinned });
        }
    }

    /// Groups the selected nominals (at least two) under a new name, taking them out of any
    /// group they were in (undoable). Returns the new group's name.
    pub fn group_selection_by_hand(&mut self) -> Option<String> {
        if self.rt.selection.len() < 2 {
            return None;
        }
        let before = self.groups.clone();
        let members: Vec<NominalId> = self.rt.selection.iter().copied().collect();
        for group in &mut self.groups {
            group.members.retain(|id| !self.rt.selection.contains(id));
        }
        self.groups.retain(|group| group.members.len() >= 2);
        let name = (1..=self.groups.len() + 1)
            .map(|n| format!("Group {n}"))
            .find(|name| self.groups.iter().all(|g| g.name != *name))
            .unwrap_or_default();
        self.groups.push(ChartGroup {
            name: name.clone(),
            members,
        });
        let after = self.groups.clone();
        self.record(ChartEdit::Groups { before, after });
        Some(name)
    }

    /// Ungroups every group a selected nominal is in (undoable). Returns how many.
    pub fn ungroup_selection_by_hand(&mut self) -> usize {
        let before = self.groups.clone();
        self.groups.retain(|group| {
            !group
                .members
                .iter()
                .any(|id| self.rt.selection.contains(id))
        });
        let ungrouped = before.len() - self.groups.len();
        if ungrouped > 0 {
            let after = self.groups.clone();
            self.record(ChartEdit::Groups { before, after });
        }
        ungrouped
    }

    /// Whether a selected nominal is in a group.
    #[must_use]
    pub fn selection_is_grouped(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.members.iter().any(|id| self.rt.selection.contains(id)))
    }

    /// A drag of `id` begins: where it starts is kept for the edit.
    pub(super) fn drag_began(&mut self, id: NominalId) {
        if let Some(from) = self.position(id) {
            let was_pinned = self.pinned.contains(&id);
            self.rt.history.drag_start = Some((id, from, was_pinned));
        }
    }

    /// The drag ended: recorded as one move, from where it started to where it was left.
    pub(super) fn drag_ended(&mut self) {
        if let Some((id, from, was_pinned)) = self.rt.history.drag_start.take()
            && let Some(to) = self.position(id)
            && (to[0] - from[0]).hypot(to[1] - from[1]) > f32::EPSILON
        {
            self.record(ChartEdit::Move {
                id,
                from,
                was_pinned,
                to,
            });
        }
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.rt.history.undo.is_empty()
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.rt.history.redo.is_empty()
    }

    /// Undoes the newest edit made by hand.
    pub fn undo(&mut self) {
        let Some(edit) = self.rt.history.undo.pop() else {
            return;
        };
        match &edit {
            ChartEdit::Hide(id) => {
                self.hidden.remove(id);
            }
            ChartEdit::ShowHidden(hidden) => self.hidden.extend(hidden.iter().copied()),
            ChartEdit::Pin { id, pinned } => self.set_pinned(*id, !*pinned),
            ChartEdit::Groups { before, .. } => self.groups.clone_from(before),
            ChartEdit::Move {
                id,
                from,
                was_pinned,
                ..
            } => {
                self.move_node(*id, *from);
                self.set_pinned(*id, *was_pinned);
            }
        }
        self.rt.history.redo.push(edit);
    }

    /// Makes again the edit last undone.
    pub fn redo(&mut self) {
        let Some(edit) = self.rt.history.redo.pop() else {
            return;
        };
        match &edit {
            ChartEdit::Hide(id) => self.hide(*id),
            ChartEdit::ShowHidden(hidden) => {
                for id in hidden {
                    self.hidden.remove(id);
                }
            }
            ChartEdit::Pin { id, pinned } => self.set_pinned(*id, *pinned),
            ChartEdit::Groups { after, .. } => self.groups.clone_from(after),
            ChartEdit::Move { id, to, .. } => self.move_node(*id, *to),
        }
        self.rt.history.undo.push(edit);
    }

    /// Forgets every edit (a new chart).
    pub fn clear_history(&mut self) {
        self.rt.history = EditHistory::default();
    }
}
