//! Credentials on both engines: the lock-out holds under concurrent guesses and follows the
//! account whichever identifier is typed; a new password ends the other sessions and
//! revokes the API tokens; API tokens expire and are revoked; a national identity links
//! to its account once, and a sign-in under way is taken once.

use crate::common::*;
use motcua_db::Login;

const RIGHT: &str = "ngựa-ô-chạy-đường-xa";

async fn concurrent_guesses_lock_after_five(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    db.people()
        .set_password(p.counter, RIGHT, "test", None)
        .await
        .unwrap();
    let now = 1_780_000_000;
    let guesses = (0..20).map(|i| {
        let db = db.clone();
        tokio::spawn(async move {
            db.people()
                .login("motcua.tn", &format!("sai-{i}"), now)
                .await
        })
    });
    let mut wrong = 0;
    let mut locked = 0;
    for guess in guesses {
        match guess.await.unwrap().unwrap() {
            Login::Wrong => wrong += 1,
            Login::Locked => locked += 1,
            Login::Ok(_) => panic!("a wrong password let in"),
        }
    }
    assert_eq!((wrong, locked), (5, 15), "only five guesses may be checked");
    assert_eq!(
        db.people()
            .login("motcua.tn", RIGHT, now + 60)
            .await
            .unwrap(),
        Login::Locked
    );
    // The window passes; the right password opens and clears the count.
    assert!(matches!(
        db.people()
            .login("motcua.tn", RIGHT, now + 16 * 60)
            .await
            .unwrap(),
        Login::Ok(_)
    ));
    assert_eq!(
        db.people()
            .login("motcua.tn", "sai", now + 16 * 60)
            .await
            .unwrap(),
        Login::Wrong
    );
    db.close().await;
}

async fn a_citizen_is_locked_by_account(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let now = 1_780_000_000;
    let hoa = db
        .people()
        .register_citizen(
            motcua_db::NewCitizen {
                full_name: "Lê Thị Hoa".into(),
                phone: Some("0912345678".into()),
                email: Some("hoa@example.vn".into()),
                id_number: None,
                password: RIGHT.into(),
            },
            now,
        )
        .await
        .unwrap();
    for _ in 0..5 {
        assert_eq!(
            db.people()
                .citizen_login("0912 345 678", "sai", now)
                .await
                .unwrap(),
            Login::Wrong
        );
    }
    // Locked by phone, so locked by e-mail too.
    assert_eq!(
        db.people()
            .citizen_login("hoa@example.vn", RIGHT, now + 5)
            .await
            .unwrap(),
        Login::Locked
    );
    let Login::Ok(c) = db
        .people()
        .citizen_login("HOA@example.vn", RIGHT, now + 16 * 60)
        .await
        .unwrap()
    else {
        panic!("the window passed")
    };
    assert_eq!(c.id, hoa.id);
    // A weak password is refused at registration, by the one policy.
    let err = db
        .people()
        .register_citizen(
            motcua_db::NewCitizen {
                full_name: "Trần Văn Bình".into(),
                phone: Some("0987654321".into()),
                password: "0987654321abc".into(),
                ..motcua_db::NewCitizen::default()
            },
            now,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("không được chứa"), "{err}");
    db.close().await;
}

