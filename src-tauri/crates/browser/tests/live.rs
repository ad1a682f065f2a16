//! The live view and take-over with the real Chromium: screencast frames as JPEG bytes from
//! an animated page, the user's click and Polish typing dispatched as input, the agent's
//! actions refused while the user drives, and a fresh observation when the browser is handed
//! back.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use axum::response::Html;
use axum::routing::get;
use common::browser_fixture;
use dark8_browser::input::UserInput;
use dark8_tools::PolicyConfig;
use serde_json::json;

const ANIMATED: &str = r#"<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Ruch</title>
<style>body { margin: 0 } #box { position: absolute; width: 80px; height: 80px; background: #c33; }</style></head>
<body><div id="box"></div>
<button id="big" style="position: fixed; left: 0; top: 200px; width: 400px; height: 150px"
  onclick="document.getElementById('out').textContent = 'Kliknął człowiek';">Duży przycisk</button>
<input id="pole" aria-label="Notatka" style="position: fixed; left: 0; top: 400px; width: 400px; height: 40px">
<p id="out" style="position: fixed; left: 500px; top: 200px">czekam</p>
<script>
let t = 0;
const step = () => { t += 1; document.getElementById('box').style.left = (t % 600) + 'px'; requestAnimationFrame(step); };
requestAnimationFrame(step);
</script></body></html>"#;

