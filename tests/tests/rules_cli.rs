//! `drsim rules` judges a calendar without physics; `drsim run --dispatch` must agree with it.

use tests::{drsim, read, repo_root, stderr, stdout};

fn rows(csv: &str) -> Vec<String> {
    csv.lines().map(str::to_string).collect()
}

#[test]
fn rules_and_run_with_the_same_calendar_give_the_same_events_table() {
    let root = repo_root();
    let cal = root.join("tests/fixtures/calendar-2022.csv");
    let cal = cal.to_str().expect("utf-8");
    let scn = root.join("scenarios/heatwave-2022.toml");
    let scn = scn.to_str().expect("utf-8");
    let out = drsim(&root, &["rules", scn, "--dispatch", cal]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let judged = stdout(&out);
    let r = rows(&judged);
    assert_eq!(r[0], "program,date,start,end,trigger,issued,status,reason");
    // Sorted by date, start, program; exact statuses and reasons.
    // Sorted by date, start, program (requests with the same key keep their order in the file);
    // exact statuses and reasons.
    let want = [
        "CBP-E,2022-09-05,16:00,20:00,FlexAlert,2022-09-04T16:00,called,",
        "CBP-E,2022-09-06,16:00,20:00,FlexAlert,2022-09-05T18:00,refused,notice: needs day-ahead by 17:00",
        "CPP,2022-09-06,16:00,21:00,ExtremeTemperature,2022-09-05T17:00,called,",
        "ELRP-A1,2022-09-06,16:00,21:00,EEA2,2022-09-06T16:00,called,",
        "RTP,2022-09-06,16:00,21:00,ExtremeTemperature,2022-09-06T16:00,refused,trigger ExtremeTemperature not allowed",
        "SDP,2022-09-06,16:00,19:00,EEA2,2022-09-06T16:00,called,",
        "SEP,2022-09-06,16:00,20:00,EEA2,2022-09-06T16:00,called,",
        "TOU-BIP,2022-09-06,16:00,18:00,EEA2,2022-09-06T15:50,refused,notice: needs 15 minutes",
        "TOU-BIP,2022-09-06,16:30,18:30,EEA2,2022-09-06T16:00,called,",
        "AP-I,2022-09-06,17:00,20:00,MarketAward,2022-09-06T17:00,refused,trigger MarketAward not allowed",
        "AP-I,2022-09-06,17:00,20:00,EEA2,2022-09-06T17:00,called,",
        "SDP,2022-09-06,19:00,21:00,EEA3,2022-09-06T19:00,called,",
        "SEP,2022-09-06,20:00,22:30,EEA3,2022-09-06T20:00,refused,max_hours_per_day 6 exceeded",
        "SDP,2022-09-06,21:00,22:30,EEA3,2022-09-06T21:00,refused,max_hours_per_day 6 exceeded",
        "CBP-E,2022-09-07,15:00,20:00,FlexAlert,2022-09-06T17:00,refused,outside window 16:00-21:00",
        "ELRP-A1,2022-09-07,16:00,21:00,FlexAlert,2022-09-07T16:00,refused,trigger FlexAlert not allowed",
        "TOU-BIP,2022-09-07,16:30,18:30,EEA2,2022-09-07T16:00,called,",
        "TOU-BIP,2022-09-08,12:00,19:00,EEA1,2022-09-08T11:45,refused,max_event_hours 6 exceeded",
    ];
    assert_eq!(&r[1..], want.iter().map(|s| s.to_string()).collect::<Vec<_>>().as_slice(), "\n{judged}");

    let tmp = tempfile::tempdir().expect("tempdir");
    let o = tmp.path().join("run");
    let out = drsim(&root, &["run", scn, "--dispatch", cal, "--quiet", "--out", o.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let events = String::from_utf8(read(&o.join("events.csv"))).expect("utf-8");
    assert_eq!(events, judged, "drsim run --dispatch disagrees with drsim rules");
}

#[test]
fn a_set_override_changes_the_verdicts_of_rules() {
    let root = repo_root();
    let cal = root.join("tests/fixtures/calendar-2022.csv");
    let out = drsim(
        &root,
        &["rules", "--dispatch", cal.to_str().expect("utf-8"), "--set", "programs.SDP.max_hours_per_day=8"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("SDP,2022-09-06,21:00,22:30,EEA3,2022-09-06T21:00,called,"), "{}", stdout(&out));
}

#[test]
fn a_bad_dispatch_file_is_a_user_error_naming_the_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = tmp.path().join("bad.csv");
    std::fs::write(
        &f,
        "program,date,start,end,trigger\nSDP,2022-09-06,16:00,18:00,EEA2\nSPD,2022-09-06,16:00,18:00,EEA2\n",
    )
    .expect("write");
    let out = drsim(&repo_root(), &["rules", "--dispatch", f.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(e.contains("bad.csv:3") && e.contains("unknown program `SPD`"), "{e}");
    std::fs::write(&f, "program,date,start,end,trigger\nSDP,2022-09-06,16:00,18:00,Stage3\n").expect("write");
    let out = drsim(&repo_root(), &["rules", "--dispatch", f.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.csv:2: trigger: `Stage3` is not a trigger"), "{}", stderr(&out));
    let t = tmp.path().join("bad.toml");
    std::fs::write(&t, "[[dispatch]]\nprogram = \"SDP\"\ndate = \"2022-09-06\"\nstart = \"16:00\"\nend = \"15:00\"\ntrigger = \"EEA2\"\n").expect("write");
    let out = drsim(&repo_root(), &["run", "--dispatch", t.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("dispatch[0].end"), "{}", stderr(&out));
}
