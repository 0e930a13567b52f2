//! `/api/v1/me`: the citizen's side of the API, for the province's app or any client acting
//! for one citizen — registration, sign-in (phone or e-mail and password, with the pages'
//! lock-out and per-address limits) answered with a session token sent back as
//! `Authorization: Bearer`, the account, its dossiers, online filing, supplements,
//! withdrawal and the rating. A citizen sees only the dossiers their account filed; any
//! other id is "not found".

mod dossiers;
mod filing;

use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use motcua_db::{Citizen, DbError, Login, NewCitizen};
use motcua_domain::FieldError;
use motcua_domain::calendar::Instant;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::error::{ApiError, ErrorCode};
use super::extract::Body;
use super::routes::Routes;
use crate::AppState;
use crate::pages::submitted::BODY_LIMIT;

pub fn routes() -> Routes {
    Routes::default()
        .get("/me", me)
        .post("/me/account", register)
        .post("/me/session", sign_in)
        .delete("/me/session", sign_out)
        .get("/me/dossiers", dossiers::list)
        .post_up_to("/me/dossiers", BODY_LIMIT, filing::create)
        .get("/me/dossiers/{id}", dossiers::show)
        .get("/me/dossiers/{id}/history", dossiers::history)
        .get("/me/dossiers/{id}/files", dossiers::files)
        .get("/me/dossiers/{id}/files/{file}", dossiers::download)
        .post_up_to(
            "/me/dossiers/{id}/supplements",
            BODY_LIMIT,
            dossiers::supplement,
        )
        .post("/me/dossiers/{id}/withdrawal", dossiers::withdraw)
        .post("/me/dossiers/{id}/rating", dossiers::rate)
}

/// The citizen behind `Authorization: Bearer <session token>`.
pub struct CitizenAuth {
    pub citizen: Citizen,
    pub token: String,
}

impl<S> FromRequestParts<S> for CitizenAuth
where
    Arc<AppState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = Arc::<AppState>::from_ref(state);
        let token = super::extract::bearer(parts).ok_or_else(ApiError::unauthorized)?;
        match app
            .db
            .people()
            .citizen_session(&token, app.now().timestamp())
            .await?
        {
            Some(session) => Ok(Self {
                citizen: session.citizen,
                token,
            }),
            None => Err(ApiError::unauthorized()),
        }
    }
}

/// The account as its owner sees it.
#[derive(Serialize)]
pub struct Account {
    id: i64,
    full_name: String,
    phone: Option<String>,
    email: Option<String>,
    id_number: Option<String>,
    /// Vouched for by a national identity at the level a verified account needs.
    verified: bool,
    /// The highest level of assurance a national identity vouched for.
    assurance: Option<u8>,
    identities: Vec<Identity>,
}

#[derive(Serialize)]
struct Identity {
    provider: String,
    level: Option<u8>,
}

async fn account(app: &AppState, citizen: Citizen) -> Result<Account, DbError> {
    let identities = app
        .db
        .people()
        .identities_of(citizen.id)
        .await?
        .into_iter()
        .map(|(provider, level)| Identity { provider, level })
        .collect();
    Ok(Account {
        verified: app.identity_verified(citizen.assurance),
        assurance: citizen.assurance,
        id: citizen.id,
        full_name: citizen.full_name,
        phone: citizen.phone,
        email: citizen.email,
        id_number: citizen.id_number,
        identities,
    })
}

/// `GET /me`.
pub async fn me(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(account(&app, who.citizen).await?))
}

/// A session opened: its token (sent back as a bearer token) and when it ends.
#[derive(Serialize)]
pub struct Opened {
    token: String,
    expires_at: Instant,
    account: Account,
}

async fn open(app: &AppState, citizen: Citizen) -> Result<Opened, ApiError> {
    let now = app.now();
    let token = app
        .db
        .people()
        .create_citizen_session(citizen.id, now.timestamp())
        .await?;
    Ok(Opened {
        token,
        expires_at: now + chrono::Duration::seconds(motcua_db::SESSION_SECONDS),
        account: account(app, citizen).await?,
    })
}

fn too_many(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::TooManyRequests,
        message,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The account's phone number or e-mail address.
    login: String,
    password: String,
}

/// `POST /me/session`: 201 with the session, 401 for a wrong login or password (the same
/// answer for both), 429 once the account is locked or the address has failed too often.
pub async fn sign_in(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    Body(c): Body<Credentials>,
) -> Result<Response, ApiError> {
    let limit = crate::throttle::CITIZEN_SIGN_IN;
    let now = app.now().timestamp();
    if !limit.take(&app.db, addr, now).await? {
        return Err(too_many(
            "quá nhiều lần đăng nhập sai từ địa chỉ này; xin thử lại sau vài phút",
        ));
    }
    match app
        .db
        .people()
        .citizen_login(&c.login, &c.password, now)
        .await?
    {
        Login::Ok(citizen) => {
            limit.give_back(&app.db, addr, now).await?;
            Ok((StatusCode::CREATED, Json(open(&app, citizen).await?)).into_response())
        }
        Login::Wrong => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "số điện thoại/thư điện tử hoặc mật khẩu không đúng",
        )),
        Login::Locked => Err(too_many(
            "tài khoản tạm khoá vì nhập sai mật khẩu nhiều lần; xin thử lại sau",
        )),
    }
}

/// `DELETE /me/session`: ends the session whose token was sent.
pub async fn sign_out(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
) -> Result<StatusCode, ApiError> {
    app.db
        .people()
        .end_citizen_session(&who.token, app.now().timestamp())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    full_name: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    id_number: Option<String>,
    password: String,
}

/// `POST /me/account`: a new account (checked as the registration page checks it), 201
/// with a session opened on it.
pub async fn register(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    Body(r): Body<Registration>,
) -> Result<Response, ApiError> {
    if addr.is_some_and(|a| !app.throttles.registrations.allow(a)) {
        return Err(too_many(
            "quá nhiều tài khoản được tạo từ địa chỉ này; xin thử lại sau",
        ));
    }
    let new = NewCitizen {
        full_name: r.full_name,
        phone: r.phone,
        email: r.email,
        id_number: r.id_number,
        password: r.password,
    };
    let citizen = match app
        .db
        .people()
        .register_citizen(new, app.now().timestamp())
        .await
    {
        Ok(citizen) => citizen,
        Err(DbError::Invalid(found)) => return Err(ApiError::invalid(found)),
        Err(e) => return Err(e.into()),
    };
    Ok((StatusCode::CREATED, Json(open(&app, citizen).await?)).into_response())
}

/// A one-field refusal.
fn refused(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::invalid(vec![FieldError::new(field, message)])
}