async fn a_new_password_ends_sessions_and_tokens(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    assert!(
        db.people()
            .staff_by_token("token-motcua.tn")
            .await
            .unwrap()
            .is_some()
    );
    db.people()
        .set_password(p.counter, RIGHT, "test", None)
        .await
        .unwrap();
    assert!(
        db.people()
            .staff_by_token("token-motcua.tn")
            .await
            .unwrap()
            .is_some(),
        "a first password replaces nothing"
    );
    let now = motcua_db::now_seconds();
    let here = db.people().create_session(p.counter, now).await.unwrap();
    let elsewhere = db.people().create_session(p.counter, now).await.unwrap();
    let other_officer = db.people().create_session(p.specialist, now).await.unwrap();
    let made = db
        .people()
        .create_api_token(p.counter, "Phần mềm kế toán", None, None, "test")
        .await
        .unwrap();
    assert!(made.secret.starts_with("mc_") && made.secret.len() > 40);
    assert_eq!(
        db.people()
            .staff_by_token(&made.secret)
            .await
            .unwrap()
            .unwrap()
            .id,
        p.counter
    );

    // The policy: too short, the username, a common one, the same as now.
    for (bad, why) in [
        ("ngắn", "ít nhất 10"),
        ("motcua.tn-2026", "không được chứa"),
        ("qwertyuiop", "phổ biến"),
        (RIGHT, "phải khác"),
    ] {
        let err = db
            .people()
            .set_password(p.counter, bad, "test", Some(&here))
            .await
            .unwrap_err();
        assert!(err.to_string().contains(why), "{bad}: {err}");
    }
    // A refused password changed nothing.
    assert!(
        db.people()
            .session(&elsewhere, now + 1)
            .await
            .unwrap()
            .is_some()
    );

    db.people()
        .set_password(p.counter, "mưa-phùn-tháng-chạp", "staff:1", Some(&here))
        .await
        .unwrap();
    assert!(
        db.people().session(&here, now + 1).await.unwrap().is_some(),
        "kept"
    );
    assert!(
        db.people()
            .session(&elsewhere, now + 1)
            .await
            .unwrap()
            .is_none(),
        "ended"
    );
    assert!(
        db.people()
            .session(&other_officer, now + 1)
            .await
            .unwrap()
            .is_some(),
        "another account's session is untouched"
    );
    assert!(
        db.people()
            .staff_by_token(&made.secret)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.people()
            .staff_by_token("token-motcua.tn")
            .await
            .unwrap()
            .is_none()
    );
    let listed = db.people().api_tokens(Some(p.counter)).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|t| t.revoked_at.is_some() && !t.live(now))
    );
    // An administrator's reset ends every session.
    db.people()
        .set_password(p.counter, "gió-lào-thổi-qua-làng", "admin", None)
        .await
        .unwrap();
    assert!(db.people().session(&here, now + 1).await.unwrap().is_none());
    db.close().await;
}

async fn api_tokens_expire_and_are_revoked(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let now = motcua_db::now_seconds();
    let err = db
        .people()
        .create_api_token(p.counter, "  ", None, None, "test")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("tên mã API"), "{err}");
    let err = db
        .people()
        .create_api_token(p.counter, "Cũ", Some(now - 10), None, "test")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("hết hạn"), "{err}");
    let soon = db
        .people()
        .create_api_token(p.counter, "Ngắn hạn", Some(now + 2), None, "test")
        .await
        .unwrap();
    let lasting = db
        .people()
        .create_api_token(p.specialist, "Kết nối", None, None, "test")
        .await
        .unwrap();
    assert!(
        db.people()
            .staff_by_token(&soon.secret)
            .await
            .unwrap()
            .is_some()
    );
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    assert!(
        db.people()
            .staff_by_token(&soon.secret)
            .await
            .unwrap()
            .is_none(),
        "expired, even while cached"
    );
    let revoked = db
        .people()
        .revoke_api_token(lasting.token.id, "admin")
        .await
        .unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(
        db.people()
            .staff_by_token(&lasting.secret)
            .await
            .unwrap()
            .is_none()
    );
    // Revoking again changes nothing; an unknown id is named.
    let again = db
        .people()
        .revoke_api_token(lasting.token.id, "admin")
        .await
        .unwrap();
    assert_eq!(again.revoked_at, revoked.revoked_at);
    assert!(
        db.people()
            .revoke_api_token(999_999, "admin")
            .await
            .is_err()
    );
    let all = db.people().api_tokens(None).await.unwrap();
    assert!(
        all.iter()
            .any(|t| t.name == "Kết nối" && t.username == "tp.chuyenvien")
    );
    let report = db.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none());
    db.close().await;
}

