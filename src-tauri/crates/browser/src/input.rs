//! The user's mouse, wheel and keyboard from a front end's live view, dispatched into the page
//! through the DevTools input domain (coordinates in the page's CSS pixels; text, Polish
//! letters included, inserted as typed).

use chromiumoxide::cdp::browser_protocol::input::{
    DispatchKeyEventParams, DispatchKeyEventType, DispatchMouseEventParams, DispatchMouseEventType,
    InsertTextParams, MouseButton,
};
use chromiumoxide::Page;
use serde::{Deserialize, Serialize};

use crate::error::BrowserError;

/// Which mouse button.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Button {
    /// The main button.
    #[default]
    Left,
    /// The wheel button.
    Middle,
    /// The context-menu button.
    Right,
}

/// One input event from a front end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UserInput {
    /// The pointer moved.
    MouseMove {
        /// x in CSS pixels.
        x: f64,
        /// y in CSS pixels.
        y: f64,
    },
    /// A button went down.
    MouseDown {
        /// x in CSS pixels.
        x: f64,
        /// y in CSS pixels.
        y: f64,
        /// Which button.
        #[serde(default)]
        button: Button,
    },
    /// A button came up.
    MouseUp {
        /// x in CSS pixels.
        x: f64,
        /// y in CSS pixels.
        y: f64,
        /// Which button.
        #[serde(default)]
        button: Button,
    },
    /// A whole click: down and up.
    Click {
        /// x in CSS pixels.
        x: f64,
        /// y in CSS pixels.
        y: f64,
        /// Which button.
        #[serde(default)]
        button: Button,
    },
    /// The wheel turned.
    Wheel {
        /// x in CSS pixels.
        x: f64,
        /// y in CSS pixels.
        y: f64,
        /// Horizontal scroll in pixels.
        #[serde(default)]
        dx: f64,
        /// Vertical scroll in pixels.
        dy: f64,
    },
    /// A key that is not text (Enter, Backspace, Tab, arrows, Escape ...), pressed and released.
    Key {
        /// The DOM `key` value (`Enter`, `Backspace`, `ArrowDown`).
        key: String,
    },
    /// Text typed (Polish letters included).
    Text {
        /// The text.
        text: String,
    },
}

fn button(button: Button) -> MouseButton {
    match button {
        Button::Left => MouseButton::Left,
        Button::Middle => MouseButton::Middle,
        Button::Right => MouseButton::Right,
    }
}

fn mouse(kind: DispatchMouseEventType, x: f64, y: f64) -> DispatchMouseEventParams {
    DispatchMouseEventParams {
        r#type: kind,
        x,
        y,
        modifiers: None,
        timestamp: None,
        button: None,
        buttons: None,
        click_count: None,
        force: None,
        tangential_pressure: None,
        tilt_x: None,
        tilt_y: None,
        twist: None,
        delta_x: None,
        delta_y: None,
        pointer_type: None,
    }
}

fn pressed(
    kind: DispatchMouseEventType,
    x: f64,
    y: f64,
    which: Button,
) -> DispatchMouseEventParams {
    DispatchMouseEventParams {
        button: Some(button(which)),
        click_count: Some(1),
        ..mouse(kind, x, y)
    }
}

/// The Windows virtual key code and the text of the keys a live view sends.
fn key_code(key: &str) -> (i64, Option<&'static str>) {
    match key {
        "Enter" => (13, Some("\r")),
        "Tab" => (9, None),
        "Backspace" => (8, None),
        "Escape" => (27, None),
        "Delete" => (46, None),
        "ArrowLeft" => (37, None),
        "ArrowUp" => (38, None),
        "ArrowRight" => (39, None),
        "ArrowDown" => (40, None),
        "Home" => (36, None),
        "End" => (35, None),
        "PageUp" => (33, None),
        "PageDown" => (34, None),
        _ => (0, None),
    }
}

/// Dispatches `input` into `page`.
pub async fn dispatch(page: &Page, input: &UserInput) -> Result<(), BrowserError> {
    let failed = |e| BrowserError::protocol("zdarzenie wejścia", e);
    match input {
        UserInput::MouseMove { x, y } => {
            page.execute(mouse(DispatchMouseEventType::MouseMoved, *x, *y))
                .await
                .map_err(failed)?;
        }
        UserInput::MouseDown { x, y, button } => {
            page.execute(pressed(
                DispatchMouseEventType::MousePressed,
                *x,
                *y,
                *button,
            ))
            .await
            .map_err(failed)?;
        }
        UserInput::MouseUp { x, y, button } => {
            page.execute(pressed(
                DispatchMouseEventType::MouseReleased,
                *x,
                *y,
                *button,
            ))
            .await
            .map_err(failed)?;
        }
        UserInput::Click { x, y, button } => {
            page.execute(mouse(DispatchMouseEventType::MouseMoved, *x, *y))
                .await
                .map_err(failed)?;
            page.execute(pressed(
                DispatchMouseEventType::MousePressed,
                *x,
                *y,
                *button,
            ))
            .await
            .map_err(failed)?;
            page.execute(pressed(
                DispatchMouseEventType::MouseReleased,
                *x,
                *y,
                *button,
            ))
            .await
            .map_err(failed)?;
        }
        UserInput::Wheel { x, y, dx, dy } => {
            let wheel = DispatchMouseEventParams {
                delta_x: Some(*dx),
                delta_y: Some(*dy),
                ..mouse(DispatchMouseEventType::MouseWheel, *x, *y)
            };
            page.execute(wheel).await.map_err(failed)?;
        }
        UserInput::Key { key } => {
            let (code, text) = key_code(key);
            for kind in [DispatchKeyEventType::KeyDown, DispatchKeyEventType::KeyUp] {
                let with_text = kind == DispatchKeyEventType::KeyDown;
                let mut event = DispatchKeyEventParams::new(kind);
                event.key = Some(key.clone());
                event.code = Some(key.clone());
                event.windows_virtual_key_code = Some(code);
                event.native_virtual_key_code = Some(code);
                if with_text {
                    event.text = text.map(str::to_owned);
                }
                page.execute(event).await.map_err(failed)?;
            }
        }
        UserInput::Text { text } => {
            page.execute(InsertTextParams::new(text.clone()))
                .await
                .map_err(failed)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_ends_send_tagged_json() {
        let click: UserInput = serde_json::from_str(r#"{"type":"click","x":10,"y":20}"#).unwrap();
        assert_eq!(
            click,
            UserInput::Click {
                x: 10.0,
                y: 20.0,
                button: Button::Left
            }
        );
        let text: UserInput = serde_json::from_str(r#"{"type":"text","text":"źdźbło"}"#).unwrap();
        assert_eq!(
            text,
            UserInput::Text {
                text: "źdźbło".into()
            }
        );
    }
}
