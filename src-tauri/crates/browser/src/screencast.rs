//! The live view's frames: the current page's screencast as JPEG bytes (never base64 JSON
//! past this module), each frame acknowledged at once so the browser keeps sending, at most
//! [`MAX_FPS`] published, the latest one winning (a slow front end skips frames instead of
//! queueing them). A screenshot is the first frame, so a front end has a picture before the
//! page changes.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, EventScreencastFrame, ScreencastFrameAckParams, StartScreencastFormat,
    StartScreencastParams, StopScreencastParams,
};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::Page;
use futures_util::StreamExt;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::error::BrowserError;

/// Most frames a second published to front ends.
pub const MAX_FPS: u32 = 15;

/// How long the first picture may take before the screencast starts without it.
const FIRST_FRAME_TIMEOUT: Duration = Duration::from_secs(3);

/// JPEG quality of the frames.
const QUALITY: i64 = 70;

/// How long the screencast must be silent before one fresh picture is taken. A screencast
/// sends a frame only after the previous one was acknowledged and only when the page is
/// drawn: on a busy machine the page's last change can be drawn before the acknowledgement
/// arrives and never be sent, so a page that stops changing would keep showing an older
/// picture. One screenshot after each burst shows the page as it stays.
const SETTLE_AFTER: Duration = Duration::from_millis(500);

/// Screencast frames after such a picture that make a new burst: taking a screenshot draws
/// the page and echoes one frame, which must not call for another picture; a lost last frame
/// only happens in a burst of changes.
const BURST_FRAMES: u32 = 2;

/// Frames this soon after such a picture are its echoes and are not counted.
const ECHO_WINDOW: Duration = Duration::from_secs(1);

/// How long that fresh picture may take on a busy machine.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(10);

/// Takes a JPEG screenshot of `page` as it is now (within `limit`) and publishes it as frame
/// `seq`; false when none came in time.
async fn publish_picture(
    page: &Page,
    limit: Duration,
    frames: &watch::Sender<Option<Arc<Frame>>>,
    seq: u64,
) -> bool {
    let shot = page.screenshot(
        ScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Jpeg)
            .quality(QUALITY)
            .build(),
    );
    let Some(jpeg) = tokio::time::timeout(limit, shot)
        .await
        .ok()
        .and_then(Result::ok)
    else {
        return false;
    };
    let (width, height) = tokio::time::timeout(FIRST_FRAME_TIMEOUT, viewport(page))
        .await
        .unwrap_or((0, 0));
    frames.send_replace(Some(Arc::new(Frame {
        seq,
        jpeg,
        width,
        height,
    })));
    true
}

/// One picture of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Counts up from 1 over the whole session.
    pub seq: u64,
    /// The JPEG bytes.
    pub jpeg: Vec<u8>,
    /// The page's width in CSS pixels.
    pub width: u32,
    /// The page's height in CSS pixels.
    pub height: u32,
}

impl Frame {
    /// The frame on the wire to front ends (`application/vnd.dark8.frames`): a 12-byte
    /// header (JPEG length, page width, page height; big-endian u32), then the JPEG.
    pub fn to_wire(&self) -> Vec<u8> {
        let length = u32::try_from(self.jpeg.len()).unwrap_or(u32::MAX);
        let mut out = Vec::with_capacity(self.jpeg.len() + 12);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&self.width.to_be_bytes());
        out.extend_from_slice(&self.height.to_be_bytes());
        out.extend_from_slice(&self.jpeg);
        out
    }
}

/// A running screencast of one page.
#[derive(Debug)]
pub(crate) struct Screencast {
    page: Page,
    task: JoinHandle<()>,
}