async fn accounts_are_reset_disabled_and_their_roles_revoked(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let now = motcua_db::now_seconds();
    db.people()
        .set_password(p.counter, RIGHT, "test", None)
        .await
        .unwrap();
    let session = db.people().create_session(p.counter, now).await.unwrap();
    // A reset: the sessions end and the next sign-in must choose a new password.
    db.people()
        .reset_password(p.counter, "mật-khẩu-tạm-thời", "admin")
        .await
        .unwrap();
    assert!(
        db.people()
            .session(&session, now + 1)
            .await
            .unwrap()
            .is_none()
    );
    let Login::Ok(staff) = db
        .people()
        .login("motcua.tn", "mật-khẩu-tạm-thời", now)
        .await
        .unwrap()
    else {
        panic!("the reset password opens")
    };
    assert!(staff.must_change_password);
    db.people()
        .set_password(p.counter, "của-riêng-tôi-thôi", "self", None)
        .await
        .unwrap();
    assert!(
        !db.people()
            .staff_member(p.counter)
            .await
            .unwrap()
            .unwrap()
            .must_change_password
    );
    // Disabled: sessions end, sign-in and tokens refused; nobody disables themselves.
    let session = db.people().create_session(p.counter, now).await.unwrap();
    let err = db
        .people()
        .set_staff_active(p.director, false, p.director)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("không thể tự khóa"), "{err}");
    let off = db
        .people()
        .set_staff_active(p.counter, false, p.director)
        .await
        .unwrap();
    assert!(!off.active);
    assert!(
        db.people()
            .session(&session, now + 1)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.people()
            .login("motcua.tn", "của-riêng-tôi-thôi", now)
            .await
            .unwrap(),
        Login::Wrong
    );
    assert!(
        db.people()
            .staff_by_token("token-tp.chuyenvien")
            .await
            .unwrap()
            .is_some()
    );
    let on = db
        .people()
        .set_staff_active(p.counter, true, p.director)
        .await
        .unwrap();
    assert!(on.active);
    // A role revoked, once; an unknown one is named.
    let justice = db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !db.people()
            .roles_over(p.specialist, justice.id)
            .await
            .unwrap()
            .is_empty()
    );
    db.people()
        .revoke(
            p.specialist,
            JUSTICE,
            motcua_domain::agency::Role::Specialist,
            p.director,
        )
        .await
        .unwrap();
    assert!(
        db.people()
            .roles_over(p.specialist, justice.id)
            .await
            .unwrap()
            .is_empty()
    );
    let err = db
        .people()
        .revoke(
            p.specialist,
            JUSTICE,
            motcua_domain::agency::Role::Specialist,
            p.director,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("không tìm thấy"), "{err}");
    assert!(
        db.audit()
            .audit_verify()
            .await
            .unwrap()
            .first_broken
            .is_none()
    );
    db.close().await;
}

