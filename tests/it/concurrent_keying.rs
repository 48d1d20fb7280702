//! Regression test for a failure seen once in the GUI tests: `PRAGMA key` refused ("An error
//! occurred with PRAGMA key or rekey") while another thread of the same process was creating or
//! opening a workbench. Many threads create and reopen workbenches at once; every one must open.

use ccu_workbench::Workbench;
use ccu_workbench::crypto::KdfParams;

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;
const THREADS: usize = 3;
const ROUNDS: usize = 40;

#[test]
fn workbenches_created_and_opened_on_many_threads_at_once_all_open() {
    let dir = tempfile::tempdir().unwrap();
    let barrier = std::sync::Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let dir = dir.path();
            let barrier = &barrier;
            scope.spawn(move || {
                barrier.wait();
                for round in 0..ROUNDS {
                    let root = dir.join(format!("t{thread}-r{round}.ccuwb"));
                    let wb =
                        Workbench::create(&root, "DI Concurrent", "concurrent password", CHEAP)
                            .unwrap_or_else(|err| panic!("create {thread}/{round}: {err:?}"));
                    wb.lock().unwrap();
                    let wb = Workbench::unlock(&root, "DI Concurrent", "concurrent password")
                        .unwrap_or_else(|err| panic!("unlock {thread}/{round}: {err:?}"));
                    wb.lock().unwrap();
                }
            });
        }
    });
}