impl Screencast {
    /// Starts `page`'s screencast into `frames`, `seq` continuing from what it holds.
    pub(crate) async fn start(
        page: &Page,
        frames: watch::Sender<Option<Arc<Frame>>>,
    ) -> Result<Screencast, BrowserError> {
        let mut events = page
            .event_listener::<EventScreencastFrame>()
            .await
            .map_err(|e| BrowserError::protocol("podgląd na żywo", e))?;
        // The first picture is a courtesy: a page in the middle of a navigation may not
        // answer in time, and the screencast's own first frame follows anyway.
        let mut seq = frames.borrow().as_ref().map(|f| f.seq).unwrap_or(0);
        if publish_picture(page, FIRST_FRAME_TIMEOUT, &frames, seq + 1).await {
            seq += 1;
        }
        let params = StartScreencastParams::builder()
            .format(StartScreencastFormat::Jpeg)
            .quality(QUALITY)
            .every_nth_frame(1)
            .build();
        page.execute(params)
            .await
            .map_err(|e| BrowserError::protocol("podgląd na żywo", e))?;
        let acking = page.clone();
        let task = tokio::spawn(async move {
            let spacing = Duration::from_millis(1000 / u64::from(MAX_FPS));
            let mut last = Instant::now() - spacing;
            // A frame that came too soon waits for its turn instead of being dropped: on a
            // page that then stands still it is the last picture there is.
            let mut held: Option<EventScreencastFrame> = None;
            let mut settle_at = Some(Instant::now() + SETTLE_AFTER);
            let mut since_settle = BURST_FRAMES;
            let mut settled: Option<Instant> = None;
            loop {
                let due = last + spacing;
                let event = tokio::select! {
                    next = events.next() => match next {
                        Some(event) => event,
                        None => return,
                    },
                    () = tokio::time::sleep_until(due), if held.is_some() => {
                        if let Some(frame) = held.take() {
                            seq += 1;
                            publish(&frames, seq, &frame);
                            last = Instant::now();
                        }
                        continue;
                    }
                    () = tokio::time::sleep_until(settle_at.unwrap_or_else(Instant::now)), if settle_at.is_some() && held.is_none() => {
                        settle_at = None;
                        if publish_picture(&acking, SETTLE_TIMEOUT, &frames, seq + 1).await {
                            seq += 1;
                            last = Instant::now();
                        }
                        since_settle = 0;
                        settled = Some(Instant::now());
                        continue;
                    }
                };
                if settled.is_none_or(|at| at.elapsed() > ECHO_WINDOW) {
                    since_settle = since_settle.saturating_add(1);
                }
                if since_settle >= BURST_FRAMES {
                    settle_at = Some(Instant::now() + SETTLE_AFTER);
                }
                // Acknowledge first: the browser sends the next frame only after an ack.
                let _ = acking
                    .execute(ScreencastFrameAckParams::new(event.session_id))
                    .await;
                if last.elapsed() < spacing {
                    held = Some((*event).clone());
                    continue;
                }
                held = None;
                seq += 1;
                if publish(&frames, seq, &event) {
                    last = Instant::now();
                } else {
                    seq -= 1;
                }
            }
        });
        Ok(Screencast {
            page: page.clone(),
            task,
        })
    }

    /// The page it shows.
    pub(crate) fn page(&self) -> &Page {
        &self.page
    }

    /// Stops the screencast.
    pub(crate) async fn stop(self) {
        self.task.abort();
        let _ = self.page.execute(StopScreencastParams::default()).await;
    }
}

/// Publishes `event`'s picture as frame `seq`; false when its data was not base64.
fn publish(
    frames: &watch::Sender<Option<Arc<Frame>>>,
    seq: u64,
    event: &EventScreencastFrame,
) -> bool {
    let encoded: &str = event.data.as_ref();
    let Ok(jpeg) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return false;
    };
    frames.send_replace(Some(Arc::new(Frame {
        seq,
        jpeg,
        width: event.metadata.device_width.round() as u32,
        height: event.metadata.device_height.round() as u32,
    })));
    true
}

/// The page's viewport size in CSS pixels.
async fn viewport(page: &Page) -> (u32, u32) {
    crate::navigate::evaluate::<(u32, u32)>(page, "[innerWidth, innerHeight]")
        .await
        .unwrap_or((0, 0))
}