async fn site() -> String {
    let app = axum::Router::new().route("/", get(|| async { Html(ANIMATED) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn the_live_view_streams_jpeg_frames_of_a_changing_page() {
    let url = site().await;
    let (t, session, _profile) = browser_fixture(PolicyConfig::default()).await;
    t.ok("browser_open", json!({ "url": format!("{url}/") }))
        .await;
    let mut frames = session.frames();
    session.start_live_view().await.unwrap();
    let mut seen = BTreeSet::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while seen.len() < 12 && tokio::time::Instant::now() < deadline {
        if tokio::time::timeout(Duration::from_secs(2), frames.changed())
            .await
            .is_err()
        {
            break;
        }
        let frame = frames.borrow_and_update().clone().unwrap();
        assert_eq!(&frame.jpeg[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
        assert!(frame.width > 0 && frame.width <= 1280, "{}", frame.width);
        seen.insert(frame.seq);
    }
    assert!(seen.len() >= 10, "only {} frames", seen.len());
    session.stop_live_view().await;
    session.shutdown().await;
}

#[tokio::test]
async fn the_user_takes_over_with_input_and_hands_back_to_a_fresh_observation() {
    let url = site().await;
    let (t, session, _profile) = browser_fixture(PolicyConfig::default()).await;
    let before = t
        .ok("browser_open", json!({ "url": format!("{url}/") }))
        .await;
    assert!(!session.user_driving());
    session
        .user_input(&UserInput::Click {
            x: 200.0,
            y: 270.0,
            button: Default::default(),
        })
        .await
        .unwrap();
    assert!(session.user_driving(), "input takes the browser over");
    session
        .user_input(&UserInput::Click {
            x: 200.0,
            y: 420.0,
            button: Default::default(),
        })
        .await
        .unwrap();
    session
        .user_input(&UserInput::Text {
            text: "Zażółć gęślą jaźń".into(),
        })
        .await
        .unwrap();
    // The agent's click waits while the user drives, and goes ahead after the hand-back,
    // from what the page is then.
    let clicked = std::sync::atomic::AtomicBool::new(false);
    let agent = async {
        let result = t
            .ok("browser_click", json!({ "text": "Duży przycisk" }))
            .await;
        clicked.store(true, std::sync::atomic::Ordering::SeqCst);
        result
    };
    let user = async {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert!(
            !clicked.load(std::sync::atomic::Ordering::SeqCst),
            "the agent did not wait for the hand-back"
        );
        let read = session.page().await.unwrap().0;
        let text: String = read
            .evaluate("document.getElementById('out').textContent")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        assert_eq!(text, "Kliknął człowiek");
        session.hand_back().await.unwrap()
    };
    let (again, fresh) = tokio::join!(agent, user);
    assert!(!session.user_driving());
    let field = fresh.elements.iter().find(|e| e.name == "Notatka").unwrap();
    assert_eq!(field.value.as_deref(), Some("Zażółć gęślą jaźń"));
    assert!(again.summary.contains("Kliknięto"), "{}", again.summary);
    assert_eq!(before.output["title"], "Ruch");
    session.shutdown().await;
}

const STILL: &str = r#"<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Cisza</title></head>
<body style="margin: 0; background: #fff"><div style="width: 600px; height: 400px; background: #2255ee"></div></body></html>"#;

/// Whether `jpeg` is mostly the still page's blue.
fn shows_blue(jpeg: &[u8]) -> bool {
    let mut decoder = jpeg_decoder::Decoder::new(jpeg);
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    assert_eq!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24);
    let at = (100 * usize::from(info.width) + 100) * 3;
    pixels[at + 2] > 200 && pixels[at] < 90
}

/// The dashboard opens the panel (live view starting the browser) and the user types an
/// address at once: the live view ends up on the page, with a frame of it, however the two
/// interleave; and a viewer that leaves as another arrives does not stop the newcomer's view.
#[tokio::test]
async fn the_live_view_started_with_a_first_navigation_shows_the_page() {
    let app = axum::Router::new().route("/still", get(|| async { Html(STILL) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/still", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (_t, session, _profile) = browser_fixture(PolicyConfig::default()).await;
    let mut frames = session.frames();
    let navigation = dark8_browser::user::UserNavigation::Open { url: url.clone() };
    let (viewer, navigated) =
        tokio::join!(session.live_viewer(), session.user_navigate(&navigation));
    let viewer = viewer.unwrap();
    navigated.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut blue = false;
    while !blue && tokio::time::Instant::now() < deadline {
        if tokio::time::timeout(Duration::from_secs(1), frames.changed())
            .await
            .is_err()
        {
            // A still page sends nothing new; the newest frame is what the panel shows.
        }
        let frame = frames.borrow_and_update().clone();
        blue = frame.is_some_and(|f| shows_blue(&f.jpeg));
    }
    assert!(blue, "no frame of the page after the first navigation");

    // One panel closes as another opens: the second keeps its live view.
    let second = session.live_viewer().await.unwrap();
    drop(viewer);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        session.live_view_running().await,
        "the leaving viewer stopped the live view"
    );
    drop(second);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !session.live_view_running().await,
        "no viewer left, the live view still runs"
    );
    session.shutdown().await;
}

const SETTLING: &str = r#"<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Zmiana</title></head>
<body style="margin: 0"><div id="b" style="width: 600px; height: 400px; background: #ee2222"></div>
<script>
const colors = ['#ee2222', '#ee22ee', '#eeee22', '#22eeee', '#2255ee'];
let i = 0;
const next = () => { document.getElementById('b').style.background = colors[i]; i += 1; if (i < colors.length) setTimeout(next, 15); };
setTimeout(next, 600);
</script></body></html>"#;

/// Changes that come faster than the frame rate end on a still page: the live view's newest
/// frame is the page as it stays, not a picture from the middle of the changes.
#[tokio::test]
async fn the_newest_frame_is_the_page_as_it_stays() {
    let app = axum::Router::new().route("/settling", get(|| async { Html(SETTLING) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/settling", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (t, session, _profile) = browser_fixture(PolicyConfig::default()).await;
    t.ok("browser_open", json!({ "url": url })).await;
    let frames = session.frames();
    let viewer = session.live_viewer().await.unwrap();
    // The page stands still 0.7 s after it loads; a loaded machine may deliver the frames
    // late, so wait for them (a dropped last frame would never come: the page sends no more).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut blue = false;
    while !blue && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        blue = frames
            .borrow()
            .as_ref()
            .is_some_and(|newest| shows_blue(&newest.jpeg));
    }
    let seen = frames.borrow().as_ref().map(|f| {
        let mut decoder = jpeg_decoder::Decoder::new(&f.jpeg[..]);
        let pixels = decoder.decode().unwrap();
        let info = decoder.info().unwrap();
        let at = (100 * usize::from(info.width) + 100) * 3;
        (
            f.seq,
            info.width,
            info.height,
            pixels[at],
            pixels[at + 1],
            pixels[at + 2],
        )
    });
    assert!(
        blue,
        "the newest frame is not the page's last colour: (seq, width, height, r, g, b) = {seen:?}"
    );
    // A page that stands still costs no more pictures: the settling picture (and the frame
    // it echoes) come once, then nothing.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let settled_seq = frames.borrow().as_ref().map_or(0, |f| f.seq);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let later_seq = frames.borrow().as_ref().map_or(0, |f| f.seq);
    assert!(
        later_seq <= settled_seq + 1,
        "a still page kept sending pictures: seq {settled_seq} -> {later_seq}"
    );
    drop(viewer);
    session.shutdown().await;
}
