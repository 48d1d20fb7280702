//! Small widgets used across screens. Every input gets an accessible name from its visible
//! label, which is what screen readers and the GUI tests use to find it.

use egui::{Response, RichText, TextEdit, Ui};

/// A label and a single-line text field named by it.
pub fn labelled_text_ui(ui: &mut Ui, label: &str, value: &mut String, hint: &str) -> Response {
    labelled_field_ui(ui, label, TextEdit::singleline(value).hint_text(hint))
}

/// A label and a narrow field for a date (`YYYY-MM-DD`), named by the label.
pub fn labelled_date_ui(ui: &mut Ui, label: &str, value: &mut String) -> Response {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(value)
            .hint_text("YYYY-MM-DD")
            .desired_width(96.0),
    )
    .labelled_by(label.id)
}

/// A label and a password field (no echo) named by it.
///
/// Every password field in the app is this one: egui keeps each text field's undo history in
/// its memory, which for a password would be copies of what was typed, so the history is
/// cleared after every frame the field is shown.
pub fn labelled_password_ui(ui: &mut Ui, label: &str, value: &mut String) -> Response {
    let response = labelled_field_ui(ui, label, TextEdit::singleline(value).password(true));
    forget_undo_history(ui.ctx(), response.id);
    response
}

/// Clears the undo history egui keeps for the text field `id`.
pub fn forget_undo_history(ctx: &egui::Context, id: egui::Id) {
    if let Some(mut state) = TextEdit::load_state(ctx, id) {
        state.clear_undoer();
        TextEdit::store_state(ctx, id, state);
    }
}

fn labelled_field_ui(ui: &mut Ui, label: &str, field: TextEdit<'_>) -> Response {
    let label = ui.label(label);
    ui.add(field.desired_width(super::theme::FIELD_WIDTH))
        .labelled_by(label.id)
}

/// An error message in the danger colour.
pub fn error_ui(ui: &mut Ui, message: &str) {
    ui.label(RichText::new(message).color(super::theme::DANGER));
}

/// A spinner with what is happening.
pub fn busy_ui(ui: &mut Ui, what: &str) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(what);
    });
}

/// Whether Enter was pressed while `response`'s field had focus (submits a form).
#[must_use]
pub fn submitted(ui: &Ui, response: &Response) -> bool {
    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

/// Checks the fields of a form that creates a workbench (new or demo): a folder, a valid first
/// user name, a valid password typed twice the same.
///
/// # Errors
/// The first problem, worded for the form.
pub fn check_new_workbench_form(
    path: &str,
    admin_name: &str,
    password: &str,
    confirm: &str,
) -> Result<(), String> {
    if path.trim().is_empty() {
        return Err(String::from("choose a folder for the workbench"));
    }
    crate::domain::validate_user_name(admin_name).map_err(|e| e.to_string())?;
    crate::domain::validate_password(password).map_err(|e| e.to_string())?;
    if password != confirm {
        return Err(String::from("the two passwords differ"));
    }
    Ok(())
}

/// Field problems from the workbench, by field name, for a form to show beside each field.
#[must_use]
pub fn field_errors(
    invalid: &crate::domain::InvalidRecord,
) -> std::collections::BTreeMap<String, String> {
    invalid
        .errors
        .iter()
        .map(|e| (e.field.clone(), e.message.clone()))
        .collect()
}

/// A combo box over a code list, named by its label.
pub fn code_combo_ui(
    ui: &mut Ui,
    label: &str,
    list_name: &str,
    value: &mut String,
    reference: &crate::domain::ReferenceData,
) {
    ui.label(label);
    egui::ComboBox::from_id_salt(label)
        .selected_text(reference.label(list_name, value).to_owned())
        .show_ui(ui, |ui| {
            for code in reference.current_codes(list_name) {
                ui.selectable_value(value, code.code.clone(), &code.label);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
}

/// `n` and the noun, singular or plural ("1 row", "3 rows").
#[must_use]
pub fn count_words(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod password_tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    type Fields = (String, String, Option<egui::Id>, Option<egui::Id>);

    #[test]
    fn a_password_field_keeps_no_undo_history_where_an_ordinary_field_does() {
        let mut harness = Harness::new_ui_state(
            |ui, state: &mut Fields| {
                state.2 = Some(labelled_password_ui(ui, "Password", &mut state.0).id);
                state.3 = Some(labelled_text_ui(ui, "Note", &mut state.1, "").id);
            },
            (String::new(), String::new(), None, None),
        );
        harness.run();
        for (label, text) in [("Password", "correct horse"), ("Note", "plain words")] {
            harness.get_by_label(label).click();
            harness.run();
            harness.get_by_label(label).type_text(text);
            harness.run();
        }
        let history = |id: Option<egui::Id>| {
            id.and_then(|id| TextEdit::load_state(&harness.ctx, id))
                .map(|state| format!("{:?}", state.undoer()))
                .unwrap_or_default()
        };
        assert_eq!(harness.state().0, "correct horse");
        // egui's undoer shows how many states it keeps: none for the password.
        assert!(
            history(harness.state().2).contains("undo count: 0"),
            "{}",
            history(harness.state().2)
        );
        assert!(
            history(harness.state().3).contains("undo count: 1"),
            "{}",
            history(harness.state().3)
        );
    }
}