/// A national identity on either engine: linked to the account with its ID number, found
/// again by its subject, a new account opened without a password for another one (its phone
/// left out when taken), a locked account refused; a sign-in under way taken once, and not
/// after ten minutes.
async fn national_identities_link_once(engine: &str) {
    use motcua_domain::identity::{AccountKind, NationalIdentity};
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let people = db.people();
    let now = 1_780_000_000;
    let typed = people
        .register_citizen(
            motcua_db::NewCitizen {
                full_name: "Tran Van Binh".into(),
                phone: Some("0912000111".into()),
                id_number: Some("038090012345".into()),
                password: RIGHT.into(),
                ..motcua_db::NewCitizen::default()
            },
            now,
        )
        .await
        .unwrap();
    let binh = NationalIdentity {
        provider: "vneid".into(),
        subject: "sub-binh".into(),
        id_number: Some("038090012345".into()),
        full_name: "Trần Văn Bình".into(),
        birth_date: None,
        phone: None,
        email: None,
        kind: AccountKind::Citizen,
        assurance: Some(2),
        tech_id: Some("T1".into()),
        logout_uri: None,
    };
    let (c, how) = people.sign_in_with_identity(&binh, now).await.unwrap();
    assert_eq!((c.id, how), (typed.id, motcua_db::Linked::ByIdNumber));
    assert_eq!(
        (c.full_name.as_str(), c.assurance),
        ("Trần Văn Bình", Some(2))
    );
    let (c, how) = people.sign_in_with_identity(&binh, now + 5).await.unwrap();
    assert_eq!((c.id, how), (typed.id, motcua_db::Linked::Known));
    // The same person through the DVCQG account at level 1: the account keeps level 2.
    let via_portal = NationalIdentity {
        provider: "dvcqg".into(),
        subject: "portal-binh".into(),
        assurance: Some(1),
        ..binh.clone()
    };
    let (c, how) = people
        .sign_in_with_identity(&via_portal, now + 6)
        .await
        .unwrap();
    assert_eq!(
        (c.id, how, c.assurance),
        (typed.id, motcua_db::Linked::ByIdNumber, Some(2))
    );
    // Lan has no account; the phone she gives is Bình's, so it is left out.
    let lan = NationalIdentity {
        subject: "sub-lan".into(),
        id_number: Some("001195000777".into()),
        full_name: "Lê Thị Lan".into(),
        phone: Some("0912000111".into()),
        email: Some("lan@example.vn".into()),
        assurance: Some(1),
        ..binh.clone()
    };
    let (c, how) = people.sign_in_with_identity(&lan, now).await.unwrap();
    assert_eq!(how, motcua_db::Linked::Opened);
    assert_ne!(c.id, typed.id);
    assert_eq!(
        (c.phone, c.email.as_deref()),
        (None, Some("lan@example.vn"))
    );
    assert!(matches!(
        people
            .citizen_login("lan@example.vn", "", now)
            .await
            .unwrap(),
        Login::Wrong
    ));
    assert_eq!(
        people.identities_of(typed.id).await.unwrap(),
        vec![
            ("dvcqg".to_string(), Some(1)),
            ("vneid".to_string(), Some(2))
        ]
    );
    // A session opened through a provider says so when it ends; a password one does not.
    let through = people
        .create_citizen_session_through(
            typed.id,
            "vneid",
            Some("https://vneid.example/logout?token_id=1"),
            now,
        )
        .await
        .unwrap();
    let plain = people.create_citizen_session(typed.id, now).await.unwrap();
    assert_eq!(
        people.end_citizen_session(&through, now + 1).await.unwrap(),
        Some((
            "vneid".to_string(),
            Some("https://vneid.example/logout?token_id=1".to_string())
        ))
    );
    assert_eq!(
        people.end_citizen_session(&plain, now + 1).await.unwrap(),
        None
    );
    assert!(
        people
            .citizen_session(&through, now + 2)
            .await
            .unwrap()
            .is_none()
    );
    // A sign-in under way: taken once, under its own state, within ten minutes.
    let pending = motcua_db::PendingSignIn {
        provider: "vneid".into(),
        nonce: "n".into(),
        verifier: "v".repeat(64),
        next: "/cong-dan".into(),
    };
    people
        .begin_sign_in("STATE-1", &pending, now)
        .await
        .unwrap();
    people
        .begin_sign_in("STATE-2", &pending, now)
        .await
        .unwrap();
    assert_eq!(people.take_sign_in("OTHER", now).await.unwrap(), None);
    let taken = people.take_sign_in("STATE-1", now + 1).await.unwrap();
    assert_eq!(taken, Some(pending.clone()));
    assert_eq!(people.take_sign_in("STATE-1", now + 2).await.unwrap(), None);
    let late = now + motcua_db::SIGN_IN_SECONDS + 1;
    assert_eq!(people.take_sign_in("STATE-2", late).await.unwrap(), None);
}

on_both!(
    national_identities_link_once,
    accounts_are_reset_disabled_and_their_roles_revoked,
    concurrent_guesses_lock_after_five,
    a_citizen_is_locked_by_account,
    a_new_password_ends_sessions_and_tokens,
    api_tokens_expire_and_are_revoked
);
